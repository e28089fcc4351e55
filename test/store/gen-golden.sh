#!/usr/bin/env bash
# Regenerates the golden files under test/store/golden/ with the installed Nix.
#
# Inputs (hand-written, checked in):
#   golden/fixtures.json        file trees, materialised into a temporary directory
#   golden/drv/<case>.spec.json derivation attributes (value grammar: golden/driver.nix)
#   golden/paths.json           toFile / path-copy / placeholder expressions
#   golden/hashes.json          strings to hash
# Outputs (produced by Nix, checked in):
#   golden/drv/<case>.drv            the .drv file exactly as Nix wrote it
#   golden/drv/<case>.expected.json  drvPath and output paths as Nix printed them
#   golden/paths.expected.json       store paths of golden/paths.json
#   golden/hashes.expected.json      hashString in every algorithm and encoding
#   golden/nar/<fixture>.nar         `nix-store --dump` of each fixture
#   golden/nar/expected.json         `nix-hash` NAR hashes of each fixture
#
# Needs nix-instantiate, nix-store, nix-hash, nix (2.8 is enough), jq and node; must be
# able to write /nix/store (run as root with the default local store). Without Nix it
# leaves the goldens alone and exits 0.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
golden=$here/golden
if ! command -v nix-instantiate >/dev/null; then
  echo "gen-golden: nix-instantiate not found; golden files left unchanged" >&2
  exit 0
fi
nix --version >&2

fix=$(mktemp -d /tmp/tsnix-fixtures.XXXXXX)
trap 'rm -rf "$fix"' EXIT

# Materialise the fixture trees (contents are the UTF-8 of the JSON strings).
node --input-type=module - "$golden/fixtures.json" "$fix" <<'JS'
import fs from 'node:fs';
const [spec, root] = process.argv.slice(2);
const make = (path, node) => {
  switch (node.type) {
    case 'regular':
      fs.writeFileSync(path, node.contents);
      fs.chmodSync(path, node.executable ? 0o755 : 0o644);
      break;
    case 'symlink':
      fs.symlinkSync(node.target, path);
      break;
    case 'directory':
      fs.mkdirSync(path);
      for (const [name, child] of Object.entries(node.entries)) make(path + '/' + name, child);
      break;
  }
};
for (const [name, node] of Object.entries(JSON.parse(fs.readFileSync(spec, 'utf8')))) make(root + '/' + name, node);
JS

args=(--arg fixtures "$fix" --arg specDir "$golden" "$golden/driver.nix")

echo "gen-golden: derivations" >&2
for spec in "$golden"/drv/*.spec.json; do
  case=$(basename "$spec" .spec.json)
  xp=$(jq -r '(.experimental // []) | join(" ")' "$spec")
  flags=()
  if [ -n "$xp" ]; then flags=(--extra-experimental-features "$xp"); fi
  printed=$(nix-instantiate "${flags[@]}" "${args[@]}" --argstr case "$case" -A drv 2>/dev/null)
  drvPath=${printed%%!*} # "…drv!lib" when the default output is not out
  cp "$drvPath" "$golden/drv/$case.drv"
  chmod 644 "$golden/drv/$case.drv"
  nix-instantiate "${flags[@]}" --eval --strict --json "${args[@]}" --argstr case "$case" -A info \
    | jq --arg printed "$printed" '. + {printedDrvPath: $printed}' > "$golden/drv/$case.expected.json"
  if [ "$(jq -r .drvPath "$golden/drv/$case.expected.json")" != "$drvPath" ]; then
    echo "gen-golden: $case: --eval and instantiate disagree on the drv path" >&2
    exit 1
  fi
done

echo "gen-golden: paths" >&2
nix-instantiate --eval --strict --json "${args[@]}" -A paths | jq . > "$golden/paths.expected.json"

echo "gen-golden: hashes" >&2
nix-instantiate --eval --strict --json "${args[@]}" -A hashes | jq -c '.[]' | while read -r row; do
  for algo in md5 sha1 sha256 sha512; do
    hex=$(jq -r ".$algo" <<<"$row")
    jq -n --argjson row "$row" --arg algo "$algo" --arg hex "$hex" \
      --arg nix32 "$(nix-hash --type "$algo" --to-base32 "$hex")" \
      --arg base64 "$(nix --extra-experimental-features nix-command hash to-base64 --type "$algo" "$hex")" \
      --arg sri "$(nix --extra-experimental-features nix-command hash to-sri --type "$algo" "$hex")" \
      '{input: $row.input, algo: $algo, base16: $hex, nix32: $nix32, base64: $base64, sri: $sri}'
  done
done | jq -s . > "$golden/hashes.expected.json"

echo "gen-golden: NARs" >&2
mkdir -p "$golden/nar"
for name in $(jq -r 'keys[]' "$golden/fixtures.json"); do
  nix-store --dump "$fix/$name" > "$golden/nar/$name.nar"
  jq -n --arg name "$name" \
    --arg sha256 "$(nix-hash --type sha256 "$fix/$name")" \
    --arg sha256nix32 "$(nix-hash --type sha256 --base32 "$fix/$name")" \
    --arg sha1 "$(nix-hash --type sha1 "$fix/$name")" \
    --argjson size "$(stat -c %s "$golden/nar/$name.nar")" \
    '{($name): {sha256: $sha256, sha256nix32: $sha256nix32, sha1: $sha1, size: $size}}'
done | jq -s 'add' > "$golden/nar/expected.json"

echo "gen-golden: done" >&2
