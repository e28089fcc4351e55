#!/usr/bin/env bash
# Benchmarks bench/modules/nixos-scale.nix in three columns:
#   Nix 2.8 + real nixpkgs lib | tsnix + real nixpkgs lib | tsnix + embedded lib
#   NIXPKGS_LIB_DIR=/path/with/lib bench/modules/run.sh [SERVICES] [USERS] [RUNS]
# Each cell is the best CPU time (user+sys) of RUNS runs (default 3), in seconds, with
# the median beside it; the ratio row divides each tsnix cell by Nix's.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
tsnix="${TSNIX:-$repo/bin/tsnix}"
services=${1:-300}; users=${2:-50}; runs=${3:-3}
file="$here/nixos-scale.nix"
args=(--eval --strict --arg services "$services" --arg users "$users" "$file")

# CPU seconds (user+sys, all threads) rather than wall-clock: on a shared, loaded
# machine wall time mostly measures the other tenants. The three columns take turns
# run by run (who goes first rotates): this machine's speed drifts by tens of percent
# over minutes, and all the runs of one column after all of another's would compare
# different machines.
once() {
  if ! /usr/bin/time -f '%U %S' -o /tmp/bench-modules.time "$@" >/tmp/bench-modules.out 2>/tmp/bench-modules.err; then
    echo "FAILED($(head -c 200 /tmp/bench-modules.err | tr '\n' ' '))"; return
  fi
  awk '{print $1 + $2}' /tmp/bench-modules.time
}
cell() {
  case "$1" in
    nix) NIX_PATH= NIX_REMOTE=dummy:// once nix-instantiate -I nixpkgs="$NIXPKGS_LIB_DIR" "${args[@]}" ;;
    real) NIX_PATH= once "$tsnix" eval -I nixpkgs="$NIXPKGS_LIB_DIR" "${args[@]}" ;;
    embedded) NIX_PATH= once "$tsnix" eval "${args[@]}" ;;
  esac
}
summary() { # best and median of the numbers given, or the first failure
  for t in "$@"; do [[ "$t" == FAILED* ]] && { echo "$t"; return; }; done
  printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {printf "%.2f (median %.2f)", a[1], a[int((NR+1)/2)]}'
}

echo "services=$services users=$users (best of $runs, columns interleaved)"
result=$(NIX_PATH= "$tsnix" eval "${args[@]}" 2>&1)
echo "result (tsnix, embedded lib): $result"
cols=(embedded)
if [[ -n "${NIXPKGS_LIB_DIR:-}" ]]; then
  cols=(real embedded)
  command -v nix-instantiate >/dev/null && cols=(nix real embedded)
fi
declare -A times
for ((r = 0; r < runs; r++)); do
  n=${#cols[@]}
  for ((k = 0; k < n; k++)); do
    c=${cols[$(((k + r) % n))]}
    times[$c]+="$(cell "$c") "
  done
done
printf '%-28s %-28s %-28s\n' "Nix 2.8 + real lib" "tsnix + real lib" "tsnix + embedded lib"
col() { if [[ -n "${times[$1]:-}" ]]; then summary ${times[$1]}; else echo "n/a"; fi; }
printf '%-28s %-28s %-28s\n' "$(col nix)" "$(col real)" "$(col embedded)"
best() { [[ -n "${times[$1]:-}" ]] && printf '%s\n' ${times[$1]} | sort -g | head -1; }
if [[ -n "${times[nix]:-}" ]]; then
  b=$(best nix)
  ratio() { local t; t=$(best "$1"); [[ -n "$t" && "$t" != FAILED* ]] && awk -v t="$t" -v b="$b" 'BEGIN {printf "%.2fx", t / b}' || echo "n/a"; }
  printf '%-28s %-28s %-28s\n' "(ratio to Nix, best)" "$(ratio real)" "$(ratio embedded)"
fi
