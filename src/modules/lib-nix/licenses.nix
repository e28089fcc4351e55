# A few license records (the full list lives in nixpkgs).
{ lib }:
let mk = spdxId: fullName: { inherit spdxId fullName; shortName = spdxId; free = true; redistributable = true; deprecated = false; }; in
{
  mit = mk "MIT" "MIT License";
  asl20 = mk "Apache-2.0" "Apache License 2.0";
  gpl2Only = mk "GPL-2.0-only" "GNU General Public License v2.0 only";
  gpl2Plus = mk "GPL-2.0-or-later" "GNU General Public License v2.0 or later";
  gpl3Only = mk "GPL-3.0-only" "GNU General Public License v3.0 only";
  gpl3Plus = mk "GPL-3.0-or-later" "GNU General Public License v3.0 or later";
  bsd3 = mk "BSD-3-Clause" "BSD 3-clause \"New\" or \"Revised\" License";
  lgpl21Plus = mk "LGPL-2.1-or-later" "GNU Lesser General Public License v2.1 or later";
  unfree = { shortName = "unfree"; fullName = "Unfree"; free = false; redistributable = false; deprecated = false; };
}
