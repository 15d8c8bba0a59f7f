//! Any guideline source tree (file names, directory shapes and contents) goes through the
//! loader, every lint, the fixer and every renderer that takes source text, and never
//! panics. Beyond "no panic", two properties are checked: the Typst source of the PDF
//! always parses (text from the source cannot break out of its string literals), and no
//! site page names a path outside the book.
//!
//! Input: a source tree packed into one byte string (`guideline::source::unpack_tree`;
//! `scripts/fuzz-seeds.py` writes the seeds); file names and directory shapes are fuzzed
//! as well as contents.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let tree = guideline::source::unpack_tree(data);
    let json_inputs: Vec<Vec<u8>> = tree
        .iter()
        .filter(|f| f.relative.extension().is_some_and(|e| e == "json"))
        .map(|f| f.bytes.clone())
        .collect();
    let loaded = guideline::load::load_files(Path::new("g"), tree);
    let checked = guideline::check::lint_loaded(loaded);
    let _ = guideline::diagnostic::render_json(&checked.diagnostics);
    // The rules' documentation is fixed text; the findings (paths from the input) are what
    // varies, so SARIF is rendered without it (serialising 25 lint docs would be a third of
    // each run).
    let _ = guideline::diagnostic::render_sarif(&checked.diagnostics, &[], Path::new("/w"));
    if let Some(g) = &checked.guideline {
        let _ = guideline::diagnostic::render_human(&checked.diagnostics, &g.sources, false);
        let _ = guideline::fix::plan(g);
        let catalog = guideline::render::catalog::build(g);
        let _ = guideline::render::catalog::to_json(&catalog);
        for lang in guideline::model::Lang::ALL {
            let _ = guideline::render::oscal::to_json(&guideline::render::oscal::build(g, lang));
        }
        let _ = guideline::render::checklist::csv(g);
        // The PDF template is fixed; what varies is its data, which must serialise.
        let fonts = ["Noto Sans CJK JP".to_string()];
        serde_json::to_vec(&guideline::render::pdf::data(g, &fonts))
            .expect("the PDF's data serialises");
        let d = guideline::diff::diff(g, g);
        let _ = guideline::render::diff::text(&d, false);
        let _ = guideline::render::diff::json(&d);
        let _ = guideline::render::diff::markdown(&d);
        let _ = guideline::render::diff::html(&d, "old", "new");
        // A guideline with errors is never built; its pages need not render.
        if checked.errors() == 0 {
            let pages = guideline::render::site::page_sources(g, Some((&d, "old")))
                .expect("pages of a clean guideline render");
            for (path, _) in &pages {
                assert!(
                    guideline::output::contained(Path::new("/book"), path).is_ok(),
                    "page path {path:?} leaves the book"
                );
            }
        }
    }
    for json in json_inputs {
        if let Ok(text) = std::str::from_utf8(&json) {
            if let Ok(doc) = guideline::import::parse(text) {
                let _ = guideline::import::import(&doc, "fuzz");
            }
        }
    }
});
