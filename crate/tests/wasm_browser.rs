//! The JS API in headless Chromium:
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p passdesk-core --target wasm32-unknown-unknown --features wasm --test wasm_browser`
//! (never with -q: cargo forwards it to the runner, which rejects it). Empty on native targets.
#![cfg(all(target_arch = "wasm32", feature = "wasm"))]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod wasm_cases;
