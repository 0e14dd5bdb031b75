//! Active Directory profiles: a Windows DC (policy.md §1) and a Samba AD DC (§2).
use std::sync::Arc;

use super::checklist::Checklist;
use super::classify::{samba_kind, windows_doubt, windows_kind, Kind, KindSet};
use super::folded::FoldedPassword;
use super::messages::{complexity_failure, push_list, push_quoted, quoted};
use super::names::{display_name_tokens, sam_token, NameToken};
use crate::{Account, ActiveDirectoryPolicy, DcKind, RuleId, Verdict};

/// MS-SAMR's maximum password length, for every account.
pub(crate) const AD_MAX_LEN: u32 = 256;
/// Kinds needed out of five when complexity is on.
const KINDS_NEEDED: u32 = 3;
/// Suggested kinds, in the order a technician would add them.
const HINT_KINDS: [Kind; 4] = [Kind::Digit, Kind::Symbol, Kind::Upper, Kind::Lower];

/// A compiled AD policy for one account.
#[derive(Debug, Clone)]
pub(crate) struct AdRules {
    dc: DcKind,
    min_length: u32,
    complexity: bool,
    sam: Option<NameToken>,
    tokens: Vec<NameToken>,
    met: MetMessages,
}

/// Checklist wording of met rules, built once (each verdict shares them).
#[derive(Debug, Clone)]
struct MetMessages {
    max_len: Arc<str>,
    min_len: Arc<str>,
    sam: Arc<str>,
    display_name: Arc<str>,
    complexity: Arc<str>,
}

impl AdRules {
    pub(crate) fn new(policy: &ActiveDirectoryPolicy, account: &Account) -> Self {
        let sam = sam_token(account.sam_account_name.as_deref());
        let tokens = display_name_tokens(account.display_name.as_deref());
        let met = MetMessages {
            max_len: format!("At most {AD_MAX_LEN} characters").into(),
            min_len: format!("At least {} characters", policy.min_length).into(),
            sam: match &sam {
                Some(sam) => format!("Does not contain the logon name \"{}\"", sam.shown).into(),
                None => "Does not contain the logon name (none of 3+ characters to check)".into(),
            },
            display_name: if tokens.is_empty() {
                "Does not contain a part of the display name (none of 3+ characters)".into()
            } else {
                let shown: Vec<&str> = tokens.iter().map(|t| t.shown.as_str()).collect();
                format!(
                    "Does not contain a part of the display name ({})",
                    quoted(&shown).join(", ")
                )
                .into()
            },
            complexity: "At least 3 of 5 character kinds: upper-case, lower-case, digits, symbols, letters without case".into(),
        };
        Self {
            dc: policy.dc,
            min_length: policy.min_length,
            complexity: policy.complexity,
            sam,
            tokens,
            met,
        }
    }

    /// Windows checks names only with complexity on [D policy.md §1.2]; Samba never does (§2).
    fn checks_names(&self) -> bool {
        self.dc == DcKind::Windows && self.complexity
    }

    pub(crate) fn check(&self, password: &str) -> Verdict {
        let mut list = Checklist::new(5);
        let units = password.encode_utf16().count();
        let len16 = u32::try_from(units).unwrap_or(u32::MAX);
        let wide = units != password.chars().count();

        if len16 <= AD_MAX_LEN {
            list.pass(RuleId::AdMaxLen, &self.met.max_len);
        } else {
            list.fail(
                RuleId::AdMaxLen,
                format!("Too long: {len16} characters, the most is {AD_MAX_LEN}"),
                None,
            );
        }

        if len16 >= self.min_length {
            list.pass(RuleId::AdMinLen, &self.met.min_len);
        } else {
            let note = if wide {
                " (emoji and some rare characters count as 2)"
            } else {
                ""
            };
            let msg = format!(
                "Too short: {len16} characters, needs at least {}{note}",
                self.min_length
            );
            list.fail(RuleId::AdMinLen, msg, None);
        }

        if self.checks_names() {
            let folded = FoldedPassword::new(password);
            self.check_sam(&folded, &mut list);
            self.check_display_name(&folded, &mut list);
        } else if self.dc == DcKind::Windows && (self.sam.is_some() || !self.tokens.is_empty()) {
            list.doubt(
                "Complexity is off: Microsoft's documents disagree on whether Windows still refuses the \
                 logon name and display-name parts (not checked here)",
            );
        }

        if self.complexity {
            self.check_complexity(password, &mut list);
        }
        list.finish()
    }

    fn check_sam(&self, folded: &FoldedPassword, list: &mut Checklist) {
        let Some(sam) = &self.sam else {
            list.pass(RuleId::AdSamName, &self.met.sam);
            return;
        };
        match folded.find(&sam.folded) {
            Some(at) => list.fail(
                RuleId::AdSamName,
                format!("Contains the user's logon name \"{}\"", sam.shown),
                Some(folded.span16(at, at + sam.folded.len())),
            ),
            None => list.pass(RuleId::AdSamName, &self.met.sam),
        }
    }

    fn check_display_name(&self, folded: &FoldedPassword, list: &mut Checklist) {
        let mut hits: Vec<(&NameToken, usize)> = self
            .tokens
            .iter()
            .filter_map(|t| folded.find(&t.folded).map(|at| (t, at)))
            .collect();
        if hits.is_empty() {
            list.pass(RuleId::AdDisplayNameToken, &self.met.display_name);
            return;
        }
        hits.sort_by_key(|(_, at)| *at);
        let (first, at) = hits[0];
        let part = if hits.len() == 1 { "part" } else { "parts" };
        let mut msg = format!("Contains the display-name {part} ");
        push_list(&mut msg, &hits, "and", |out, (t, _)| {
            push_quoted(out, &t.shown)
        });
        list.fail(
            RuleId::AdDisplayNameToken,
            msg,
            Some(folded.span16(at, at + first.folded.len())),
        );
    }

    fn check_complexity(&self, password: &str, list: &mut Checklist) {
        let (found, doubt) = match self.dc {
            DcKind::Windows => windows_kinds(password),
            DcKind::Samba => (super::classify::kinds_of(password, samba_kind), None),
        };
        if found.count() >= KINDS_NEEDED {
            list.pass(RuleId::AdComplexity, &self.met.complexity);
        } else {
            let mut msg = complexity_failure(found, 5, KINDS_NEEDED, &HINT_KINDS);
            if self.dc == DcKind::Windows && password.chars().any(|c| windows_kind(c).is_none()) {
                msg.push_str(" (spaces, € and other non-ASCII symbols count for nothing)");
            }
            list.fail(RuleId::AdComplexity, msg, None);
        }
        if let Some(reason) = doubt {
            list.doubt(reason);
        }
    }
}

/// Windows kinds, plus a doubt when undocumented characters could flip the 3-of-5 outcome.
fn windows_kinds(password: &str) -> (KindSet, Option<String>) {
    let mut ours = KindSet::default();
    let mut certain = KindSet::default();
    let mut possible = KindSet::default();
    let mut reason = None;
    for c in password.chars() {
        let kind = windows_kind(c);
        if let Some(k) = kind {
            ours.insert(k);
            possible.insert(k);
        }
        match windows_doubt(c) {
            None => {
                if let Some(k) = kind {
                    certain.insert(k);
                }
            }
            Some(why) => {
                // What Windows might count it as if our guess is wrong.
                if let Some(alt) = alternative_kind(c) {
                    possible.insert(alt);
                }
                reason.get_or_insert(why);
            }
        }
    }
    let flips = (certain.count() >= KINDS_NEEDED) != (possible.count() >= KINDS_NEEDED);
    let doubt = reason.filter(|_| flips).map(|why| {
        format!("The password contains {why}; the complexity result may differ on a real DC")
    });
    (ours, doubt)
}

fn alternative_kind(c: char) -> Option<Kind> {
    use crate::unicode_class::{is_decimal_digit, is_space_separator, letter, Letter};
    if is_space_separator(c) {
        Some(Kind::Symbol)
    } else if is_decimal_digit(c) {
        Some(Kind::Digit)
    } else if letter(c) == Some(Letter::Title) {
        Some(Kind::Upper)
    } else {
        None
    }
}
