with import ./lib.nix;
mk { name = "bp-sha"; src = builtins.path { path = ./data/tree; name = "tree"; sha256 = "0fvqv8rvhn2np1hvnxrj4l01zsbm7gb1vgim0ahnx0x65qywrrfd"; }; }
