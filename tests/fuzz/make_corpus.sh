#!/usr/bin/env bash
# Regenerates the seed corpus in tests/fuzz/corpus/ (committed; run this only when a format changes).
#
#   tests/fuzz/make_corpus.sh BUILD_DIR      BUILD_DIR: a normal build with kiosk-pack, e.g. build
#
# - pack: a small pack built by kiosk-pack from four demo slides (both languages, stats, quote,
#   a JPEG and a PNG with transparency) scaled for a 32x18 display, so the file stays small;
# - minisign: real key and signature files, from kiosk-pack keygen/sign and from stock minisign
#   (prehashed and legacy signatures), plus the trusted comments alone;
# - image: the pack's media (JPEG, PNG as kiosk-pack encodes them) next to make_seeds.py's PNGs;
# - text_layout, gestures, image PNGs: make_seeds.py. config: hand-written, kept as they are.
set -euo pipefail
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
corpus=$here/corpus
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 "$here/make_seeds.py"

# pack -------------------------------------------------------------------------------------------
src=$work/source
mkdir -p "$src/slides" "$src/images"
cp "$root/content/pack.toml" "$src/"
for slide in 01-opening 02-nanjing-2017 10-letters-of-support 11-leopoldina; do
  cp "$root/content/slides/$slide.toml" "$src/slides/"
  image=$(sed -n 's/^image = "\(.*\)"/\1/p' "$src/slides/$slide.toml")
  [ -n "$image" ] && cp "$root/content/$image" "$src/$image"
done
# One image with transparency, so the pack holds a PNG as well as JPEGs.
cp "$corpus/image/rgba8.png" "$src/images/transparent.png"
sed -i 's|^image = .*|image = "images/transparent.png"|' "$src/slides/11-leopoldina.toml"
mkdir -p "$corpus/pack"
"$build/kiosk-pack" build "$src" -o "$corpus/pack/demo-small.kpack" --display 32x18 --force-version -q

# minisign ---------------------------------------------------------------------------------------
mkdir -p "$corpus/minisign"
"$build/kiosk-pack" keygen -o "$work/kiosk-pack" --no-password >/dev/null
cp "$corpus/pack/demo-small.kpack" "$work/pack.kpack"
"$build/kiosk-pack" sign --key "$work/kiosk-pack.key" "$work/pack.kpack" >/dev/null
cp "$work/kiosk-pack.pub" "$corpus/minisign/kiosk-pack.pub"
cp "$work/kiosk-pack.key" "$corpus/minisign/kiosk-pack-unencrypted.key"
cp "$work/pack.kpack.minisig" "$corpus/minisign/kiosk-pack.minisig"
sed -n 's/^trusted comment: //p' "$work/pack.kpack.minisig" | tr -d '\n' >"$corpus/minisign/claim.txt"
if command -v minisign >/dev/null; then
  minisign -G -W -p "$work/stock.pub" -s "$work/stock.key" >/dev/null
  minisign -S -s "$work/stock.key" -m "$work/pack.kpack" -x "$work/stock.minisig" \
    -t "pack_id=cas-intl-demo version=1 target=lobby-*" >/dev/null
  minisign -S -l -s "$work/stock.key" -m "$work/pack.kpack" -x "$work/stock-legacy.minisig" >/dev/null
  cp "$work/stock.pub" "$corpus/minisign/minisign.pub"
  cp "$work/stock.key" "$corpus/minisign/minisign-unencrypted.key"
  cp "$work/stock.minisig" "$work/stock-legacy.minisig" "$corpus/minisign/"
fi
# target_matches reads "pattern\ngroup".
printf 'lobby-*\nlobby-east' >"$corpus/minisign/glob-star"
printf '*-e?st*\nlobby-east-2' >"$corpus/minisign/glob-question"

# image: the pack's media as stored ---------------------------------------------------------------
sqlite3 "$corpus/pack/demo-small.kpack" "SELECT id, mime FROM media" | while IFS='|' read -r id mime; do
  ext=${mime#image/}
  sqlite3 "$corpus/pack/demo-small.kpack" "SELECT writefile('$corpus/image/pack-media-$id.$ext', data) FROM media WHERE id = $id" >/dev/null
done

echo "seed corpus written to $corpus:"
for dir in "$corpus"/*/; do
  printf '  %-12s %3d files, %6d bytes\n' "$(basename "$dir")" "$(find "$dir" -type f | wc -l)" \
    "$(find "$dir" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')"
done
