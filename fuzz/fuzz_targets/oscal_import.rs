//! Any JSON given to `guideline import oscal` gives a source tree or an error, never a
//! panic; and an imported tree always loads (it may have findings, but the loader takes it).

#![no_main]

use std::path::Path;

use guideline::source::RawFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(doc) = guideline::import::parse(text) else {
        return;
    };
    let Ok(imported) = guideline::import::import(&doc, "fuzz") else {
        return;
    };
    let files: Vec<RawFile> = imported
        .files
        .iter()
        .map(|(rel, text)| RawFile {
            relative: rel.clone(),
            bytes: text.as_bytes().to_vec(),
        })
        .collect();
    let loaded = guideline::load::load_files(Path::new("imported"), files);
    let _ = guideline::check::lint_loaded(loaded);
});
