#!/usr/bin/python3
"""Generate the images of the Kiosk demo content pack (content/images/*.png).

How to run (from anywhere; output always goes to content/images/ next to this tools/ folder):

    /usr/bin/python3 content/tools/make_images.py            # all images
    /usr/bin/python3 content/tools/make_images.py world-*    # only names matching a glob

Needs Debian's python3-pil and python3-numpy (apt-get install -y python3-pil python3-numpy).
Everything is drawn from code and from coarse hand-written polygons: no downloads, no fonts,
no text inside the images. Output is deterministic (fixed random seeds), palette PNGs.

Hero images are 1920x1080, side images of the "text" layout 960x1080. All of them keep the
lower-left third dark and low in contrast, because slide text is drawn over that area.

Licence: CC BY 4.0, made for the Kiosk project.
"""

import fnmatch
import math
import os
import random
import sys

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "images")
HERO = (1920, 1080)
SIDE = (960, 1080)
SS = 2  # supersampling factor for vector drawing


# --------------------------------------------------------------------------- colour helpers

def hexrgb(h):
    h = h.lstrip("#")
    return tuple(int(h[i:i + 2], 16) for i in (0, 2, 4))


def mix(a, b, t):
    return tuple(int(round(a[i] + (b[i] - a[i]) * t)) for i in range(3))


class Canvas:
    """Float RGB buffer (0..255) with a few compositing helpers."""

    def __init__(self, size, top, bottom=None):
        self.w, self.h = size
        top = np.array(hexrgb(top), np.float32)
        bottom = np.array(hexrgb(bottom or top), np.float32) if bottom else top
        t = np.linspace(0.0, 1.0, self.h, dtype=np.float32)[:, None, None]
        self.buf = np.broadcast_to(top + (bottom - top) * t, (self.h, self.w, 3)).copy()

    # a layer is drawn at SS x resolution in RGBA, then downsampled
    def layer(self):
        img = Image.new("RGBA", (self.w * SS, self.h * SS), (0, 0, 0, 0))
        return img, ImageDraw.Draw(img)

    def _down(self, img):
        if img.size != (self.w, self.h):
            img = img.resize((self.w, self.h), Image.LANCZOS)
        return img

    def over(self, img, blur=0.0, opacity=1.0):
        img = self._down(img)
        if blur:
            img = img.filter(ImageFilter.GaussianBlur(blur))
        a = np.asarray(img, np.float32)
        alpha = a[..., 3:4] / 255.0 * opacity
        self.buf = self.buf * (1 - alpha) + a[..., :3] * alpha

    def add(self, img, blur=0.0, gain=1.0):
        """Additive glow: colour * alpha is added to the buffer."""
        img = self._down(img)
        if blur:
            img = img.filter(ImageFilter.GaussianBlur(blur))
        a = np.asarray(img, np.float32)
        self.buf += a[..., :3] * (a[..., 3:4] / 255.0) * gain

    def radial(self, cx, cy, r, colour, strength):
        """Soft radial light (additive)."""
        yy, xx = np.mgrid[0:self.h, 0:self.w].astype(np.float32)
        d = np.sqrt((xx - cx) ** 2 + (yy - cy) ** 2) / r
        f = np.clip(1 - d, 0, 1) ** 2 * strength
        self.buf += f[..., None] * np.array(hexrgb(colour), np.float32)

    def calm_lower_left(self, strength=0.72, base="#070D16"):
        """Darken and flatten the lower-left part where slide text goes."""
        yy, xx = np.mgrid[0:self.h, 0:self.w].astype(np.float32)
        u = xx / self.w            # 0 at left
        v = 1 - yy / self.h        # 0 at bottom
        d = np.sqrt((u / 0.75) ** 2 + (v / 0.62) ** 2)
        f = np.clip(1.25 - d, 0, 1)
        f = (f * f * (3 - 2 * f)) * strength
        target = np.array(hexrgb(base), np.float32)
        self.buf = self.buf * (1 - f[..., None]) + target * f[..., None]

    def save(self, name, colours=128, dither=5.0):
        """Quantize to a palette PNG. A light 4x4 ordered (Bayer) dither hides banding in the
        smooth gradients while keeping the file small (a repeating pattern compresses well)."""
        buf = self.buf
        if dither:
            t = np.tile(BAYER4, (self.h // 4 + 1, self.w // 4 + 1))[:self.h, :self.w]
            buf = buf + t[..., None] * dither
        img = Image.fromarray(np.clip(buf + 0.5, 0, 255).astype(np.uint8), "RGB")
        pal = img.quantize(colors=colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        path = os.path.join(OUT, name)
        pal.save(path, optimize=True)
        print(f"{name:28s} {img.size[0]}x{img.size[1]}  {os.path.getsize(path) / 1024:7.1f} KB")


BAYER4 = np.array([[0, 8, 2, 10], [12, 4, 14, 6], [3, 11, 1, 9], [15, 7, 13, 5]], np.float32) / 16 - 0.47


# --------------------------------------------------------------------------- world geometry
# Very coarse continent outlines (lon, lat), hand-written. Good enough for a dot-grid map.

LAND = [
    # North America
    [(-168, 66), (-162, 70), (-140, 70), (-125, 72), (-95, 74), (-80, 73), (-62, 66), (-55, 52),
     (-66, 45), (-70, 42), (-75, 38), (-81, 31), (-80, 25), (-84, 30), (-90, 29), (-97, 26),
     (-97, 20), (-92, 18), (-88, 15), (-83, 9), (-78, 8), (-85, 12), (-92, 15), (-105, 20),
     (-112, 29), (-118, 34), (-124, 40), (-124, 48), (-132, 55), (-140, 59), (-152, 58),
     (-165, 60)],
    # Greenland
    [(-55, 60), (-44, 60), (-20, 70), (-18, 80), (-35, 83), (-60, 82), (-70, 77), (-55, 70)],
    # South America
    [(-78, 8), (-72, 12), (-62, 10), (-50, 0), (-35, -6), (-39, -15), (-48, -25), (-58, -35),
     (-65, -42), (-68, -54), (-74, -50), (-73, -38), (-71, -20), (-76, -12), (-81, -5), (-80, 1)],
    # Eurasia
    [(-10, 36), (-9, 43), (-2, 44), (-5, 48), (2, 51), (8, 54), (8, 57), (5, 62), (14, 68),
     (25, 71), (40, 68), (60, 70), (80, 73), (100, 77), (115, 73), (140, 72), (160, 70),
     (180, 68), (180, 64), (170, 60), (163, 56), (156, 51), (142, 53), (140, 46), (130, 42),
     (128, 35), (122, 37), (121, 31), (120, 25), (110, 20), (108, 16), (109, 11), (105, 9),
     (100, 13), (100, 6), (104, 1), (98, 8), (97, 17), (92, 22), (88, 22), (80, 15), (77, 8),
     (73, 18), (67, 25), (57, 25), (56, 27), (50, 30), (48, 29), (50, 25), (56, 26), (59, 22),
     (55, 17), (44, 12), (42, 16), (35, 28), (32, 31), (35, 36), (27, 36), (26, 40), (23, 37),
     (21, 40), (19, 42), (13, 45), (18, 40), (16, 38), (12, 42), (8, 44), (3, 43), (-1, 37)],
    # Africa
    [(-17, 21), (-10, 30), (-6, 36), (10, 37), (20, 32), (32, 31), (34, 28), (43, 12), (51, 12),
     (40, -2), (40, -15), (35, -25), (27, -34), (18, -34), (12, -18), (13, -5), (9, 4), (-8, 4),
     (-17, 14)],
    # Australia
    [(114, -22), (122, -18), (130, -12), (137, -12), (142, -11), (146, -19), (153, -26),
     (150, -37), (140, -38), (131, -31), (115, -34)],
    # islands
    [(95, 5), (98, 4), (106, -5), (104, -6)],                                  # Sumatra
    [(106, -6), (114, -7), (114, -8.5), (106, -7.5)],                          # Java
    [(109, 1), (117, 7), (119, 1), (116, -4), (110, -3)],                      # Borneo
    [(131, -1), (141, -3), (150, -10), (141, -9)],                             # New Guinea
    [(120, 18), (122, 18), (126, 7), (122, 7)],                                # Philippines
    [(130, 31), (135, 34), (141, 36), (142, 41), (145, 44), (141, 45), (140, 40), (135, 36),
     (130, 34)],                                                               # Japan
    [(-5, 50), (1, 51), (0, 53), (-3, 56), (-5, 58), (-6, 55), (-3, 54)],      # Great Britain
    [(-24, 64), (-14, 64), (-14, 66), (-22, 66)],                              # Iceland
    [(44, -25), (47, -25), (50, -15), (49, -12)],                              # Madagascar
    [(166, -46), (174, -41), (178, -38), (173, -35), (172, -41), (167, -46)],  # New Zealand
    [(120, 22), (122, 25), (121, 22)],                                         # Taiwan
    [(108, 18), (111, 20), (110, 18)],                                         # Hainan
]

CHINA = [(73, 40), (80, 45), (87, 49), (91, 46), (97, 43), (105, 42), (112, 43), (115, 45),
         (120, 50), (127, 53), (135, 48), (131, 43), (125, 40), (122, 37), (121, 31), (120, 25),
         (110, 20), (108, 22), (100, 22), (97, 28), (88, 28), (80, 30), (78, 35)]
XINJIANG = [(73, 40), (80, 45), (87, 49), (91, 45), (96, 42), (93, 37), (80, 35), (75, 37)]
CENTRAL_ASIA = [(47, 40), (52, 45), (50, 50), (60, 52), (75, 54), (87, 49), (80, 45), (73, 40),
                (70, 37), (62, 35), (55, 37)]

CITIES = {
    "beijing": (116.4, 39.9), "nanjing": (118.8, 32.1), "urumqi": (87.6, 43.8),
    "washington": (-77.0, 38.9), "boston": (-71.1, 42.4), "philadelphia": (-75.2, 40.0),
    "los_angeles": (-118.5, 34.2), "london": (-0.1, 51.5), "southampton": (-1.4, 50.9),
    "wageningen": (5.7, 52.0), "berlin": (13.4, 52.5), "halle": (12.0, 51.5),
    "paris": (2.35, 48.9), "moscow": (37.6, 55.8), "tokyo": (139.7, 35.7),
    "canberra": (149.1, -35.3), "bangkok": (100.5, 13.8), "podgorica": (19.3, 42.4),
    "islamabad": (73.0, 33.7), "rome": (12.5, 41.9), "tehran": (51.4, 35.7),
    "seoul": (127.0, 37.6), "nairobi": (36.8, -1.3), "santiago": (-70.7, -33.4),
    "colombo": (79.9, 6.9), "kuala_lumpur": (101.7, 3.1), "almaty": (76.9, 43.2),
    "bishkek": (74.6, 42.9), "tashkent": (69.2, 41.3), "dushanbe": (68.8, 38.6),
    "astana": (71.4, 51.2), "ashgabat": (58.4, 37.9), "novosibirsk": (82.9, 55.0),
    "kathmandu": (85.3, 27.7), "dhaka": (90.4, 23.8), "addis_ababa": (38.7, 9.0),
    "cairo": (31.2, 30.0), "accra": (-0.2, 5.6), "brasilia": (-47.9, -15.8),
    "lima": (-77.0, -12.0), "hanoi": (105.8, 21.0), "karachi": (67.0, 24.9),
    "yangon": (96.2, 16.8), "vientiane": (102.6, 18.0), "windhoek": (17.1, -22.6),
    "dar_es_salaam": (39.3, -6.8), "pretoria": (28.2, -25.7), "ulaanbaatar": (106.9, 47.9),
    "minsk": (27.6, 53.9), "warsaw": (21.0, 52.2), "vienna": (16.4, 48.2),
    "madrid": (-3.7, 40.4), "stockholm": (18.1, 59.3), "ottawa": (-75.7, 45.4),
    "mexico": (-99.1, 19.4), "jakarta": (106.8, -6.2), "manila": (121.0, 14.6),
    "singapore": (103.8, 1.35), "new_delhi": (77.2, 28.6), "riyadh": (46.7, 24.7),
    "ankara": (32.9, 39.9), "lagos": (3.4, 6.5), "buenos_aires": (-58.4, -34.6),
    "wellington": (174.8, -41.3), "hanover": (9.7, 52.4), "sydney": (151.2, -33.9),
}


class MapProj:
    """Equirectangular projection of a lon/lat window onto the canvas."""

    def __init__(self, size, lon0, lon1, lat0, lat1):
        self.w, self.h = size
        self.lon0, self.lon1, self.lat0, self.lat1 = lon0, lon1, lat0, lat1

    def xy(self, lon, lat):
        return ((lon - self.lon0) / (self.lon1 - self.lon0) * self.w,
                (self.lat0 - lat) / (self.lat0 - self.lat1) * self.h)


def polygon_mask(polys, res=4):
    """Land mask in lon/lat space: res pixels per degree, lon -180..180, lat 90..-90."""
    img = Image.new("L", (360 * res, 180 * res), 0)
    d = ImageDraw.Draw(img)
    for p in polys:
        d.polygon([((lon + 180) * res, (90 - lat) * res) for lon, lat in p], fill=255)
    return np.asarray(img) > 0, res


def inside(mask, lon, lat):
    m, res = mask
    x = int((lon + 180) * res)
    y = int((90 - lat) * res)
    if 0 <= x < m.shape[1] and 0 <= y < m.shape[0]:
        return bool(m[y, x])
    return False


LAND_MASK = None


def land_mask():
    global LAND_MASK
    if LAND_MASK is None:
        LAND_MASK = polygon_mask(LAND)
    return LAND_MASK


def grid_points(proj, step):
    """Land grid points (lon, lat) inside the projection window."""
    m = land_mask()
    pts = []
    lat = math.floor(proj.lat0 / step) * step
    while lat >= proj.lat1:
        lon = math.ceil(proj.lon0 / step) * step
        while lon <= proj.lon1:
            if inside(m, lon, lat):
                pts.append((lon, lat))
            lon += step
        lat -= step
    return pts


def dot_map(cv, proj, step, radius, colour, highlights=(), opacity=1.0):
    """Draw the dot-grid world. highlights: list of (polygon mask, colour, radius)."""
    img, d = cv.layer()
    col = hexrgb(colour)
    for lon, lat in grid_points(proj, step):
        c, r = col, radius
        for hmask, hcol, hr in highlights:
            if inside(hmask, lon, lat):
                c, r = hexrgb(hcol), hr
        x, y = proj.xy(lon, lat)
        x, y, rr = x * SS, y * SS, r * SS
        d.ellipse((x - rr, y - rr, x + rr, y + rr), fill=c + (255,))
    cv.over(img, opacity=opacity)


def arc_points(p0, p1, lift=0.28, n=64):
    """Quadratic Bezier arc between two canvas points, bulging 'up'."""
    (x0, y0), (x1, y1) = p0, p1
    mx, my = (x0 + x1) / 2, (y0 + y1) / 2
    dist = math.hypot(x1 - x0, y1 - y0)
    cx, cy = mx, my - dist * lift
    pts = []
    for i in range(n + 1):
        t = i / n
        x = (1 - t) ** 2 * x0 + 2 * (1 - t) * t * cx + t * t * x1
        y = (1 - t) ** 2 * y0 + 2 * (1 - t) * t * cy + t * t * y1
        pts.append((x, y))
    return pts


def draw_arcs(cv, proj, src, dsts, colour, width=2.0, lift=0.28, glow=6, gain=0.9):
    img, d = cv.layer()
    col = hexrgb(colour) + (255,)
    p0 = proj.xy(*src)
    for dst in dsts:
        pts = arc_points(p0, proj.xy(*dst), lift)
        d.line([(x * SS, y * SS) for x, y in pts], fill=col, width=int(width * SS), joint="curve")
    cv.add(img, blur=glow, gain=gain)
    cv.add(img, gain=gain * 0.8)


def draw_nodes(cv, pts, colour, radius, glow=8, gain=1.0, core="#FFFFFF"):
    """Glowing dots: a wide soft halo, a solid disc and a small bright core."""
    col = hexrgb(colour) + (255,)
    halo, hd = cv.layer()
    img, d = cv.layer()
    img2, d2 = cv.layer()
    for x, y in pts:
        r = radius * 2.2 * SS
        hd.ellipse((x * SS - r, y * SS - r, x * SS + r, y * SS + r), fill=col)
        r = radius * SS
        d.ellipse((x * SS - r, y * SS - r, x * SS + r, y * SS + r), fill=col)
        r = radius * 0.45 * SS
        d2.ellipse((x * SS - r, y * SS - r, x * SS + r, y * SS + r), fill=hexrgb(core) + (255,))
    cv.add(halo, blur=glow, gain=0.45 * gain)
    cv.over(img)
    cv.over(img2, opacity=0.85)


def world_proj(size=HERO):
    # lon -168..192 covers 360 degrees with the Pacific split east of New Zealand
    w, h = size
    lat_span = 360 * h / w  # keep degrees square
    top = 84
    return MapProj(size, -168, 192, top, top - lat_span)


# --------------------------------------------------------------------------- images

def img_opening():
    cv = Canvas(HERO, "#0B1A2E", "#060C16")
    proj = world_proj()
    cv.radial(1350, 380, 900, "#1F6FB2", 0.22)
    china = polygon_mask([CHINA])
    dot_map(cv, proj, 2.0, 2.6, "#2C4A6E", [(china, "#7FC4FF", 3.6)])
    dsts = [CITIES[k] for k in ("boston", "london", "berlin", "moscow", "tokyo", "canberra",
                                "bangkok", "nairobi", "islamabad", "tashkent", "santiago")]
    draw_arcs(cv, proj, CITIES["beijing"], dsts, "#3D8FD6", width=1.6, glow=5, gain=0.7)
    draw_nodes(cv, [proj.xy(*p) for p in dsts], "#4FA3E8", 5, glow=7)
    draw_nodes(cv, [proj.xy(*CITIES["beijing"])], "#9AD2FF", 9, glow=14, gain=1.2)
    cv.calm_lower_left(0.75)
    cv.save("opening-world.png", colours=96, dither=0)


def img_nanjing_bars():
    cv = Canvas(HERO, "#0C1B30", "#070E18")
    cv.radial(1450, 300, 800, "#1F6FB2", 0.18)
    # faint horizontal grid
    img, d = cv.layer()
    for i in range(9):
        y = (180 + i * 95) * SS
        d.line((980 * SS, y, 1840 * SS, y), fill=(120, 160, 210, 40), width=SS)
    cv.over(img)
    values = [615, 11, 1350, 800]        # visits, meetings, papers, SCI/EI papers (2017)
    colours = ["#2F7FC8", "#5FB0F0", "#1F6FB2", "#89C8F7"]
    base_y, top_y = 940, 170
    scale = (base_y - top_y) / max(values)
    img, d = cv.layer()
    glow, gd = cv.layer()
    for i, (v, c) in enumerate(zip(values, colours)):
        x0 = 1040 + i * 200
        x1 = x0 + 130
        y0 = base_y - max(v * scale, 6)
        col = hexrgb(c)
        d.rounded_rectangle((x0 * SS, y0 * SS, x1 * SS, base_y * SS), radius=10 * SS,
                            fill=col + (235,))
        d.rounded_rectangle((x0 * SS, y0 * SS, x1 * SS, (y0 + 8) * SS), radius=4 * SS,
                            fill=(220, 240, 255, 255))
        gd.rounded_rectangle((x0 * SS, y0 * SS, x1 * SS, (y0 + 30) * SS), radius=10 * SS,
                             fill=col + (255,))
    cv.add(glow, blur=22, gain=0.5)
    cv.over(img)
    # baseline
    img, d = cv.layer()
    d.line((1000 * SS, base_y * SS, 1860 * SS, base_y * SS), fill=(170, 200, 235, 150), width=2 * SS)
    cv.over(img)
    cv.calm_lower_left(0.8)
    cv.save("nanjing-bars.png")


def img_nanjing_network():
    """Central node (Nanjing) with 20+ partner nodes and 40 small satellites."""
    cv = Canvas(SIDE, "#0D1D33", "#070F1A")
    rnd = random.Random(2017)
    cx, cy = 520, 470
    cv.radial(cx, cy, 520, "#1F6FB2", 0.25)
    partners = []
    for i in range(22):
        a = i / 22 * 2 * math.pi + rnd.uniform(-0.08, 0.08)
        r = rnd.uniform(250, 400)
        partners.append((cx + r * math.cos(a), cy + r * math.sin(a) * 1.1))
    sats = []
    for i in range(40):
        a = rnd.uniform(0, 2 * math.pi)
        r = 155 + rnd.uniform(-12, 12)
        sats.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    img, d = cv.layer()
    for x, y in partners:
        d.line((cx * SS, cy * SS, x * SS, y * SS), fill=(90, 160, 230, 130), width=2 * SS)
    for i, (x, y) in enumerate(partners):
        x2, y2 = partners[(i + 1) % len(partners)]
        d.line((x * SS, y * SS, x2 * SS, y2 * SS), fill=(90, 160, 230, 60), width=SS)
    r = 155
    d.ellipse(((cx - r) * SS, (cy - r) * SS, (cx + r) * SS, (cy + r) * SS), outline=(140, 190, 240, 60), width=SS)
    cv.add(img, blur=3, gain=0.6)
    cv.over(img, opacity=0.6)
    draw_nodes(cv, sats, "#5C9BD6", 3, glow=4, gain=0.6, core="#BFDFFF")
    draw_nodes(cv, partners, "#3D8FD6", 8, glow=9, gain=0.9)
    draw_nodes(cv, [(cx, cy)], "#8FCBFF", 18, glow=20, gain=1.2)
    cv.calm_lower_left(0.55)
    cv.save("nanjing-network.png")


def img_super_red():
    cv = Canvas(HERO, "#0A0B1A", "#05060C")
    rnd = random.Random(42)
    cv.radial(1400, 360, 900, "#3A1630", 0.5)
    cv.radial(1650, 250, 500, "#5A1A1A", 0.35)
    # stars
    img, d = cv.layer()
    for _ in range(1400):
        x, y = rnd.uniform(0, 1920), rnd.uniform(0, 1080)
        r = rnd.choice([0.6, 0.8, 1.0, 1.0, 1.3, 1.8])
        b = rnd.randint(110, 255)
        tint = rnd.choice([(b, b, b), (b, int(b * 0.92), int(b * 0.8)), (int(b * 0.85), int(b * 0.9), b)])
        d.ellipse(((x - r) * SS, (y - r) * SS, (x + r) * SS, (y + r) * SS), fill=tint + (255,))
    cv.over(img)
    # faint background galaxies
    for _ in range(18):
        x, y = rnd.uniform(300, 1900), rnd.uniform(40, 1000)
        g, gd = cv.layer()
        a, b = rnd.uniform(6, 16), rnd.uniform(3, 7)
        gd.ellipse(((x - a) * SS, (y - b) * SS, (x + a) * SS, (y + b) * SS), fill=(150, 160, 200, 255))
        g = g.rotate(0)
        cv.add(g, blur=3, gain=0.35)
    # the super-red galaxies: glowing red ellipses, rotated
    for (x, y, a, b, ang, col, gain) in [
            (1420, 330, 95, 38, 28, "#E0533D", 1.0),
            (1690, 520, 55, 24, -18, "#D94A2E", 0.9),
            (1230, 180, 34, 15, 50, "#F06A45", 0.8),
            (1780, 180, 26, 12, 10, "#C83A2A", 0.8)]:
        g = Image.new("RGBA", (int(a * 6) * SS, int(a * 6) * SS), (0, 0, 0, 0))
        gd = ImageDraw.Draw(g)
        c = g.size[0] / 2
        for k in range(8, 0, -1):
            f = k / 8
            colr = mix(hexrgb("#FF7A52"), hexrgb(col), f)
            gd.ellipse((c - a * f * SS, c - b * f * SS, c + a * f * SS, c + b * f * SS),
                       fill=colr + (int(60 + 150 * (1 - f)),))
        g = g.rotate(ang, resample=Image.BICUBIC)
        full = Image.new("RGBA", (1920 * SS, 1080 * SS), (0, 0, 0, 0))
        full.paste(g, (int(x * SS - g.size[0] / 2), int(y * SS - g.size[1] / 2)))
        cv.add(full, blur=20, gain=gain * 0.55)
        cv.add(full, blur=4, gain=gain * 0.35)
    cv.calm_lower_left(0.8, base="#05060C")
    cv.save("super-red-galaxies.png")


def img_swamp_forest():
    """Silhouettes of Palaeozoic swamp trees under falling volcanic ash."""
    cv = Canvas(HERO, "#2A2330", "#0C0A0E")
    rnd = random.Random(300)
    cv.radial(1500, 520, 900, "#B0542A", 0.45)
    cv.radial(1560, 560, 380, "#E08A3A", 0.35)
    # distant volcano and ash plume
    img, d = cv.layer()
    d.polygon([(1180 * SS, 720 * SS), (1470 * SS, 470 * SS), (1560 * SS, 470 * SS),
               (1900 * SS, 720 * SS)], fill=(52, 38, 44, 255))
    cv.over(img)
    plume, pd = cv.layer()
    for i in range(14):
        t = i / 13
        x = 1515 + 260 * t * t + rnd.uniform(-20, 20)
        y = 460 - 380 * t
        r = 45 + 130 * t
        pd.ellipse(((x - r) * SS, (y - r * 0.7) * SS, (x + r) * SS, (y + r * 0.7) * SS),
                   fill=(90, 78, 84, 170))
    cv.over(plume, blur=18, opacity=0.8)
    # water / ground band
    img, d = cv.layer()
    d.rectangle((0, 720 * SS, 1920 * SS, 1080 * SS), fill=(16, 14, 18, 255))
    cv.over(img)
    # reflections of the glow
    refl, rd = cv.layer()
    for i in range(40):
        y = rnd.uniform(735, 900)
        x = rnd.uniform(1250, 1850)
        w = rnd.uniform(30, 160)
        rd.line(((x - w) * SS, y * SS, (x + w) * SS, y * SS), fill=(190, 100, 50, 110), width=2 * SS)
    cv.add(refl, blur=2, gain=0.35)

    def tree(d, x, base, height, width, col):
        # tapering trunk
        top = base - height
        d.polygon([((x - width) * SS, base * SS), ((x + width) * SS, base * SS),
                   ((x + width * 0.45) * SS, top * SS), ((x - width * 0.45) * SS, top * SS)], fill=col)
        # dichotomous crown (lycopsid-like)
        def branch(x0, y0, ang, length, w, depth):
            if depth == 0:
                # leaf tuft
                for k in range(5):
                    a = ang + (k - 2) * 0.35
                    d.line((x0 * SS, y0 * SS, (x0 + math.cos(a) * 18) * SS, (y0 + math.sin(a) * 18) * SS),
                           fill=col, width=max(1, int(2 * SS)))
                return
            x1 = x0 + math.cos(ang) * length
            y1 = y0 + math.sin(ang) * length
            d.line((x0 * SS, y0 * SS, x1 * SS, y1 * SS), fill=col, width=max(1, int(w * SS)))
            spread = 0.42
            branch(x1, y1, ang - spread, length * 0.72, w * 0.7, depth - 1)
            branch(x1, y1, ang + spread, length * 0.72, w * 0.7, depth - 1)
        branch(x, top, -math.pi / 2, height * 0.12, width * 0.8, 4)

    # three depth layers of trees
    for layer_i, (n, hmin, hmax, col, base) in enumerate([
            (16, 260, 380, (44, 34, 38, 255), 735),
            (11, 380, 540, (26, 20, 24, 255), 790),
            (7, 560, 760, (10, 8, 10, 255), 900)]):
        img, d = cv.layer()
        for _ in range(n):
            x = rnd.uniform(-40, 1960)
            h = rnd.uniform(hmin, hmax)
            tree(d, x, base + rnd.uniform(0, 40), h, h * 0.035, col)
        cv.over(img)
    # falling ash particles
    img, d = cv.layer()
    for _ in range(900):
        x, y = rnd.uniform(0, 1920), rnd.uniform(0, 1000)
        r = rnd.uniform(0.8, 2.2)
        g = rnd.randint(150, 210)
        d.ellipse(((x - r) * SS, (y - r) * SS, (x + r) * SS, (y + r) * SS), fill=(g, g - 10, g - 20, 150))
    cv.over(img, blur=0.6)
    cv.calm_lower_left(0.8, base="#0A0809")
    cv.save("swamp-forest.png", colours=96, dither=4.0)


def img_soil_layers():
    """Soil strata with a contour-map overlay (digital soil mapping)."""
    cv = Canvas(SIDE, "#14110F", "#0B0908")
    rnd = random.Random(7)
    W, H = SIDE
    bands = ["#2A2016", "#3A2A1B", "#4A3320", "#5B3E24", "#473521", "#382A1E", "#2B221A", "#1E1814"]
    img, d = cv.layer()
    y = 380
    for i, c in enumerate(bands):
        th = rnd.uniform(70, 120)
        ph, amp = rnd.uniform(0, 6.28), rnd.uniform(8, 22)
        pts = [(x * SS, (y + amp * math.sin(x / 160 + ph)) * SS) for x in range(0, W + 20, 20)]
        pts += [(W * SS, H * SS), (0, H * SS)]
        d.polygon(pts, fill=hexrgb(c) + (255,))
        # pebbles
        for _ in range(25):
            px, py = rnd.uniform(0, W), y + rnd.uniform(10, th)
            r = rnd.uniform(2, 6)
            d.ellipse(((px - r) * SS, (py - r * 0.7) * SS, (px + r) * SS, (py + r * 0.7) * SS),
                      fill=mix(hexrgb(c), (200, 170, 130), 0.25) + (255,))
        y += th
    cv.over(img)
    # sky region: contour lines of an abstract terrain (upper part)
    yy, xx = np.mgrid[0:360, 0:W].astype(np.float32)
    z = np.zeros_like(xx)
    for _ in range(6):
        cx, cy = rnd.uniform(0, W), rnd.uniform(0, 360)
        s = rnd.uniform(90, 220)
        z += rnd.uniform(0.5, 1.0) * np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * s * s))
    levels = np.linspace(z.min(), z.max(), 12)[1:-1]
    lines = np.zeros_like(z)
    for lv in levels:
        lines = np.maximum(lines, np.clip(1 - np.abs(z - lv) / 0.012, 0, 1))
    over = np.zeros((H, W, 4), np.uint8)
    over[0:360, :, 0:3] = hexrgb("#6FC2B0")
    over[0:360, :, 3] = (lines * 170).astype(np.uint8)
    cv.over(Image.fromarray(over, "RGBA"), blur=0.6)
    # mapping grid squares in the sky area, a few filled
    img, d = cv.layer()
    for gx in range(0, W, 80):
        for gy in range(0, 360, 80):
            if rnd.random() < 0.18:
                d.rectangle(((gx + 6) * SS, (gy + 6) * SS, (gx + 74) * SS, (gy + 74) * SS),
                            fill=(111, 194, 176, 40))
    cv.over(img)
    cv.calm_lower_left(0.45, base="#0B0908")
    cv.save("soil-layers.png")


def ridge(rnd, w, base, rough, n=9):
    """Midpoint-displacement ridge line, returns heights for x = 0..w step."""
    pts = [base + rnd.uniform(-rough, rough), base + rnd.uniform(-rough, rough)]
    r = rough
    for _ in range(n):
        new = []
        for a, b in zip(pts, pts[1:]):
            new += [a, (a + b) / 2 + rnd.uniform(-r, r)]
        new.append(pts[-1])
        pts = new
        r *= 0.55
    xs = np.linspace(0, w, len(pts))
    return list(zip(xs, pts))


def img_xinjiang():
    cv = Canvas(HERO, "#1B2740", "#3B2A2A")
    rnd = random.Random(1959)
    cv.radial(1450, 520, 1000, "#D9912B", 0.30)
    sun, sd = cv.layer()
    sd.ellipse(((1500 - 46) * SS, (330 - 46) * SS, (1500 + 46) * SS, (330 + 46) * SS), fill=(243, 217, 160, 255))
    cv.add(sun, blur=40, gain=0.35)
    cv.over(sun, opacity=0.8)
    # far snowy range (Tianshan-like): a sum of peaks with a rough edge
    W, H = HERO
    xs = np.arange(W, dtype=np.float32)
    peaks = [(160, 120, 240), (470, 90, 190), (800, 160, 260), (1120, 250, 290),
             (1400, 180, 230), (1660, 270, 320), (1900, 140, 220)]   # (x, height, half width)
    lift = np.zeros(W, np.float32)
    for px, ph, pw in peaks:
        lift = np.maximum(lift, ph * np.clip(1 - np.abs(xs - px) / pw, 0, 1) ** 1.4)
    noise = np.array(ridge(rnd, W - 1, 0, 45, n=11))[:, 1]
    noise = np.interp(xs, np.linspace(0, W - 1, len(noise)), noise).astype(np.float32)
    far_top = 560 - lift + noise
    yy = np.arange(H, dtype=np.float32)[:, None]
    far = np.clip(yy - far_top[None, :] + 0.5, 0, 1)
    # snow caps only on the high peaks, with a ragged lower edge
    cap = np.clip(lift - 110, 0, None)
    snow_line = far_top + np.where(cap > 0, np.clip(cap * 0.55 + noise * 0.4, 0, None), 0)
    snow = far * np.clip(snow_line[None, :] - yy + 0.5, 0, 1)
    # light side of each peak: the slope facing the sun (right side of the peaks) is brighter
    slope = np.gradient(far_top)
    lit = np.clip(slope * 0.9, 0, 1)[None, :] * np.ones((H, 1), np.float32)
    rock = np.array((60, 62, 88), np.float32) * np.clip(1.15 - (yy - 300) / 900, 0.6, 1.1)[..., None]
    snowc = np.array((208, 212, 226), np.float32) * (0.85 + 0.15 * lit[..., None])
    layer = rock * far[..., None] * np.ones((1, W, 1), np.float32)
    layer = layer * (1 - snow[..., None]) + snowc * snow[..., None]
    alpha = far[..., None]
    cv.buf = cv.buf * (1 - alpha) + layer * alpha
    # middle range
    mid = ridge(rnd, 1920, 650, 70)
    img, d = cv.layer()
    d.polygon([(x * SS, y * SS) for x, y in mid] + [(1920 * SS, 1080 * SS), (0, 1080 * SS)],
              fill=(64, 50, 60, 255))
    cv.over(img)
    # soft haze over the foot of the range
    haze, hd = cv.layer()
    hd.rectangle((0, 620 * SS, 1920 * SS, 720 * SS), fill=(217, 145, 43, 40))
    cv.over(haze, blur=50)
    # dunes in front: smooth sine ridges
    for i, (base, amp, col, ph) in enumerate([(770, 40, (120, 80, 52), 0.3),
                                              (850, 55, (88, 58, 40), 1.7),
                                              (950, 60, (44, 30, 26), 2.9)]):
        img, d = cv.layer()
        pts = []
        for x in range(0, 1941, 12):
            y = base - amp * (math.sin(x / 260 + ph) * 0.7 + math.sin(x / 97 + ph * 2) * 0.3)
            pts.append((x * SS, y * SS))
        d.polygon(pts + [(1920 * SS, 1080 * SS), (0, 1080 * SS)], fill=col + (255,))
        cv.over(img)
        # lit crest line
        img, d = cv.layer()
        d.line(pts, fill=(235, 170, 90, 120), width=2 * SS)
        cv.over(img, blur=1.2, opacity=0.6 - i * 0.15)
    cv.calm_lower_left(0.78, base="#120D0C")
    cv.save("xinjiang-landscape.png")


def img_xinjiang_rings():
    """50+ partners on rings; an arc for the 1/5-1/4 share; five bright award stars."""
    cv = Canvas(HERO, "#1A1510", "#0B0907")
    rnd = random.Random(50)
    cx, cy = 1420, 440
    cv.radial(cx, cy, 700, "#D9912B", 0.18)
    img, d = cv.layer()
    for r in (120, 200, 280, 360):
        d.ellipse(((cx - r) * SS, (cy - r) * SS, (cx + r) * SS, (cy + r) * SS),
                  outline=(217, 145, 43, 70), width=2 * SS)
    cv.over(img)
    # share arc: between 1/5 (72 deg) and 1/4 (90 deg) of a circle
    img, d = cv.layer()
    r = 430
    d.arc(((cx - r) * SS, (cy - r) * SS, (cx + r) * SS, (cy + r) * SS), -90, -90 + 72,
          fill=(240, 175, 80, 255), width=14 * SS)
    d.arc(((cx - r) * SS, (cy - r) * SS, (cx + r) * SS, (cy + r) * SS), -90 + 72, 0,
          fill=(240, 175, 80, 110), width=14 * SS)
    cv.add(img, blur=10, gain=0.6)
    cv.over(img)
    pts = []
    rings = [(200, 12), (280, 17), (360, 23)]
    for rr, n in rings:
        off = rnd.uniform(0, 2 * math.pi)
        for i in range(n):
            a = off + i / n * 2 * math.pi
            pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    draw_nodes(cv, pts, "#C98A3A", 5, glow=6, gain=0.7, core="#F5DDB5")
    stars = []
    for i in range(5):
        a = -math.pi / 2 + (i - 2) * 0.5 + math.pi
        stars.append((cx + 120 * math.cos(a), cy + 120 * math.sin(a)))
    draw_nodes(cv, stars, "#FFD27A", 9, glow=14, gain=1.2)
    draw_nodes(cv, [(cx, cy)], "#FFE2A8", 16, glow=24, gain=1.2)
    cv.calm_lower_left(0.8, base="#0B0907")
    cv.save("xinjiang-rings.png")


def img_central_asia():
    cv = Canvas(SIDE, "#1A1612", "#0A0908")
    proj = MapProj(SIDE, 42, 110, 66, 66 - 68 * 1080 / 960)
    cv.radial(*proj.xy(80, 44), 520, "#D9912B", 0.20)
    dot_map(cv, proj, 1.0, 2.6, "#4A3E33",
            [(polygon_mask([CENTRAL_ASIA]), "#B07A3A", 3.2),
             (polygon_mask([XINJIANG]), "#F0B060", 3.6)])
    urumqi = CITIES["urumqi"]
    dsts = [CITIES[k] for k in ("almaty", "bishkek", "tashkent", "dushanbe", "astana",
                                "ashgabat", "novosibirsk", "tehran", "islamabad", "ulaanbaatar")]
    draw_arcs(cv, proj, urumqi, dsts, "#E8A04A", width=2.2, lift=0.3, glow=6, gain=0.8)
    draw_nodes(cv, [proj.xy(*p) for p in dsts], "#E8A04A", 6, glow=8)
    draw_nodes(cv, [proj.xy(*urumqi)], "#FFE0A8", 12, glow=18, gain=1.3)
    cv.calm_lower_left(0.5, base="#0A0908")
    cv.save("central-asia-map.png", colours=96, dither=0)


def img_letters_world():
    cv = Canvas(HERO, "#0A1C1E", "#061011")
    proj = world_proj()
    cv.radial(1300, 400, 900, "#2AA198", 0.16)
    dot_map(cv, proj, 2.0, 2.6, "#1E4A4A", [(polygon_mask([CHINA]), "#4FD1C5", 3.4)])
    named = ["washington", "london", "halle", "canberra", "tokyo", "moscow", "bangkok", "podgorica"]
    others = ["paris", "rome", "madrid", "vienna", "warsaw", "stockholm", "ottawa", "seoul",
              "singapore", "kuala_lumpur", "new_delhi", "islamabad", "tehran", "ankara", "cairo",
              "nairobi", "pretoria", "lagos", "brasilia", "buenos_aires", "santiago", "lima",
              "mexico", "wellington", "jakarta", "manila", "hanoi", "colombo", "dhaka",
              "kathmandu", "ulaanbaatar", "tashkent"]
    src = CITIES["beijing"]
    draw_arcs(cv, proj, src, [CITIES[k] for k in others], "#2AA198", width=1.2, glow=3, gain=0.45)
    draw_arcs(cv, proj, src, [CITIES[k] for k in named], "#5FE0D2", width=2.0, glow=6, gain=0.8)
    draw_nodes(cv, [proj.xy(*CITIES[k]) for k in others], "#2AA198", 3.5, glow=5, gain=0.7)
    draw_nodes(cv, [proj.xy(*CITIES[k]) for k in named], "#5FE0D2", 6, glow=9)
    draw_nodes(cv, [proj.xy(*src)], "#A8FFF5", 10, glow=16, gain=1.2)
    cv.calm_lower_left(0.8, base="#061011")
    cv.save("letters-world.png", colours=96, dither=0)


def img_quote_bg():
    """Soft, almost empty background for quote slides: a few letter-like folded planes."""
    cv = Canvas(HERO, "#0C1A1C", "#060D0E")
    cv.radial(1500, 320, 800, "#2AA198", 0.20)
    img, d = cv.layer()
    rnd = random.Random(2020)
    for i in range(7):
        x, y = 1150 + i * 95 + rnd.uniform(-20, 20), 200 + rnd.uniform(-60, 260)
        w, h = 150, 100
        ang = rnd.uniform(-0.4, 0.4)
        ca, sa = math.cos(ang), math.sin(ang)
        corners = [(-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2)]
        poly = [((x + ca * px - sa * py) * SS, (y + sa * px + ca * py) * SS) for px, py in corners]
        d.polygon(poly, outline=(95, 224, 210, 110), width=2 * SS)
        flap = [poly[0], ((x + -sa * 10) * SS, (y + ca * 10) * SS), poly[1]]
        d.line(flap, fill=(95, 224, 210, 90), width=2 * SS)
    cv.add(img, blur=4, gain=0.5)
    cv.over(img, opacity=0.7)
    cv.calm_lower_left(0.85, base="#060D0E")
    cv.save("quote-letters.png")


def img_data_sharing():
    cv = Canvas(HERO, "#08162A", "#050B14")
    proj = world_proj()
    cv.radial(1400, 380, 900, "#3FA7D6", 0.15)
    dot_map(cv, proj, 2.0, 2.4, "#1B3552")
    rnd = random.Random(175)
    pts = grid_points(proj, 2.0)
    rnd.shuffle(pts)
    chosen = [proj.xy(*p) for p in pts[:175]]   # 175 countries and regions, abstractly
    draw_nodes(cv, chosen, "#3FA7D6", 3.2, glow=6, gain=0.8, core="#D5F0FF")
    bx, by = proj.xy(*CITIES["beijing"])
    img, d = cv.layer()
    for i, r in enumerate((40, 90, 150, 220, 300, 390)):
        d.ellipse(((bx - r) * SS, (by - r) * SS, (bx + r) * SS, (by + r) * SS),
                  outline=(63, 167, 214, 150 - i * 20), width=2 * SS)
    cv.add(img, blur=3, gain=0.6)
    cv.over(img, opacity=0.6)
    draw_nodes(cv, [(bx, by)], "#A8E4FF", 10, glow=18, gain=1.3)
    cv.calm_lower_left(0.8, base="#050B14")
    cv.save("data-sharing.png", colours=96, dither=0)


def img_anso_network():
    cv = Canvas(HERO, "#0A1E16", "#050E0A")
    proj = world_proj()
    cv.radial(1350, 430, 900, "#3BA55C", 0.16)
    dot_map(cv, proj, 2.0, 2.4, "#1C3D2B")
    members = ["beijing", "moscow", "islamabad", "tashkent", "almaty", "bishkek", "dushanbe",
               "kathmandu", "dhaka", "colombo", "bangkok", "vientiane", "yangon", "hanoi",
               "kuala_lumpur", "jakarta", "manila", "singapore", "tehran", "ankara", "cairo",
               "addis_ababa", "nairobi", "dar_es_salaam", "windhoek", "pretoria", "lagos",
               "accra", "brasilia", "lima", "santiago", "minsk", "warsaw", "vienna", "ulaanbaatar",
               "karachi", "riyadh", "paris"]
    pts = {k: proj.xy(*CITIES[k]) for k in members}
    # connect each node to its 3 nearest neighbours
    edges = set()
    for k, (x, y) in pts.items():
        near = sorted((math.hypot(x - x2, y - y2), k2) for k2, (x2, y2) in pts.items() if k2 != k)
        for _, k2 in near[:3]:
            edges.add(tuple(sorted((k, k2))))
    img, d = cv.layer()
    for a, b in sorted(edges):
        (x0, y0), (x1, y1) = pts[a], pts[b]
        d.line((x0 * SS, y0 * SS, x1 * SS, y1 * SS), fill=(95, 200, 130, 150), width=2 * SS)
    cv.add(img, blur=4, gain=0.5)
    cv.over(img, opacity=0.7)
    # founding members: CAS (Beijing), RAS (Moscow), PAS (Islamabad), UNESCO (Paris)
    draw_arcs(cv, proj, CITIES["beijing"], [CITIES[k] for k in ("moscow", "islamabad", "paris")],
              "#8FE3A8", width=2.4, lift=0.22, glow=7, gain=0.8)
    draw_nodes(cv, [pts[k] for k in members], "#3BA55C", 5, glow=7, gain=0.8, core="#D8FFE4")
    draw_nodes(cv, [pts[k] for k in ("beijing", "moscow", "islamabad", "paris")], "#9BF0B5", 9,
               glow=14, gain=1.1)
    cv.calm_lower_left(0.8, base="#050E0A")
    cv.save("anso-network.png", colours=96, dither=0)


def img_talent_rings():
    """10 overseas centres on the outer ring, 6 CAS-TWAS centres inside, flows of people."""
    cv = Canvas(HERO, "#0B1A12", "#050D09")
    rnd = random.Random(4000)
    cx, cy = 1400, 450
    cv.radial(cx, cy, 700, "#3BA55C", 0.2)
    img, d = cv.layer()
    for r in (150, 300, 420):
        d.ellipse(((cx - r) * SS, (cy - r) * SS, (cx + r) * SS, (cy + r) * SS),
                  outline=(90, 190, 120, 70), width=2 * SS)
    cv.over(img)
    # particles spiralling inwards (people trained / students funded)
    img, d = cv.layer()
    for _ in range(1200):
        a = rnd.uniform(0, 2 * math.pi)
        r = rnd.uniform(60, 520) ** 0.9 * 1.7
        r = min(r, 520)
        x, y = cx + r * math.cos(a), cy + r * math.sin(a)
        s = rnd.uniform(0.8, 1.8)
        d.ellipse(((x - s) * SS, (y - s) * SS, (x + s) * SS, (y + s) * SS), fill=(150, 230, 170, 150))
    cv.over(img, opacity=0.7)
    outer = [(cx + 420 * math.cos(i / 10 * 2 * math.pi - 0.3), cy + 420 * math.sin(i / 10 * 2 * math.pi - 0.3))
             for i in range(10)]
    inner = [(cx + 150 * math.cos(i / 6 * 2 * math.pi), cy + 150 * math.sin(i / 6 * 2 * math.pi))
             for i in range(6)]
    img, d = cv.layer()
    for x, y in outer + inner:
        d.line((cx * SS, cy * SS, x * SS, y * SS), fill=(120, 220, 150, 90), width=2 * SS)
    cv.over(img)
    draw_nodes(cv, outer, "#3BA55C", 11, glow=14, gain=1.0)
    draw_nodes(cv, inner, "#F2C14E", 9, glow=12, gain=1.0)
    draw_nodes(cv, [(cx, cy)], "#CFFFE0", 16, glow=24, gain=1.2)
    cv.calm_lower_left(0.82, base="#050D09")
    cv.save("talent-rings.png")


def img_projects_hex():
    """100 hexagon cells (projects); six larger highlighted cells (CAS-TWAS centres)."""
    cv = Canvas(SIDE, "#0B1A12", "#060E0A")
    rnd = random.Random(100)
    cv.radial(600, 420, 600, "#3BA55C", 0.18)
    s = 40
    cells = []
    for row in range(-1, 24):
        for col in range(-1, 12):
            x = col * s * 1.75 + (row % 2) * s * 0.875
            y = row * s * 1.52
            cells.append((x, y))
    # keep 100 cells closest to a centre point (a loose blob)
    fx, fy = 500, 470
    cells.sort(key=lambda p: math.hypot(p[0] - fx, (p[1] - fy) * 0.8) + rnd.uniform(0, 60))
    chosen = cells[:100]
    special = set(rnd.sample(range(100), 6))
    img, d = cv.layer()
    glow, gd = cv.layer()

    def hexagon(x, y, r):
        return [((x + r * math.cos(math.pi / 6 + k * math.pi / 3)) * SS,
                 (y + r * math.sin(math.pi / 6 + k * math.pi / 3)) * SS) for k in range(6)]

    for i, (x, y) in enumerate(chosen):
        if i in special:
            d.polygon(hexagon(x, y, s * 0.88), fill=(214, 170, 70, 220))
            gd.polygon(hexagon(x, y, s * 0.88), fill=(242, 193, 78, 255))
        else:
            t = rnd.random()
            d.polygon(hexagon(x, y, s * 0.8), fill=mix((22, 56, 38), (44, 110, 68), t) + (190,),
                      outline=(90, 190, 120, 90))
    cv.add(glow, blur=18, gain=0.35)
    cv.over(img)
    cv.calm_lower_left(0.5, base="#060E0A")
    cv.save("projects-hex.png")


def img_big_science():
    """A row of radio dishes (SKA) under a night sky with a glowing torus (ITER)."""
    cv = Canvas(HERO, "#0E0B22", "#1A1230")
    rnd = random.Random(1000)
    cv.radial(1380, 330, 800, "#8C6BD8", 0.22)
    img, d = cv.layer()
    for _ in range(700):
        x, y = rnd.uniform(0, 1920), rnd.uniform(0, 720)
        r = rnd.choice([0.6, 0.8, 1.0, 1.3])
        b = rnd.randint(110, 230)
        d.ellipse(((x - r) * SS, (y - r) * SS, (x + r) * SS, (y + r) * SS), fill=(b, b, min(255, b + 20), 255))
    cv.over(img)
    # torus: wireframe of tilted rings around a central axis
    tx, ty, R, r = 1390, 330, 210, 78
    img, d = cv.layer()
    tilt = math.radians(68)
    for k in range(36):
        phi = (k + 0.5) / 36 * 2 * math.pi
        pts = []
        for j in range(61):
            th = j / 60 * 2 * math.pi
            x = (R + r * math.cos(th)) * math.cos(phi)
            y = (R + r * math.cos(th)) * math.sin(phi)
            z = r * math.sin(th)
            yv = y * math.cos(tilt) - z * math.sin(tilt)
            pts.append(((tx + x) * SS, (ty + yv) * SS))
        d.line(pts, fill=(170, 140, 240, 120), width=SS)
    for k in range(12):
        th = k / 12 * 2 * math.pi
        pts = []
        for j in range(121):
            phi = j / 120 * 2 * math.pi
            x = (R + r * math.cos(th)) * math.cos(phi)
            y = (R + r * math.cos(th)) * math.sin(phi)
            z = r * math.sin(th)
            yv = y * math.cos(tilt) - z * math.sin(tilt)
            pts.append(((tx + x) * SS, (ty + yv) * SS))
        d.line(pts, fill=(200, 170, 255, 140), width=SS)
    cv.add(img, blur=5, gain=0.6)
    cv.over(img, opacity=0.8)
    # plasma ring inside the torus
    img, d = cv.layer()
    rx, ry = R, R * math.cos(tilt)
    d.ellipse(((tx - rx) * SS, (ty - ry) * SS, (tx + rx) * SS, (ty + ry) * SS),
              outline=(255, 150, 230, 255), width=6 * SS)
    cv.add(img, blur=12, gain=0.9)
    cv.add(img, blur=2, gain=0.6)
    # horizon
    img, d = cv.layer()
    pts = [(x * SS, (800 - 25 * math.sin(x / 300) - 10 * math.sin(x / 71)) * SS) for x in range(0, 1941, 20)]
    d.polygon(pts + [(1920 * SS, 1080 * SS), (0, 1080 * SS)], fill=(14, 10, 24, 255))
    cv.over(img)

    def dish(d, x, ground, size, col):
        """Side view of a radio dish on a pedestal, pointing up and to the left."""
        # pedestal and yoke
        d.polygon([((x - size * 0.09) * SS, ground * SS), ((x + size * 0.09) * SS, ground * SS),
                   ((x + size * 0.035) * SS, (ground - size * 0.5) * SS),
                   ((x - size * 0.035) * SS, (ground - size * 0.5) * SS)], fill=col)
        cx, cy = x, ground - size * 0.62
        ang = math.radians(-32)            # tilt of the dish axis from vertical (towards the left)
        ax, ay = math.sin(ang), -math.cos(ang)          # unit vector along the dish axis
        px, py = math.cos(ang), math.sin(ang)           # unit vector across the dish face
        rim = size * 0.5
        depth = size * 0.16
        # the dish: rim seen slightly from behind (thin ellipse) plus the bowl behind it
        pts = []
        for i in range(49):
            t = (i / 48 - 0.5) * 2                      # -1..1 across the face
            back = depth * (1 - t * t)                  # parabolic bowl depth
            pts.append(((cx + px * t * rim - ax * back) * SS, (cy + py * t * rim - ay * back) * SS))
        for i in range(49):
            t = 1 - i / 48 * 2
            front = depth * 0.22 * (1 - t * t) ** 0.5    # near half of the rim ellipse
            pts.append(((cx + px * t * rim + ax * front) * SS, (cy + py * t * rim + ay * front) * SS))
        d.polygon(pts, fill=col)
        # feed legs to the focus in front of the dish
        fx, fy = cx + ax * size * 0.42, cy + ay * size * 0.42
        w = max(1, int(size * 0.014 * SS))
        for t in (-0.8, 0.8):
            d.line(((cx + px * t * rim) * SS, (cy + py * t * rim) * SS, fx * SS, fy * SS), fill=col, width=w)
        r = size * 0.03
        d.ellipse(((fx - r) * SS, (fy - r) * SS, (fx + r) * SS, (fy + r) * SS), fill=col)

    img, d = cv.layer()
    for i, (x, size) in enumerate([(930, 110), (1100, 140), (1290, 175), (1500, 215), (1730, 260)]):
        ground = 800 - 25 * math.sin(x / 300) - 10 * math.sin(x / 71) + 8
        dish(d, x, ground, size, (8, 6, 14, 255))
    cv.over(img)
    cv.calm_lower_left(0.8, base="#0A0818")
    cv.save("big-science.png")


IMAGES = {
    "opening-world.png": img_opening,
    "nanjing-bars.png": img_nanjing_bars,
    "nanjing-network.png": img_nanjing_network,
    "super-red-galaxies.png": img_super_red,
    "swamp-forest.png": img_swamp_forest,
    "soil-layers.png": img_soil_layers,
    "xinjiang-landscape.png": img_xinjiang,
    "xinjiang-rings.png": img_xinjiang_rings,
    "central-asia-map.png": img_central_asia,
    "letters-world.png": img_letters_world,
    "quote-letters.png": img_quote_bg,
    "data-sharing.png": img_data_sharing,
    "anso-network.png": img_anso_network,
    "talent-rings.png": img_talent_rings,
    "projects-hex.png": img_projects_hex,
    "big-science.png": img_big_science,
}


def main(argv):
    os.makedirs(OUT, exist_ok=True)
    pats = argv or ["*"]
    for name, fn in IMAGES.items():
        if any(fnmatch.fnmatch(name, p) for p in pats):
            fn()
    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT) if f.endswith(".png"))
    print(f"total {total / 1024:.1f} KB in {OUT}")


if __name__ == "__main__":
    main(sys.argv[1:])
