# Remit: two commands on a fresh Debian machine.
#   make demo   install what is missing, build (release) and run the demo
#   make test   install what is missing, build and run every test
SHELL := /bin/bash
SWIFT ?= $(shell command -v swift 2>/dev/null || echo /opt/swift/usr/bin/swift)

# System libraries: libsodium (crypto), SQLite (ledger), libcurl (HTTP client), pkg-config (to find them);
# the sqlite3 shell for the ledger's tamper test.
BUILD_PACKAGES := libsodium-dev libsqlite3-dev libcurl4-openssl-dev pkg-config sqlite3

.PHONY: all deps build release test demo bench bench-crypto bench-ledger clean help

all: build

help:
	@echo "make demo    build in release mode and run the demo"
	@echo "make test    build and run all tests"
	@echo "make bench   build in release mode and run every benchmark"
	@echo "make build   debug build of the remit command (.build/debug/remit)"

deps:
	@.ci/install-deps $(BUILD_PACKAGES)
	@test -x "$(SWIFT)" || command -v "$(SWIFT)" >/dev/null || { echo "error: swift not found (expected on PATH or at /opt/swift/usr/bin/swift)" >&2; exit 1; }

build: deps
	$(SWIFT) build --product remit

release: deps
	$(SWIFT) build -c release --product remit

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --disable-xctest

demo: release
	.build/release/remit demo

bench: release
	.build/release/remit bench crypto
	.build/release/remit bench ledger

bench-crypto: release
	.build/release/remit bench crypto

bench-ledger: release
	.build/release/remit bench ledger

clean:
	rm -rf .build demo-output
