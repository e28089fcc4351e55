# diff
let s = { a = 1; }; l = [ 1 ]; in [ s s l l { } { } [ ] [ ] ]
