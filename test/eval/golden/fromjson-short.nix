# diff
# fromJSON of arrays of every short length and of runs of objects with the same keys in
# the same (unsorted) order, whose values are placed by the remembered slot order:
# one, two, three and five keys, then a different key order, then repeated keys.
let
  j = builtins.fromJSON;
in
{
  arrays = j ''[ [], [1], [1, "two"], [1, "two", null], [1, "two", null, true], [1, 2, 3, 4, 5], [[[1]], [[2, 3]]] ]'';
  one = j ''[ {"k": 1}, {"k": 2}, {"k": [3]} ]'';
  two = j ''[ {"b": 1, "a": 2}, {"b": 3, "a": 4}, {"a": 5, "b": 6}, {"b": 7, "a": 8} ]'';
  three = j ''[ {"c": 1, "a": 2, "b": 3}, {"c": 4, "a": 5, "b": 6}, {"b": 7, "c": 8, "a": 9}, {"b": 10, "c": 11, "a": 12} ]'';
  five = j ''[ {"e": 1, "d": 2, "c": 3, "b": 4, "a": 5}, {"e": 6, "d": 7, "c": 8, "b": 9, "a": 10} ]'';
  repeated = j ''[ {"a": 1, "a": 2}, {"a": 3, "a": 4}, {"b": 1, "a": 2, "b": 3}, {"b": 1, "a": 2, "b": 3} ]'';
}
