# diff
let name = "world"; in
[
  "hello ${name}"
  ''
    indented
      more
    ${name}''
  (builtins.stringLength "é")
  (builtins.substring 1 3 "abcdef")
  (builtins.substring 2 (-1) "abcdef")
  (builtins.replaceStrings [ "a" "b" ] [ "b" "a" ] "aabb")
  (builtins.replaceStrings [ "" ] [ "-" ] "abc")
  (builtins.concatStringsSep ", " [ "a" "b" "c" ])
  (toString [ 1 [ ] "a" null true false [ 2 ] ])
  "escapes: \" \\ \n \t \${x} $"
  (builtins.baseNameOf "/a/b/c/") (builtins.dirOf "/a/b/c") (builtins.dirOf "abc")
]
