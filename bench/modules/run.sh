#!/usr/bin/env bash
# Benchmarks bench/modules/nixos-scale.nix in three columns:
#   Nix 2.8 + real nixpkgs lib | tsnix + real nixpkgs lib | tsnix + embedded lib
#   NIXPKGS_LIB_DIR=/path/with/lib bench/modules/run.sh [SERVICES] [USERS] [RUNS]
# Each cell is the best CPU time (user+sys) of RUNS runs (default 3), in seconds.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
tsnix="${TSNIX:-$repo/bin/tsnix}"
services=${1:-300}; users=${2:-50}; runs=${3:-3}
file="$here/nixos-scale.nix"
args=(--eval --strict --arg services "$services" --arg users "$users" "$file")

# CPU seconds (user+sys, all threads) rather than wall-clock: on a shared, loaded
# machine wall time mostly measures the other tenants.
best() {
  local best=""
  for ((r = 0; r < runs; r++)); do
    if ! /usr/bin/time -f '%U %S' -o /tmp/bench-modules.time "$@" >/tmp/bench-modules.out 2>/tmp/bench-modules.err; then
      echo "FAILED($(head -c 200 /tmp/bench-modules.err | tr '\n' ' '))"; return
    fi
    local t; t=$(awk '{print $1 + $2}' /tmp/bench-modules.time)
    if [[ -z "$best" ]] || (( $(echo "$t < $best" | bc) )); then best=$t; fi
  done
  printf '%.2f' "$best"
}

echo "services=$services users=$users (best of $runs)"
result=$(NIX_PATH= "$tsnix" eval "${args[@]}" 2>&1)
echo "result (tsnix, embedded lib): $result"
printf '%-28s %-28s %-28s\n' "Nix 2.8 + real lib" "tsnix + real lib" "tsnix + embedded lib"
if [[ -n "${NIXPKGS_LIB_DIR:-}" ]] && command -v nix-instantiate >/dev/null; then
  c1=$(NIX_PATH= NIX_REMOTE=dummy:// best nix-instantiate -I nixpkgs="$NIXPKGS_LIB_DIR" "${args[@]}")
else c1="n/a"; fi
if [[ -n "${NIXPKGS_LIB_DIR:-}" ]]; then
  c2=$(NIX_PATH= best "$tsnix" eval -I nixpkgs="$NIXPKGS_LIB_DIR" "${args[@]}")
else c2="n/a"; fi
c3=$(NIX_PATH= best "$tsnix" eval "${args[@]}")
printf '%-28s %-28s %-28s\n' "$c1" "$c2" "$c3"
