# Makefile - a thin wrapper over CMake presets and ctest.
#   make demo   install what is missing, build, run the main job
#   make test   install what is missing, build every preset, run every test
#   make build  dev build only;  make clean
# PCAP_DIR names an extra directory of real captures for the corpus test
# (default: ../shared/public_pcaps when it exists). FUZZ_SECONDS bounds each
# fuzz target's run in 'make test'.
PCAP_DIR ?= $(wildcard $(abspath ../shared/public_pcaps))
FUZZ_SECONDS ?= 10
JOBS ?= $(shell nproc)

.PHONY: demo test build deps deps-test unit asan release determinism fuzz bench clean

deps:
	@scripts/deps.sh build

deps-test:
	@scripts/deps.sh test

build: deps
	cmake --preset dev -DCAPS_PCAP_DIR="$(PCAP_DIR)" >/dev/null
	cmake --build --preset dev -j $(JOBS)

demo: deps
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS)
	scripts/demo.sh build/release

unit: deps-test
	cmake --preset dev -DCAPS_PCAP_DIR="$(PCAP_DIR)" >/dev/null
	cmake --build --preset dev -j $(JOBS)
	ctest --preset dev -j $(JOBS)

asan: deps-test
	cmake --preset asan -DCAPS_PCAP_DIR="$(PCAP_DIR)" >/dev/null
	cmake --build --preset asan -j $(JOBS)
	ctest --preset asan -j $(JOBS)

fuzz: deps-test
	cmake --preset fuzz >/dev/null
	cmake --build --preset fuzz -j $(JOBS)
	scripts/fuzz.sh build/fuzz $(FUZZ_SECONDS)

release: deps-test
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS)

# The same scenarios and seeds give the same bytes from every build.
determinism: unit asan release
	scripts/determinism.sh build/dev build/asan build/release

test: unit asan release determinism fuzz

bench: deps-test
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS)
	bench/run.sh build/release

clean:
	rm -rf build
