# A path as builder is copied; args may refer to paths too.
derivation { name = "builder-path"; system = "x86_64-linux"; builder = ./data/builder.sh; args = [ ./data/hello.txt "x" ]; }
