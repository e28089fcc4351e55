# `name` makes an unusable file name usable.
with import ./lib.nix;
mk { name = "bp-name"; conf = builtins.path { path = ./data + "/weird name+1.conf"; name = "weird.conf"; }; }
