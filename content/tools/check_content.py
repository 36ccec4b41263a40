#!/usr/bin/python3
"""Check the demo content pack (content/pack.toml, content/slides/*.toml, content/images/*.png).

How to run (Python 3.11+, tomllib; python3-pil for the image checks):

    /usr/bin/python3 content/tools/check_content.py

Checks: every TOML file parses; pack fields; per slide the layout, duration, image (exists,
size in pixels, file size), accent colour; en and zh have the same fields and the same number
of stats; length limits per language; every zh string encodes in GB 2312. Exit status 1 on
any error.
"""

import glob
import os
import re
import sys
import tomllib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LANGS = ("en", "zh")
LAYOUTS = {"hero", "stats", "text", "quote"}
# (en limit, zh limit) in characters
LIMITS = {
    "title": (60, 24),
    "kicker": (40, 16),
    "body": (260, 110),
    "caption": (90, 40),
}
STAT_VALUE = 10
STAT_LABEL = (40, 14)
IMAGE_SIZE = {"hero": (1920, 1080), "text": (960, 1080)}
MAX_IMAGE_BYTES = 250 * 1024
MAX_TOTAL_BYTES = 3 * 1024 * 1024

errors = []


def err(where, msg):
    errors.append(f"{where}: {msg}")


def load(path):
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except Exception as e:  # noqa: BLE001 - report any parse error
        err(os.path.relpath(path, ROOT), f"does not parse: {e}")
        return None


def check_text(where, lang, key, s, limit):
    if not isinstance(s, str) or not s.strip():
        err(where, f"{lang}.{key} must be a non-empty string")
        return
    if len(s) > limit:
        err(where, f"{lang}.{key} is {len(s)} chars (limit {limit}): {s!r}")
    if s != s.strip():
        err(where, f"{lang}.{key} has leading/trailing spaces")
    if lang == "zh":
        try:
            s.encode("gb2312")
        except UnicodeEncodeError as e:
            err(where, f"zh.{key} has a character outside GB 2312: {s[e.start:e.end]!r}")
        if re.search(r"[\u4e00-\u9fff][,.:;()!?]|[,.:;!?][\u4e00-\u9fff]", s):
            err(where, f"zh.{key} has half-width punctuation next to Chinese text: {s!r}")


def check_pack():
    path = os.path.join(ROOT, "pack.toml")
    pack = load(path)
    if pack is None:
        return
    for key in ("pack_id", "version", "target", "default_language", "languages", "title"):
        if key not in pack:
            err("pack.toml", f"missing {key}")
    if pack.get("languages") != list(LANGS):
        err("pack.toml", f"languages should be {list(LANGS)}")
    title = pack.get("title", {})
    for lang, limit in zip(LANGS, LIMITS["title"]):
        check_text("pack.toml", lang, "title", title.get(lang), limit)


def check_slide(path, image_sizes):
    where = os.path.relpath(path, ROOT)
    if not re.fullmatch(r"\d\d-[a-z0-9-]+\.toml", os.path.basename(path)):
        err(where, "file name should be NN-short-name.toml")
    s = load(path)
    if s is None:
        return None
    layout = s.get("layout")
    if layout not in LAYOUTS:
        err(where, f"layout {layout!r} not one of {sorted(LAYOUTS)}")
    d = s.get("duration_ms")
    if not isinstance(d, int) or not 4000 <= d <= 30000:
        err(where, f"duration_ms {d!r} not in 4000..30000")
    img = s.get("image")
    if img is None:
        if layout in IMAGE_SIZE:
            err(where, f"layout {layout} needs an image")
    else:
        ipath = os.path.join(ROOT, img)
        if not os.path.isfile(ipath):
            err(where, f"image {img} does not exist")
        elif layout in IMAGE_SIZE and image_sizes.get(img) not in (None, IMAGE_SIZE[layout]):
            err(where, f"image {img} is {image_sizes[img]}, layout {layout} wants {IMAGE_SIZE[layout]}")
    acc = s.get("accent")
    if acc is not None and not re.fullmatch(r"#[0-9A-Fa-f]{6}", acc):
        err(where, f"accent {acc!r} is not #RRGGBB")
    known = {"layout", "duration_ms", "image", "accent", "en", "zh"}
    for k in s:
        if k not in known:
            err(where, f"unknown top-level key {k!r}")
    for lang in LANGS:
        if lang not in s:
            err(where, f"missing [{lang}]")
            return s
    en, zh = s["en"], s["zh"]
    if set(en) != set(zh):
        err(where, f"en and zh fields differ: {sorted(set(en) ^ set(zh))}")
    for lang, tbl in (("en", en), ("zh", zh)):
        li = LANGS.index(lang)
        if "title" not in tbl:
            err(where, f"{lang}.title missing")
        if layout != "stats" and "body" not in tbl:
            err(where, f"{lang}.body missing")
        for key, lims in LIMITS.items():
            if key in tbl:
                check_text(where, lang, key, tbl[key], lims[li])
        for k in tbl:
            if k not in LIMITS and k != "stats":
                err(where, f"unknown field {lang}.{k}")
        stats = tbl.get("stats")
        if layout == "stats":
            if not isinstance(stats, list) or not 2 <= len(stats) <= 4:
                err(where, f"{lang}.stats must have 2 to 4 entries")
                continue
            for i, st in enumerate(stats):
                if set(st) != {"value", "label"}:
                    err(where, f"{lang}.stats[{i}] must have exactly value and label")
                check_text(where, lang, f"stats[{i}].value", st.get("value"), STAT_VALUE)
                check_text(where, lang, f"stats[{i}].label", st.get("label"), STAT_LABEL[li])
        elif stats is not None:
            err(where, f"{lang}.stats only allowed for layout stats")
    if layout == "stats" and len(en.get("stats", [])) != len(zh.get("stats", [])):
        err(where, "en and zh have a different number of stats")
    if layout == "quote":
        cap = en.get("caption", "")
        if "paraphrase" not in cap:
            err(where, "quote caption should mark the quote as paraphrased")
    return s


def image_info():
    sizes, total = {}, 0
    try:
        from PIL import Image
    except ImportError:
        Image = None
        print("note: python3-pil missing, image pixel sizes not checked")
    for p in sorted(glob.glob(os.path.join(ROOT, "images", "*.png"))):
        rel = os.path.relpath(p, ROOT)
        n = os.path.getsize(p)
        total += n
        if n > MAX_IMAGE_BYTES:
            err(rel, f"{n} bytes > {MAX_IMAGE_BYTES}")
        if Image:
            with Image.open(p) as im:
                sizes[rel] = im.size
    if total > MAX_TOTAL_BYTES:
        err("images", f"total {total} bytes > {MAX_TOTAL_BYTES}")
    return sizes, total


def main():
    for p in glob.glob(os.path.join(ROOT, "**", "*.toml"), recursive=True):
        load(p)
    check_pack()
    sizes, total = image_info()
    slides = sorted(glob.glob(os.path.join(ROOT, "slides", "*.toml")))
    used = set()
    layouts = {}
    for p in slides:
        s = check_slide(p, sizes)
        if s:
            layouts[s.get("layout")] = layouts.get(s.get("layout"), 0) + 1
            if s.get("image"):
                used.add(s["image"])
    for img in sorted(set(sizes) - used):
        err(img, "not used by any slide")
    print(f"{len(slides)} slides {dict(sorted(layouts.items()))}, "
          f"{len(sizes)} images, {total / 1024:.0f} KB")
    for e in errors:
        print("ERROR", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
