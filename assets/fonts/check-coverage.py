#!/usr/bin/python3
"""check-coverage.py: verify the shipped font subsets cover what the app needs.

Checks, against the cmap of each font in this directory:
  NotoSansSC-{Regular,Bold}.otf  every GB 2312 character (7445: 682 symbols + 6763 Hanzi),
                                 enumerated both with glibc iconv and with Python's gb2312
                                 codec; CJK Symbols and Punctuation U+3000-303F; the assigned
                                 full-width/half-width forms U+FF01-FFEE; ASCII; Latin-1; the
                                 listed punctuation (middle dot, dashes, curly quotes, ellipsis,
                                 two-em dash); and that the face is "Noto Sans CJK SC".
  NotoSans-{Regular,Bold}.ttf    ASCII, Latin-1, Latin Extended-A and the listed punctuation.
Prints counts per set and exits 1 if anything is missing (or a font is absent).

Run: /usr/bin/python3 assets/fonts/check-coverage.py   (needs python3-fonttools; uses iconv)
"""

import os
import subprocess
import sys

from fontTools.ttLib import TTFont

HERE = os.path.dirname(os.path.abspath(__file__))


def gb2312_iconv():
    """All GB 2312 characters, decoded by glibc iconv (as make-fonts.sh does)."""
    data = bytearray()
    for row in range(0xA1, 0xF8):
        for cell in range(0xA1, 0xFF):
            data += bytes((row, cell, 0x0A))
    out = subprocess.run(["iconv", "-c", "-f", "GB2312", "-t", "UTF-8"], input=bytes(data),
                         stdout=subprocess.PIPE, check=False, env={"LC_ALL": "C"}).stdout
    chars = {ord(line) for line in out.decode("utf-8").split("\n") if len(line) == 1}
    return chars


def gb2312_python():
    """All GB 2312 characters, decoded by Python's codec (a cross-check of iconv's mapping)."""
    chars = set()
    for row in range(0xA1, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                chars.add(ord(bytes((row, cell)).decode("gb2312")))
            except UnicodeDecodeError:
                pass
    return chars


def rng(a, b):
    return set(range(a, b + 1))


# Assigned code points of U+FF01-FFEE that the source face maps (U+FF00, FFBF-FFC1, FFC8-FFC9,
# FFD0-FFD1, FFD8-FFD9, FFDD-FFDF, FFE7 and FFEF are unassigned in Unicode).
FULLWIDTH = rng(0xFF01, 0xFFEE) - {0xFFBF, 0xFFC0, 0xFFC1, 0xFFC8, 0xFFC9, 0xFFD0, 0xFFD1, 0xFFD8,
                                   0xFFD9, 0xFFDD, 0xFFDE, 0xFFDF, 0xFFE7}

# Punctuation the brief lists. U+201B and U+201F (reversed quotes) are not in Noto Sans CJK at
# all, so for the SC fonts they are checked as "Latin font only" (the app falls back to it).
PUNCT_COMMON = {0x00B7, 0x2014, 0x2018, 0x2019, 0x201A, 0x201C, 0x201D, 0x201E, 0x2026}
PUNCT_SC = PUNCT_COMMON | {0x2013, 0x2E3A}
PUNCT_LATIN = PUNCT_COMMON | {0x2013, 0x201B, 0x201F, 0x2030, 0x2039, 0x203A}

ASCII = rng(0x20, 0x7E)
LATIN1 = rng(0xA0, 0xFF)
LATIN_EXT_A = rng(0x100, 0x17F)


def fmt(cps):
    cps = sorted(cps)
    shown = " ".join("U+%04X" % c for c in cps[:40])
    return shown + (" ... (%d more)" % (len(cps) - 40) if len(cps) > 40 else "")


def check_font(name, sets, family=None):
    path = os.path.join(HERE, name)
    if not os.path.exists(path):
        print("%s: MISSING FILE" % name)
        return False
    font = TTFont(path, lazy=True)
    cmap = font.getBestCmap()
    ok = True
    fam = font["name"].getDebugName(1)
    print("%s: %d bytes, %d glyphs, %d mapped code points, family %r"
          % (name, os.path.getsize(path), font["maxp"].numGlyphs, len(cmap), fam))
    if family is not None and fam != family:
        print("  FAIL family is %r, expected %r" % (fam, family))
        ok = False
    for label, cps in sets:
        missing = {c for c in cps if c not in cmap}
        status = "ok" if not missing else "FAIL"
        print("  %-34s %5d/%5d %s" % (label, len(cps) - len(missing), len(cps), status))
        if missing:
            print("    missing: " + fmt(missing))
            ok = False
    return ok


def main():
    gb_iconv = gb2312_iconv()
    gb_py = gb2312_python()
    ok = True
    print("GB 2312 via iconv: %d characters; via Python codec: %d; union %d"
          % (len(gb_iconv), len(gb_py), len(gb_iconv | gb_py)))
    if len(gb_iconv) != 7445:
        print("FAIL: iconv enumerated %d GB 2312 characters, expected 7445" % len(gb_iconv))
        ok = False
    if gb_iconv != gb_py:
        print("note: iconv and Python differ on: " + fmt(gb_iconv ^ gb_py))
    gb = gb_iconv | gb_py
    hanzi = {c for c in gb if 0x4E00 <= c <= 0x9FFF}
    sc_sets = [
        ("GB 2312 Hanzi", hanzi),
        ("GB 2312 non-Hanzi (rows 1-9)", gb - hanzi),
        ("CJK Symbols & Punct. 3000-303F", rng(0x3000, 0x303F)),
        ("Full/half-width forms FF01-FFEE", FULLWIDTH),
        ("ASCII 0020-007E", ASCII),
        ("Latin-1 00A0-00FF", LATIN1),
        ("listed punctuation", PUNCT_SC),
    ]
    latin_sets = [
        ("ASCII 0020-007E", ASCII),
        ("Latin-1 00A0-00FF", LATIN1),
        ("Latin Extended-A 0100-017F", LATIN_EXT_A),
        ("listed punctuation", PUNCT_LATIN),
    ]
    for name in ("NotoSansSC-Regular.otf", "NotoSansSC-Bold.otf"):
        ok &= check_font(name, sc_sets, family="Noto Sans CJK SC")
    for name in ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"):
        ok &= check_font(name, latin_sets, family="Noto Sans")
    print("RESULT: " + ("all covered" if ok else "MISSING CHARACTERS"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
