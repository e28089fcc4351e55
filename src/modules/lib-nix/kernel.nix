# Kernel configuration answers (`with lib.kernel; { FOO = yes; BAR = module; }`), as
# NixOS's kernel config generator reads them: a tristate, or a free-form value, and
# whether a missing option may be ignored.
{ lib }:
{
  yes = { tristate = "y"; optional = false; };
  no = { tristate = "n"; optional = false; };
  module = { tristate = "m"; optional = false; };
  unset = { tristate = null; optional = false; };
  freeform = x: { freeform = x; optional = false; };
  option = x: x // { optional = true; };

  # Conditions on the kernel version being configured.
  whenHelpers = version: {
    whenAtLeast = ver: lib.mkIf (lib.versionAtLeast version ver);
    whenOlder = ver: lib.mkIf (lib.versionOlder version ver);
    whenBetween = low: high: lib.mkIf (lib.versionAtLeast version low && lib.versionOlder version high);
  };
}
