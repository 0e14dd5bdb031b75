//! Technician-facing wording shared by the profiles. Never includes the password itself.
use std::fmt::Write;

use crate::rules::{Complexity, Kind, KindSet};

/// Appends `items` as `a`, `a and b`, `a, b and c` (with `last_word` "and" or "or"), each written
/// by `write`: one growing string instead of a string per item (messages are built per keystroke).
pub(crate) fn push_list<T>(
    out: &mut String,
    items: &[T],
    last_word: &str,
    mut write: impl FnMut(&mut String, &T),
) {
    for (i, item) in items.iter().enumerate() {
        if i + 1 == items.len() && i > 0 {
            out.push(' ');
            out.push_str(last_word);
            out.push(' ');
        } else if i > 0 {
            out.push_str(", ");
        }
        write(out, item);
    }
}

/// Writes `"name"`.
pub(crate) fn push_quoted(out: &mut String, name: &str) {
    out.push('"');
    out.push_str(name);
    out.push('"');
}

/// Quotes each name: `"john"`.
pub(crate) fn quoted(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| format!("\"{n}\"")).collect()
}

/// "Only 2 of the 5 character kinds: add a digit, a symbol or an upper-case letter".
/// `hint_kinds` are the kinds worth suggesting, in the order to suggest them.
pub(crate) fn complexity_failure(found: KindSet, rule: Complexity, hint_kinds: &[Kind]) -> String {
    let (total_kinds, needed) = (rule.total(), rule.needed);
    let mut missing = [""; 5];
    let mut count = 0;
    for kind in hint_kinds
        .iter()
        .filter(|k| !found.contains(**k))
        .take(missing.len())
    {
        missing[count] = kind.noun();
        count += 1;
    }
    let short = needed.saturating_sub(found.count());
    let mut out = format!(
        "Only {} of the {total_kinds} character kinds (needs {needed}): add ",
        found.count()
    );
    if short > 1 {
        let _ = write!(out, "{short} of: ");
    }
    push_list(&mut out, &missing[..count], "or", |out, noun| {
        out.push_str(noun)
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Classifier;

    fn list(items: &[&str], last_word: &str) -> String {
        let mut out = String::from(">");
        push_list(&mut out, items, last_word, |out, item| {
            push_quoted(out, item)
        });
        out
    }

    #[test]
    fn lists_read_naturally() {
        assert_eq!(list(&[], "or"), ">");
        assert_eq!(list(&["a"], "or"), ">\"a\"");
        assert_eq!(list(&["a", "b", "c"], "or"), ">\"a\", \"b\" or \"c\"");
        assert_eq!(list(&["a", "b"], "and"), ">\"a\" and \"b\"");
    }

    #[test]
    fn complexity_hint_names_missing_kinds() {
        let mut found = KindSet::default();
        found.insert(Kind::Lower);
        found.insert(Kind::Digit);
        let rule = Complexity {
            classifier: Classifier::Samba,
            needed: 3,
        };
        let msg = complexity_failure(
            found,
            rule,
            &[Kind::Upper, Kind::Lower, Kind::Digit, Kind::Symbol],
        );
        assert_eq!(
            msg,
            "Only 2 of the 5 character kinds (needs 3): add an upper-case letter or a symbol"
        );
    }
}
