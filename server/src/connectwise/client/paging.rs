//! Query-string encoding and page navigation (`page` / `pageSize`, `Link: <…>; rel="next"`).
//!
//! Conditions contain `"`, `*`, spaces and `+`; ConnectWise wants them percent-escaped (`+` would read as
//! a space), so every byte outside RFC 3986's unreserved set is escaped here rather than form-encoded.

/// ConnectWise's maximum `pageSize`.
pub const MAX_PAGE_SIZE: u32 = 1000;
/// Upper bound on pages followed, so a misbehaving server cannot loop us forever.
pub const MAX_PAGES: usize = 200;

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

/// The `rel="next"` target of an RFC 8288 `Link` header, if any.
pub fn next_link(header: &str) -> Option<String> {
    for part in split_links(header) {
        let part = part.trim();
        let Some(end) = part.find('>') else { continue };
        if !part.starts_with('<') {
            continue;
        }
        let target = &part[1..end];
        let is_next = part[end + 1..].split(';').any(|p| {
            let p = p.trim();
            p.strip_prefix("rel=")
                .map(|v| {
                    v.trim_matches('"')
                        .split_whitespace()
                        .any(|r| r.eq_ignore_ascii_case("next"))
                })
                .unwrap_or(false)
        });
        if is_next {
            return Some(target.to_string());
        }
    }
    None
}

/// Splits on commas that are outside `<…>` (URLs may contain commas, e.g. `fields=a,b`).
fn split_links(header: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0i32, 0usize);
    for (i, c) in header.char_indices() {
        match c {
            '<' => depth += 1,
            '>' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&header[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&header[start..]);
    parts
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

    #[test]
    fn finds_next_link() {
        let h = r#"<https://h/apis/3.0/company/contacts?fields=id,name&page=1>; rel="first", <https://h/apis/3.0/company/contacts?page=3>; rel="next", <https://h/x?page=9>; rel="last""#;
        assert_eq!(
            next_link(h).as_deref(),
            Some("https://h/apis/3.0/company/contacts?page=3")
        );
        assert_eq!(next_link(r#"<https://h/x?page=1>; rel="first""#), None);
        assert_eq!(next_link(""), None);
    }
}
