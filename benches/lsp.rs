//! `cargo bench --bench lsp`: the time from a change notification to the diagnostics the
//! language server publishes, on the shipped guideline: 200 edits to one chapter (adding
//! and removing an untagged name, so every edit changes the findings), p50 and p95. The
//! server is driven in process (`guideline::lsp::Server`); stdio adds a copy of the message.

use std::path::Path;
use std::time::Instant;

use lsp_server::Notification;
use serde_json::json;

fn main() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let chapter = repo
        .join("guideline/parts/4-control/07-authentication.ja.md")
        .canonicalize()
        .expect("the C-7 chapter exists");
    let uri = guideline::lsp::uri(&chapter);
    let original = std::fs::read_to_string(&chapter).unwrap();
    let mut server = guideline::lsp::Server::new(repo, guideline::lsp::Encoding::Utf16);
    server.recheck();
    let open = Notification::new(
        "textDocument/didOpen".into(),
        json!({ "textDocument": { "uri": uri, "languageId": "markdown", "version": 1, "text": original } }),
    );
    server.notify(&open);
    let mut times = Vec::new();
    for version in 2..202 {
        let text = if version % 2 == 0 {
            format!("{original}\nFIDO2\n")
        } else {
            original.clone()
        };
        let change = Notification::new(
            "textDocument/didChange".into(),
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": text }] }),
        );
        let start = Instant::now();
        let published = server.notify(&change);
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        assert!(!published.is_empty(), "every edit changes the findings");
    }
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let p = |q: f64| times[((times.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "lsp: change -> published diagnostics on the shipped guideline ({}), 200 edits: p50 {:.1} ms, p95 {:.1} ms (goal p95 < 50 ms)",
        chapter.file_name().unwrap().to_string_lossy(),
        p(0.5),
        p(0.95)
    );
}
