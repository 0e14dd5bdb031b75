//! Collects one outcome per rule, in policy order, into a [`Verdict`].
use crate::{RuleId, Satisfied, Verdict, Violation};

#[derive(Default)]
pub(crate) struct Checklist {
    violations: Vec<Violation>,
    satisfied: Vec<Satisfied>,
    doubts: Vec<String>,
}

impl Checklist {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    pub(crate) fn pass(&mut self, rule: RuleId, requirement: impl Into<String>) {
        self.satisfied.push(Satisfied { rule, message: requirement.into() });
    }

    pub(crate) fn fail(&mut self, rule: RuleId, message: String, span: Option<[u32; 2]>) {
        self.violations.push(Violation { rule, message, span });
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
