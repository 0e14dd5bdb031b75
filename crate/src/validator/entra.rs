//! Entra ID cloud policy (docs/policy.md §3.1) plus PassDesk's model of Password Protection (§3.3).
use std::sync::Arc;

use super::banned_index::{BannedIndex, Occurrence, TermSource};
use super::checklist::Checklist;
use super::folded::utf16_span;
use super::messages::{complexity_failure, push_list, push_quoted, quoted};
use super::normalize::{normalize_password, normalize_term};
use crate::rules::{Charset, Complexity, Kind, KindSet, RuleTable};
use crate::{Account, EntraPolicy, RuleId, Verdict};

/// Microsoft: accept only at 5 points or more.
pub(crate) const MIN_SCORE: u32 = 5;
/// Names and the tenant name are matched only from 4 characters on.
const NAME_MIN_LEN: usize = 4;
const HINT_KINDS: [Kind; 4] = [Kind::Digit, Kind::Symbol, Kind::Upper, Kind::Lower];

#[derive(Debug, Clone)]
struct EntraName {
    normalized: Vec<u8>,
    shown: String,
    source: TermSource,
}

/// A compiled Entra policy for one account.
#[derive(Debug, Clone)]
pub(crate) struct EntraRules {
    /// One index of every term the model scores (the global list with `global_list: true`, the
    /// custom terms, the account's names), so a keystroke slides over the password once.
    terms: BannedIndex,
    names: Vec<EntraName>,
    table: RuleTable,
    met: MetMessages,
}

/// Checklist wording of met rules, built once (each verdict shares them).
#[derive(Debug, Clone)]
struct MetMessages {
    charset: Arc<str>,
    min_len: Arc<str>,
    max_len: Arc<str>,
    complexity: Arc<str>,
    banned: Arc<str>,
    names: Arc<str>,
}

impl EntraRules {
    pub(crate) fn new(
        policy: &EntraPolicy,
        account: &Account,
        global: Option<&[&str]>,
        table: RuleTable,
    ) -> Self {
        let global = if policy.global_list { global } else { None };
        let candidates = [
            (account.given_name.as_deref(), TermSource::GivenName),
            (account.surname.as_deref(), TermSource::Surname),
            (policy.tenant_name.as_deref(), TermSource::Tenant),
        ];
        let names: Vec<EntraName> = candidates
            .into_iter()
            .filter_map(|(name, source)| {
                let name = name?.trim();
                (name.chars().count() >= NAME_MIN_LEN).then(|| EntraName {
                    normalized: normalize_term(name),
                    shown: name.to_string(),
                    source,
                })
            })
            .collect();
        // Global terms first: a term on both lists is reported as a common weak word.
        let terms = BannedIndex::new(
            global
                .unwrap_or_default()
                .iter()
                .map(|t| (*t, TermSource::Global))
                .chain(
                    policy
                        .custom_terms
                        .iter()
                        .map(|t| (t.as_str(), TermSource::Custom)),
                )
                .chain(names.iter().map(|n| (n.shown.as_str(), n.source))),
        );
        let shown: Vec<&str> = names.iter().map(|n| n.shown.as_str()).collect();
        let met_names = if shown.is_empty() {
            "Does not contain the user's names or the organisation name (none of 4+ characters)"
                .into()
        } else {
            format!(
                "Does not contain the user's names or the organisation name ({})",
                quoted(&shown).join(", ")
            )
            .into()
        };
        let met = MetMessages {
            charset: "Only A–Z, a–z, 0–9, space and ASCII symbols".into(),
            min_len: format!("At least {} characters", table.min_len).into(),
            max_len: format!("At most {} characters", table.max_len.unwrap_or(u32::MAX)).into(),
            complexity: match table.complexity {
                Some(rule) => format!(
                    "At least {} of {} character kinds: upper-case, lower-case, digits, symbols",
                    rule.needed,
                    rule.total()
                )
                .into(),
                None => "No character-kind rule".into(),
            },
            banned: "Not mostly made of common or blocked words (score 5+)".into(),
            names: met_names,
        };
        Self {
            terms,
            names,
            table,
            met,
        }
    }

    pub(crate) fn check(&self, password: &str) -> Verdict {
        let mut list = Checklist::new(6);
        let table = &self.table;
        check_charset(table.charset, password, &self.met.charset, &mut list);
        // Entra counts characters (and refuses every one outside printable ASCII anyway).
        let len = table.unit.of(password);
        if len >= table.min_len {
            list.pass(RuleId::EntraMinLen, &self.met.min_len);
        } else {
            list.fail(
                RuleId::EntraMinLen,
                format!(
                    "Too short: {len} characters, needs at least {}",
                    table.min_len
                ),
                None,
            );
        }
        match table.max_len {
            Some(max) if len > max => list.fail(
                RuleId::EntraMaxLen,
                format!("Too long: {len} characters, the most is {max}"),
                None,
            ),
            _ => list.pass(RuleId::EntraMaxLen, &self.met.max_len),
        }
        if let Some(rule) = table.complexity {
            check_complexity(rule, password, &self.met.complexity, &mut list);
        }

        let normalized = normalize_password(password);
        let banned_ok = self.check_banned(password, &normalized, &mut list);
        let name_ok = self.check_names(password, &normalized, &mut list);
        if !name_ok && banned_ok {
            list.doubt("Microsoft's example implies a name refuses the password outright; Entra may only count it in the score");
        }
        list.finish()
    }

    /// Returns whether the rule is met.
    fn check_banned(&self, password: &str, pw: &[u8], list: &mut Checklist) -> bool {
        let whole = self.terms.whole_match(pw).map(|id| self.terms.term(id));
        if let Some(term) = whole {
            let msg = format!(
                "Too close to {} \"{}\" (score 1 of the {MIN_SCORE} points needed)",
                describe(term.source),
                term.shown
            );
            list.fail(
                RuleId::EntraBanned,
                msg,
                Some(utf16_span(password, 0, pw.len())),
            );
            list.doubt(LIKELY_REFUSED);
            return false;
        }

        let mut occurrences: Vec<Occurrence> = Vec::with_capacity(pw.len());
        self.terms.occurrences(pw, &mut occurrences);
        // Exact occurrences first, so the one kept for a place names the term actually typed.
        occurrences.sort_unstable_by_key(|o| (o.start, o.end, !o.exact));
        occurrences.dedup_by_key(|o| (o.start, o.end));
        // One pass that also keeps the terms it counted: while a password is typed, it mostly
        // scores too low, and the message names them.
        let mut chosen = Vec::new();
        let score = min_score(pw.len(), &occurrences, Some(&mut chosen));
        if score >= MIN_SCORE {
            list.pass(RuleId::EntraBanned, &self.met.banned);
            return true;
        }
        let mut shown: Vec<&str> = Vec::new();
        for o in &chosen {
            let term = self.terms.term(o.term).shown.as_str();
            if !shown.contains(&term) {
                shown.push(term);
            }
        }
        let mut msg = format!("Scores {score} of the {MIN_SCORE} points needed: ");
        if shown.is_empty() {
            msg.push_str("make it longer");
        } else {
            push_list(&mut msg, &shown, "and", |out, term| push_quoted(out, term));
            msg.push_str(" count 1 point each, every other character 1; add characters that are not part of a common word");
        }
        let span = chosen.first().map(|o| utf16_span(password, o.start, o.end));
        list.fail(RuleId::EntraBanned, msg, span);
        list.doubt(LIKELY_REFUSED);
        false
    }

    /// Returns whether the rule is met.
    fn check_names(&self, password: &str, pw: &[u8], list: &mut Checklist) -> bool {
        let first = self
            .names
            .iter()
            .filter_map(|n| find_bytes(pw, &n.normalized).map(|at| (at, n)))
            .min_by_key(|(at, _)| *at);
        let Some((at, first)) = first else {
            list.pass(RuleId::EntraNameSubstring, &self.met.names);
            return true;
        };
        // Failing: now it is worth collecting every name found, in password order.
        let mut hits: Vec<(usize, &EntraName)> = self
            .names
            .iter()
            .filter_map(|n| find_bytes(pw, &n.normalized).map(|at| (at, n)))
            .collect();
        hits.sort_by_key(|(at, _)| *at);
        let mut msg = String::from("Contains ");
        push_list(&mut msg, &hits, "and", |out, (_, n)| {
            out.push_str(describe(n.source));
            out.push(' ');
            push_quoted(out, &n.shown);
        });
        list.fail(
            RuleId::EntraNameSubstring,
            msg,
            Some(utf16_span(password, at, at + first.normalized.len())),
        );
        false
    }
}

const LIKELY_REFUSED: &str =
    "Banned-word check: Microsoft's global list is secret, so this uses PassDesk's own list \
                              and Microsoft's documented scoring: likely, not certainly, refused";

fn describe(source: TermSource) -> &'static str {
    match source {
        TermSource::Global => "the common weak word",
        TermSource::Custom => "the word blocked by your administrator",
        TermSource::GivenName => "the user's first name",
        TermSource::Surname => "the user's last name",
        TermSource::Tenant => "the organisation name",
    }
}

fn check_charset(charset: Charset, password: &str, met: &Arc<str>, list: &mut Checklist) {
    let allowed = |c: char| charset.allows(c);
    let mut first = None;
    let mut count = 0u32;
    let mut at16 = 0u32;
    for c in password.chars() {
        if !allowed(c) {
            count += 1;
            first.get_or_insert([at16, at16.saturating_add(c.len_utf16() as u32)]);
        }
        at16 = at16.saturating_add(c.len_utf16() as u32);
    }
    match first {
        None => list.pass(RuleId::EntraCharset, met),
        Some(span) => {
            let what = if count == 1 {
                "a character".to_string()
            } else {
                format!("{count} characters")
            };
            list.fail(
                RuleId::EntraCharset,
                format!("Contains {what} Entra does not allow (accented letters, emoji, …): use only A–Z, a–z, 0–9, space and ASCII symbols"),
                Some(span),
            );
        }
    }
}

fn check_complexity(rule: Complexity, password: &str, met: &Arc<str>, list: &mut Checklist) {
    let mut found = KindSet::default();
    let mut without_space = KindSet::default();
    for c in password.chars() {
        if let Some(kind) = rule.classifier.kind_of(c) {
            found.insert(kind);
            if c != ' ' {
                without_space.insert(kind);
            }
        }
    }
    if rule.met_by(found) {
        list.pass(RuleId::EntraComplexity, met);
    } else {
        list.fail(
            RuleId::EntraComplexity,
            complexity_failure(found, rule, &HINT_KINDS),
            None,
        );
    }
    if rule.met_by(found) != rule.met_by(without_space) {
        list.doubt("The password relies on a space as its symbol; whether Entra counts a space as a symbol is not documented");
    }
}

/// The score of docs/policy.md §3.3 step 4: the minimum over non-overlapping sets of occurrences of
/// (#occurrences + uncovered code points), by DP over positions. `occurrences` must be sorted by
/// start. With `path`, also collects one optimal set of occurrences, in password order.
pub(crate) fn min_score(
    len: usize,
    occurrences: &[Occurrence],
    path: Option<&mut Vec<Occurrence>>,
) -> u32 {
    if occurrences.is_empty() {
        return u32::try_from(len).unwrap_or(u32::MAX);
    }
    let mut best = vec![u32::MAX; len + 1];
    // For each position: the occurrence that ends there on the best path, if any.
    let mut via: Vec<Option<usize>> = if path.is_some() {
        vec![None; len + 1]
    } else {
        Vec::new()
    };
    best[0] = 0;
    let mut next = 0;
    for i in 0..=len {
        let here = best[i];
        if i < len && here + 1 < best[i + 1] {
            best[i + 1] = here + 1;
            if let Some(v) = via.get_mut(i + 1) {
                *v = None;
            }
        }
        while next < occurrences.len() && occurrences[next].start <= i {
            let o = occurrences[next];
            if o.start == i && o.end <= len && o.end > i && here + 1 < best[o.end] {
                best[o.end] = here + 1;
                if let Some(v) = via.get_mut(o.end) {
                    *v = Some(next);
                }
            }
            next += 1;
        }
    }
    if let Some(path) = path {
        let mut at = len;
        while at > 0 {
            match via[at] {
                Some(k) => {
                    path.push(occurrences[k]);
                    at = occurrences[k].start;
                }
                None => at -= 1,
            }
        }
        path.reverse();
    }
    best[len]
}

fn find_bytes(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let (&first, rest) = needle.split_first()?;
    if needle.len() > hay.len() {
        return None;
    }
    (0..=hay.len() - needle.len())
        .find(|&i| hay[i] == first && hay[i + 1..i + needle.len()] == *rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn occ(start: usize, end: usize) -> Occurrence {
        Occurrence {
            start,
            end,
            term: 0,
            exact: true,
        }
    }

    #[test]
    fn score_prefers_covering_terms() {
        // "contosoblanklz": [contoso][blank] + l + z = 4
        let mut path = Vec::new();
        assert_eq!(min_score(14, &[occ(0, 7), occ(7, 12)], Some(&mut path)), 4);
        assert_eq!(path, [occ(0, 7), occ(7, 12)]);
        // Overlapping occurrences: only one of them can be used.
        assert_eq!(min_score(6, &[occ(0, 4), occ(2, 6)], None), 3);
        assert_eq!(min_score(0, &[], None), 0);
        assert_eq!(min_score(3, &[], None), 3);
    }
}
