#!/usr/bin/env bash
# Runs nixpkgs' lib/tests/modules.sh against tsnix.
#
# modules.sh drives `nix-instantiate --eval --json --strict -A … -E …` over ~400
# fixtures and greps stdout/stderr for nixpkgs' exact messages, so it is the best
# external check of both the evaluator and the module system. We put a
# `nix-instantiate` shim that execs tsnix first on PATH and run the script on a
# *copy* of the given lib (the script cd's into its own directory).
#
#   NIXPKGS_LIB_DIR=/path/containing/lib  test/modules/run-modules-sh.sh [real|embedded]
#
# real      fixtures use the copied nixpkgs lib (`import ../..`), evaluated by tsnix;
# embedded  the copy's tests/modules/default.nix is switched to
#           `lib ? import <nixpkgs/lib>` and NIX_PATH is empty, so tsnix's own
#           embedded lib is used.
# Prints `N passed, N failed`; the full log is kept in $MODULES_SH_LOG if set.
set -uo pipefail

mode=${1:-real}
if [[ -z "${NIXPKGS_LIB_DIR:-}" ]]; then
  echo "NIXPKGS_LIB_DIR is not set; skipping modules.sh"
  exit 0
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cli="${TSNIX_CLI:-$repo/dist/src/cli/main.js}"
if [[ ! -f "$cli" ]]; then
  echo "tsnix is not built ($cli missing); run npx tsc -p tsconfig.json" >&2
  exit 2
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin"
cat > "$tmp/bin/nix-instantiate" <<SHIM
#!/usr/bin/env bash
exec node "$cli" instantiate "\$@"
SHIM
chmod +x "$tmp/bin/nix-instantiate"
cp -r "$NIXPKGS_LIB_DIR/lib" "$tmp/lib"
chmod -R u+w "$tmp/lib"

if [[ "$mode" == embedded ]]; then
  sed -i 's|lib ? import \.\./\.\.,|lib ? import <nixpkgs/lib>,|' "$tmp/lib/tests/modules/default.nix"
  grep -q 'import <nixpkgs/lib>' "$tmp/lib/tests/modules/default.nix" || { echo "could not retarget default.nix" >&2; exit 2; }
  export NIX_PATH=""
else
  export NIX_PATH="nixpkgs=$tmp"
fi

log="${MODULES_SH_LOG:-$tmp/modules.log}"
PATH="$tmp/bin:$PATH" bash "$tmp/lib/tests/modules.sh" >"$log" 2>&1
pass=$(grep -E '^[0-9]+ Pass$' "$log" | awk '{print $1}')
fail=$(grep -E '^[0-9]+ Fail$' "$log" | awk '{print $1}')
echo "${pass:-0} passed, ${fail:-?} failed"
