# List functions.
{ lib }:
let
  inherit (builtins) length elemAt genList foldl' head tail filter concatLists concatMap;
in
rec {
  inherit (builtins) head tail length filter elem elemAt genList map concatLists concatMap sort partition any all foldl' groupBy;
  singleton = x: [ x ];
  forEach = xs: f: map f xs;
  foldr = op: nul: list:
    let
      len = length list;
      fold' = n: if n == len then nul else op (elemAt list n) (fold' (n + 1));
    in
    fold' 0;
  fold = foldr;
  foldl = op: nul: list:
    let
      foldl' = n: if n == -1 then nul else op (foldl' (n - 1)) (elemAt list n);
    in
    foldl' (length list - 1);
  imap0 = f: list: genList (n: f n (elemAt list n)) (length list);
  imap1 = f: list: genList (n: f (n + 1) (elemAt list n)) (length list);
  ifilter0 = ipred: input:
    map (idx: elemAt input idx) (filter (idx: ipred idx (elemAt input idx)) (genList (x: x) (length input)));
  flatten = x: if builtins.isList x then concatMap (y: flatten y) x else [ x ];
  remove = e: filter (x: x != e);
  findSingle = pred: default: multiple: list:
    let found = filter pred list; len = length found;
    in if len == 0 then default else if len != 1 then multiple else head found;
  findFirstIndex = pred: default: list:
    let
      go = i: if i == length list then default else if pred (elemAt list i) then i else go (i + 1);
    in
    go 0;
  findFirst = pred: default: list:
    let index = findFirstIndex pred null list;
    in if index == null then default else elemAt list index;
  count = pred: foldl' (c: x: if pred x then c + 1 else c) 0;
  optional = cond: elem: if cond then [ elem ] else [ ];
  optionals = cond: elems: if cond then elems else [ ];
  toList = x: if builtins.isList x then x else [ x ];
  range = first: last: if first > last then [ ] else genList (n: first + n) (last - first + 1);
  replicate = n: elem: genList (_: elem) n;
  groupBy' = op: nul: pred: lst: builtins.mapAttrs (name: foldl' op nul) (builtins.groupBy pred lst);
  zipListsWith = f: fst: snd:
    genList (n: f (elemAt fst n) (elemAt snd n)) (lib.trivial.min (length fst) (length snd));
  zipLists = zipListsWith (fst: snd: { inherit fst snd; });
  reverseList = xs: let l = length xs; in genList (n: elemAt xs (l - n - 1)) l;
  listDfs = stopOnCycles: before: list:
    let
      dfs' = us: visited: rest:
        let
          c = filter (x: before x us) visited;
          b = partition (x: before x us) rest;
        in
        if stopOnCycles && (length c > 0) then { cycle = us; loops = c; inherit visited rest; }
        else if length b.right == 0 then { minimal = us; inherit visited rest; }
        else dfs' (head b.right) ([ us ] ++ visited) (tail b.right ++ b.wrong);
    in
    dfs' (head list) [ ] (tail list);
  toposort = before: list:
    let
      dfsthis = listDfs true before list;
      toporest = toposort before (dfsthis.visited ++ dfsthis.rest);
    in
    if length list < 2 then { result = list; }
    else if dfsthis ? cycle then { cycle = reverseList ([ dfsthis.cycle ] ++ dfsthis.visited); inherit (dfsthis) loops; }
    else if toporest ? cycle then toporest
    else { result = [ dfsthis.minimal ] ++ toporest.result; };
  sortOn = f: list:
    map (x: x.v) (builtins.sort (a: b: a.k < b.k) (map (v: { inherit v; k = f v; }) list));
  compareLists = cmp: a: b:
    if a == [ ] then (if b == [ ] then 0 else -1)
    else if b == [ ] then 1
    else let rel = cmp (head a) (head b); in if rel == 0 then compareLists cmp (tail a) (tail b) else rel;
  naturalSort = lst: builtins.sort (a: b: a < b) lst;
  take = count: sublist 0 count;
  drop = count: list: sublist count (length list) list;
  takeEnd = n: xs: drop (lib.trivial.max 0 (length xs - n)) xs;
  dropEnd = n: xs: take (lib.trivial.max 0 (length xs - n)) xs;
  hasPrefix = list1: list2: take (length list1) list2 == list1;
  removePrefix = list1: list2:
    if hasPrefix list1 list2 then drop (length list1) list2
    else throw "lib.lists.removePrefix: First argument is not a list prefix of the second argument";
  sublist = start: count: list:
    let len = length list; in
    genList (n: elemAt list (n + start))
      (if start >= len then 0 else if start + count > len then len - start else count);
  commonPrefix = list1: list2:
    let
      go = i: if i < length list1 && i < length list2 && elemAt list1 i == elemAt list2 i then go (i + 1) else i;
    in
    take (go 0) list1;
  last = list: assert lib.assertMsg (list != [ ]) "lists.last: list must not be empty!"; elemAt list (length list - 1);
  init = list: assert lib.assertMsg (list != [ ]) "lists.init: list must not be empty!"; take (length list - 1) list;
  crossLists = f: foldl' (fs: args: concatMap (f: map f args) fs) [ f ];
  unique = foldl' (acc: e: if builtins.elem e acc then acc else acc ++ [ e ]) [ ];
  uniqueStrings = list: builtins.attrNames (builtins.groupBy lib.trivial.id list);
  allUnique = list: length (unique list) == length list;
  intersectLists = e: filter (x: builtins.elem x e);
  subtractLists = e: filter (x: !(builtins.elem x e));
  mutuallyExclusive = a: b: length a == 0 || !(builtins.any (x: builtins.elem x a) b);
  listToAttrs = builtins.listToAttrs;
  zipWithIndex = imap0 (i: v: { inherit i v; });

  concatAttrValues = set: concatLists (builtins.attrValues set);
  replaceElemAt = list: idx: newElem:
    assert lib.assertMsg (idx >= 0 && idx < length list)
      "'lists.replaceElemAt' called with index ${toString idx} on a list of size ${toString (length list)}";
    genList (i: if i == idx then newElem else elemAt list i) (length list);
}
