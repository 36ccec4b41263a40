#!/usr/bin/env python3
"""Writes the seed corpus of the fuzz targets that need no build: text_layout (the demo slides' real
English and Chinese text in slide-sized boxes), gestures (event streams of real gestures) and image
(small PNGs of every colour type and bit depth stb decodes). The byte layouts mirror what
fuzz_text_layout.cpp and fuzz_gestures.cpp read. make_corpus.sh runs this and adds the seeds
that need the build (pack, minisign, JPEG images).

    tests/fuzz/make_seeds.py            (from the repository root)
"""

import pathlib
import struct
import tomllib
import zlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "fuzz" / "corpus"


def write(target, name, data):
    path = CORPUS / target / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


# --- text_layout: box header (ByteReader order in fuzz_text_layout.cpp), then the text ---------

def box_header(width, height, preferred, minimum, bold=False, align=0, chinese=False, measure=False,
               max_lines=0, spacing=1.25):
    style = (1 if bold else 0) | (align << 1) | (0x40 if chinese else 0) | (0x80 if measure else 0)
    spacing_raw = round((spacing - 0.8) / 1.7 * 65535)
    return (struct.pack("<HH", width + 10, height + 10) + bytes([preferred + 2, minimum + 2, style, max_lines])
            + struct.pack("<H", spacing_raw))


def text_seeds():
    slides = sorted((ROOT / "content" / "slides").glob("*.toml"))
    # Boxes the layouts use on a 1920x1080 display: title, body, caption, stat value.
    boxes = [
        dict(width=1500, height=200, preferred=72, minimum=40, bold=True, max_lines=2),
        dict(width=860, height=420, preferred=34, minimum=22),
        dict(width=700, height=60, preferred=22, minimum=16, max_lines=1),
        dict(width=300, height=120, preferred=96, minimum=48, bold=True, align=1, max_lines=1),
    ]
    count = 0
    for index, slide_path in enumerate(slides):
        slide = tomllib.loads(slide_path.read_text(encoding="utf-8"))
        for lang in ("en", "zh"):
            text = slide.get(lang, {})
            for field_index, field in enumerate(("title", "body", "caption")):
                if field not in text:
                    continue
                # Every slide once per language and field, cycling through the boxes and the
                # "measure" comparison so the seeds cover all of them.
                box = dict(boxes[(index + field_index) % len(boxes)])
                box["chinese"] = lang == "zh"
                box["measure"] = (index + field_index) % 2 == 0
                write("text_layout", f"{slide_path.stem}-{lang}-{field}",
                      box_header(**box) + text[field].encode("utf-8"))
                count += 1
    # Mixed scripts and the cases the layout notes name: forced breaks, soft hyphens, a long word,
    # ellipsis in a tiny box, invalid UTF-8, kinsoku marks.
    specials = {
        "mixed-scripts": (dict(width=600, height=300, preferred=40, minimum=20, chinese=True),
                          "中国科学院 (CAS) 与 Leopoldina 合作，2,400 名学者——“一带一路”……".encode()),
        "forced-breaks": (dict(width=800, height=400, preferred=32, minimum=16, measure=True),
                          "First line\u2028second line\n\nNew paragraph\r\nand\u2029another".encode()),
        "soft-hyphen": (dict(width=220, height=400, preferred=32, minimum=32),
                        "Inter\u00adnational co\u00adoper\u00adation".encode()),
        "long-word": (dict(width=120, height=0, preferred=40, minimum=12),
                      b"https://www.example.org/a/very/long/path/without/any/breaks"),
        "tiny-box": (dict(width=40, height=10, preferred=30, minimum=8, max_lines=1),
                     "Science Across Borders 跨越国界的科学".encode()),
        "invalid-utf8": (dict(width=500, height=200, preferred=30, minimum=10),
                         b"caf\xc3 \xff\xfe tr\xe2\x82 \xed\xa0\x80 ok"),
        "kinsoku": (dict(width=180, height=600, preferred=30, minimum=30, chinese=True),
                    "他说：“好。”然后（笑）……马丁·路德——结束。".encode()),
        "controls": (dict(width=400, height=200, preferred=24, minimum=12, measure=True),
                     b"tab\there\x07bell\x1b[31mred\x00nul\xe2\x80\x8bzwsp"),
    }
    for name, (box, text) in specials.items():
        write("text_layout", name, box_header(**box) + text)
        count += 1
    return count


# --- gestures: config flag, start time, then operations (fuzz_gestures.cpp) --------------------

class Stream:
    def __init__(self, start_ms=1000):
        self.data = bytearray([0])  # default config
        self.data += struct.pack("<Q", start_ms << 24)

    def step(self, op, delta_ms):
        if delta_ms < 40:
            step = delta_ms  # step % 40
        elif delta_ms % 200 == 0 and 200 <= delta_ms <= 50 * 200:
            step = 199 + delta_ms // 200
        else:
            self.data += bytes([op, 250]) + struct.pack("<I", delta_ms)
            return
        self.data += bytes([op, step])

    def pointer(self, kind, x, y, delta_ms, finger=0, mouse=False):
        op = 4 if mouse else finger * 8 + 0
        self.step(op, delta_ms)
        kinds = {"down": 0, "move": 1, "up": 2, "cancel": 3}
        to_raw = lambda v: round((v + 0.1) / 1.2 * 65535)
        self.data += bytes([kinds[kind]]) + struct.pack("<HH", to_raw(x), to_raw(y))
        return self

    def tick(self, delta_ms, at_deadline=False):
        self.step(6 | (0x10 if at_deadline else 0), delta_ms)
        return self

    def reset(self, delta_ms):
        self.step(7, delta_ms)
        return self


def drag(stream, x0, x1, steps, frame_ms, finger=0, mouse=False):
    stream.pointer("down", x0, 0.5, 16, finger, mouse)
    for i in range(1, steps + 1):
        stream.pointer("move", x0 + (x1 - x0) * i / steps, 0.5, frame_ms, finger, mouse)
    return stream


def gesture_seeds():
    seeds = {
        "tap": Stream().pointer("down", 0.3, 0.8, 10).pointer("up", 0.3, 0.8, 110),
        "long-press": Stream().pointer("down", 0.02, 0.02, 10).tick(0, at_deadline=True).pointer("up", 0.02, 0.02, 200),
        "slow-drag": drag(Stream(), 0.7, 0.4, 30, 16).pointer("up", 0.4, 0.5, 200),
        "swipe": drag(Stream(), 0.8, 0.3, 6, 16).pointer("up", 0.3, 0.5, 8),
        "palm": Stream().pointer("down", 0.5, 0.5, 10, 0).pointer("down", 0.55, 0.5, 5, 1)
        .pointer("down", 0.6, 0.5, 5, 2).pointer("move", 0.7, 0.5, 16, 0).pointer("up", 0.7, 0.5, 16, 0)
        .pointer("up", 0.55, 0.5, 16, 1).pointer("up", 0.6, 0.5, 16, 2),
        "mouse-drag": drag(Stream(), 0.6, 0.2, 10, 16, mouse=True).pointer("up", 0.2, 0.5, 16, mouse=True),
        "stale-finger": Stream().pointer("down", 0.5, 0.5, 10).tick(15_000).tick(0, at_deadline=True)
        .pointer("down", 0.4, 0.4, 100, 1).pointer("up", 0.4, 0.4, 50, 1),
        "reset-mid-drag": drag(Stream(), 0.8, 0.5, 5, 16).reset(16).pointer("up", 0.5, 0.5, 16),
        "second-finger-ignored": Stream().pointer("down", 0.5, 0.5, 10, 0).pointer("down", 0.2, 0.2, 20, 1)
        .pointer("move", 0.1, 0.2, 16, 1).pointer("up", 0.1, 0.2, 16, 1).pointer("up", 0.5, 0.5, 30, 0),
    }
    for name, stream in seeds.items():
        write("gestures", name, bytes(stream.data))
    return len(seeds)


# --- image: PNGs of each colour type / bit depth --------------------------------------------

def png(width, height, colour_type, bit_depth, pixel, palette=None, trns=None):
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    raw = b"".join(b"\x00" + b"".join(pixel(x, y) for x in range(width)) for y in range(height))
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0))
    if palette:
        out += chunk(b"PLTE", palette)
    if trns:
        out += chunk(b"tRNS", trns)
    return out + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def image_seeds():
    seeds = {
        "rgb8.png": png(8, 6, 2, 8, lambda x, y: bytes([x * 30, y * 40, 128])),
        "rgba8.png": png(7, 5, 6, 8, lambda x, y: bytes([200, x * 30, y * 50, x * 36])),
        "grey8.png": png(9, 4, 0, 8, lambda x, y: bytes([x * 28])),
        "grey-alpha8.png": png(5, 5, 4, 8, lambda x, y: bytes([x * 50, y * 50])),
        "rgb16.png": png(4, 3, 2, 16, lambda x, y: struct.pack(">HHH", x * 16000, y * 20000, 40000)),
        "palette.png": png(6, 6, 3, 8, lambda x, y: bytes([(x + y) % 3]), palette=b"\xff\x00\x00\x00\xff\x00\x00\x00\xff",
                           trns=b"\xff\x80"),
    }
    for name, data in seeds.items():
        write("image", name, data)
    return len(seeds)


# --- pack_fields: edits of the seed pack (fuzz_pack_fields.cpp) --------------------------------

WORDS = ["pack_id", "version", "languages", "default_language", "display", "target", "language_mode", "created",
         "title.en", "title.zh", "en", "zh", "en,zh", "hero", "stats", "text", "quote", "kicker", "body",
         "stat.4.label", "image/png", "image/jpeg", "1920x1080", "toggle"]
TABLES = ["meta", "slides", "slide_text", "media"]
COLUMNS = {"meta": ["key", "value"],
           "slides": ["id", "position", "name", "layout", "category", "duration_ms", "transition", "accent",
                      "media_id"],
           "slide_text": ["slide_id", "lang", "field", "text"],
           "media": ["id", "sha256", "mime", "width", "height", "data"]}


def v_int(n):
    return bytes([1]) + struct.pack("<i", n)


def v_int64(n):
    return bytes([2]) + struct.pack("<q", n)


def v_word(word):
    return bytes([4, WORDS.index(word)])


def v_text(data):
    return bytes([6]) + struct.pack("<H", len(data)) + data


def v_blob(data):
    return bytes([7]) + struct.pack("<H", len(data)) + data


def set_column(table, row, column, value):
    return bytes([TABLES.index(table) << 3, row, COLUMNS[table].index(column)]) + value


def set_meta(key_value, value):
    return bytes([3, 0]) + key_value + value


def delete_row(table, row):
    return bytes([(TABLES.index(table) << 3) | 5, row])


def statement(sql):
    data = sql.encode()
    return bytes([6, 0, len(data) - 1]) + data


def pack_field_seeds():
    jpeg = (CORPUS / "image" / "pack-media-1.jpeg").read_bytes()
    seeds = {
        "unchanged": b"",
        "category-invalid-utf8": set_column("slides", 0, "category", v_text(b"\xff\xfeA")),
        "category-long": set_column("slides", 1, "category", v_text(b"c" * 4_500)),
        "version-max": set_meta(v_word("version"), v_int64(2**63 - 1)),
        "text-too-long": set_column("slide_text", 5, "text", v_text(b"a" * 4_001)),
        "text-empty": set_column("slide_text", 0, "text", v_text(b"")),
        "duration-short": set_column("slides", 1, "duration_ms", v_int(999)),
        "languages-en-only": set_meta(v_word("languages"), v_word("en")),
        "display-huge": set_meta(v_word("display"), v_text(b"16x99999")),
        "media-truncated": set_column("media", 0, "data", v_blob(jpeg[:100])),
        "media-missing": delete_row("media", 1),
        "trigger": statement("CREATE TRIGGER t AFTER INSERT ON meta BEGIN SELECT 1; END"),
        "generated-column": statement("ALTER TABLE slides ADD COLUMN g INTEGER GENERATED ALWAYS AS (id * 2)"),
        "layout-unknown": set_column("slides", 2, "layout", v_text(b"carousel")),
        "stat-5": set_column("slide_text", 3, "field", v_text(b"stat.5.value")),
    }
    for name, data in seeds.items():
        write("pack_fields", name, data)
    return len(seeds)


if __name__ == "__main__":
    print("pack_fields:", pack_field_seeds(), "seeds")
    print("text_layout:", text_seeds(), "seeds")
    print("gestures:", gesture_seeds(), "seeds")
    print("image:", image_seeds(), "PNG seeds")
