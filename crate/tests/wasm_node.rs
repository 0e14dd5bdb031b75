//! The JS API under Node: `cargo test -p passdesk-core --target wasm32-unknown-unknown --features wasm --test wasm_node`
//! (runner from .cargo/config.toml). Empty on native targets.
#![cfg(all(target_arch = "wasm32", feature = "wasm"))]

mod wasm_cases;
