# Derivation meta helpers.
{ lib }:
rec {
  addMetaAttrs = newAttrs: drv: drv // { meta = (drv.meta or { }) // newAttrs; };
  dontDistribute = drv: addMetaAttrs { hydraPlatforms = [ ]; } drv;
  setName = name: drv: drv // { inherit name; };
  updateName = updater: drv: drv // { name = updater (drv.name); };
  appendToName = suffix: updateName (name: let x = builtins.parseDrvName name; in "${x.name}-${suffix}-${x.version}");
  mapDerivationAttrset = f: set: lib.mapAttrs (name: pkg: if lib.isDerivation pkg then (f pkg) else pkg) set;
  lowPrio = drv: addMetaAttrs { priority = 10; } drv;
  hiPrio = drv: addMetaAttrs { priority = -10; } drv;
  setPrio = priority: addMetaAttrs { inherit priority; };
  getExe = x: getExe' x (x.meta.mainProgram or (lib.getName x));
  getExe' = x: y: "${lib.getBin x}/bin/${y}";
  getLicenseFromSpdxId = id: { spdxId = id; shortName = id; fullName = id; };
  platformMatch = platform: elem: if builtins.isString elem then platform ? system && elem == platform.system else lib.matchAttrs elem platform;
  # Allowed by `meta.platforms` (when given) and not excluded by `meta.badPlatforms`.
  availableOn = platform: pkg:
    (!pkg ? meta.platforms || lib.any (platformMatch platform) pkg.meta.platforms)
    && (!pkg ? meta.badPlatforms || !(lib.any (platformMatch platform) pkg.meta.badPlatforms));
  defaultPriority = 5;
  lowPrioSet = set: mapDerivationAttrset lowPrio set;
  hiPrioSet = set: mapDerivationAttrset hiPrio set;
}
