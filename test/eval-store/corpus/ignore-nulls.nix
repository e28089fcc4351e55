with import ./lib.nix;
mk { name = "nulls"; __ignoreNulls = true; gone = null; kept = ""; f = false; l = [ null ]; }
