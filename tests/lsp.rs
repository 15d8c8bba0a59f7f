//! `guideline lsp` driven over stdio as an editor drives it: initialize, open a chapter,
//! type an untagged full-width mention after a 𠮷, get G0101 at the right UTF-16 range,
//! apply the offered quick fix, get an empty set; hover, definition, completion and document
//! symbols; random edits whose
//! final diagnostics equal `check --format json` on the same text saved to disk; shutdown.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use common::{fixture_copy, run, stdout};
use serde_json::{json, Value};

struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    next_id: i64,
    /// The last diagnostics published for each URI.
    latest: std::collections::HashMap<String, Vec<Value>>,
}

impl Client {
    fn start(workspace: &std::path::Path, utf8: bool) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_guideline"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("server starts");
        let stdin = child.stdin.take().unwrap();
        let out = child.stdout.take().unwrap();
        let (tx, incoming) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(out);
            loop {
                let mut len = 0usize;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length: ") {
                        len = v.parse().unwrap();
                    }
                }
                let mut body = vec![0; len];
                if r.read_exact(&mut body).is_err() {
                    return;
                }
                if tx.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        let mut c = Client {
            child,
            stdin,
            incoming,
            next_id: 0,
            latest: Default::default(),
        };
        let encodings = if utf8 {
            json!(["utf-8", "utf-16"])
        } else {
            json!(["utf-16"])
        };
        let init = c.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": guideline::lsp::uri(workspace),
                "capabilities": { "general": { "positionEncodings": encodings } },
            }),
        );
        assert_eq!(
            init["capabilities"]["positionEncoding"],
            if utf8 { "utf-8" } else { "utf-16" }
        );
        c.notify("initialized", json!({}));
        c
    }

    fn send(&mut self, v: Value) {
        let body = serde_json::to_vec(&v).unwrap();
        write!(self.stdin, "Content-Length: {}\r\n\r\n", body.len()).unwrap();
        self.stdin.write_all(&body).unwrap();
        self.stdin.flush().unwrap();
    }

    fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "markdown", "version": 1, "text": text } }),
        );
    }

    /// A full-text change, as the server's `change: 1` (full sync) asks.
    fn change(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": text }] }),
        );
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        loop {
            let m = self.recv().expect("a response");
            if m["id"] == id {
                return m["result"].clone();
            }
        }
    }

    fn recv(&mut self) -> Option<Value> {
        match self.incoming.recv_timeout(Duration::from_secs(20)) {
            Ok(v) => {
                if v["method"] == "textDocument/publishDiagnostics" {
                    self.latest.insert(
                        v["params"]["uri"].as_str().unwrap().to_string(),
                        v["params"]["diagnostics"].as_array().unwrap().clone(),
                    );
                }
                Some(v)
            }
            Err(RecvTimeoutError::Timeout) => panic!("no message from the server in 20 s"),
            Err(RecvTimeoutError::Disconnected) => None,
        }
    }

    /// The diagnostics published for `uri` after the last change (waits for the next
    /// notification for that file).
    fn diagnostics_for(&mut self, uri: &str) -> Vec<Value> {
        loop {
            let m = self.recv().expect("diagnostics");
            if m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri {
                return m["params"]["diagnostics"].as_array().unwrap().clone();
            }
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        // A failed test must not leave the server running.
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Applies LSP text edits (UTF-16 positions) to `text`, computed here independently of the
/// server's own conversion.
fn apply_utf16(text: &str, edits: &[Value]) -> String {
    let mut units: Vec<u16> = Vec::new();
    let lines: Vec<&str> = text.split('\n').collect();
    let mut line_start = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        line_start.push(units.len());
        units.extend(l.encode_utf16());
        if i + 1 < lines.len() {
            units.push(b'\n' as u16);
        }
    }
    let at = |p: &Value| {
        line_start[p["line"].as_u64().unwrap() as usize] + p["character"].as_u64().unwrap() as usize
    };
    let mut edits: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                at(&e["range"]["start"]),
                at(&e["range"]["end"]),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    for (s, e, new) in edits {
        units.splice(s..e, new.encode_utf16());
    }
    String::from_utf16(&units).unwrap()
}

fn utf16_col(line: &str, byte: usize) -> usize {
    line[..byte].encode_utf16().count()
}

#[test]
fn editing_a_chapter_as_an_editor_does() {
    let tmp = tempfile::tempdir().unwrap();
    let g = fixture_copy("clean", tmp.path());
    let chapter = g.join("parts/1-p/01-c.ja.md").canonicalize().unwrap();
    let uri = guideline::lsp::uri(&chapter);
    let mut c = Client::start(&g, false);
    let original = std::fs::read_to_string(&chapter).unwrap();
    c.open(&uri, &original);
    // Opening publishes nothing new for a clean file, so type straight away: an untagged
    // full-width ＦＩＤＯ２ after a 𠮷 in the statement of C-1.1.
    let anchor = "AAL2以上の強度で認証すること。";
    let typed = original.replacen(anchor, &format!("{anchor}𠮷にはＦＩＤＯ２を用いる。"), 1);
    c.change(&uri, 2, &typed);
    let diags = c.diagnostics_for(&uri);
    let g0101: Vec<&Value> = diags.iter().filter(|d| d["code"] == "G0101").collect();
    assert_eq!(g0101.len(), 1, "{diags:?}");
    // The expected range, computed from the typed text.
    let at = typed.find("ＦＩＤＯ２").unwrap();
    let line_no = typed[..at].matches('\n').count();
    let line_start = typed[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = &typed[line_start
        ..typed[line_start..]
            .find('\n')
            .map_or(typed.len(), |i| line_start + i)];
    let start = utf16_col(line, at - line_start);
    let end = utf16_col(line, at - line_start + "ＦＩＤＯ２".len());
    assert_eq!(
        g0101[0]["range"]["start"],
        json!({ "line": line_no, "character": start })
    );
    assert_eq!(
        g0101[0]["range"]["end"],
        json!({ "line": line_no, "character": end })
    );

    // The quick fix tags it; applying it leaves no finding.
    let actions = c.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": g0101[0]["range"], "context": { "diagnostics": [g0101[0]] } }),
    );
    let preferred = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["isPreferred"] == true)
        .expect("a preferred quick fix");
    let fixed = apply_utf16(
        &typed,
        preferred["edit"]["changes"][&uri].as_array().unwrap(),
    );
    assert!(fixed.contains("[ＦＩＤＯ２](example:fido2)"), "{fixed}");
    c.change(&uri, 3, &fixed);
    assert_eq!(c.diagnostics_for(&uri), Vec::<Value>::new());

    // Hover on the new tag shows the registry entry.
    let tag = fixed.find("[ＦＩＤＯ２]").unwrap();
    let tag_line = fixed[..tag].matches('\n').count();
    let tag_line_start = fixed[..tag].rfind('\n').map_or(0, |i| i + 1);
    let col = utf16_col(&fixed[tag_line_start..], tag - tag_line_start) + 1;
    let hover = c.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": tag_line, "character": col } }),
    );
    let shown = hover["contents"]["value"].as_str().unwrap_or("");
    assert!(
        shown.contains("FIDO2") && shown.contains("`fido2`"),
        "{hover}"
    );
    // Definition: the tag goes to the registry entry, `C-1.1` in `related` to its heading.
    let def = c.request(
        "textDocument/definition",
        json!({ "textDocument": { "uri": uri }, "position": { "line": tag_line, "character": col } }),
    );
    assert!(
        def["uri"].as_str().unwrap().ends_with("registry.toml"),
        "{def}"
    );
    let rel = fixed.find("related = [\"C-1.1\"]").unwrap() + "related = [\"".len() + 2;
    let rel_line = fixed[..rel].matches('\n').count();
    let rel_col = rel - fixed[..rel].rfind('\n').map_or(0, |i| i + 1);
    let def = c.request(
        "textDocument/definition",
        json!({ "textDocument": { "uri": uri }, "position": { "line": rel_line, "character": rel_col } }),
    );
    assert_eq!(def["uri"], uri);
    let heading_line = fixed
        .lines()
        .position(|l| l.starts_with("## C-1.1"))
        .unwrap();
    assert_eq!(def["range"]["start"]["line"], heading_line);

    // Hover on the same control ID: its title and statement.
    let hover = c.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": rel_line, "character": rel_col } }),
    );
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap_or("")
            .contains("C-1.1 認証"),
        "{hover}"
    );
    // Completion: technology IDs inside a tag, control IDs in `related`.
    let after = fixed.find("(example:fido2)").unwrap() + "(example:fi".len();
    let line = fixed[..after].matches('\n').count();
    let line_start = fixed[..after].rfind('\n').map_or(0, |i| i + 1);
    let items = c.request(
        "textDocument/completion",
        json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": utf16_col(&fixed[line_start..], after - line_start) } }),
    );
    let labels: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["fido2"], "{items}");
    let items = c.request(
        "textDocument/completion",
        json!({ "textDocument": { "uri": uri }, "position": { "line": rel_line, "character": rel_col } }),
    );
    let labels: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert!(
        labels.contains(&"C-1.1") && labels.contains(&"C-1.2"),
        "{items}"
    );
    // Document symbols: the controls of the chapter.
    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": uri } }),
    );
    let names: Vec<&str> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "C-1.1 認証",
            "C-1.2 旧式の通信",
            "C-1.3 アカウントの管理",
            "C-1.4 アカウントの自動管理"
        ],
        "{symbols}"
    );

    c.request("shutdown", Value::Null);
    c.notify("exit", Value::Null);
    let started = Instant::now();
    loop {
        if let Some(status) = c.child.try_wait().unwrap() {
            assert!(status.success(), "{status}");
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "server did not exit"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// After 1,000 random edits (insertions of names, tags, text, deletions), the diagnostics the
/// server publishes equal what `check --format json` reports on the same text saved.
#[test]
fn diagnostics_after_random_edits_equal_check() {
    let tmp = tempfile::tempdir().unwrap();
    let g = fixture_copy("clean", tmp.path());
    let chapter = g.join("parts/1-p/01-c.ja.md").canonicalize().unwrap();
    let uri = guideline::lsp::uri(&chapter);
    let mut c = Client::start(&g, true);
    let mut text = std::fs::read_to_string(&chapter).unwrap();
    c.open(&uri, &text);
    let pieces = [
        "FIDO2",
        "ＴＬＳ 1.0",
        "[FIDO2](example:fido2)",
        "[x](required:nope)",
        "𠮷",
        "\n\n## C-1.9 追加\n",
        "認証",
        "`code`",
        "[TLS 1.0](example:tls-1-0)",
        "\n",
        "。",
    ];
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for version in 2..1002 {
        let chars: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect();
        let at = chars[next() as usize % chars.len()];
        if next() % 4 == 0 && at < text.len() {
            let end = chars
                .iter()
                .copied()
                .find(|&i| i > at)
                .unwrap_or(text.len());
            text.replace_range(at..end, "");
        } else {
            text.insert_str(at, pieces[next() as usize % pieces.len()]);
        }
        c.change(&uri, version, &text);
    }
    // The server answers requests after it has handled every change before them.
    c.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": 0 } }),
    );
    let published: Vec<(String, u64)> = c
        .latest
        .get(&uri)
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["range"]["start"]["line"].as_u64().unwrap() + 1,
            )
        })
        .collect();
    std::fs::write(&chapter, &text).unwrap();
    let check = run(&["check", g.to_str().unwrap(), "--format", "json"]);
    let findings: Vec<Value> = serde_json::from_str(&stdout(&check)).unwrap();
    let expected: Vec<(String, u64)> = findings
        .iter()
        .filter(|f| {
            std::path::Path::new(f["file"].as_str().unwrap()).ends_with("parts/1-p/01-c.ja.md")
        })
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let mut a = published.clone();
    let mut b = expected.clone();
    a.sort();
    b.sort();
    assert_eq!(a, b, "after 1000 edits");
    assert!(!b.is_empty(), "the edits produced findings to compare");
    c.request("shutdown", Value::Null);
    c.notify("exit", Value::Null);
}

/// The lock-in of edition 5.2 (G0202: TLS client authentication required): the quick fix
/// makes it an example, and the finding goes, in both languages once both are changed.
#[test]
fn lock_in_quick_fix_makes_the_technology_an_example() {
    let tmp = tempfile::tempdir().unwrap();
    let g = fixture_copy("G0202-lock-in", tmp.path());
    let mut c = Client::start(&g, false);
    for lang in ["ja", "en"] {
        let chapter = g
            .join(format!("parts/1-p/01-c.{lang}.md"))
            .canonicalize()
            .unwrap();
        let uri = guideline::lsp::uri(&chapter);
        let text = std::fs::read_to_string(&chapter).unwrap();
        c.open(&uri, &text);
        let line = text
            .lines()
            .position(|l| l.contains("(required:tls-client-auth)"))
            .unwrap();
        let actions = c.request(
            "textDocument/codeAction",
            json!({ "textDocument": { "uri": uri }, "range": { "start": { "line": line, "character": 0 }, "end": { "line": line + 1, "character": 0 } }, "context": { "diagnostics": [] } }),
        );
        let fix = actions
            .as_array()
            .unwrap()
            .iter()
            .find(|a| {
                a["title"].as_str().unwrap_or("").starts_with("Make")
                    && a["edit"]["changes"][&uri][0]["range"]["start"]["line"] == line
                    && a["title"].as_str().unwrap().contains("TLS")
                    && !a["title"].as_str().unwrap().contains("1.3")
            })
            .unwrap_or_else(|| panic!("no lock-in fix in {actions}"));
        let fixed = apply_utf16(&text, fix["edit"]["changes"][&uri].as_array().unwrap());
        assert!(
            fixed.contains("(example:tls-client-auth)")
                && !fixed.contains("(required:tls-client-auth)"),
            "{fixed}"
        );
        c.change(&uri, 2, &fixed);
    }
    // The server has handled both changes once it answers a request.
    c.request("textDocument/hover", json!({ "textDocument": { "uri": "file:///nowhere" }, "position": { "line": 0, "character": 0 } }));
    let g0202: Vec<&Value> = c
        .latest
        .values()
        .flatten()
        .filter(|d| d["code"] == "G0202")
        .collect();
    assert!(g0202.is_empty(), "{g0202:?}");
    c.request("shutdown", Value::Null);
    c.notify("exit", Value::Null);
}

/// The outcome fix for the 5.2 lock-in: it rewrites both languages (the required technology
/// becomes an example, and a sentence states the assurance level with the strongest
/// alternative as a second example); saved, `check` no longer reports G0202 and reports
/// nothing it did not report before.
#[test]
fn lock_in_outcome_fix_states_the_level_in_both_languages() {
    let tmp = tempfile::tempdir().unwrap();
    let g = fixture_copy("G0202-lock-in", tmp.path());
    let codes = |dir: &std::path::Path| -> Vec<String> {
        let out = common::run(&["check", dir.to_str().unwrap(), "--format", "json"]);
        let v: Value = serde_json::from_str(&common::stdout(&out)).unwrap();
        let mut c: Vec<String> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                format!(
                    "{} {}",
                    d["code"].as_str().unwrap(),
                    d["message"].as_str().unwrap()
                )
            })
            .collect();
        c.sort();
        c
    };
    let before = codes(&g);
    assert!(before.iter().any(|c| c.starts_with("G0202")), "{before:?}");
    let mut c = Client::start(&g, false);
    let ja = g.join("parts/1-p/01-c.ja.md").canonicalize().unwrap();
    let en = g.join("parts/1-p/01-c.en.md").canonicalize().unwrap();
    let (ja_uri, en_uri) = (guideline::lsp::uri(&ja), guideline::lsp::uri(&en));
    let ja_text = std::fs::read_to_string(&ja).unwrap();
    let en_text = std::fs::read_to_string(&en).unwrap();
    c.open(&ja_uri, &ja_text);
    let line = ja_text
        .lines()
        .position(|l| l.contains("(required:tls-client-auth)"))
        .unwrap();
    let actions = c.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": ja_uri }, "range": { "start": { "line": line, "character": 0 }, "end": { "line": line + 1, "character": 0 } }, "context": { "diagnostics": [] } }),
    );
    let fix = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .unwrap_or("")
                .starts_with("State the outcome")
        })
        .unwrap_or_else(|| panic!("no outcome fix in {actions}"));
    let changes = &fix["edit"]["changes"];
    let ja_fixed = apply_utf16(&ja_text, changes[&ja_uri].as_array().unwrap());
    let en_fixed = apply_utf16(&en_text, changes[&en_uri].as_array().unwrap());
    assert!(
        ja_fixed.contains("AAL2以上の強度") && ja_fixed.contains("(example:fido2)"),
        "{ja_fixed}"
    );
    assert!(
        en_fixed.contains("AAL2 or higher") && en_fixed.contains("(example:fido2)"),
        "{en_fixed}"
    );
    assert!(
        !ja_fixed.contains("(required:tls-client-auth)")
            && !en_fixed.contains("(required:tls-client-auth)")
    );
    c.request("shutdown", Value::Null);
    c.notify("exit", Value::Null);
    std::fs::write(&ja, &ja_fixed).unwrap();
    std::fs::write(&en, &en_fixed).unwrap();
    let after = codes(&g);
    let expected: Vec<String> = before
        .iter()
        .filter(|c| !(c.starts_with("G0202") && c.contains("TLSクライアント認証")))
        .cloned()
        .collect();
    assert_eq!(after, expected);
}
