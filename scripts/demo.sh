#!/usr/bin/env bash
# The main job: the seed's specialisations end to end, on a fresh target root.
#
# A NixOS system with two specialisations (examples/seed: `chani` inherits the parent
# and enables Plasma; `paul` starts from the bare base modules, with another kernel)
# is evaluated by tsnix's embedded NixOS, built into ROOT/nix/store, installed as
# generation 1 with its boot menu, then switched into each specialisation at runtime —
# with the kernel caveat reported — and changed, rolled back, listed.
#
# Usage: bash scripts/demo.sh [ROOT]   (default: a new temporary directory)
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
tsnix() { "$here/bin/tsnix" "$@"; }
ROOT=${1:-$(mktemp -d /tmp/tsnix-demo.XXXXXX)}
mkdir -p "$ROOT/etc/nixos"
cp "$here"/examples/seed/*.nix "$ROOT/etc/nixos/"

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
run() { step "tsnix $*"; tsnix "$@"; echo "(exit $?)"; }

echo "target root: $ROOT"
run os boot --root "$ROOT"
run os reboot --root "$ROOT"
step "boot menu (systemd-boot entries and loader.conf)"
for f in "$ROOT"/boot/loader/entries/*.conf; do echo "--- ${f#$ROOT}"; cat "$f"; done
echo "--- /boot/loader/loader.conf"; cat "$ROOT/boot/loader/loader.conf"
run os switch --root "$ROOT" -c chani
run os switch --root "$ROOT" -c paul
run os boot --root "$ROOT" -c chani
run os switch --root "$ROOT" -c nosuch
run os switch --root "$ROOT"
step "edit configuration.nix: add htop"
sed -i 's/\[ git vim \]/[ git vim htop ]/' "$ROOT/etc/nixos/configuration.nix"
run os dry-activate --root "$ROOT"
run os switch --root "$ROOT"
run os list-generations --root "$ROOT"
run os list-generations --root "$ROOT" --json
run os switch --root "$ROOT" --rollback
echo "--- /boot/loader/loader.conf"; cat "$ROOT/boot/loader/loader.conf"
run os reboot --root "$ROOT" --entry 'NixOS (paul)'
