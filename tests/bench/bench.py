#!/usr/bin/env python3
"""`make bench`: what a person running the kiosk would measure, from outside the process.

Builds the same 12 slides (a 1920x1080 JPEG each, an English and a Chinese title, a 300-600
character body, hero layout, a 2 s period including the crossfade) as a kiosk pack and as a
self-contained HTML/CSS page, then runs `kiosk --fullscreen` on the pack and Debian's
`chromium --kiosk` on the page, each under a fresh Xvfb 1920x1080x24, interleaved, N runs each:

  first_frame_ms   exec to the first poll (XGetImage every 20 ms) that shows picture content
                   across the screen (kiosk-bench-helper first-picture)
  pss_mb           sum of Pss in /proc/PID/smaps_rollup over the app's processes at t+30 s
  cpu_s_per_min    utime+stime (children included) of those processes from t+30 s to t+60 s,
                   scaled to a minute (60 = one core busy)

plus, for the kiosk alone: a still slide (cpu_idle_pct), PSS at 3840x2160, memory growth over 3
rotations of a 200-slide pack (rss_growth_mb), import speed beside a plain copy + fsync, and
kiosk-bench's in-process figures (layout, frames per renderer and size, present floor, switch
stall). Writes everything to --out (JSON) and prints a table. Nothing here asserts a time.

Only the Python standard library and Debian packages (Makefile BENCH_DEPS).
"""

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib

SOURCE_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLK_TCK = os.sysconf("SC_CLK_TCK")
SLIDES = 12
PERIOD_MS = 2000
FADE_MS = 800  # the kiosk's crossfade (NavigatorConfig::fade_ms); the page uses the same


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- processes ------------------------------------------------------------------------------

def descendants(root):
    """root and every process below it, by walking /proc's parent links."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def pss_mb(pids):
    total_kb = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total_kb += int(line.split()[1])
        except OSError:
            pass
    return total_kb / 1024.0


def cpu_s(pids):
    """utime+stime+cutime+cstime: a child that exits and is reaped still counts, in its parent."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        total += sum(int(v) for v in fields[11:15])
    return total / CLK_TCK


def rss_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return None


def sleep_until(deadline):
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return
        time.sleep(min(left, 0.5))


def stop_group(process, grace_s=10):
    """SIGTERM to the process group (the app and all it started), then SIGKILL."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


class Xvfb:
    """A fresh X server of the given size; DISPLAY chosen by Xvfb itself (-displayfd)."""

    def __init__(self, size, work):
        self.size = size
        self.work = work

    def __enter__(self):
        read_end, write_end = os.pipe()
        self.log = open(os.path.join(self.work, "xvfb.log"), "a")
        self.process = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write_end), "-screen", "0", f"{self.size}x24", "-nolisten", "tcp",
             "-noreset"],
            pass_fds=(write_end,), stdout=self.log, stderr=self.log, start_new_session=True)
        os.close(write_end)
        number = b""
        with os.fdopen(read_end, "rb") as f:
            while not number.endswith(b"\n"):
                chunk = f.read(1)
                if not chunk:
                    raise RuntimeError("Xvfb did not start; see " + self.log.name)
                number += chunk
        self.display = ":" + number.decode().strip()
        return self

    def __exit__(self, *exc):
        stop_group(self.process)
        self.log.close()


EXTRA_KIOSK_ENV = {}  # --kiosk-env NAME=VALUE: try a variant (e.g. an SDL hint) without rebuilding


def app_env(display, kiosk=False):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SDL_", "WAYLAND", "XDG_SESSION"))}
    env["DISPLAY"] = display
    if kiosk:
        env.update(EXTRA_KIOSK_ENV)
    return env


# --- content ----------------------------------------------------------------------------------

def demo_texts():
    """English and Chinese kicker/title/body/caption of the demo pack's slides (covered by the
    shipped font subsets, which arbitrary Chinese text would not be)."""
    texts = []
    folder = os.path.join(SOURCE_DIR, "content", "slides")
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), "rb") as f:
            slide = tomllib.load(f)
        if slide.get("en", {}).get("body") and slide.get("zh", {}).get("body"):
            texts.append(slide)
    return texts


def long_body(texts, i, lang, at_least):
    """Sentences of several demo bodies joined until at least `at_least` characters."""
    joiner = " " if lang == "en" else ""
    body = texts[i % len(texts)][lang]["body"]
    k = i + 5
    while len(body) < at_least:
        body += joiner + texts[k % len(texts)][lang]["body"]
        k += 1
    return body


def slide_texts(texts, i):
    en = texts[i % len(texts)]["en"]
    zh = texts[i % len(texts)]["zh"]
    return {
        "en": {"kicker": en.get("kicker", ""), "title": en["title"], "body": long_body(texts, i, "en", 220),
               "caption": en.get("caption", "")},
        "zh": {"kicker": zh.get("kicker", ""), "title": zh["title"], "body": long_body(texts, i, "zh", 90),
               "caption": zh.get("caption", "")},
    }


def toml_string(value):
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def write_pack_source(folder, images, count, duration_ms, texts, title_suffix=False):
    os.makedirs(os.path.join(folder, "slides"), exist_ok=True)
    os.makedirs(os.path.join(folder, "images"), exist_ok=True)
    with open(os.path.join(folder, "pack.toml"), "w") as f:
        f.write('pack_id = "bench"\nversion = 1\ntarget = "*"\ndefault_language = "en"\n'
                'languages = ["en", "zh"]\n[title]\nen = "Benchmark"\nzh = "基准测试"\n')
    for image in images:
        shutil.copy(image, os.path.join(folder, "images", os.path.basename(image)))
    for i in range(count):
        t = slide_texts(texts, i)
        if title_suffix:  # a 200-slide pack: every slide's text differs
            t["en"]["title"] += f" ({i + 1})"
            t["zh"]["title"] += f"（{i + 1}）"
        lines = ['layout = "hero"', f"duration_ms = {duration_ms}",
                 f'image = "images/{os.path.basename(images[i % len(images)])}"', ""]
        for lang in ("en", "zh"):
            lines.append(f"[{lang}]")
            for key in ("kicker", "title", "body", "caption"):
                if t[lang][key]:
                    lines.append(f"{key} = {toml_string(t[lang][key])}")
            lines.append("")
        with open(os.path.join(folder, "slides", f"{i + 1:03d}.toml"), "w") as f:
            f.write("\n".join(lines))


def write_page(path, images, texts):
    """The same slides as one HTML/CSS page: no script, no network; fonts and images by file://.
    Slide i fades in over 0.8 s on top of slide i-1 (z-index 2 while it fades), then holds; a
    slide every 2 s, as the kiosk does with duration 1200 ms + its 800 ms fade."""
    fonts = os.path.join(SOURCE_DIR, "assets", "fonts")
    cycle_s = SLIDES * PERIOD_MS / 1000
    fade = FADE_MS / 1000 / cycle_s * 100
    hold = (PERIOD_MS + FADE_MS) / 1000 / cycle_s * 100
    faces = []
    for family, file, weight in (("Noto Sans", "NotoSans-Regular.ttf", 400), ("Noto Sans", "NotoSans-Bold.ttf", 700),
                                 ("Noto Sans SC", "NotoSansSC-Regular.otf", 400),
                                 ("Noto Sans SC", "NotoSansSC-Bold.otf", 700)):
        faces.append(f'@font-face {{ font-family: "{family}"; font-weight: {weight}; '
                     f'src: url("file://{fonts}/{file}"); }}')
    css = "\n".join(faces) + f"""
html, body {{ margin: 0; width: 100%; height: 100%; overflow: hidden; background: #080c14; cursor: none; }}
.slide {{ position: absolute; inset: 0; opacity: 0; background-size: cover; background-position: center;
  animation: show {cycle_s}s linear infinite backwards; }}
.scrim {{ position: absolute; inset: 0;
  background: linear-gradient(to right, rgba(5,10,20,0.82) 0%, rgba(5,10,20,0.55) 45%, rgba(5,10,20,0) 70%); }}
.text {{ position: absolute; left: 96px; bottom: 110px; width: 860px; max-height: 860px; overflow: hidden;
  color: #fff; font-family: "Noto Sans", "Noto Sans SC", sans-serif; }}
.text :lang(zh) {{ font-family: "Noto Sans SC", "Noto Sans", sans-serif; }}
.kicker {{ font-weight: 700; font-size: 26px; color: #e9a15b; margin: 0 0 10px; }}
h1 {{ font-weight: 700; font-size: 62px; line-height: 1.15; margin: 0 0 8px; }}
h2 {{ font-weight: 400; font-size: 36px; line-height: 1.25; margin: 0 0 26px; color: #dde3ea; }}
p {{ font-size: 31px; line-height: 1.35; margin: 0 0 14px; }}
p.second {{ font-size: 25px; color: #dde3ea; }}
.caption {{ font-size: 20px; color: #b8c0ca; margin-top: 22px; }}
@keyframes show {{
  0% {{ opacity: 0; z-index: 2; }}
  {fade:.3f}% {{ opacity: 1; z-index: 2; }}
  {fade + 0.005:.3f}% {{ opacity: 1; z-index: 1; }}
  {hold:.3f}% {{ opacity: 1; z-index: 1; }}
  {hold + 0.005:.3f}% {{ opacity: 0; z-index: 1; }}
  100% {{ opacity: 0; z-index: 1; }}
}}
"""
    import html
    body = []
    for i in range(SLIDES):
        t = slide_texts(texts, i)
        delay = i * PERIOD_MS / 1000 - FADE_MS / 1000
        body.append(
            f'<div class="slide" style="background-image: url(\'file://{images[i]}\'); animation-delay: {delay:.1f}s">'
            f'<div class="scrim"></div><div class="text">'
            f'<div class="kicker" lang="en">{html.escape(t["en"]["kicker"])}</div>'
            f'<h1 lang="en">{html.escape(t["en"]["title"])}</h1><h2 lang="zh">{html.escape(t["zh"]["title"])}</h2>'
            f'<p lang="en">{html.escape(t["en"]["body"])}</p><p class="second" lang="zh">{html.escape(t["zh"]["body"])}</p>'
            f'<div class="caption" lang="en">{html.escape(t["en"]["caption"])}</div></div></div>')
    with open(path, "w") as f:
        f.write(f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Slides</title>\n'
                f'<style>\n{css}</style></head>\n<body>\n' + "\n".join(body) + "\n</body></html>\n")


# --- the bench --------------------------------------------------------------------------------

class Bench:
    def __init__(self, args):
        self.args = args
        self.build = os.path.abspath(args.build)
        self.kiosk = os.path.join(self.build, "kiosk")
        self.kiosk_pack = os.path.join(self.build, "kiosk-pack")
        self.kiosk_bench = os.path.join(self.build, "tests", "kiosk-bench")
        self.helper = os.path.join(self.build, "tests", "kiosk-bench-helper")
        self.work = os.path.join(self.build, "bench-work")
        self.quick = args.quick
        self.runs = 1 if args.quick else args.runs
        # (PSS at, CPU from, CPU to) seconds after exec.
        self.window = (8, 8, 16) if args.quick else (30, 30, 60)
        self.results = {"notes": []}
        self.chromium = shutil.which("chromium")
        self.xvfb = shutil.which("Xvfb")

    def note(self, message):
        log(message)
        self.results["notes"].append(message)

    def run(self, argv, **kw):
        return subprocess.run(argv, check=True, **kw)

    # Content ----------------------------------------------------------------------------------
    def prepare(self):
        shutil.rmtree(self.work, ignore_errors=True)
        os.makedirs(self.work)
        texts = demo_texts()
        images = []
        log(f"writing {SLIDES} test photographs (1920x1080 JPEG)")
        for i in range(SLIDES):
            path = os.path.join(self.work, "images", f"photo-{i + 1:02d}.jpg")
            os.makedirs(os.path.dirname(path), exist_ok=True)
            self.run([self.helper, "jpeg", "1920", "1080", str(i + 1), path])
            images.append(path)
        self.images = images
        log("building the side-by-side pack and page")
        write_pack_source(os.path.join(self.work, "side-src"), images, SLIDES, PERIOD_MS - FADE_MS, texts)
        self.side_pack = os.path.join(self.work, "side.kpack")
        self.pack_build(os.path.join(self.work, "side-src"), self.side_pack)
        write_pack_source(os.path.join(self.work, "still-src"), images, SLIDES, 600000, texts)
        self.still_pack = os.path.join(self.work, "still.kpack")
        self.pack_build(os.path.join(self.work, "still-src"), self.still_pack)
        self.page = os.path.join(self.work, "slides.html")
        write_page(self.page, images, texts)
        self.results["content"] = {
            "slides": SLIDES, "period_ms": PERIOD_MS, "fade_ms": FADE_MS,
            "kiosk_duration_ms": PERIOD_MS - FADE_MS,
            "body_chars": [len(slide_texts(texts, i)["en"]["body"]) + len(slide_texts(texts, i)["zh"]["body"])
                           for i in range(SLIDES)],
            "pack_bytes": os.path.getsize(self.side_pack),
        }
        self.empty_config = os.path.join(self.work, "empty.toml")
        open(self.empty_config, "w").close()

    def pack_build(self, source, out):
        self.run([self.kiosk_pack, "build", source, "-o", out, "--force-version", "--quiet"])

    # Side by side ------------------------------------------------------------------------------
    def kiosk_argv(self, pack, data_dir, run_for_ms=None):
        argv = [self.kiosk, "--fullscreen", "--pack", pack, "--no-updates", "--data-dir", data_dir,
                "--config", self.empty_config, "-v"]
        if run_for_ms:
            argv += ["--run-for", str(run_for_ms)]
        return argv

    def chromium_argv(self, profile, size):
        w, h = size.split("x")
        argv = [self.chromium, "--kiosk", f"--user-data-dir={profile}", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
                "--noerrdialogs", "--disable-session-crashed-bubble", "--password-store=basic",
                f"--window-size={w},{h}", "--window-position=0,0", "file://" + self.page]
        if os.geteuid() == 0:
            argv.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
        return argv

    def measure_app(self, name, argv_for, size="1920x1080", window=None, log_name=None):
        """Starts the app under a fresh Xvfb and measures first picture, PSS, CPU from outside."""
        pss_at, cpu_from, cpu_to = window or self.window
        run_dir = tempfile.mkdtemp(prefix=name + "-", dir=self.work)
        with Xvfb(size, run_dir) as x:
            argv = argv_for(run_dir)
            err = open(os.path.join(run_dir, log_name or "app.log"), "w")
            start = time.monotonic()
            helper = subprocess.Popen([self.helper, "first-picture", "--timeout-ms", "20000", "--"] + argv,
                                      stdout=subprocess.PIPE, stderr=err,
                                      env=app_env(x.display, kiosk=not name.startswith("chromium")), text=True,
                                      start_new_session=True)
            result = {}
            try:
                pid = int(helper.stdout.readline().split()[1])
                first = float(helper.stdout.readline().split()[1])
                result["first_frame_ms"] = first if first >= 0 else None
                sleep_until(start + pss_at)
                app_pids = descendants(pid)
                result["pss_mb"] = pss_mb(app_pids)
                result["processes"] = len(app_pids)
                sleep_until(start + cpu_from)
                cpu0, x0 = cpu_s(descendants(pid)), cpu_s([x.process.pid])
                sleep_until(start + cpu_to)
                cpu1, x1 = cpu_s(descendants(pid)), cpu_s([x.process.pid])
                per_min = 60.0 / (cpu_to - cpu_from)
                result["cpu_s_per_min"] = (cpu1 - cpu0) * per_min
                result["xvfb_cpu_s_per_min"] = (x1 - x0) * per_min
                result["alive"] = helper.poll() is None
            finally:
                stop_group(helper)
                err.close()
            with open(os.path.join(run_dir, log_name or "app.log"), errors="replace") as f:
                result["log"] = f.read()
        return result

    @staticmethod
    def kiosk_frames(app_log):
        """Frames the kiosk drew over its whole run (it logs them when it quits) and what that makes
        per second of crossfade: a still slide costs one frame, each change one fade."""
        shown = len(re.findall(r"show: slide \d+/", app_log))
        m = re.search(r"drew (\d+) frames in (\d+) ms", app_log)
        if not m or shown < 2:
            return {"slides_shown": shown}
        frames = int(m.group(1))
        return {"slides_shown": shown, "frames": frames,
                "transition_fps": (frames - shown) / ((shown - 1) * FADE_MS / 1000)}

    def side_by_side(self):
        peers = ["kiosk"]
        if not self.xvfb:
            self.note("Xvfb is not installed: the side-by-side, idle and frame measurements are skipped "
                      "(make bench installs it as root)")
            return
        if self.chromium:
            peers.append("chromium")
        else:
            self.note("chromium is not installed: the peer is skipped (make bench installs it as root)")
        samples = {p: [] for p in peers}
        for run in range(self.runs):
            order = peers if run % 2 == 0 else list(reversed(peers))  # interleaved, alternating first
            for peer in order:
                log(f"side by side run {run + 1}/{self.runs}: {peer}")
                if peer == "kiosk":
                    r = self.measure_app("kiosk", lambda d: self.kiosk_argv(self.side_pack, d))
                    m = re.search(r"renderer: (.*)", r["log"])
                    r["renderer"] = m.group(1).strip() if m else None
                    r.update(self.kiosk_frames(r["log"]))
                else:
                    r = self.measure_app("chromium", lambda d: self.chromium_argv(os.path.join(d, "profile"),
                                                                                  "1920x1080"))
                    m = re.search(r"Chromium ([\d.]+)", subprocess.run([self.chromium, "--version"],
                                                                      capture_output=True, text=True).stdout)
                    r["version"] = m.group(1) if m else None
                del r["log"]
                log("  " + ", ".join(f"{k} {v:.1f}" if isinstance(v, float) else f"{k} {v}" for k, v in r.items()))
                samples[peer].append(r)
        summary = {}
        for peer, runs in samples.items():
            s = {"runs": runs}
            for key in ("first_frame_ms", "pss_mb", "cpu_s_per_min", "xvfb_cpu_s_per_min", "transition_fps"):
                values = [r[key] for r in runs if r.get(key) is not None]
                s[key] = statistics.median(values) if values else None
            summary[peer] = s
        if "chromium" in summary:
            k, c = summary["kiosk"], summary["chromium"]
            summary["ratio_chromium_over_kiosk"] = {
                key: (c[key] / k[key]) if k.get(key) and c.get(key) else None
                for key in ("first_frame_ms", "pss_mb", "cpu_s_per_min")}
        self.results["side_by_side"] = summary
        for key in ("first_frame_ms", "pss_mb", "cpu_s_per_min", "transition_fps"):
            self.results[key] = summary["kiosk"][key]

    def idle_and_4k(self):
        if not self.xvfb:
            return
        window = (5, 5, 15) if self.quick else (5, 5, 35)
        cpu, pss = [], []
        for run in range(self.runs):
            log(f"still slide run {run + 1}/{self.runs}")
            r = self.measure_app("still", lambda d: self.kiosk_argv(self.still_pack, d), window=window)
            cpu.append(r["cpu_s_per_min"] / 60 * 100)
        self.results["cpu_idle_pct"] = statistics.median(cpu)
        log(f"  cpu_idle_pct {self.results['cpu_idle_pct']:.2f} % of one core")
        log("kiosk at 3840x2160")
        # --windowed gives the size: with no window manager (Xvfb, a bare X session) a fullscreen
        # window keeps the size it was created with, 1920x1080 by default.
        r = self.measure_app("kiosk4k", lambda d: self.kiosk_argv(self.side_pack, d) + ["--windowed", "3840x2160"],
                             size="3840x2160")
        self.results["pss_mb_4k"] = r["pss_mb"]
        self.results["first_frame_ms_4k"] = r["first_frame_ms"]
        self.results["cpu_s_per_min_4k"] = r["cpu_s_per_min"]
        log(f"  4K: pss {r['pss_mb']:.1f} MB, first frame {r['first_frame_ms']} ms, cpu {r['cpu_s_per_min']:.1f}")

    # In-process figures ------------------------------------------------------------------------
    def in_process(self):
        out = os.path.join(self.work, "offscreen.json")
        log("kiosk-bench offscreen (side-by-side pack)")
        self.run([self.kiosk_bench, self.side_pack, "--json", out])
        with open(out) as f:
            offscreen = json.load(f)
        self.results["offscreen"] = offscreen
        self.results["layout_ms_per_slide"] = offscreen["layout_ms_per_slide"]
        if not self.xvfb:
            return
        frames = {}
        for size in ("1920x1080", "3840x2160"):
            frames[size] = {}
            for renderer in ("software", "opengl", "opengles2"):
                log(f"kiosk-bench frames: {renderer} at {size}")
                out = os.path.join(self.work, f"frames-{renderer}-{size}.json")
                with Xvfb(size, self.work) as x:
                    p = subprocess.run([self.kiosk_bench, self.side_pack, "--frames", renderer, "--json", out,
                                        "--count", "60" if self.quick else "240"],
                                       env=app_env(x.display), capture_output=True, text=True)
                if p.returncode != 0:
                    frames[size][renderer] = {"error": (p.stderr or p.stdout).strip()[-300:]}
                    self.note(f"{renderer} at {size}: not measured ({frames[size][renderer]['error']})")
                    continue
                with open(out) as f:
                    frames[size][renderer] = json.load(f)
                d = frames[size][renderer]
                log(f"  floor {d['present_floor_ms']:.2f} ms, crossfade p50/p99 {d['crossfade_frame_ms_p50']:.2f}/"
                    f"{d['crossfade_frame_ms_p99']:.2f} ms, drag p50/p99 {d['drag_frame_ms_p50']:.2f}/"
                    f"{d['drag_frame_ms_p99']:.2f} ms, stall {d['slide_switch_stall_ms']:.1f} ms")
        self.results["frames"] = frames

    # Memory over a long run --------------------------------------------------------------------
    def rss_growth(self):
        texts = demo_texts()
        count = 40 if self.quick else 200
        rotations = 3
        source = os.path.join(self.work, "big-src")
        self.big_pack = os.path.join(self.work, "big.kpack")
        # 24 distinct photographs across the slides; every slide's text differs.
        images = list(self.images)
        for i in range(SLIDES, 24):
            path = os.path.join(self.work, "images", f"photo-{i + 1:02d}.jpg")
            self.run([self.helper, "jpeg", "1920", "1080", str(i + 1), path])
            images.append(path)
        log(f"building a {count}-slide pack")
        write_pack_source(source, images, count, 1000, texts, title_suffix=True)
        self.pack_build(source, self.big_pack)
        script = os.path.join(self.work, "rotate.script")
        with open(script, "w") as f:
            f.write(f"# {rotations + 1} rotations of {count} slides on the virtual clock\n"
                    f"wait {(rotations + 1) * count * 1800 + 5000}\n")
        data = tempfile.mkdtemp(prefix="rss-", dir=self.work)
        argv = [self.kiosk, "--headless", "--script", script, "--pack", self.big_pack, "--no-updates",
                "--data-dir", data, "--config", self.empty_config, "-v"]
        log(f"kiosk --headless --script: {rotations} rotations of {count} slides, RSS at each return to slide 1")
        p = subprocess.Popen(argv, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                             start_new_session=True, env=app_env(""))
        marks = []
        started = time.monotonic()
        try:
            for line in p.stderr:
                if re.search(rf"slide 1/{count} ", line):
                    marks.append(rss_mb(p.pid))
                    if len(marks) == rotations + 1:
                        break
        finally:
            stop_group(p)
        elapsed = time.monotonic() - started
        if len(marks) < rotations + 1:
            self.note(f"rss_growth_mb: the run ended after {len(marks) - 1} rotations")
            self.results["rss_growth_mb"] = None
            return
        self.results["rss_mb_by_rotation"] = marks
        self.results["rss_growth_mb"] = marks[-1] - marks[1]
        self.results["rss_growth_slides"] = count
        log(f"  RSS at slide 1 of each rotation: {', '.join(f'{m:.1f}' for m in marks)} MB "
            f"({elapsed:.0f} s); growth over rotations 2-{rotations + 1}: {self.results['rss_growth_mb']:.2f} MB")

    # Import ------------------------------------------------------------------------------------
    def import_speed(self):
        keys = os.path.join(self.work, "keys")
        os.makedirs(os.path.join(keys, "trusted"), exist_ok=True)
        self.run([self.kiosk_pack, "keygen", "-o", os.path.join(keys, "bench"), "--no-password"],
                 stdout=subprocess.DEVNULL)
        shutil.copy(os.path.join(keys, "bench.pub"), os.path.join(keys, "trusted"))
        self.run([self.kiosk_pack, "sign", "--key", os.path.join(keys, "bench.key"), self.big_pack],
                 stdout=subprocess.DEVNULL)
        size_mb = os.path.getsize(self.big_pack) / 1e6
        imports, copies = [], []
        for run in range(self.runs):
            data = tempfile.mkdtemp(prefix="import-", dir=self.work)
            start = time.monotonic()
            self.run([self.kiosk, "import", self.big_pack, "--data-dir", data, "--keys",
                      os.path.join(keys, "trusted")], stdout=subprocess.DEVNULL)
            imports.append(time.monotonic() - start)
            target = os.path.join(data, "plain-copy")
            start = time.monotonic()
            with open(self.big_pack, "rb") as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
                dst.flush()
                os.fsync(dst.fileno())
            copies.append(time.monotonic() - start)
            shutil.rmtree(data)
        self.results["import_mb_s"] = size_mb / statistics.median(imports)
        self.results["plain_copy_mb_s"] = size_mb / statistics.median(copies)
        self.results["import_file_mb"] = size_mb
        log(f"import {self.results['import_mb_s']:.0f} MB/s, plain copy + fsync "
            f"{self.results['plain_copy_mb_s']:.0f} MB/s ({size_mb:.0f} MB pack)")

    # Report -------------------------------------------------------------------------------------
    def machine(self):
        cpu = "unknown"
        try:
            with open("/proc/cpuinfo") as f:
                for line in f:
                    if line.startswith("model name"):
                        cpu = line.split(":", 1)[1].strip()
                        break
        except OSError:
            pass
        load = os.getloadavg()
        return {"cpu": cpu, "cores": os.cpu_count(), "kernel": platform.release(),
                "load_avg_at_end": [round(v, 2) for v in load], "date": datetime.datetime.now(
                    datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "quick": self.quick, "runs": self.runs}

    def table(self):
        r = self.results
        lines = []
        sbs = r.get("side_by_side")
        if sbs:
            lines.append("")
            lines.append(f"Side by side ({self.runs} interleaved run(s), median), {SLIDES} slides, a slide every "
                         f"{PERIOD_MS / 1000:g} s with a {FADE_MS} ms crossfade, Xvfb 1920x1080x24:")
            lines.append(f"  {'':34} {'first slide':>12} {'PSS':>10} {'CPU rotating':>16}")

            def row(label, s):
                def f(v, fmt):
                    return fmt.format(v) if v is not None else "-"
                lines.append(f"  {label:34} {f(s['first_frame_ms'], '{:.0f} ms'):>12} {f(s['pss_mb'], '{:.0f} MB'):>10} "
                             f"{f(s['cpu_s_per_min'], '{:.1f} s/min'):>16}")
            if "chromium" in sbs:
                row(f"chromium --kiosk {sbs['chromium']['runs'][0].get('version') or ''}", sbs["chromium"])
            row("kiosk --fullscreen", sbs["kiosk"])
            ratio = sbs.get("ratio_chromium_over_kiosk")
            if ratio:
                lines.append("  {:34} {:>12} {:>10} {:>16}".format(
                    "chromium / kiosk", *[f"{ratio[k]:.1f}x" if ratio[k] else "-"
                                          for k in ("first_frame_ms", "pss_mb", "cpu_s_per_min")]))
        lines.append("")
        lines.append("Kiosk figures:")
        for key, unit in (("first_frame_ms", "ms"), ("pss_mb", "MB"), ("cpu_s_per_min", "CPU-s per minute"),
                          ("transition_fps", "frames per second of crossfade"),
                          ("cpu_idle_pct", "% of one core, still slide"), ("pss_mb_4k", "MB at 3840x2160"),
                          ("layout_ms_per_slide", "ms"), ("rss_growth_mb", "MB over 3 rotations"),
                          ("import_mb_s", "MB/s"), ("plain_copy_mb_s", "MB/s (cp + fsync)")):
            v = r.get(key)
            lines.append(f"  {key:34} {v:10.2f} {unit}" if isinstance(v, (int, float)) else f"  {key:34} {'-':>10}")
        frames = r.get("frames")
        if frames:
            lines.append("")
            lines.append("Frames in a real window (kiosk-bench --frames; ms, wall clock incl. present):")
            lines.append(f"  {'size':10} {'renderer':10} {'floor':>7} {'fade p50':>9} {'p99':>7} {'max':>7} "
                         f"{'drag p50':>9} {'p99':>7} {'max':>7} {'stall':>7} {'fade CPU':>9}")
            for size, by_renderer in frames.items():
                for renderer, d in by_renderer.items():
                    if "error" in d:
                        lines.append(f"  {size:10} {renderer:10} not measured")
                        continue
                    lines.append(
                        f"  {size:10} {renderer:10} {d['present_floor_ms']:7.2f} {d['crossfade_frame_ms_p50']:9.2f} "
                        f"{d['crossfade_frame_ms_p99']:7.2f} {d['crossfade_frame_ms_max']:7.2f} "
                        f"{d['drag_frame_ms_p50']:9.2f} {d['drag_frame_ms_p99']:7.2f} {d['drag_frame_ms_max']:7.2f} "
                        f"{d['slide_switch_stall_ms']:7.1f} {d['crossfade_cpu_ms_per_frame']:9.2f}")
        for note in r["notes"]:
            lines.append("note: " + note)
        return "\n".join(lines)

    def main(self):
        for binary in (self.kiosk, self.kiosk_pack, self.kiosk_bench, self.helper):
            if not os.access(binary, os.X_OK):
                sys.exit(f"bench: {binary} is missing; `make bench` builds it")
        self.results["machine"] = self.machine()
        self.results["command"] = "make bench" + (" BENCH_ARGS=--quick" if self.quick else "")
        self.prepare()
        only = set(self.args.only.split(",")) if self.args.only else None
        steps = [("side", self.side_by_side), ("idle", self.idle_and_4k), ("frames", self.in_process),
                 ("rss", self.rss_growth), ("import", self.import_speed)]
        for name, step in steps:
            if only and name not in only and not (name == "rss" and "import" in only):
                continue
            step()
        self.results["machine"]["load_avg_at_end"] = [round(v, 2) for v in os.getloadavg()]
        os.makedirs(os.path.dirname(os.path.abspath(self.args.out)), exist_ok=True)
        with open(self.args.out, "w") as f:
            json.dump(self.results, f, indent=2, ensure_ascii=False)
        print(self.table())
        print(f"\nwrote {self.args.out}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", default="build-bench", help="the Release build folder (make bench makes it)")
    parser.add_argument("--out", default="build/bench.json")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="1 run, shorter windows, smaller packs (development)")
    parser.add_argument("--only", help="comma-separated steps: side,idle,frames,rss,import")
    parser.add_argument("--kiosk-env", action="append", default=[], metavar="NAME=VALUE",
                        help="environment for the kiosk runs (e.g. SDL_RENDER_DRIVER=software), repeatable")
    args = parser.parse_args()
    for item in args.kiosk_env:
        name, _, value = item.partition("=")
        EXTRA_KIOSK_ENV[name] = value
    bench = Bench(args)
    bench.results["kiosk_env"] = EXTRA_KIOSK_ENV
    bench.main()


if __name__ == "__main__":
    main()
