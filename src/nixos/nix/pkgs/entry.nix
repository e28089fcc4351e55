# One catalogue entry: a derivation that names a package honestly and builds nothing.
#
# The derivation carries nixpkgs' `pname`, `version`, `meta` and the usual
# `override`/`overrideAttrs` entry points, so configurations that tweak packages still
# evaluate (each tweak is a different entry with a different store path). Its builder
# only prints that it is a catalogue entry: building it with a real Nix fails loudly
# instead of producing something that pretends to be the package.
#
# `stub` describes the placeholder the realiser may write for entries the system
# layout must link to (kernel images); everything else stays unbuilt.
{ lib, platform, config }:
let
  allowUnfreeGlobal = (config.allowUnfree or false) || builtins.getEnv "NIXPKGS_ALLOW_UNFREE" == "1";
  predicate = config.allowUnfreePredicate or (_: false);

  # nixpkgs' wording (check-meta.nix), with the catalogue in place of a source file.
  unfreeMessage = name: pname: license: ''
    Package ‘${name}’ in the tsnix package catalogue has an unfree license (‘${license}’), refusing to evaluate.

    a) To temporarily allow unfree packages, you can use an environment variable
       for a single invocation of the nix tools.

         $ export NIXPKGS_ALLOW_UNFREE=1

    b) For `nixos-rebuild` you can set
      { nixpkgs.config.allowUnfree = true; }
    in configuration.nix to override this.

    Alternatively you can configure a predicate to allow specific packages:
      { nixpkgs.config.allowUnfreePredicate = pkg: builtins.elem (lib.getName pkg) [
          "${pname}"
        ];
      }

    c) For `nix-env`, `nix-build`, `nix-shell` or any other Nix command you can add
      { allowUnfree = true; }
    to ~/.config/nixpkgs/config.nix.
  '';

  # Override arguments go into the environment so that a tweaked package is a
  # different derivation; functions have no printable form, so they are named only.
  describe =
    v:
    if builtins.isFunction v then "<function>"
    else if lib.isDerivation v then v
    else if builtins.isAttrs v then lib.mapAttrs (_: describe) v
    else if builtins.isList v then map describe v
    else if builtins.isPath v then toString v
    else v;

  mkEntry =
    args@{
      pname,
      version,
      description ? "",
      license ? "free",
      unfree ? false,
      bins ? [ pname ],
      outputs ? [ "out" ],
      stub ? null,
      passthru ? { },
      extraEnv ? { },
      metaOverrides ? { },
      ...
    }:
    let
      name = "${pname}-${version}";
      meta = {
        inherit description license unfree;
        name = name;
        available = true;
        broken = false;
        platforms = [ platform.system ];
        homepage = args.homepage or null;
      } // lib.optionalAttrs (bins != [ ]) { mainProgram = builtins.head bins; } // metaOverrides;
      drv = derivation (
        {
          inherit name outputs;
          system = platform.system;
          builder = "/bin/sh";
          args = [
            "-c"
            "echo '${name} is an entry of the tsnix package catalogue: tsnix names packages and computes their store paths but has no build recipe for them' >&2; exit 1"
          ];
          tsnixCatalogue = name;
        }
        // lib.optionalAttrs (stub != null) { tsnixStub = builtins.toJSON stub; }
        // extraEnv
      );
      allowed = !unfree || allowUnfreeGlobal || predicate { inherit pname version name meta; };
      refused = throw (unfreeMessage name pname license);
      guarded = if allowed then drv else drv // { outPath = refused; drvPath = refused; };
    in
    guarded
    // passthru
    // {
      inherit pname version meta passthru;
      tsnixBins = bins;
      override =
        newArgs:
        mkEntry (args // { extraEnv = extraEnv // { tsnixOverride = builtins.toJSON (describe newArgs); }; });
      overrideAttrs =
        f:
        let
          old = args // { inherit name; };
          r = f old;
          attrs = if builtins.isFunction r then r old else r;
        in
        let
          # Only what would change the build makes a different derivation; `meta`
          # (lib.setPrio, lib.addMetaAttrs) and `passthru` do not, as in nixpkgs.
          buildChanges = removeAttrs attrs [ "pname" "version" "passthru" "meta" ];
        in
        mkEntry (
          args
          // lib.optionalAttrs (attrs ? pname) { inherit (attrs) pname; }
          // lib.optionalAttrs (attrs ? version) { inherit (attrs) version; }
          // lib.optionalAttrs (attrs ? meta) { metaOverrides = metaOverrides // attrs.meta; }
          // lib.optionalAttrs (attrs ? passthru) { passthru = passthru // attrs.passthru; }
          // lib.optionalAttrs (buildChanges != { }) {
            extraEnv = extraEnv // { tsnixOverrideAttrs = builtins.toJSON (describe buildChanges); };
          }
        );
    };
in
mkEntry
