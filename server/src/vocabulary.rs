//! The API's vocabularies (issue #13): the words of `error.code`, `problems[].code`,
//! `likely_causes`, verification statuses, audit actions, ... are the serde names of unit enums,
//! and those enums are the one place they are written. An enum declared through [`vocabulary!`]
//! lists its own values ([`Vocabulary::ALL`]), so nothing else keeps a copy of the list:
//! `tests/api_contract.rs` checks `openapi.yaml` and `extension/lib/codes.json` against it.

/// A unit enum whose values are API words (its serde names).
pub trait Vocabulary: serde::Serialize + Copy + 'static {
    /// Every value, in declaration order.
    const ALL: &'static [Self];

    /// The serde name of every value, in declaration order (as the API and the database say them).
    fn words() -> Vec<String> {
        Self::ALL.iter().map(crate::store::vocab::word).collect()
    }
}

/// Declares a unit enum exactly as written and implements [`Vocabulary`] for it from the same
/// variant list: a variant added to the enum is in `ALL` without anyone remembering it.
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $crate::vocabulary::Vocabulary for $name {
            const ALL: &'static [Self] = &[$( Self::$variant ),+];
        }
    };
}
