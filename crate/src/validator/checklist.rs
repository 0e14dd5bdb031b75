//! Collects one outcome per rule, in policy order, into a [`Verdict`].
use std::borrow::Cow;
use std::sync::Arc;

use crate::{RuleId, Satisfied, Verdict, Violation};

#[derive(Default)]
pub(crate) struct Checklist {
    violations: Vec<Violation>,
    satisfied: Vec<Satisfied>,
    doubts: Vec<Cow<'static, str>>,
}

impl Checklist {
    /// `rules`: how many rules the profile has (sizes the checklist once).
    pub(crate) fn new(rules: usize) -> Self {
        Self {
            violations: Vec::new(),
            satisfied: Vec::with_capacity(rules),
            doubts: Vec::new(),
        }
    }

    /// `requirement` is worded once per validator (each profile's `MetMessages`), so passing
    /// costs no copy.
    pub(crate) fn pass(&mut self, rule: RuleId, requirement: &Arc<str>) {
        self.satisfied.push(Satisfied {
            rule,
            message: Arc::clone(requirement),
        });
    }

    pub(crate) fn fail(&mut self, rule: RuleId, message: String, span: Option<[u32; 2]>) {
        self.violations.push(Violation {
            rule,
            message,
            span,
        });
    }

    /// Adds a reason why the vendor may decide differently (joined with "; ").
    pub(crate) fn doubt(&mut self, reason: impl Into<Cow<'static, str>>) {
        let reason = reason.into();
        if !self.doubts.contains(&reason) {
            self.doubts.push(reason);
        }
    }

    pub(crate) fn finish(mut self) -> Verdict {
        let uncertain = match self.doubts.len() {
            0 => None,
            1 => self.doubts.pop().map(Cow::into_owned),
            _ => Some(self.doubts.join("; ")),
        };
        Verdict {
            ok: self.violations.is_empty(),
            violations: self.violations,
            satisfied: self.satisfied,
            uncertain,
        }
    }
}
