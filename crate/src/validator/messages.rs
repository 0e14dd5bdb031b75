//! Technician-facing wording shared by the profiles. Never includes the password itself.
use super::classify::{Kind, KindSet};

/// `"a"`, `"a or b"`, `"a, b or c"`.
pub(crate) fn or_list(items: &[&str]) -> String {
    join(items, "or")
}

/// `"a"`, `"a and b"`, `"a, b and c"`.
pub(crate) fn and_list(items: &[&str]) -> String {
    join(items, "and")
}

fn join(items: &[&str], last_word: &str) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} {last_word} {last}", init.join(", ")),
    }
}

/// Quotes each name: `"john"`.
pub(crate) fn quoted(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| format!("\"{n}\"")).collect()
}

/// "Only 2 of the 5 character kinds: add a digit, a symbol or an upper-case letter".
/// `hint_kinds` are the kinds worth suggesting, in the order to suggest them.
pub(crate) fn complexity_failure(
    found: KindSet,
    total_kinds: u32,
    needed: u32,
    hint_kinds: &[Kind],
) -> String {
    let missing: Vec<&str> = hint_kinds
        .iter()
        .filter(|k| !found.contains(**k))
        .map(|k| k.noun())
        .collect();
    let short = needed.saturating_sub(found.count());
    let add = if short > 1 {
        format!("add {short} of: ")
    } else {
        "add ".to_string()
    };
    format!(
        "Only {} of the {total_kinds} character kinds (needs {needed}): {add}{}",
        found.count(),
        or_list(&missing)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_naturally() {
        assert_eq!(or_list(&["a"]), "a");
        assert_eq!(or_list(&["a", "b", "c"]), "a, b or c");
        assert_eq!(and_list(&["a", "b"]), "a and b");
    }

    #[test]
    fn complexity_hint_names_missing_kinds() {
        let mut found = KindSet::default();
        found.insert(Kind::Lower);
        found.insert(Kind::Digit);
        let msg = complexity_failure(
            found,
            5,
            3,
            &[Kind::Upper, Kind::Lower, Kind::Digit, Kind::Symbol],
        );
        assert_eq!(
            msg,
            "Only 2 of the 5 character kinds (needs 3): add an upper-case letter or a symbol"
        );
    }
}
