//! Unicode NFKC (compatibility composition), which NIST asks for before comparing a password with
//! the blocklist (docs/policy.md §4: both sides in NFKC and lower case). Natively from
//! `unicode-normalization`; in the browser build from the JS engine's `String.prototype.normalize`,
//! the same Unicode algorithm without shipping its tables in the wasm (the size budget of
//! docs/toolchain.md §2).
use zeroize::Zeroizing;

/// `s` in NFKC; ASCII (most passwords) is its own NFKC form and is only copied.
pub(crate) fn nfkc(s: &str) -> Zeroizing<String> {
    Zeroizing::new(if s.is_ascii() {
        s.to_owned()
    } else {
        platform_nfkc(s)
    })
}

#[cfg(not(target_arch = "wasm32"))]
fn platform_nfkc(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfkc().collect()
}

#[cfg(all(target_arch = "wasm32", feature = "wasm"))]
fn platform_nfkc(s: &str) -> String {
    js_sys::JsString::from(s).normalize("NFKC").into()
}

#[cfg(all(target_arch = "wasm32", not(feature = "wasm")))]
compile_error!("passdesk-core for wasm32 needs `--features wasm` (NFKC comes from the JS engine)");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_compatibility_forms() {
        assert_eq!(nfkc("ｐａｓｓｗｏｒｄ").as_str(), "password");
        assert_eq!(nfkc("ﬁnance").as_str(), "finance");
        assert_eq!(nfkc("Cafe\u{301}").as_str(), "Café");
        assert_eq!(nfkc("plain ascii").as_str(), "plain ascii");
    }
}
