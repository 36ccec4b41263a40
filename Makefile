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
        libtomlplusplus-dev libcli11-dev catch2 libicu-dev minisign xvfb xauth xdotool unicode-data clang-format

.PHONY: run test deps build configure format format-check clean

deps:
	@missing=$$(for p in $(DEPS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
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

run: build
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
	  echo "Starting kiosk in a window (arrows: previous/next, space: pause, L: language, Esc: quit)"; \
	  ./$(BUILD)/kiosk --windowed 1280x720; \
	else \
	  echo "No display (DISPLAY and WAYLAND_DISPLAY are unset): rendering every slide offscreen instead."; \
	  ./$(BUILD)/kiosk --headless --preview-dir $(BUILD)/preview; \
	fi

test: build
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

format:
	clang-format -i $$(git ls-files '*.cpp' '*.h')

format-check: deps
	clang-format --dry-run -Werror $$(git ls-files '*.cpp' '*.h')

clean:
	rm -rf build build-ci
