//! AD name checks (docs/policy.md §1.1 rules 3–4): the whole sAMAccountName and the displayName
//! tokens.
use super::folded::fold_str;

/// Shorter names and tokens are not checked (docs/policy.md §1.1: MS-SAMR's "more than two
/// characters").
const MIN_NAME_CHARS: usize = 3;

/// displayName delimiters (docs/policy.md §1.1 rule 4). The apostrophe is deliberately not one:
/// "O'Neil" is one token.
const DISPLAY_NAME_DELIMITERS: [char; 7] = [' ', ',', '.', '\t', '-', '_', '#'];

/// A name to look for, folded, plus how to show it to a technician.
#[derive(Debug, Clone)]
pub(crate) struct NameToken {
    pub(crate) folded: Vec<char>,
    pub(crate) shown: String,
}

impl NameToken {
    fn new(text: &str) -> Self {
        let folded = fold_str(text);
        Self {
            shown: folded.iter().collect(),
            folded,
        }
    }
}

/// The sAMAccountName as one token, or `None` when it is absent or shorter than 3 characters.
pub(crate) fn sam_token(sam: Option<&str>) -> Option<NameToken> {
    let sam = sam?;
    (sam.chars().count() >= MIN_NAME_CHARS).then(|| NameToken::new(sam))
}

/// displayName split on the delimiters; tokens of fewer than 3 characters dropped; duplicates once.
pub(crate) fn display_name_tokens(display_name: Option<&str>) -> Vec<NameToken> {
    let mut tokens: Vec<NameToken> = Vec::new();
    for part in display_name.unwrap_or("").split(DISPLAY_NAME_DELIMITERS) {
        if part.chars().count() < MIN_NAME_CHARS {
            continue;
        }
        let token = NameToken::new(part);
        if !tokens.iter().any(|t| t.folded == token.folded) {
            tokens.push(token);
        }
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(tokens: &[NameToken]) -> Vec<&str> {
        tokens.iter().map(|t| t.shown.as_str()).collect()
    }

    #[test]
    fn splits_on_documented_delimiters_only() {
        assert_eq!(
            shown(&display_name_tokens(Some("Erin M. Hagens"))),
            ["erin", "hagens"]
        );
        assert_eq!(
            shown(&display_name_tokens(Some("Mary-Jane O'Neil"))),
            ["mary", "jane", "o'neil"]
        );
        assert_eq!(
            shown(&display_name_tokens(Some("Li_Wei#Ops"))),
            ["wei", "ops"]
        );
        assert_eq!(
            shown(&display_name_tokens(Some("Tan\tAh Kow"))),
            ["tan", "kow"]
        );
        assert_eq!(
            shown(&display_name_tokens(Some("Schmidt,Anna"))),
            ["schmidt", "anna"]
        );
        assert_eq!(shown(&display_name_tokens(Some("Bob"))), ["bob"]);
        assert!(display_name_tokens(None).is_empty());
    }

    #[test]
    fn short_sam_is_skipped() {
        assert!(sam_token(Some("al")).is_none());
        assert_eq!(sam_token(Some("BOB")).unwrap().shown, "bob");
    }
}
