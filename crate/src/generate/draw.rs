//! Whole-candidate rejection sampling: fill a candidate, keep it only if the validator passes it.
//! Redrawing the whole candidate (instead of patching it) keeps the output uniform over the
//! compliant set.
use zeroize::{Zeroize, Zeroizing};

use crate::Validator;

/// Draws before giving up. Feasible options pass far sooner: a complex password fails the kind rule
/// at most ~11% of the time (length 8), and name / banned-term hits are rare.
pub(crate) const MAX_ATTEMPTS: u32 = 10_000;

/// Fills a candidate with `fill` until `validator` accepts it; `None` after [`MAX_ATTEMPTS`].
///
/// `capacity` must bound every candidate's length in bytes, so the buffer never reallocates (a
/// reallocation would leave an unwiped copy behind). Rejected candidates are wiped before reuse.
pub(crate) fn until_compliant(
    validator: &Validator,
    capacity: usize,
    mut fill: impl FnMut(&mut String),
) -> Option<String> {
    let mut candidate = Zeroizing::new(String::with_capacity(capacity));
    for _ in 0..MAX_ATTEMPTS {
        candidate.zeroize();
        fill(&mut candidate);
        debug_assert!(candidate.len() <= capacity, "candidate outgrew its buffer");
        if validator.validate(&candidate).ok {
            // Moves the buffer out (no copy); the wrapper is left holding an empty string.
            return Some(std::mem::take(&mut *candidate));
        }
    }
    None
}
