//! Active Directory profiles: a Windows DC (docs/policy.md §1) and a Samba AD DC (§2).
use std::sync::Arc;

use super::checklist::Checklist;
use super::folded::FoldedPassword;
use super::messages::{complexity_failure, push_list, push_quoted, quoted};
use super::names::{display_name_tokens, sam_token, NameToken};
use super::windows_doubt::{alternative_kind, windows_doubt};
use crate::rules::{Classifier, Complexity, Kind, KindSet, RuleTable};
use crate::{Account, ActiveDirectoryPolicy, DcKind, RuleId, Verdict};

/// Suggested kinds, in the order a technician would add them.
const HINT_KINDS: [Kind; 4] = [Kind::Digit, Kind::Symbol, Kind::Upper, Kind::Lower];

/// A compiled AD policy for one account.
#[derive(Debug, Clone)]
pub(crate) struct AdRules {
    dc: DcKind,
    table: RuleTable,
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
    /// `None` when complexity is off.
    complexity: Option<Arc<str>>,
}

impl AdRules {
    pub(crate) fn new(policy: &ActiveDirectoryPolicy, account: &Account, table: RuleTable) -> Self {
        let max_len = table.max_len.unwrap_or(u32::MAX);
        let sam = sam_token(account.sam_account_name.as_deref());
        let tokens = display_name_tokens(account.display_name.as_deref());
        let met = MetMessages {
            max_len: format!("At most {max_len} characters").into(),
            min_len: format!("At least {} characters", table.min_len).into(),
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
            complexity: table.complexity.map(|rule| {
                format!(
                    "At least {} of {} character kinds: upper-case, lower-case, digits, symbols, letters without case",
                    rule.needed,
                    rule.total()
                )
                .into()
            }),
        };
        Self {
            dc: policy.dc,
            table,
            sam,
            tokens,
            met,
        }
    }

    /// Windows checks names only with complexity on (a PassDesk decision, docs/policy.md §1.3);
    /// Samba never does (§2).
    fn checks_names(&self) -> bool {
        self.dc == DcKind::Windows && self.table.complexity.is_some()
    }

    pub(crate) fn check(&self, password: &str) -> Verdict {
        let mut list = Checklist::new(5);
        let len = self.table.unit.of(password);
        let wide = len as usize != password.chars().count();

        match self.table.max_len {
            Some(max) if len > max => list.fail(
                RuleId::AdMaxLen,
                format!("Too long: {len} characters, the most is {max}"),
                None,
            ),
            _ => list.pass(RuleId::AdMaxLen, &self.met.max_len),
        }

        if len >= self.table.min_len {
            list.pass(RuleId::AdMinLen, &self.met.min_len);
        } else {
            let note = if wide {
                " (emoji and some rare characters count as 2)"
            } else {
                ""
            };
            let msg = format!(
                "Too short: {len} characters, needs at least {}{note}",
                self.table.min_len
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

        if let (Some(rule), Some(met)) = (self.table.complexity, &self.met.complexity) {
            check_complexity(rule, met, password, &mut list);
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
}

fn check_complexity(rule: Complexity, met: &Arc<str>, password: &str, list: &mut Checklist) {
    let (found, doubt) = match rule.classifier {
        Classifier::Windows => windows_kinds(rule, password),
        classifier => (classifier.kinds_of(password), None),
    };
    if rule.met_by(found) {
        list.pass(RuleId::AdComplexity, met);
    } else {
        let mut msg = complexity_failure(found, rule, &HINT_KINDS);
        if rule.classifier == Classifier::Windows
            && password
                .chars()
                .any(|c| Classifier::Windows.kind_of(c).is_none())
        {
            msg.push_str(" (spaces, € and other non-ASCII symbols count for nothing)");
        }
        list.fail(RuleId::AdComplexity, msg, None);
    }
    if let Some(reason) = doubt {
        list.doubt(reason);
    }
}

/// Windows kinds, plus a doubt when undocumented characters could flip the 3-of-5 outcome.
fn windows_kinds(rule: Complexity, password: &str) -> (KindSet, Option<String>) {
    let mut ours = KindSet::default();
    let mut certain = KindSet::default();
    let mut possible = KindSet::default();
    let mut reason = None;
    for c in password.chars() {
        let kind = Classifier::Windows.kind_of(c);
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
    let flips = rule.met_by(certain) != rule.met_by(possible);
    let doubt = reason.filter(|_| flips).map(|why| {
        format!("The password contains {why}; the complexity result may differ on a real DC")
    });
    (ours, doubt)
}
