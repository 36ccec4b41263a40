// kiosk-bench-helper: the parts of `make bench` (tests/bench/bench.py) that need C: watching the X
// framebuffer from outside the measured program, and writing test photographs. Not a test.
//
//   kiosk-bench-helper first-picture [--timeout-ms N] [--poll-ms N] -- PROGRAM ARGS...
//       Starts PROGRAM (fork + exec) and polls the root window of $DISPLAY with XGetImage every
//       --poll-ms (20) ms until it shows picture content across the screen, the way a person sees
//       "the first slide is up". Prints "pid N" at once and "first_picture_ms T" (T = -1 on timeout)
//       on stdout, then waits for PROGRAM, forwarding SIGTERM/SIGINT to it, and exits with its status.
//   kiosk-bench-helper jpeg WIDTH HEIGHT SEED OUT.jpg
//       Writes a photograph-like JPEG (smooth colour fields plus grain, quality 88) that no two seeds
//       share, so the JPEG decoder does real work and a frame of it never looks like a blank screen.
//
// "Picture content": 9 rows spread over the screen height, 48 samples each; the screen shows a
// picture when no single colour (quantised to 4 bits per channel) covers more than half of the
// samples and at least 24 distinct colours appear. A black window, a white page still loading, or a
// page of text on a plain background is not a picture; a photograph across the screen is.

#include <X11/Xlib.h>
#include <X11/Xutil.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <map>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>

namespace {

pid_t g_child = -1;

void forward_signal(int signal_number)
{
    if (g_child > 0)
        kill(g_child, signal_number);
}

double now_ms()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

int usage()
{
    std::fprintf(stderr,
        "usage: kiosk-bench-helper first-picture [--timeout-ms N] [--poll-ms N] -- PROGRAM ARGS...\n"
        "       kiosk-bench-helper jpeg WIDTH HEIGHT SEED OUT.jpg\n");
    return 2;
}

// Whether the screen shows a picture now (see the file comment).
bool shows_picture(Display* display, Window root, int width, int height)
{
    constexpr int rows = 9;
    constexpr int columns = 48;
    std::map<std::uint32_t, int> counts;
    int samples = 0;
    for (int r = 0; r < rows; ++r) {
        int const y = (2 * r + 1) * height / (2 * rows);
        XImage* image = XGetImage(display, root, 0, y, unsigned(width), 1, AllPlanes, ZPixmap);
        if (!image)
            return false;
        for (int c = 0; c < columns; ++c) {
            int const x = (2 * c + 1) * width / (2 * columns);
            unsigned long const pixel = XGetPixel(image, x, 0);
            std::uint32_t const r4 = std::uint32_t((pixel >> 20) & 0xF);
            std::uint32_t const g4 = std::uint32_t((pixel >> 12) & 0xF);
            std::uint32_t const b4 = std::uint32_t((pixel >> 4) & 0xF);
            ++counts[(r4 << 8) | (g4 << 4) | b4];
            ++samples;
        }
        XDestroyImage(image);
    }
    int most = 0;
    for (auto const& [colour, count] : counts)
        most = std::max(most, count);
    return most * 2 <= samples && counts.size() >= 24;
}

int first_picture(int argc, char** argv)
{
    double timeout_ms = 20000;
    double poll_ms = 20;
    int i = 0;
    for (; i < argc; ++i) {
        if (std::strcmp(argv[i], "--timeout-ms") == 0 && i + 1 < argc)
            timeout_ms = std::atof(argv[++i]);
        else if (std::strcmp(argv[i], "--poll-ms") == 0 && i + 1 < argc)
            poll_ms = std::atof(argv[++i]);
        else if (std::strcmp(argv[i], "--") == 0) {
            ++i;
            break;
        } else
            return usage();
    }
    if (i >= argc)
        return usage();

    Display* display = XOpenDisplay(nullptr);
    if (!display) {
        std::fprintf(stderr, "kiosk-bench-helper: cannot open X display '%s'\n", std::getenv("DISPLAY"));
        return 2;
    }
    Window const root = DefaultRootWindow(display);
    XWindowAttributes attributes {};
    XGetWindowAttributes(display, root, &attributes);

    std::signal(SIGTERM, forward_signal);
    std::signal(SIGINT, forward_signal);
    double const start = now_ms();
    g_child = fork();
    if (g_child < 0) {
        std::perror("kiosk-bench-helper: fork");
        return 2;
    }
    if (g_child == 0) {
        execvp(argv[i], argv + i);
        std::fprintf(stderr, "kiosk-bench-helper: cannot run %s: %s\n", argv[i], std::strerror(errno));
        _exit(127);
    }
    std::printf("pid %d\n", int(g_child));
    std::fflush(stdout);

    double found = -1;
    int status = 0;
    bool exited = false;
    while (now_ms() - start < timeout_ms) {
        if (waitpid(g_child, &status, WNOHANG) == g_child) {
            exited = true;
            break;
        }
        if (shows_picture(display, root, attributes.width, attributes.height)) {
            found = now_ms() - start;
            break;
        }
        double const next = start + poll_ms * std::ceil((now_ms() - start + 0.01) / poll_ms);
        double const wait = next - now_ms();
        if (wait > 0)
            usleep(useconds_t(wait * 1000));
    }
    std::printf("first_picture_ms %.1f\n", found);
    std::fflush(stdout);
    XCloseDisplay(display);
    if (!exited) {
        while (waitpid(g_child, &status, 0) < 0 && errno == EINTR) { }
    }
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

// A small deterministic generator, so the same seed gives the same photograph on every machine.
struct Random {
    std::uint64_t state;
    std::uint32_t next()
    {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return std::uint32_t(state >> 33);
    }
    double unit() { return next() / double(1U << 31); }
};

int write_jpeg(int argc, char** argv)
{
    if (argc != 4)
        return usage();
    int const width = std::atoi(argv[0]);
    int const height = std::atoi(argv[1]);
    Random random { std::uint64_t(std::atoll(argv[2])) * 2654435761ULL + 1 };
    if (width < 16 || height < 16 || width > 8192 || height > 8192)
        return usage();
    // Eight soft colour blobs over a gradient sky, plus per-pixel grain.
    struct Blob {
        double x, y, radius, r, g, b;
    };
    std::vector<Blob> blobs;
    for (int k = 0; k < 8; ++k)
        blobs.push_back({ random.unit() * width, random.unit() * height, (0.15 + 0.3 * random.unit()) * width,
            255 * random.unit(), 255 * random.unit(), 255 * random.unit() });
    double const top[3] = { 40 + 150 * random.unit(), 60 + 150 * random.unit(), 90 + 160 * random.unit() };
    std::vector<std::uint8_t> pixels(std::size_t(width) * std::size_t(height) * 3);
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) {
            double colour[3];
            double const t = double(y) / height;
            for (int c = 0; c < 3; ++c)
                colour[c] = top[c] * (1 - t) + 30 * t;
            for (auto const& blob : blobs) {
                double const dx = x - blob.x, dy = y - blob.y;
                double const w = std::exp(-(dx * dx + dy * dy) / (blob.radius * blob.radius));
                colour[0] += (blob.r - colour[0]) * w * 0.7;
                colour[1] += (blob.g - colour[1]) * w * 0.7;
                colour[2] += (blob.b - colour[2]) * w * 0.7;
            }
            double const grain = (random.unit() - 0.5) * 24;
            auto* out = &pixels[(std::size_t(y) * std::size_t(width) + std::size_t(x)) * 3];
            for (int c = 0; c < 3; ++c)
                out[c] = std::uint8_t(std::clamp(colour[c] + grain, 0.0, 255.0));
        }
    }
    if (!stbi_write_jpg(argv[3], width, height, 3, pixels.data(), 88)) {
        std::fprintf(stderr, "kiosk-bench-helper: cannot write %s\n", argv[3]);
        return 1;
    }
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc >= 2 && std::strcmp(argv[1], "first-picture") == 0)
        return first_picture(argc - 2, argv + 2);
    if (argc >= 2 && std::strcmp(argv[1], "jpeg") == 0)
        return write_jpeg(argc - 2, argv + 2);
    return usage();
}
