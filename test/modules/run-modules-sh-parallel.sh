#!/usr/bin/env bash
# Like run-modules-sh.sh, but runs modules.sh's ~400 checks in parallel (JOBS, default 4):
# the script is split into its function definitions and one line per check (captured
# by stub check functions that print their arguments and environment gates), and each
# line is then run with the original check functions. Same checks, same greps; only
# the order and the parallelism differ. Failures are listed with their output.
#   NIXPKGS_LIB_DIR=/path/containing/lib JOBS=4 test/modules/run-modules-sh-parallel.sh [real|embedded]
set -uo pipefail
mode=${1:-real}
[[ -z "${NIXPKGS_LIB_DIR:-}" ]] && { echo "NIXPKGS_LIB_DIR is not set; skipping modules.sh"; exit 0; }
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cli="${TSNIX_CLI:-$repo/dist/src/cli/main.js}"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin"
printf '#!/usr/bin/env bash\nexec node %q instantiate "$@"\n' "$cli" > "$tmp/bin/nix-instantiate"; chmod +x "$tmp/bin/nix-instantiate"
cp -r "$NIXPKGS_LIB_DIR/lib" "$tmp/lib"; chmod -R u+w "$tmp/lib"
if [[ "$mode" == embedded ]]; then
  sed -i 's|lib ? import \.\./\.\.,|lib ? import <nixpkgs/lib>,|' "$tmp/lib/tests/modules/default.nix"
  export NIX_PATH=""
else
  export NIX_PATH="nixpkgs=$tmp"
fi
t="$tmp/lib/tests"; M="$t/modules.sh"
n=$(grep -n '^# Shorthand meta attribute' "$M" | cut -d: -f1)
head -n $((n-1)) "$M" > "$t/defs.sh"
{
  head -n $((n-1)) "$M"
  cat <<'X'
emit() { printf 'STRICT_EVAL=%q ABORT_ON_WARN=%q REQUIRE_INFINITE_RECURSION_HINT=%q' "${STRICT_EVAL-0}" "${ABORT_ON_WARN-0}" "${REQUIRE_INFINITE_RECURSION_HINT-}"; printf ' %q' "$@"; echo; }
checkConfigOutput() { emit checkConfigOutput "$@"; }
checkConfigError() { emit checkConfigError "$@"; }
checkExpression() { emit checkExpression "$@"; }
X
  tail -n +"$n" "$M" | sed '/^cat <<EOF/,$d'
} > "$t/list.sh"
(cd "$t" && bash list.sh > cmds.txt 2>/dev/null)
cat > "$t/worker.sh" <<X
#!/usr/bin/env bash
line="\$1"
source "$t/defs.sh" 2>/dev/null
set +o errexit +o nounset +o noclobber
pass=0; fail=0
out=\$(mktemp)
eval "\$line" > "\$out" 2>&1
if [ "\$pass" = 1 ]; then echo "PASS \$line"; else echo "FAIL \$line"; sed 's/^/    /' "\$out" | tail -25; fi
rm -f "\$out"
X
chmod +x "$t/worker.sh"
tr '\n' '\0' < "$t/cmds.txt" | PATH="$tmp/bin:$PATH" xargs -0 -P "${JOBS:-4}" -n 1 "$t/worker.sh" > "$t/results.txt" 2>&1
grep -A25 '^FAIL' "$t/results.txt" || true
echo "$(grep -c '^PASS' "$t/results.txt") passed, $(grep -c '^FAIL' "$t/results.txt") failed"
