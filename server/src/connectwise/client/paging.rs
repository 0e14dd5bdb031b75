//! Query-string encoding.
//!
//! Conditions contain `"`, `*`, spaces and `+`; ConnectWise wants them percent-escaped (`+` would read as
//! a space), so every byte outside RFC 3986's unreserved set is escaped here rather than form-encoded.

/// Percent-encodes one query component.
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/' | b',') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `k=v&k=v` with both sides encoded.
pub fn encode_query(params: &[(&str, String)]) -> String {
    params
        .iter()
        .map(|(k, v)| format!("{}={}", encode_component(k), encode_component(v)))
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_condition_specials() {
        assert_eq!(
            encode_component(r#"communicationItems/value like "a+b*@x.com" AND x='y' & 100%"#),
            "communicationItems/value%20like%20%22a%2Bb%2A%40x.com%22%20AND%20x%3D%27y%27%20%26%20100%25"
        );
    }
}
