# Thin wrapper over CMake: `make demo` and `make test` are the whole set-up.
BUILD ?= build
SANITIZE_BUILD ?= build-sanitize
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 30
PREFIX ?= /usr/local
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all deps test-deps fuzz-deps build demo test test-fast test-sanitize fuzz install clean

all: build

deps:
	@tools/install-deps

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=$(PREFIX) >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	$(BUILD)/core/gevinst demo --dir $(BUILD)/demo

# the test suite, then the same suite under AddressSanitizer + UBSan
test: test-fast test-sanitize

test-deps:
	@tools/install-deps --test

test-fast: build test-deps
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

test-sanitize: deps test-deps
	cmake -S . -B $(SANITIZE_BUILD) -DCMAKE_BUILD_TYPE=Debug -DGEVINST_SANITIZE=ON >/dev/null
	cmake --build $(SANITIZE_BUILD) -j $(JOBS)
	ctest --test-dir $(SANITIZE_BUILD) --output-on-failure -j $(JOBS)

# libFuzzer targets (clang), each run for FUZZ_SECONDS on its seeds in
# tests/fuzz; docs/testing.md says what they cover
fuzz-deps:
	@tools/install-deps --fuzz

fuzz: deps fuzz-deps
	cmake -S . -B $(FUZZ_BUILD) -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug -DGEVINST_FUZZ=ON >/dev/null
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz
	tools/fuzz $(FUZZ_BUILD) $(FUZZ_SECONDS)

install: build
	cmake --install $(BUILD)

clean:
	rm -rf $(BUILD) $(SANITIZE_BUILD) $(FUZZ_BUILD)
