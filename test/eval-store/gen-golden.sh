#!/usr/bin/env bash
# Regenerates test/eval-store/corpus/*.exp with the installed Nix (2.8 is enough).
#
# For every corpus/NAME.nix (lib.nix excepted) the golden NAME.exp records, in order:
#
#   # instantiate              stdout of `nix-instantiate --store TMP NAME.nix`
#   # eval                     stdout of `nix-instantiate --eval --strict --json NAME.nix`
#                              (run afterwards, on the same store)
#   # store                    the names of everything written to TMP/nix/store
#   # /nix/store/….drv         for each .drv written: its exact text (then a newline)
#
# Extra flags for both runs go on a first line `# flags: …` of NAME.nix. Each run gets
# a fresh chroot store TMP (`--store DIR` lays objects out under DIR/nix/store), so the
# .drv files of a case are exactly those its evaluation instantiated. stderr (warnings
# such as "you did not specify '--add-root'") is not recorded.
#
# test/eval-store/store.test.ts builds the same text from tsnix's output and compares.
# Without nix-instantiate this script leaves the goldens alone and exits 0.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
corpus=$here/corpus
if ! command -v nix-instantiate >/dev/null; then
  echo "gen-golden: nix-instantiate not found; golden files left unchanged" >&2
  exit 0
fi
nix-instantiate --version >&2
export NIX_PATH=
export LC_ALL=C

only=${1:-}
cd "$corpus"
for file in *.nix; do
  name=${file%.nix}
  [ "$name" = lib ] && continue
  if [ -n "$only" ] && [ "$name" != "$only" ]; then continue; fi
  flags=()
  first=$(head -n1 "$file")
  case "$first" in
    "# flags: "*) read -r -a flags <<<"${first#\# flags: }" ;;
  esac
  tmp=$(mktemp -d /tmp/tsnix-eval-store.XXXXXX)
  {
    echo "# instantiate"
    nix-instantiate "${flags[@]}" --store "$tmp/store" "$file" 2>/dev/null
    echo "# eval"
    # Against the store just written: Nix 2.8 in read-only mode cannot compute the
    # closure of a derivation it has not written. (Nix 2.8 ends --json output
    # without a newline; one is added.)
    echo "$(nix-instantiate "${flags[@]}" --store "$tmp/store" --eval --strict --json "$file" 2>/dev/null)"
    echo "# store"
    if [ -d "$tmp/store/nix/store" ]; then
      ls -A "$tmp/store/nix/store" | grep -v '^\.links$' | sort || true
    fi
    for drv in $(ls "$tmp/store/nix/store" 2>/dev/null | grep '\.drv$' | sort); do
      echo "# /nix/store/$drv"
      cat "$tmp/store/nix/store/$drv"
      echo
    done
  } >"$name.exp"
  chmod -R u+w "$tmp" && rm -rf "$tmp"
  echo "gen-golden: $name" >&2
done
echo "gen-golden: done" >&2
