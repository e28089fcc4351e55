let lib = import <nixpkgs/lib>; in
(lib.evalModules { modules = [ { options.networking.hostName = lib.mkOption { type = lib.types.str; }; } ]; }).config.networking.hostName
