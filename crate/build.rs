//! Front-codes the EFF wordlists embedded by `src/generate/wordlist.rs`: the lists are sorted, so
//! each word is stored as the number of leading letters it shares with the previous word (one
//! digit) followed by its remaining letters. Roughly halves the lists and a third of their gzip size,
//! which matters for the wasm size budget (docs/toolchain.md §2). Hyphenated entries are dropped
//! here (see `wordlists/NOTICE`); `wordlist.rs` decodes the result once per process.
use std::path::Path;

const LISTS: [&str; 2] = ["eff_large_wordlist", "eff_short_wordlist_1"];

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let out_dir = std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR");
    for name in LISTS {
        let source = format!("wordlists/{name}.txt");
        println!("cargo:rerun-if-changed={source}");
        let text = std::fs::read_to_string(&source).unwrap_or_else(|e| panic!("{source}: {e}"));
        let coded = front_code(&text).unwrap_or_else(|e| panic!("{source}: {e}"));
        std::fs::write(Path::new(&out_dir).join(format!("{name}.fc")), coded)
            .expect("write OUT_DIR");
    }
}

fn front_code(text: &str) -> Result<Vec<u8>, String> {
    let mut coded = Vec::with_capacity(text.len());
    let mut previous = "";
    for word in text.lines() {
        // Hyphenated words (drop-down, t-shirt, yo-yo, ...) would be ambiguous next to a `-`
        // separator, so they are left out, as Bitwarden does.
        if word.is_empty() || !word.bytes().all(|b| b.is_ascii_lowercase()) {
            continue;
        }
        if word.len() > 9 {
            return Err(format!(
                "{word:?} is longer than 9 letters (one-digit prefix lengths)"
            ));
        }
        let shared = previous
            .bytes()
            .zip(word.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        coded.push(b'0' + shared as u8);
        coded.extend_from_slice(&word.as_bytes()[shared..]);
        previous = word;
    }
    Ok(coded)
}
