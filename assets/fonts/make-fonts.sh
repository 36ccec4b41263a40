#!/usr/bin/env bash
# make-fonts.sh: rebuild the fonts Kiosk ships, from Debian's Noto packages.
#
# What: writes, next to this script,
#   NotoSans-Regular.ttf, NotoSans-Bold.ttf     Noto Sans (fonts-noto-core), subset to Latin,
#                                               Greek and common symbols/punctuation
#   NotoSansSC-Regular.otf, NotoSansSC-Bold.otf the "Noto Sans CJK SC" face of the Noto Sans CJK
#                                               collections (fonts-noto-cjk), subset to all of
#                                               GB 2312 plus CJK/full-width punctuation, ASCII, Latin-1
#   LICENSE-OFL.txt                             the SIL OFL 1.1 text, taken from fonts-noto-cjk's
#                                               copyright file, with both families' copyright notices
#
# Why: the full fonts are ~0.5 MB (Latin) and ~20 MB per weight (CJK collections holding ten
# faces); the app needs one Simplified Chinese face and only the characters lobby signage uses.
# The subsets keep every OpenType layout feature, the hinting and the whole name table, so text
# shapes and measures exactly as with the installed fonts. Subsetting is done with hb-subset
# (HarfBuzz); GB 2312 is enumerated with iconv, so nothing is downloaded and the result depends
# only on the Debian package versions (checked below) and the tool versions.
#
# How to run (Debian 12):
#   apt-get install -y fonts-noto-core fonts-noto-cjk libharfbuzz-bin
#   assets/fonts/make-fonts.sh            # from anywhere; writes into assets/fonts/
#   /usr/bin/python3 assets/fonts/check-coverage.py   # needs python3-fonttools
# If the installed package versions differ from the ones recorded below (and in README.md), the
# script stops; set ALLOW_OTHER_VERSIONS=1 to build anyway, then update README.md and EXPECTED_*.
set -euo pipefail

EXPECTED_NOTO_CORE="20201225-1"
EXPECTED_NOTO_CJK="1:20220127+repack1-1"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

latin_dir=/usr/share/fonts/truetype/noto
cjk_dir=/usr/share/fonts/opentype/noto
cjk_family="Noto Sans CJK SC"

die() { echo "make-fonts.sh: $*" >&2; exit 1; }

command -v hb-subset >/dev/null || die "hb-subset not found (apt-get install libharfbuzz-bin)"
command -v iconv >/dev/null || die "iconv not found (libc-bin)"
command -v fc-scan >/dev/null || die "fc-scan not found (apt-get install fontconfig)"

# --- Source package versions ------------------------------------------------------------------
check_version() {
    local pkg="$1" want="$2" have
    have="$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null)" || die "$pkg is not installed"
    if [[ "$have" != "$want" ]]; then
        if [[ "${ALLOW_OTHER_VERSIONS:-0}" == 1 ]]; then
            echo "warning: $pkg is $have, README.md records $want" >&2
        else
            die "$pkg is $have but these fonts were made from $want (ALLOW_OTHER_VERSIONS=1 to proceed)"
        fi
    fi
    echo "$pkg $have"
}
check_version fonts-noto-core "$EXPECTED_NOTO_CORE"
check_version fonts-noto-cjk "$EXPECTED_NOTO_CJK"

# --- Face index of "Noto Sans CJK SC" in each collection (looked up, not assumed) ------------
face_index() {
    local ttc="$1" idx
    [[ -f "$ttc" ]] || die "missing $ttc"
    # fc-scan prints one line per face; %{family[0]} is the face's first (English) family name.
    idx="$(fc-scan --format '%{index}\t%{family[0]}\n' "$ttc" |
        awk -F'\t' -v fam="$cjk_family" '$2 == fam { print $1 }')"
    [[ "$idx" =~ ^[0-9]+$ ]] || die "no single face named '$cjk_family' in $ttc (got '$idx')"
    echo "$idx"
}

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# --- Code point sets ---------------------------------------------------------------------------
# Latin font. Ranges absent from Noto Sans are simply skipped by hb-subset.
latin_unicodes=(
    0020-007E # Basic Latin (printable)
    00A0-00FF # Latin-1 Supplement (incl. U+00B7 middle dot)
    0100-017F # Latin Extended-A
    0180-024F # Latin Extended-B (incl. pinyin tone letters U+01CD-01DC)
    0250-02AF # IPA Extensions (pinyin uses U+0251, U+0261)
    02B0-02FF # Spacing Modifier Letters (tone marks, caron, macron...)
    0300-036F # Combining Diacritical Marks (for ccmp/mark/mkmk)
    0370-03FF # Greek and Coptic
    1E00-1EFF # Latin Extended Additional (Vietnamese, dotted/macron forms)
    2000-206F # General Punctuation (dashes, curly quotes, ellipsis, per mille...)
    2070-209F # Superscripts and Subscripts
    20A0-20CF # Currency Symbols
    2100-214F # Letterlike Symbols
    2150-218F # Number Forms
    2190-21FF # Arrows
    2200-22FF # Mathematical Operators
    25CC      # dotted circle (shaping fallback base for lone marks)
    FEFF      # zero width no-break space / BOM
    FFFD      # replacement character
)

# CJK font: GB 2312 (enumerated below) plus these.
cjk_unicodes=(
    0020-007E # ASCII, so mixed runs measure consistently
    00A0-00FF # Latin-1 Supplement (incl. U+00B7 middle dot)
    2010-2027 # dashes, curly quotes U+2018-201F, ellipsis U+2026, em dash U+2014
    2030-203B # per mille, primes, guillemets, reference mark
    2E3A-2E3B # two-em and three-em dash
    3000-303F # CJK Symbols and Punctuation
    FF00-FFEF # Halfwidth and Fullwidth Forms
    # Symbols Noto Sans (the Latin font) lacks entirely, including U+2212 minus: the app falls
    # back to this font for them. Only what the CJK face has is kept (a few hundred glyphs).
    2150-218F # Number Forms (Roman numerals)
    2190-21FF # Arrows
    2200-22FF # Mathematical Operators
    2460-24FF # Enclosed Alphanumerics (circled numbers)
    25A0-25FF # Geometric Shapes
    2600-26FF # Miscellaneous Symbols (stars, check boxes...)
    2713-2714 # check marks
)

join_by_comma() { local IFS=,; echo "$*"; }

# Every two-byte GB 2312 (EUC-CN) code 0xA1A1-0xF7FE, one per line, decoded by iconv; codes
# GB 2312 leaves unassigned are dropped by -c. Expect 7445 characters: 682 symbols (rows 1-9) and
# 6763 Hanzi (rows 16-87). The newline keeps iconv in step after a dropped code.
for ((row = 0xA1; row <= 0xF7; row++)); do
    for ((cell = 0xA1; cell <= 0xFE; cell++)); do
        printf '%b' "\\x$(printf %02X "$row")\\x$(printf %02X "$cell")\\n"
    done
done >"$tmp/gb2312.bin"
LC_ALL=C iconv -c -f GB2312 -t UTF-8 "$tmp/gb2312.bin" | grep -v '^$' >"$tmp/gb2312.txt" || true
gb_count="$(wc -l <"$tmp/gb2312.txt")"
[[ "$gb_count" == 7445 ]] || die "iconv produced $gb_count GB 2312 characters, expected 7445"
echo "GB 2312: $gb_count characters"

# --- Subsetting --------------------------------------------------------------------------------
# Kept: all layout features and scripts, hinting, all name records (incl. copyright, licence,
# trademark and the legacy Mac entries). Not desubroutinized (smaller CFF).
common_opts=(
    --layout-features='*'
    --layout-scripts='*'
    --name-IDs='*'
    --name-languages='*'
    --name-legacy
    --notdef-outline
)

subset_latin() {
    local weight="$1" src="$latin_dir/NotoSans-$1.ttf"
    [[ -f "$src" ]] || die "missing $src"
    hb-subset "${common_opts[@]}" \
        --unicodes="$(join_by_comma "${latin_unicodes[@]}")" \
        --output-file="$tmp/NotoSans-$weight.ttf" "$src"
    mv -f "$tmp/NotoSans-$weight.ttf" "$here/NotoSans-$weight.ttf"
}

subset_cjk() {
    local weight="$1" src="$cjk_dir/NotoSansCJK-$1.ttc" idx
    idx="$(face_index "$src")"
    echo "$src: face index $idx = $cjk_family"
    # BASE (baseline table) is not subsettable by HarfBuzz 6.0 and would be dropped; its values
    # are plain coordinates (no glyph references), so it is copied unchanged. It is the only
    # table of this face hb-subset does not know.
    hb-subset "${common_opts[@]}" --face-index="$idx" \
        --drop-tables-=BASE --passthrough-tables \
        --unicodes="$(join_by_comma "${cjk_unicodes[@]}")" \
        --text-file="$tmp/gb2312.txt" \
        --output-file="$tmp/NotoSansSC-$weight.otf" "$src"
    mv -f "$tmp/NotoSansSC-$weight.otf" "$here/NotoSansSC-$weight.otf"
}

subset_latin Regular
subset_latin Bold
subset_cjk Regular
subset_cjk Bold

# --- Licence -----------------------------------------------------------------------------------
# The OFL text is the "License: SIL-1.1" paragraph of fonts-noto-cjk's DEP-5 copyright file
# (continuation lines start with a space; a lone " ." is an empty line). fonts-noto-core ships the
# same licence, reflowed.
copyright_file=/usr/share/doc/fonts-noto-cjk/copyright
{
    echo "Noto Sans (NotoSans-Regular.ttf, NotoSans-Bold.ttf):"
    echo "Copyright 2015 Google LLC. All Rights Reserved."
    echo "Noto is a trademark of Google LLC."
    echo
    echo "Noto Sans CJK SC (NotoSansSC-Regular.otf, NotoSansSC-Bold.otf):"
    echo "© 2014-2021 Adobe (http://www.adobe.com/)."
    echo "Noto is a trademark of Google Inc."
    echo
    echo "(Copyright notices as in each font's name table, ID 0 and ID 7. Neither the fonts nor"
    echo "Debian's copyright files declare a Reserved Font Name. Google Fonts' copy of Noto Sans SC"
    echo "gives the CJK notice as \"Copyright 2014-2021 Adobe (http://www.adobe.com/), with Reserved"
    echo "Font Name 'Source'\", inherited from Adobe's Source Han Sans; these files do not use the"
    echo "name \"Source\".)"
    echo
    echo "The files NotoSans-Regular.ttf, NotoSans-Bold.ttf, NotoSansSC-Regular.otf and"
    echo "NotoSansSC-Bold.otf are subsets, i.e. Modified Versions, of the above fonts, made by"
    echo "make-fonts.sh. They are licensed under the SIL Open Font License, Version 1.1,"
    echo "reproduced below."
    echo
    # Only the stand-alone licence paragraph (License: is its first line), not the Files: stanza.
    awk '
        prev == "" && /^License: SIL-1.1$/ { on = 1; next }
        on && !/^ / { exit }
        on { sub(/^ /, ""); if ($0 == ".") $0 = ""; print }
        { prev = $0 }
    ' "$copyright_file"
} >"$tmp/LICENSE-OFL.txt"
grep -q 'SIL OPEN FONT LICENSE Version 1.1' "$tmp/LICENSE-OFL.txt" || die "OFL text not found in $copyright_file"
mv -f "$tmp/LICENSE-OFL.txt" "$here/LICENSE-OFL.txt"

# --- Summary -----------------------------------------------------------------------------------
cd "$here"
ls -l NotoSans-Regular.ttf NotoSans-Bold.ttf NotoSansSC-Regular.otf NotoSansSC-Bold.otf LICENSE-OFL.txt
sha256sum NotoSans-Regular.ttf NotoSans-Bold.ttf NotoSansSC-Regular.otf NotoSansSC-Bold.otf
total=$(cat NotoSans-Regular.ttf NotoSans-Bold.ttf NotoSansSC-Regular.otf NotoSansSC-Bold.otf | wc -c)
echo "total font bytes: $total"
