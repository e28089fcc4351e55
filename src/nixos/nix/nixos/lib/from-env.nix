# An environment variable if it is set and non-empty, else the default.
name: default:
let
  value = builtins.getEnv name;
in
if value == "" then default else value
