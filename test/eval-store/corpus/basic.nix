# The anchors' test vector: a plain input-addressed derivation.
derivation { name = "a"; system = "x86_64-linux"; builder = "/bin/sh"; args = [ "-c" "echo hi > $out" ]; }
