# OmniRoute — build, run and test entry points. Works on a fresh Debian 12 as root.
# `make run` and `make test` install what they need (idempotently) before building.

BUILD_DIR      ?= build/release
ASAN_DIR       ?= build/asan
JOBS           ?= 2
PORT           ?= 20128
CMAKE_LAUNCHER := $(shell command -v ccache >/dev/null 2>&1 && echo -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)

# Every package the build, the tests and the benchmarks use. setup installs only what is missing.
APT_PACKAGES := build-essential g++ cmake ninja-build pkg-config ccache git ca-certificates curl \
  openssl libssl-dev libsqlite3-dev sqlite3 \
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev \
  libspdlog-dev libfmt-dev libcli11-dev libsodium-dev libmimalloc-dev \
  libgtest-dev libgmock-dev googletest libbenchmark-dev \
  clang libclang-rt-14-dev nginx-light wrk procps

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup build run test bench asan clean format

setup:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "setup: installing$$missing"; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -q && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	else echo "setup: all packages present"; fi
	@# Node.js runs the end-to-end tests with the real SDKs. Any install that provides node and
	@# npm will do (Debian's nodejs + npm, or NodeSource's nodejs that bundles npm).
	@if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then \
	  echo "setup: installing nodejs npm"; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -q && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends nodejs npm; \
	fi

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_LAUNCHER)

build: setup $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	$(BUILD_DIR)/omniroute --port $(PORT)

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 600

bench: build
	bench/run.sh $(BUILD_DIR)

$(ASAN_DIR)/build.ninja:
	cmake -S . -B $(ASAN_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DOMNI_SANITIZE=ON $(CMAKE_LAUNCHER)

asan: setup $(ASAN_DIR)/build.ninja
	cmake --build $(ASAN_DIR) -j $(JOBS)
	cd $(ASAN_DIR) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS) --timeout 900

format:
	find src tests tools bench -name '*.h' -o -name '*.cc' | xargs clang-format -i

clean:
	rm -rf build
