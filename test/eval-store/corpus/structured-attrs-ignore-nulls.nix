with import ./lib.nix;
mk { name = "sa-nulls"; __structuredAttrs = true; __ignoreNulls = true; gone = null; kept = 0; alsoKept = false; }
