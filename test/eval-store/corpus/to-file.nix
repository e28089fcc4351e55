with import ./lib.nix;
mk { name = "tofile"; script = builtins.toFile "script.sh" "echo hello\n"; }
