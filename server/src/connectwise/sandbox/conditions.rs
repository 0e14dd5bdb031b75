//! The part of ConnectWise's `conditions` language that PassDesk sends: `path = "string"`, joined by
//! `AND` (`identifier="Contoso"` from `ConnectWiseClient::company_id`). Anything else is answered 400
//! InvalidCondition, so a client that starts sending more fails here instead of matching wrongly.
//! Strings compare case-insensitively, as on ConnectWise's SQL Server collation; `path` may name a
//! nested field (`company/identifier`).
use serde_json::Value;

/// A parsed condition: every `(path, value)` pair must match.
#[derive(Debug, Clone)]
pub struct Expr(Vec<(String, String)>);

/// Parses a conditions string.
pub fn parse(s: &str) -> Result<Expr, String> {
    let mut terms = Vec::new();
    let mut rest = s.trim();
    loop {
        let (path, after) = rest.split_once('=').ok_or("expected path = \"value\"")?;
        let path = path.trim();
        if path.is_empty()
            || !path
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '/'))
        {
            return Err(format!("unsupported field or operator {path:?}"));
        }
        let after = after
            .trim_start()
            .strip_prefix('"')
            .ok_or("expected a string in \"…\"")?;
        let (value, after) = after.split_once('"').ok_or("unterminated literal")?;
        terms.push((path.to_string(), value.to_string()));
        let after = after.trim_start();
        if after.is_empty() {
            return Ok(Expr(terms));
        }
        rest = after
            .split_at_checked(3)
            .filter(|(word, tail)| {
                word.eq_ignore_ascii_case("and") && tail.starts_with(char::is_whitespace)
            })
            .map(|(_, tail)| tail)
            .ok_or("expected AND")?;
    }
}

/// Evaluates `e` against one record.
pub fn eval(e: &Expr, record: &Value) -> bool {
    e.0.iter().all(|(path, want)| {
        path.split('/')
            .try_fold(record, |v, seg| {
                v.as_object()?
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(seg))
                    .map(|(_, v)| v)
            })
            .and_then(Value::as_str)
            .is_some_and(|s| s.to_lowercase() == want.to_lowercase())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn matches_what_passdesk_sends() {
        let c = json!({"id": 250, "identifier": "Contoso", "name": "Contoso Ltd",
            "company": {"identifier": "Parent"}});
        assert!(eval(&parse(r#"identifier="Contoso""#).unwrap(), &c));
        assert!(eval(&parse(r#" identifier = "CONTOSO" "#).unwrap(), &c));
        assert!(!eval(&parse(r#"identifier="Contoso Ltd""#).unwrap(), &c));
        assert!(eval(
            &parse(r#"identifier="contoso" AND company/identifier="parent""#).unwrap(),
            &c
        ));
        assert!(!eval(
            &parse(r#"identifier="contoso" and name="Fabrikam""#).unwrap(),
            &c
        ));
        // A field that is missing or not a string never matches.
        assert!(!eval(&parse(r#"missing="x""#).unwrap(), &c));
        assert!(!eval(&parse(r#"id="250""#).unwrap(), &c));
    }

    #[test]
    fn refuses_what_it_does_not_understand() {
        for bad in [
            r#"id = "unterminated"#,
            r#"identifier="a" )"#,
            r#"identifier="a" OR identifier="b""#,
            r#"identifier != "a""#,
            "id > 3",
            "id = 3",
            r#"identifier like "a*""#,
            "",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
