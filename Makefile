# PassDesk. The two commands that matter:  `make demo`  and  `make test`.
# Every target installs what it needs idempotently (skips what is present), so `make test` works on a
# fresh machine. Area-specific targets live in mk/*.mk.
SHELL := /bin/bash
.DEFAULT_GOAL := build
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/tests/node_modules/.bin:$(PATH)

include mk/setup.mk
include mk/core.mk
include mk/server.mk
include mk/extension.mk
include mk/lint.mk

.PHONY: build test bench demo
build: build-core build-server extension

## The CI command: installs what is missing, checks format and lints (mk/lint.mk), builds, runs every
## test suite.
test: lint setup test-core test-wasm test-server test-extension

bench: bench-core bench-wasm bench-server bench-agents

## The demo backend, and the extension built for it (the command to try it in a browser is printed).
demo: build-server extension
	cargo run --release -p passdesk-server --bin passdesk -- demo
