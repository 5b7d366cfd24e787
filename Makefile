# Remit: two commands on a fresh Debian machine.
#   make demo   install what is missing, build (release) and run the demo
#   make test   install what is missing, build and run every test (the ledger suite on SQLite and on a
#               throwaway PostgreSQL cluster that .ci/with-postgres starts on loopback and stops)
SHELL := /bin/bash
SWIFT ?= $(shell command -v swift 2>/dev/null || echo /opt/swift/usr/bin/swift)

# System libraries: libsodium (crypto), SQLite (ledger), libcurl (HTTP client), pkg-config (to find them);
# the sqlite3 shell for the ledger's tamper test.
BUILD_PACKAGES := libsodium-dev libsqlite3-dev libcurl4-openssl-dev pkg-config sqlite3
# The PostgreSQL ledger suite runs against a throwaway cluster of the Debian server (initdb + pg_ctl,
# no system service). When it cannot be installed the SQLite suite still runs and the skip is loud.
TEST_PACKAGES := postgresql
# Real text for the demo datanet (quotations no one on the team wrote); the tests do not need it.
DEMO_PACKAGES := fortunes fortunes-min
REMIT_RELEASE := .build/release/remit

.PHONY: all deps build release test test-deps demo demo-inference bench bench-crypto bench-inference bench-ledger bench-ledger-postgres bench-channel bench-http clean help

all: build

help:
	@echo "make demo    build in release mode and run the demo (agents paying a priced endpoint, settlement, report)"
	@echo "make test    build and run all tests"
	@echo "make bench   build in release mode and run every benchmark (crypto, ledger, channel, inference)"
	@echo "make bench-ledger-postgres   remit bench ledger on SQLite and on a throwaway PostgreSQL cluster, same run"
	@echo "make demo-inference   the fortunes datanet, models, --explain answers and a replayed receipt"
	@echo "make build   debug build of the remit command (.build/debug/remit)"

deps:
	@.ci/install-deps $(BUILD_PACKAGES)
	@test -x "$(SWIFT)" || command -v "$(SWIFT)" >/dev/null || { echo "error: swift not found (expected on PATH or at /opt/swift/usr/bin/swift)" >&2; exit 1; }

build: deps
	$(SWIFT) build --product remit

release: deps
	$(SWIFT) build -c release --product remit

test-deps:
	@.ci/install-deps $(TEST_PACKAGES) || echo "!!! could not install $(TEST_PACKAGES): the PostgreSQL ledger suite will be SKIPPED" >&2

test: deps test-deps
	$(SWIFT) build --build-tests
	.ci/with-postgres $(SWIFT) test --skip-build --disable-xctest

# The main job on the embedded defaults: market on the fortunes datanet, priced endpoint on
# loopback, research and trading agents paying per query, settlement table, verified ledger,
# HTML report (demo-output/demo-report.html). Run it again: it reuses the market.
demo: release
	@.ci/install-deps $(DEMO_PACKAGES)
	$(REMIT_RELEASE) demo

# Datanet of the Debian fortunes, models built from it, answers with their credited contributors,
# and a signed receipt replayed from the datanet.
demo-inference: release
	@.ci/install-deps $(DEMO_PACKAGES)
	rm -rf demo-output/fortunes demo-output/models
	$(REMIT_RELEASE) datanet import fortunes demo-output/fortunes --demo-password
	$(REMIT_RELEASE) datanet show demo-output/fortunes
	$(REMIT_RELEASE) model build infinigram --datanet demo-output/fortunes --out demo-output/models/fortune-lm
	$(REMIT_RELEASE) model build bm25 --datanet demo-output/fortunes --out demo-output/models/fortune-qa
	$(REMIT_RELEASE) model build span-trace --datanet demo-output/fortunes --out demo-output/models/fortune-trace
	$(REMIT_RELEASE) model query demo-output/models/fortune-lm --prompt "A black cat" --max-tokens 24 --explain
	$(REMIT_RELEASE) model query demo-output/models/fortune-qa --question "What did Mark Twain say about the weather?" --explain
	$(REMIT_RELEASE) model query demo-output/models/fortune-trace --trace "As they say, the animal is going somewhere, and time flies like an arrow." --explain
	REMIT_DEMO_PW=demo $(REMIT_RELEASE) keys new --out demo-output/owner.key --password-env REMIT_DEMO_PW --kdf minimum --force
	REMIT_DEMO_PW=demo $(REMIT_RELEASE) model query demo-output/models/fortune-lm --prompt "Life is" --max-tokens 24 --seed 7 \
		--receipt-out demo-output/receipt-bundle.json --owner-key demo-output/owner.key --password-env REMIT_DEMO_PW
	$(REMIT_RELEASE) receipt verify demo-output/receipt-bundle.json --datanet demo-output/fortunes

bench: release
	$(REMIT_RELEASE) bench crypto
	$(REMIT_RELEASE) bench ledger
	$(REMIT_RELEASE) bench channel
	$(REMIT_RELEASE) bench inference
	$(REMIT_RELEASE) bench http

bench-crypto: release
	$(REMIT_RELEASE) bench crypto

bench-inference: release
	$(REMIT_RELEASE) bench inference

bench-ledger: release
	$(REMIT_RELEASE) bench ledger

# Both stores in one run: SQLite, then PostgreSQL on a throwaway cluster (durable commits, as SQLite's).
bench-ledger-postgres: release test-deps
	.ci/with-postgres bash -c '$(REMIT_RELEASE) bench ledger && $(REMIT_RELEASE) bench ledger --ledger "$$REMIT_TEST_POSTGRES_URL"'

bench-channel: release
	$(REMIT_RELEASE) bench channel

bench-http: release
	$(REMIT_RELEASE) bench http

clean:
	rm -rf .build demo-output
