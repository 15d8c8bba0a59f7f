//! The fast half of `source_tree`: any source tree goes through the loader, every lint, the
//! fixer and every diagnostic format, and never panics. It leaves the renderers out, so one
//! run costs a few milliseconds instead of tens and a million runs fit in a working session;
//! `source_tree` keeps driving the renderers on the same seeds.
//!
//! Input: a source tree packed into one byte string (`guideline::source::unpack_tree`).

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let tree = guideline::source::unpack_tree(data);
    let loaded = guideline::load::load_files(Path::new("g"), tree);
    let checked = guideline::check::lint_loaded(loaded);
    let _ = guideline::diagnostic::render_json(&checked.diagnostics);
    let _ = guideline::diagnostic::render_sarif(&checked.diagnostics, &[], Path::new("/w"));
    if let Some(g) = &checked.guideline {
        let _ = guideline::diagnostic::render_human(&checked.diagnostics, &g.sources, false);
        let _ = guideline::fix::plan(g);
    }
});
