# Checks that keep the code as it is (README "The two commands"): formatting first (fails fast), then clippy
# with the workspace lints of Cargo.toml denied, the wasm build's clippy (library and wasm-bindgen tests), and
# ESLint over extension/ and tests/.
.PHONY: lint lint-fmt lint-clippy lint-clippy-wasm eslint
lint: lint-fmt lint-clippy lint-clippy-wasm eslint

lint-fmt: setup-rust-components
	cargo fmt --all --check

lint-clippy: setup-rust-components
	cargo clippy --workspace --all-targets -- -D warnings

lint-clippy-wasm: setup-rust
	cargo clippy -p passdesk-core --target $(WASM_TARGET) --features wasm --lib --test wasm_node --test wasm_browser -- -D warnings

## The config lives beside its npm packages (tests/eslint.config.js); its paths are the repo root's.
eslint: setup-node
	eslint --max-warnings 0 --config tests/eslint.config.js extension tests
