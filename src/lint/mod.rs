//! Lints: each file declares one finding (code, name, severity, documentation) and, for
//! lints that read the model, the check itself.
//!
//! Lints in the `G00xx` range describe input the loader cannot take as it is (bad bytes,
//! bad metadata, bad structure); the loader reports them with the constructors their files
//! provide. The rest read the finished [`Guideline`] and never look at files.

use std::ops::Range;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Guideline;
use crate::source::SourceFile;

/// A lint's identity and documentation; `check` is absent for loader-reported lints.
pub struct Lint {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// The doc comment of the declaration: what `guideline explain CODE` prints.
    pub doc: &'static str,
    pub check: Option<fn(&Guideline, &mut Vec<Diagnostic>)>,
}

impl Lint {
    /// A finding of this lint at `span` in `file`.
    pub fn at(
        &self,
        file: &SourceFile,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::at(self.code, self.severity, file, span, message)
    }

    /// The documentation with the doc-comment indentation removed.
    pub fn documentation(&self) -> String {
        self.doc
            .lines()
            .map(|l| l.strip_prefix(' ').unwrap_or(l))
            .collect::<Vec<_>>()
            .join("\n")
            .trim()
            .to_string()
    }
}

/// Declares `pub const LINT`, taking its documentation from the doc comment.
macro_rules! declare_lint {
    ($(#[doc = $doc:literal])* $code:literal, $name:literal, $severity:ident, $check:expr) => {
        $(#[doc = $doc])*
        pub const LINT: crate::lint::Lint = crate::lint::Lint {
            code: $code,
            name: $name,
            severity: crate::diagnostic::Severity::$severity,
            doc: concat!($($doc, "\n"),*),
            check: $check,
        };
    };
}

pub mod g0001_not_utf8;
pub mod g0002_malformed_metadata;
pub mod g0003_unknown_key;
pub mod g0004_malformed_structure;
pub mod g0005_raw_html;
pub mod g0006_registry_conflict;
pub mod g0007_unsafe_path;
pub mod g0008_build_directive;
pub mod g0010_duplicate_id;
pub mod g0011_dangling_reference;
pub mod g0012_dangling_previous;
pub mod g0013_empty_statement;
pub mod g0014_missing_translation;
pub mod g0101_untagged_mention;
pub mod g0102_unknown_technology;
pub mod g0103_unknown_role;
pub mod g0104_normative_tag_in_guidance;
pub mod g0105_unused_not_mention;
pub mod g0201_conflicting_roles;
pub mod g0202_lock_in;
pub mod g0203_example_below_assurance;
pub mod g0204_deprecated_technology;
pub mod g0301_translation_mismatch;
pub mod g0302_terminology;
pub mod g0401_malformed_condition;
pub mod g0402_unknown_answer;
pub mod g0403_unused_question;
pub mod g0404_unreachable_control;
pub mod g0501_unknown_parameter;
pub mod g0502_unused_parameter;
pub mod g0503_duplicate_parameter;
pub mod g0504_item_mismatch;
pub mod g0601_malformed_disclosure;
pub mod g0602_unknown_control;
pub mod g0603_missing_answer;
pub mod g0604_incomplete_answer;
pub mod g0605_unknown_disclosed_technology;
pub mod g0606_unacceptable_technology;
pub mod g0607_below_assurance;
pub mod g0608_past_plan;
pub mod g0609_needs_review;
pub mod g0610_edition_mismatch;
pub mod g0611_open_for_reader;

/// Every lint, in code order.
pub const ALL: &[&Lint] = &[
    &g0001_not_utf8::LINT,
    &g0002_malformed_metadata::LINT,
    &g0003_unknown_key::LINT,
    &g0004_malformed_structure::LINT,
    &g0005_raw_html::LINT,
    &g0006_registry_conflict::LINT,
    &g0007_unsafe_path::LINT,
    &g0008_build_directive::LINT,
    &g0010_duplicate_id::LINT,
    &g0011_dangling_reference::LINT,
    &g0012_dangling_previous::LINT,
    &g0013_empty_statement::LINT,
    &g0014_missing_translation::LINT,
    &g0101_untagged_mention::LINT,
    &g0102_unknown_technology::LINT,
    &g0103_unknown_role::LINT,
    &g0104_normative_tag_in_guidance::LINT,
    &g0105_unused_not_mention::LINT,
    &g0201_conflicting_roles::LINT,
    &g0202_lock_in::LINT,
    &g0203_example_below_assurance::LINT,
    &g0204_deprecated_technology::LINT,
    &g0301_translation_mismatch::LINT,
    &g0302_terminology::LINT,
    &g0401_malformed_condition::LINT,
    &g0402_unknown_answer::LINT,
    &g0403_unused_question::LINT,
    &g0404_unreachable_control::LINT,
    &g0501_unknown_parameter::LINT,
    &g0502_unused_parameter::LINT,
    &g0503_duplicate_parameter::LINT,
    &g0504_item_mismatch::LINT,
    &g0601_malformed_disclosure::LINT,
    &g0602_unknown_control::LINT,
    &g0603_missing_answer::LINT,
    &g0604_incomplete_answer::LINT,
    &g0605_unknown_disclosed_technology::LINT,
    &g0606_unacceptable_technology::LINT,
    &g0607_below_assurance::LINT,
    &g0608_past_plan::LINT,
    &g0609_needs_review::LINT,
    &g0610_edition_mismatch::LINT,
    &g0611_open_for_reader::LINT,
];

/// Finds a lint by code (`G0202`) or name (`lock-in`), case-insensitively.
pub fn find(key: &str) -> Option<&'static Lint> {
    ALL.iter()
        .copied()
        .find(|l| l.code.eq_ignore_ascii_case(key) || l.name.eq_ignore_ascii_case(key))
}

/// Whether a finding is of the `G00xx` range: the source's structure (bytes, metadata, IDs,
/// pairs of files) is broken, not its wording. Commands that read a guideline as data
/// (`applies`, `disclosure`) refuse one.
pub fn is_structural(code: &str) -> bool {
    code.starts_with("G00")
}

/// Whether a finding is of the `G000x` range: the loader could not take a file as it is
/// (bytes, metadata, structure, paths), so no comparison of its text can be trusted.
pub fn is_unreadable(code: &str) -> bool {
    code.starts_with("G000")
}

/// Runs every model lint, on as many cores as there are (each lint reads the model only),
/// and returns their findings in the order of [`ALL`], as if run one after another.
pub fn run(guideline: &Guideline) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    ALL.par_iter()
        .filter_map(|lint| lint.check)
        .map(|check| {
            let mut out = Vec::new();
            check(guideline, &mut out);
            out
        })
        .collect::<Vec<_>>()
        .concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_name_the_lints_they_hold() {
        let structural: Vec<_> = ALL
            .iter()
            .filter(|l| is_structural(l.code))
            .map(|l| l.code)
            .collect();
        assert_eq!(structural.first(), Some(&"G0001"));
        assert_eq!(structural.last(), Some(&"G0014"));
        assert!(ALL
            .iter()
            .filter(|l| is_unreadable(l.code))
            .all(|l| l.code <= "G0008"));
        assert!(!is_structural("G0101") && !is_unreadable("G0010"));
    }

    #[test]
    fn codes_are_unique_sorted_and_documented() {
        for pair in ALL.windows(2) {
            assert!(
                pair[0].code < pair[1].code,
                "{} before {}",
                pair[0].code,
                pair[1].code
            );
        }
        for lint in ALL {
            let doc = lint.documentation();
            for section in [
                "## What it does",
                "## Why is this bad?",
                "## Example",
                "## Use instead",
            ] {
                assert!(doc.contains(section), "{} lacks {section}", lint.code);
            }
        }
    }
}
