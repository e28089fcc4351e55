with import ./lib.nix;
let tool = mk { name = "tool"; outputs = [ "bin" "out" ]; }; in
mk { name = "argctx"; args = [ "-c" "${tool.bin}/bin/tool ${./data/hello.txt}" tool ]; }
