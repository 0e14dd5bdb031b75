//! Collects one outcome per rule, in policy order, into a [`Verdict`].
use crate::{RuleId, Satisfied, Verdict, Violation};

#[derive(Default)]
pub(crate) struct Checklist {
    violations: Vec<Violation>,
    satisfied: Vec<Satisfied>,
    doubts: Vec<String>,
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

    pub(crate) fn pass(&mut self, rule: RuleId, requirement: impl Into<String>) {
        self.satisfied.push(Satisfied {
            rule,
            message: requirement.into(),
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
    pub(crate) fn doubt(&mut self, reason: impl Into<String>) {
        let reason = reason.into();
        if !self.doubts.contains(&reason) {
            self.doubts.push(reason);
        }
    }

    pub(crate) fn finish(self) -> Verdict {
        Verdict {
            ok: self.violations.is_empty(),
            violations: self.violations,
            satisfied: self.satisfied,
            uncertain: (!self.doubts.is_empty()).then(|| self.doubts.join("; ")),
        }
    }
}
