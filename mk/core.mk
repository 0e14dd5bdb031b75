# passdesk-core: native tests, wasm build + tests, benches (owned by the core work).
.PHONY: build-core test-core test-wasm bench-core bench-wasm wasm
build-core:
	cargo build -p passdesk-core
test-core:
	cargo test -p passdesk-core
wasm:
	@echo "TODO: wasm build"
test-wasm: wasm
	@echo "TODO: wasm tests"
bench-core:
	cargo bench -p passdesk-core
bench-wasm: wasm
	@echo "TODO: wasm bench"
