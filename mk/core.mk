# passdesk-core: native tests, wasm build + tests, benches (owned by the core work).
.PHONY: build-core test-core samba-case-table samba-case-check test-wasm test-wasm-node test-wasm-browser test-wasm-pkg wasm-size wasm-size-report bench-core bench-wasm wasm

WASM_TARGET    := wasm32-unknown-unknown
WASM_RAW       := target/$(WASM_TARGET)/wasm-release/passdesk_core.wasm
WASM_PKG       := target/wasm-pkg
WASM_BG        := $(WASM_PKG)/passdesk_core_bg.wasm
# npm binaryen's wasm-opt (runs under node). Never Debian's /usr/bin/wasm-opt: its output breaks
# the wasm-bindgen glue at load time (docs/toolchain.md §5, trap 3).
WASM_OPT       := tests/node_modules/.bin/wasm-opt
# Size budget (docs/toolchain.md §2): the optimised .wasm, gzip -9, with both EFF wordlists inside.
WASM_GZ_LIMIT  := 122880
CHROMEDRIVER   ?= /usr/bin/chromedriver

build-core:
	cargo build -p passdesk-core
test-core: samba-case-check
	cargo test -p passdesk-core

## Samba's case tables (what its password check counts as upper / lower), read from the installed Samba:
## `samba-case-table` rewrites crate/src/rules/samba_case.rs, `samba-case-check` fails if it is stale.
samba-case-table: setup-apt
	python3 crate/tools/samba_case_table.py
samba-case-check: setup-apt
	python3 crate/tools/samba_case_table.py --check

## The browser/extension package: target/wasm-pkg/passdesk_core{.js,_bg.wasm,.d.ts} + snippets/ (crate/js)
wasm: setup-rust setup-node
	cargo build -p passdesk-core --target $(WASM_TARGET) --profile wasm-release --features wasm
	rm -rf $(WASM_PKG)
	wasm-bindgen --target web --out-dir $(WASM_PKG) $(WASM_RAW)
	$(WASM_OPT) -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
	  --enable-mutable-globals --enable-reference-types --enable-multivalue \
	  $(WASM_BG) -o $(WASM_BG)
	@echo "wasm: raw $$(stat -c %s $(WASM_RAW)) B, optimised $$(stat -c %s $(WASM_BG)) B, gzip -9 $$(gzip -9c $(WASM_BG) | wc -c) B"

## wasm-bindgen-tests in Node and headless Chromium, the built package under node:test, the size budget.
## Never pass -q to these cargo test runs: cargo forwards it to the runner, which rejects it
## (docs/toolchain.md §5, trap 4).
test-wasm: test-wasm-node test-wasm-browser test-wasm-pkg wasm-size

test-wasm-node: setup-rust
	cargo test -p passdesk-core --target $(WASM_TARGET) --features wasm --test wasm_node

test-wasm-browser: setup-rust setup-apt
	CHROMEDRIVER=$(CHROMEDRIVER) cargo test -p passdesk-core --target $(WASM_TARGET) --features wasm --test wasm_browser

test-wasm-pkg: wasm
	node --test tests/wasm/package.test.mjs

wasm-size: wasm
	@gz=$$(gzip -9c $(WASM_BG) | wc -c); \
	if [ $$gz -gt $(WASM_GZ_LIMIT) ]; then \
	  echo "FAIL: $(WASM_BG) is $$gz B gzipped, budget $(WASM_GZ_LIMIT) B"; node tests/wasm/size_report.mjs; exit 1; \
	else echo "ok: $(WASM_BG) is $$gz B gzipped (budget $(WASM_GZ_LIMIT) B)"; fi

wasm-size-report: wasm
	node tests/wasm/size_report.mjs

bench-core:
	cargo bench -p passdesk-core
bench-wasm: wasm
	node tests/bench/wasm_keystroke.mjs
