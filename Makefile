# The two commands of the README:
#   make run   install what is missing, build, build the demo pack, show it (or render previews)
#   make test  install what is missing, build, run every test with CTest
# On CI (CI=true) `make test` builds with warnings as errors and ASan+UBSan, in build-ci/.

SHELL := /bin/bash
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

ifeq ($(CI),true)
BUILD ?= build-ci
CMAKE_ARGS ?= -DCMAKE_BUILD_TYPE=Debug -DKIOSK_WERROR=ON -DKIOSK_SANITIZE=ON
else
BUILD ?= build
CMAKE_ARGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo
endif

# Debian 12 packages: toolchain, libraries, and what the tests drive (minisign, Xvfb, xdotool,
# Unicode's LineBreakTest.txt).
DEPS := cmake pkg-config g++ libsdl2-dev libsdl2-ttf-dev libsqlite3-dev sqlite3 libstb-dev libsodium-dev \
        libtomlplusplus-dev libcli11-dev nlohmann-json3-dev libsystemd-dev catch2 libicu-dev minisign rsync file xvfb xauth xdotool unicode-data clang-format

# `make fuzz` only: clang with libFuzzer's runtime (tests/fuzz/, docs/reliability.md).
FUZZ_DEPS := clang libclang-rt-14-dev
# `make bench` (not part of `make test`): what it measures and how, in docs/performance.md. Its own
# Debian packages: the harness (python3), the X framebuffer watcher (libx11-dev), the display server
# (Xvfb), and the peer it is compared with (chromium; without it the peer is skipped with a message).
BENCH_DEPS := python3 libx11-dev xvfb xauth chromium
BENCH_BUILD ?= build-bench
BENCH_ARGS ?=

.PHONY: run test soak deps fuzz-deps bench-deps build configure format format-check clean dev-keys demo-update \
        fuzz fuzz-build package package-test bench

deps: PACKAGES = $(DEPS)
fuzz-deps: PACKAGES = $(DEPS) $(FUZZ_DEPS)
bench-deps: PACKAGES = $(BENCH_DEPS)
deps fuzz-deps bench-deps:
	@missing=$$(for p in $(PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian packages:" $$missing; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends $$missing >/dev/null || exit 1; \
	  else \
	    echo "Missing Debian packages. Install them with:"; \
	    echo "  sudo apt-get install" $$missing; \
	    exit 1; \
	  fi; \
	fi

# Always re-run: cheap when nothing changed, and picks up changed CMAKE_ARGS.
configure: deps
	cmake -S . -B $(BUILD) $(CMAKE_ARGS) >/dev/null

build: configure
	cmake --build $(BUILD) -j$(JOBS)

# A development signing key, made once: `make run` trusts it, `make demo-update` signs with it.
DEV_KEYS := $(BUILD)/dev-keys
INBOX := $(BUILD)/inbox
dev-keys: build
	@if [ ! -f $(DEV_KEYS)/dev.key ]; then \
	  mkdir -p $(DEV_KEYS)/trusted && \
	  ./$(BUILD)/kiosk-pack keygen -o $(DEV_KEYS)/dev --no-password >/dev/null && \
	  cp $(DEV_KEYS)/dev.pub $(DEV_KEYS)/trusted/; \
	fi

# While `make run` shows the demo, this delivers a newer, signed demo pack into its inbox folder,
# the way rsync or a USB stick would: the display copies, verifies and switches to it.
demo-update: dev-keys
	@mkdir -p $(INBOX)
	@version=$$(date +%s); \
	./$(BUILD)/kiosk-pack build content -o $(BUILD)/demo-update.kpack --version $$version --force-version -q && \
	./$(BUILD)/kiosk-pack sign --key $(DEV_KEYS)/dev.key $(BUILD)/demo-update.kpack && \
	cp $(BUILD)/demo-update.kpack.minisig $(INBOX)/demo.kpack.minisig && \
	cp $(BUILD)/demo-update.kpack $(INBOX)/.demo.kpack.part && mv $(INBOX)/.demo.kpack.part $(INBOX)/demo.kpack && \
	echo "Delivered demo pack version $$version to $(INBOX)/"

run: build dev-keys
	@mkdir -p $(INBOX)
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
	  echo "Starting kiosk in a window (arrows: previous/next, space: pause, L: language, Esc: quit)"; \
	  echo "Try \`make demo-update\` in another terminal: a signed update arrives in $(INBOX)/."; \
	  ./$(BUILD)/kiosk --windowed 1280x720 --data-dir $(BUILD)/data --keys $(DEV_KEYS)/trusted --inbox $(INBOX); \
	else \
	  echo "No display (DISPLAY and WAYLAND_DISPLAY are unset): rendering every slide offscreen instead."; \
	  ./$(BUILD)/kiosk --headless --preview-dir $(BUILD)/preview; \
	fi

test: build
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

# A Release build of its own (build-bench/), then tests/bench/bench.py: about 15 minutes, or 3 with
# `make bench BENCH_ARGS=--quick` (1 run, shorter windows). Writes $(BUILD)/bench.json.
bench: deps
	@$(MAKE) --no-print-directory bench-deps || \
	  echo "make bench: continuing without the missing packages (what needs them is skipped)"
	cmake -S . -B $(BENCH_BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build $(BENCH_BUILD) -j$(JOBS) --target kiosk kiosk-pack default_pack kiosk-bench kiosk-bench-helper
	python3 tests/bench/bench.py --build $(BENCH_BUILD) --out $(BUILD)/bench.json $(BENCH_ARGS)

# The soak test alone (docs/reliability.md, "Soak"), in an optimised build without sanitizers so
# its RSS figures mean what they say: build-soak/.
SOAK_BUILD ?= build-soak
soak: deps
	cmake -S . -B $(SOAK_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build $(SOAK_BUILD) -j$(JOBS) --target test_soak kiosk kiosk-pack default_pack
	cd $(SOAK_BUILD) && ctest -L soak --output-on-failure -V

# The .deb (CPack): a Release build for the prefix /usr, without tests, in build-package/.
PKG_BUILD ?= build-package
package: deps
	cmake -S . -B $(PKG_BUILD) -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr -DKIOSK_BUILD_TESTS=OFF >/dev/null
	cmake --build $(PKG_BUILD) -j$(JOBS)
	cd $(PKG_BUILD) && cpack -G DEB
	@ls $(PKG_BUILD)/kiosk_*.deb

# Builds the .deb on a pristine Debian 12 (../shared/tools/fresh-machine, from the committed
# HEAD), installs it, checks it and purges it (packaging/package-test). Commit first.
# (../../shared from a worktree under wt/.)
FRESH_MACHINE ?= $(firstword $(wildcard ../shared/tools/fresh-machine ../../shared/tools/fresh-machine) ../shared/tools/fresh-machine)
package-test:
	$(FRESH_MACHINE) env KIOSK_THROWAWAY_MACHINE=yes packaging/package-test

# Fuzzing with libFuzzer: a clang build with ASan+UBSan in build-fuzz/, then each target for
# FUZZ_SECONDS (default 60) from tests/fuzz/corpus/<target>/. Prints executions, exec/s and
# coverage per target; new inputs go to build-fuzz/fuzz-corpus/<target>/, findings (crash-*,
# timeout-*, oom-*, leak-*) to build-fuzz/fuzz-findings/<target>/ and fail the run.
#   make fuzz FUZZ_SECONDS=300 FUZZ_TARGETS="pack image"
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
# fail (default): a finding fails `make fuzz`; report: printed and saved, exit 0 (.ci/run).
FUZZ_FINDINGS ?= fail
FUZZ_TARGETS ?= pack pack_fields image minisign config text_layout gestures
FUZZ_LAUNCHER := $(if $(shell command -v ccache 2>/dev/null),-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)

fuzz-build: fuzz-deps
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ_BUILD) -DKIOSK_FUZZ=ON -DCMAKE_BUILD_TYPE=Debug $(FUZZ_LAUNCHER) >/dev/null
	cmake --build $(FUZZ_BUILD) -j$(JOBS) --target kiosk-fuzzers

fuzz: fuzz-build
	FUZZ_FINDINGS=$(FUZZ_FINDINGS) tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

format:
	clang-format -i $$(git ls-files '*.cpp' '*.h')

format-check: deps
	clang-format --dry-run -Werror $$(git ls-files '*.cpp' '*.h')

clean:
	rm -rf build build-ci build-fuzz $(BENCH_BUILD)
