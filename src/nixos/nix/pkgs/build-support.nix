# Builders with nixpkgs' names and argument shapes.
#
# Two kinds, and the difference is the point:
#   - text files and scripts (writeTextFile and everything on top of it) are fully
#     described by their arguments, so tsnix can produce them: they are derivations
#     with `tsnixBuilder = "text-file"`, and the realiser writes them into the store;
#   - anything that runs a command (runCommand, stdenv.mkDerivation, symlinkJoin,
#     buildEnv, withPackages…) needs a real builder. Those are honest derivations with
#     correct store paths that tsnix never builds.
{ lib, platform, final }:
let
  system = platform.system;
  unbuildable = what: [
    "-c"
    "echo '${what}: tsnix computes this derivation but cannot run its builder' >&2; exit 1"
  ];

  writeTextFile =
    {
      name,
      text,
      executable ? false,
      destination ? "",
      checkPhase ? "",
      meta ? { },
      passthru ? { },
      allowSubstitutes ? false,
      preferLocalBuild ? true,
      derivationArgs ? { },
    }:
    derivation (
      {
        inherit name text destination system;
        builder = "/bin/sh";
        args = unbuildable name;
        tsnixBuilder = "text-file";
        executable = if executable then "1" else "";
        passAsFile = [ "text" ];
        allowSubstitutes = allowSubstitutes;
        preferLocalBuild = preferLocalBuild;
      }
      // derivationArgs
    )
    // passthru
    // { inherit meta; };

  runtimeShell = "${final.bashInteractive}/bin/bash";

  runCommandWith =
    { name, derivationArgs ? { }, ... }:
    buildCommand:
    derivation (
      {
        inherit name system buildCommand;
        builder = "/bin/sh";
        args = unbuildable name;
        tsnixUnbuildable = "runCommand";
      }
      // lib.mapAttrs (_: v: if builtins.isList v then lib.concatMapStringsSep " " toString v else v) (
        removeAttrs derivationArgs [ "passthru" "meta" ]
      )
    )
    // (derivationArgs.passthru or { });
  runCommand = name: env: runCommandWith { inherit name; derivationArgs = env; };
in
{
  inherit writeTextFile runtimeShell runCommand runCommandWith;
  runCommandLocal = runCommand;
  runCommandNoCC = runCommand;
  runCommandCC = runCommand;
  writeText = name: text: writeTextFile { inherit name text; };
  writeTextDir =
    path: text:
    writeTextFile {
      inherit text;
      name = builtins.baseNameOf path;
      destination = "/${path}";
    };
  writeScript =
    name: text:
    writeTextFile {
      inherit name text;
      executable = true;
    };
  writeScriptBin =
    name: text:
    writeTextFile {
      inherit name text;
      executable = true;
      destination = "/bin/${name}";
    };
  writeShellScript =
    name: text:
    writeTextFile {
      inherit name;
      executable = true;
      text = "#!${runtimeShell}\n${text}\n";
    };
  writeShellScriptBin =
    name: text:
    writeTextFile {
      inherit name;
      executable = true;
      destination = "/bin/${name}";
      text = "#!${runtimeShell}\n${text}\n";
    };
  writeShellApplication =
    {
      name,
      text,
      runtimeInputs ? [ ],
      runtimeEnv ? null,
      excludeShellChecks ? [ ],
      meta ? { },
      ...
    }:
    writeTextFile {
      inherit name meta;
      executable = true;
      destination = "/bin/${name}";
      text =
        "#!${runtimeShell}\nset -o errexit\nset -o nounset\nset -o pipefail\n"
        + lib.optionalString (runtimeInputs != [ ]) "\nexport PATH=\"${lib.makeBinPath runtimeInputs}:$PATH\"\n"
        + "\n${text}\n";
    };
  writers = {
    writeBash = name: text: writeTextFile { inherit name; executable = true; text = "#!${runtimeShell}\n${text}\n"; };
    writeBashBin = name: text: writeTextFile { inherit name; executable = true; destination = "/bin/${name}"; text = "#!${runtimeShell}\n${text}\n"; };
  };

  symlinkJoin =
    { name, paths, postBuild ? "", ... }@args:
    runCommand name {
      paths = map toString paths;
      inherit postBuild;
      passthru = args.passthru or { };
    } "tsnix: symlinkJoin";
  buildEnv =
    { name, paths, pathsToLink ? [ "/" ], ... }@args:
    runCommand name {
      paths = map toString paths;
      pathsToLink = pathsToLink;
      passthru = args.passthru or { };
    } "tsnix: buildEnv";

  # Fixed-output fetchers: their paths follow from the hash alone, exactly as in Nix.
  fetchurl =
    { url ? null, urls ? [ ], hash ? "", sha256 ? "", name ? baseNameOf (if url != null then url else builtins.head urls), ... }:
    derivation {
      inherit name system;
      builder = "builtin:fetchurl";
      url = if url != null then url else builtins.head urls;
      outputHash = if hash != "" then hash else sha256;
      outputHashAlgo = if hash != "" then "" else "sha256";
      outputHashMode = "flat";
      preferLocalBuild = true;
      urls = if url != null then [ url ] else urls;
    };
  fetchzip =
    { url, hash ? "", sha256 ? "", name ? "source", ... }:
    derivation {
      inherit name system url;
      builder = "/bin/sh";
      args = unbuildable name;
      outputHash = if hash != "" then hash else sha256;
      outputHashAlgo = if hash != "" then "" else "sha256";
      outputHashMode = "recursive";
    };
  fetchFromGitHub =
    { owner, repo, rev ? null, tag ? null, hash ? "", sha256 ? "", name ? "source", ... }:
    derivation {
      inherit name system;
      builder = "/bin/sh";
      args = unbuildable name;
      url = "https://github.com/${owner}/${repo}/archive/${if tag != null then tag else rev}.tar.gz";
      outputHash = if hash != "" then hash else sha256;
      outputHashAlgo = if hash != "" then "" else "sha256";
      outputHashMode = "recursive";
    };
  fetchgit =
    { url, rev ? "HEAD", hash ? "", sha256 ? "", name ? "source", ... }:
    derivation {
      inherit name system url rev;
      builder = "/bin/sh";
      args = unbuildable name;
      outputHash = if hash != "" then hash else sha256;
      outputHashAlgo = if hash != "" then "" else "sha256";
      outputHashMode = "recursive";
    };

  mkDerivationFor =
    attrs:
    let
      name = attrs.name or "${attrs.pname}-${attrs.version}";
      env = removeAttrs attrs [ "passthru" "meta" "pname" "version" "nativeBuildInputs" "buildInputs" "propagatedBuildInputs" "src" "name" "outputs" ];
      flatten = v: if builtins.isList v then lib.concatMapStringsSep " " toString v else if builtins.isBool v then (if v then "1" else "") else v;
    in
    derivation (
      lib.mapAttrs (_: flatten) (lib.filterAttrs (_: v: !builtins.isFunction v && !(builtins.isAttrs v && !lib.isDerivation v)) env)
      // {
        inherit name system;
        outputs = attrs.outputs or [ "out" ];
        builder = "/bin/sh";
        args = unbuildable name;
        tsnixUnbuildable = "stdenv.mkDerivation";
        buildInputs = lib.concatMapStringsSep " " toString ((attrs.nativeBuildInputs or [ ]) ++ (attrs.buildInputs or [ ]) ++ (attrs.propagatedBuildInputs or [ ]));
      }
      // lib.optionalAttrs (attrs ? src) { src = toString attrs.src; }
    )
    // (attrs.passthru or { })
    // {
      meta = attrs.meta or { };
    }
    // lib.optionalAttrs (attrs ? pname) { inherit (attrs) pname; }
    // lib.optionalAttrs (attrs ? version) { inherit (attrs) version; };
}
