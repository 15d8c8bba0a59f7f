//! `guideline lsp`: a language server over stdio (rust-analyzer's `lsp-server`, messages
//! handled in order). It keeps the open buffers as an overlay over the files on disk and,
//! after every change, loads and checks the whole guideline with them (the same pipeline
//! as `guideline check`), so an unsaved buffer gets exactly the findings `check` would
//! report once it is saved, cross-file ones included. Positions are in the encoding the
//! client offers (UTF-8 if it does, else UTF-16, the protocol's default).
//!
//! Requests: completion (technology IDs in tags, control IDs in `related`/`previous`,
//! metadata keys), document symbols (the controls of a chapter), quick fixes for untagged mentions (tag as example, required or prohibited;
//! tag every one in the file) and for a required technology (make it an example), hover on a mention or tag (the registry entry, in the
//! buffer's language) or a control ID (its title and statement), go to definition from a control ID to its heading and from a tag to
//! the technology's entry in the registry.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use lsp_server::{Connection, Message, Notification, Request, Response};
use serde_json::{json, Value};

use crate::check::Checked;
use crate::diagnostic::Severity;
use crate::model::{Guideline, Lang, Role};

/// How positions count characters within a line.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Encoding {
    Utf8,
    Utf16,
}

/// A byte offset in `text` as an LSP position.
pub fn position(text: &str, offset: usize, enc: Encoding) -> Value {
    let offset = offset.min(text.len());
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..line_start].matches('\n').count();
    let mut end = offset;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let piece = &text[line_start..end];
    let character = match enc {
        Encoding::Utf8 => piece.len(),
        Encoding::Utf16 => piece.encode_utf16().count(),
    };
    json!({ "line": line, "character": character })
}

/// An LSP position in `text` as a byte offset (clamped to the line's end).
pub fn offset(text: &str, pos: &Value, enc: Encoding) -> usize {
    let line = pos["line"].as_u64().unwrap_or(0) as usize;
    let character = pos["character"].as_u64().unwrap_or(0) as usize;
    let mut start = 0;
    for _ in 0..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let line_text = &text[start..text[start..].find('\n').map_or(text.len(), |i| start + i)];
    let mut units = 0;
    for (i, c) in line_text.char_indices() {
        if units >= character {
            return start + i;
        }
        units += match enc {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
        };
    }
    start + line_text.len()
}

fn range(text: &str, span: &std::ops::Range<usize>, enc: Encoding) -> Value {
    json!({ "start": position(text, span.start, enc), "end": position(text, span.end, enc) })
}

/// A `file://` URI for an absolute path, and back.
const PATH_CHARS: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'/')
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

pub fn uri(path: &Path) -> String {
    let s = path.to_string_lossy();
    let encoded: String = percent_encoding::utf8_percent_encode(&s, PATH_CHARS).collect();
    format!("file://{encoded}")
}

pub fn path_of(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    let decoded = percent_encoding::percent_decode_str(rest)
        .decode_utf8()
        .ok()?;
    Some(PathBuf::from(decoded.into_owned()))
}

/// The ID-like word (letters, digits, `-`, `.`) around `at`, without a trailing `.` and
/// without an `EDITION:` prefix.
fn word_at(text: &str, at: usize) -> &str {
    let is_id = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == ':';
    let at = at.min(text.len());
    let mut start = at;
    while let Some(c) = text[..start].chars().next_back().filter(|c| is_id(*c)) {
        start -= c.len_utf8();
    }
    let mut end = at;
    while let Some(c) = text[end..].chars().next().filter(|c| is_id(*c)) {
        end += c.len_utf8();
    }
    let word = text[start..end].trim_end_matches('.');
    word.rsplit(':').next().unwrap_or(word)
}

/// The language server's state: the guideline root, the open buffers, the last check.
pub struct Server {
    root: PathBuf,
    encoding: Encoding,
    overlay: crate::load::Overlay,
    checked: Option<Checked>,
    /// URIs that got diagnostics last time (cleared when they have none now).
    published: BTreeSet<String>,
}

/// Where the guideline is in a workspace: the folder itself, or its `guideline/`.
fn guideline_root(workspace: &Path) -> PathBuf {
    if workspace.join(crate::load::MANIFEST).is_file() {
        workspace.to_path_buf()
    } else {
        workspace.join("guideline")
    }
}

impl Server {
    pub fn new(workspace: &Path, encoding: Encoding) -> Server {
        let root = guideline_root(workspace);
        let root = root.canonicalize().unwrap_or(root);
        Server {
            root,
            encoding,
            overlay: Default::default(),
            checked: None,
            published: BTreeSet::new(),
        }
    }

    /// Loads and checks the guideline with the open buffers; returns the
    /// `publishDiagnostics` notifications (one per file with findings, and an empty one for
    /// each file that had findings before and has none now).
    pub fn recheck(&mut self) -> Vec<Notification> {
        let checked = match crate::load::load_dir_with(
            &self.root,
            &self.overlay,
            crate::load::Purpose::Check,
        ) {
            Ok(loaded) => crate::check::lint_loaded(loaded),
            Err(_) => {
                self.checked = None;
                return Vec::new();
            }
        };
        let mut by_uri: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        if let Some(g) = &checked.guideline {
            let texts: BTreeMap<&Path, &str> = g
                .sources
                .iter()
                .map(|(_, f)| (f.path.as_path(), f.text.as_str()))
                .collect();
            for d in &checked.diagnostics {
                let text = texts.get(d.file.as_path()).copied().unwrap_or("");
                let path = if d.file.is_absolute() {
                    d.file.clone()
                } else {
                    self.root.join(&d.file)
                };
                let mut diagnostic = json!({
                    "range": range(text, &d.span, self.encoding),
                    "severity": match d.severity { Severity::Error => 1, Severity::Warning => 2 },
                    "code": d.code,
                    "source": "guideline",
                    "message": match &d.help {
                        Some(h) => format!("{}\nhelp: {h}", d.message),
                        None => d.message.clone(),
                    },
                });
                if let Some(lint) = crate::lint::find(d.code) {
                    diagnostic["codeDescription"] = json!({ "href": format!("https://guideline.example/lints.html#{}", lint.code.to_lowercase()) });
                }
                by_uri.entry(uri(&path)).or_default().push(diagnostic);
            }
        }
        let mut out = Vec::new();
        for stale in self.published.iter().filter(|u| !by_uri.contains_key(*u)) {
            out.push(Notification::new(
                "textDocument/publishDiagnostics".into(),
                json!({ "uri": stale, "diagnostics": [] }),
            ));
        }
        for (u, diagnostics) in &by_uri {
            out.push(Notification::new(
                "textDocument/publishDiagnostics".into(),
                json!({ "uri": u, "diagnostics": diagnostics }),
            ));
        }
        self.published = by_uri.into_keys().collect();
        self.checked = Some(checked);
        out
    }

    fn guideline(&self) -> Option<&Guideline> {
        self.checked.as_ref()?.guideline.as_ref()
    }

    /// The loaded file for a URI and its text.
    fn file(&self, uri: &str) -> Option<(usize, &crate::source::SourceFile)> {
        let path = path_of(uri)?;
        let g = self.guideline()?;
        g.sources.iter().find(|(_, f)| {
            let p = if f.path.is_absolute() {
                f.path.clone()
            } else {
                self.root.join(&f.path)
            };
            p == path || self.root.join(&f.relative) == path
        })
    }

    /// Applies a notification; returns the notifications to send back.
    pub fn notify(&mut self, n: &Notification) -> Vec<Notification> {
        let doc = &n.params["textDocument"];
        let Some(path) = doc["uri"].as_str().and_then(path_of) else {
            return Vec::new();
        };
        match n.method.as_str() {
            "textDocument/didOpen" => {
                let text = doc["text"].as_str().unwrap_or("").as_bytes().to_vec();
                self.overlay.insert(path, text);
            }
            "textDocument/didChange" => {
                // Full synchronisation: the last change holds the whole text.
                if let Some(text) = n.params["contentChanges"]
                    .as_array()
                    .and_then(|c| c.last())
                    .and_then(|c| c["text"].as_str())
                {
                    self.overlay.insert(path, text.as_bytes().to_vec());
                }
            }
            "textDocument/didClose" => {
                self.overlay.remove(&path);
            }
            "textDocument/didSave" => {}
            _ => return Vec::new(),
        }
        self.recheck()
    }

    /// Answers a request (None: not one we serve).
    pub fn request(&self, r: &Request) -> Value {
        match r.method.as_str() {
            "textDocument/codeAction" => self.code_actions(&r.params),
            "textDocument/hover" => self.hover(&r.params),
            "textDocument/definition" => self.definition(&r.params),
            "textDocument/completion" => self.completion(&r.params),
            "textDocument/documentSymbol" => self.symbols(&r.params),
            _ => Value::Null,
        }
    }

    fn at(&self, params: &Value) -> Option<(usize, &crate::source::SourceFile, usize)> {
        let uri = params["textDocument"]["uri"].as_str()?;
        let (id, f) = self.file(uri)?;
        let at = offset(&f.text, &params["position"], self.encoding);
        Some((id, f, at))
    }

    fn code_actions(&self, params: &Value) -> Value {
        let Some(uri) = params["textDocument"]["uri"].as_str() else {
            return json!([]);
        };
        let (Some(g), Some((file, f))) = (self.guideline(), self.file(uri)) else {
            return json!([]);
        };
        let from = offset(&f.text, &params["range"]["start"], self.encoding);
        let to = offset(&f.text, &params["range"]["end"], self.encoding);
        let untagged: Vec<&crate::model::Mention> = g
            .mentions()
            .filter(|m| m.file == file && m.role.is_none() && !m.in_link)
            .filter(|m| f.text.get(m.span.clone()) == Some(m.text.as_str()))
            .collect();
        let edit = |m: &crate::model::Mention, role: Role| {
            json!({
                "range": range(&f.text, &m.span, self.encoding),
                "newText": format!("[{}]({}:{})", m.text, role.keyword(), m.technology),
            })
        };
        let mut actions = Vec::new();
        for m in untagged
            .iter()
            .filter(|m| m.span.start <= to && from <= m.span.end)
        {
            for (role, preferred) in [
                (Role::Example, true),
                (Role::Required, false),
                (Role::Prohibited, false),
            ] {
                actions.push(json!({
                    "title": format!("Tag `{}` as {} `{}`", m.text, role.keyword(), m.technology),
                    "kind": "quickfix",
                    "isPreferred": preferred,
                    "edit": { "changes": { uri: [edit(m, role)] } },
                }));
            }
        }
        // A required technology (the lock-in G0202 reports): make it an example, leaving the
        // statement to say the outcome it serves.
        for m in g.mentions().filter(|m| {
            m.file == file
                && m.role == Some(Role::Required)
                && m.span.start <= to
                && from <= m.span.end
        }) {
            let written = &f.text[m.span.clone()];
            let needle = format!("](required:{})", m.technology);
            if let Some(i) = written.rfind(&needle) {
                let start = m.span.start + i + 2;
                let span = start..start + "required".len();
                actions.push(json!({
                    "title": format!("Make `{}` an example of the outcome, not a requirement", m.text),
                    "kind": "quickfix",
                    "edit": { "changes": { uri: [{
                        "range": range(&f.text, &span, self.encoding),
                        "newText": "example",
                    }] } },
                }));
            }
        }
        actions.extend(self.outcome_fixes(g, file, from, to));
        if untagged.len() > 1 {
            actions.push(json!({
                "title": format!("Tag all {} untagged mentions in this file as examples", untagged.len()),
                "kind": "quickfix",
                "edit": { "changes": { uri: untagged.iter().map(|m| edit(m, Role::Example)).collect::<Vec<_>>() } },
            }));
        }
        Value::Array(actions)
    }

    /// For a lock-in (G0202) in the range: state the outcome the requirement serves (the
    /// assurance level) and give the technology and its strongest alternative as examples,
    /// in both languages of the control, so that the translation stays matched.
    fn outcome_fixes(
        &self,
        g: &crate::model::Guideline,
        file: usize,
        from: usize,
        to: usize,
    ) -> Vec<Value> {
        let mut actions = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        for (_, _, k) in g.controls() {
            let statements: Vec<(Lang, &crate::model::Prose)> = Lang::ALL
                .into_iter()
                .filter_map(|l| k.statement.get(l).map(|p| (l, p)))
                .collect();
            for (_, p) in &statements {
                for m in p.mentions.iter().filter(|m| {
                    m.file == file
                        && m.role == Some(Role::Required)
                        && m.span.start <= to
                        && from <= m.span.end
                }) {
                    let Some(t) = g.registry.get(&m.technology) else {
                        continue;
                    };
                    let alternatives = crate::lint::g0202_lock_in::alternatives(g, t);
                    let (Some(strongest), Some(level)) =
                        (alternatives.first(), k.assurance.or(t.aal))
                    else {
                        continue;
                    };
                    if !seen.insert((k.id.clone(), t.id.clone())) {
                        continue;
                    }
                    let mut changes = serde_json::Map::new();
                    for (lang, prose) in &statements {
                        let pf = g.sources.get(prose.file);
                        let mut edits = Vec::new();
                        for r in prose
                            .mentions
                            .iter()
                            .filter(|r| r.role == Some(Role::Required) && r.technology == t.id)
                        {
                            let written = &pf.text[r.span.clone()];
                            if let Some(i) = written.rfind(&format!("](required:{})", t.id)) {
                                let start = r.span.start + i + 2;
                                edits.push(json!({
                                    "range": range(&pf.text, &(start..start + "required".len()), self.encoding),
                                    "newText": "example",
                                }));
                            }
                        }
                        let sentence = match lang {
                            Lang::Ja => format!(
                                "\n\n認証は{level}以上の強度で行うこと。その方法には、例えば[{}](example:{})及び[{}](example:{})がある。",
                                t.name.ja, t.id, strongest.name.ja, strongest.id
                            ),
                            Lang::En => format!(
                                "\n\nAuthenticate at {level} or higher, for example with [{}](example:{}) or [{}](example:{}).",
                                t.name.en, t.id, strongest.name.en, strongest.id
                            ),
                        };
                        let end = prose.span.end.min(pf.text.len());
                        // After the statement's last character, before the blank line.
                        let end = pf.text[..end].trim_end().len();
                        edits.push(json!({
                            "range": range(&pf.text, &(end..end), self.encoding),
                            "newText": sentence,
                        }));
                        let path = if pf.path.is_absolute() {
                            pf.path.clone()
                        } else {
                            self.root.join(&pf.path)
                        };
                        changes.insert(uri(&path), Value::Array(edits));
                    }
                    actions.push(json!({
                        "title": format!(
                            "State the outcome ({level}) and give `{}` and `{}` as examples",
                            m.text, strongest.name.en
                        ),
                        "kind": "quickfix",
                        "isPreferred": true,
                        "edit": { "changes": changes },
                    }));
                }
            }
        }
        actions
    }

    fn hover(&self, params: &Value) -> Value {
        let (Some(g), Some((file, f, at))) = (self.guideline(), self.at(params)) else {
            return Value::Null;
        };
        let Some(m) = g
            .mentions()
            .find(|m| m.file == file && m.span.start <= at && at < m.span.end)
        else {
            return self.hover_control(g, f, at);
        };
        let Some(t) = g.registry.get(&m.technology) else {
            return Value::Null;
        };
        let ja = m.lang == Lang::Ja;
        let pick = |p: &crate::registry::Pair| if ja { p.ja.clone() } else { p.en.clone() };
        let mut text = format!("**{}** (`{}`)\n\n", pick(&t.name), t.id);
        let category = t.category.label();
        text.push_str(&format!(
            "{}: {}",
            if ja { "分類" } else { "Category" },
            if ja {
                category.ja
            } else {
                category.en.unwrap_or(category.ja)
            }
        ));
        if let Some(a) = t.aal {
            text.push_str(&format!(" · {a}"));
        }
        text.push_str(&format!(
            " · {}\n\n{}",
            t.status.keyword(),
            pick(&t.description)
        ));
        match m.role {
            Some(r) => text.push_str(&format!(
                "\n\n{}: {}",
                if ja { "役割" } else { "Role" },
                if ja {
                    r.label().ja
                } else {
                    r.label().en.unwrap_or(r.label().ja)
                }
            )),
            None => text.push_str(if ja {
                "\n\n役割の表示がない(G0101)。"
            } else {
                "\n\nNo role tag (G0101)."
            }),
        }
        json!({
            "contents": { "kind": "markdown", "value": text },
            "range": range(&f.text, &m.span, self.encoding),
        })
    }

    /// Hover on a control ID: its title and statement, in the file's language.
    fn hover_control(&self, g: &Guideline, f: &crate::source::SourceFile, at: usize) -> Value {
        let word = word_at(&f.text, at);
        let Some((_, _, k)) = g.controls().find(|(_, _, k)| k.id == word) else {
            return Value::Null;
        };
        let english = f.relative.to_string_lossy().ends_with(".en.md");
        let (title, statement) = match (english, &k.title.en, &k.statement.en) {
            (true, Some(t), Some(s)) => (t.as_str(), s.plain.as_str()),
            _ => (k.title.ja.as_str(), k.statement.ja.plain.as_str()),
        };
        json!({ "contents": { "kind": "markdown", "value": format!("**{} {title}**\n\n{statement}", k.id) } })
    }

    fn completion(&self, params: &Value) -> Value {
        let (Some(g), Some((_, f, at))) = (self.guideline(), self.at(params)) else {
            return json!([]);
        };
        let line_start = f.text[..at].rfind('\n').map_or(0, |i| i + 1);
        let before = &f.text[line_start..at];
        let item = |label: &str, detail: String, kind: u8| json!({ "label": label, "detail": detail, "kind": kind });
        // After `(example:`, `(required:` or `(prohibited:`: technology IDs.
        if let Some(open) = before.rfind('(') {
            let inside = &before[open + 1..];
            if let Some((role, partial)) = inside.split_once(':') {
                if Role::ALL.iter().any(|r| r.keyword() == role)
                    && partial
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-')
                {
                    let ja = !f.relative.to_string_lossy().ends_with(".en.md");
                    return g
                        .registry
                        .technologies
                        .iter()
                        .filter(|t| t.id.starts_with(partial))
                        .map(|t| {
                            item(
                                &t.id,
                                if ja {
                                    t.name.ja.clone()
                                } else {
                                    t.name.en.clone()
                                },
                                12,
                            )
                        })
                        .collect();
                }
            }
        }
        // Inside `related = [` or `previous = [`: control IDs.
        let trimmed = before.trim_start();
        if (trimmed.starts_with("related") || trimmed.starts_with("previous"))
            && before.contains('[')
        {
            return g
                .controls()
                .map(|(_, _, k)| item(&k.id, k.title.ja.clone(), 18))
                .collect();
        }
        // At the start of a line in a ```toml meta block: the metadata keys.
        let opened = f.text[..line_start].rfind("```toml meta");
        let closed = f.text[..line_start].rfind("\n```\n");
        let in_meta = opened.is_some_and(|o| closed.is_none_or(|c| c < o));
        if in_meta && trimmed.chars().all(|c| c.is_ascii_lowercase()) {
            return crate::load::CONTROL_KEYS
                .iter()
                .filter(|k| k.starts_with(trimmed))
                .map(|k| item(k, "control metadata".into(), 10))
                .collect();
        }
        json!([])
    }

    /// The controls of a chapter file, as document symbols.
    fn symbols(&self, params: &Value) -> Value {
        let Some(uri) = params["textDocument"]["uri"].as_str() else {
            return json!([]);
        };
        let (Some(g), Some((file, f))) = (self.guideline(), self.file(uri)) else {
            return json!([]);
        };
        g.controls()
            .filter_map(|(_, _, k)| {
                let (span, title) = if k.file == file {
                    (k.id_span.clone(), k.title.ja.clone())
                } else {
                    match &k.en_heading {
                        Some((en, span)) if *en == file => {
                            (span.clone(), k.title.en.clone().unwrap_or_default())
                        }
                        _ => return None,
                    }
                };
                let line_end = f.text[span.end..]
                    .find('\n')
                    .map_or(f.text.len(), |i| span.end + i);
                Some(json!({
                    "name": format!("{} {title}", k.id),
                    "kind": 5,
                    "range": range(&f.text, &(span.start..line_end), self.encoding),
                    "selectionRange": range(&f.text, &span, self.encoding),
                }))
            })
            .collect()
    }

    fn definition(&self, params: &Value) -> Value {
        let (Some(g), Some((file, f, at))) = (self.guideline(), self.at(params)) else {
            return Value::Null;
        };
        let abs = |p: &Path| {
            if p.is_absolute() {
                p.to_path_buf()
            } else {
                self.root.join(p)
            }
        };
        // A tag: its technology's entry in the registry.
        if let Some(m) = g
            .mentions()
            .find(|m| m.file == file && m.span.start <= at && at < m.span.end)
        {
            if let (Some(t), Some(reg)) = (g.registry.get(&m.technology), g.registry_file) {
                let rf = g.sources.get(reg);
                return json!({ "uri": uri(&abs(&rf.path)), "range": range(&rf.text, &t.span, self.encoding) });
            }
        }
        // A control ID under the cursor: its heading.
        let word = word_at(&f.text, at);
        if let Some((_, _, k)) = g.controls().find(|(_, _, k)| k.id == word) {
            let kf = g.sources.get(k.file);
            return json!({ "uri": uri(&abs(&kf.path)), "range": range(&kf.text, &k.id_span, self.encoding) });
        }
        if let Some((_, c)) = g.chapters().find(|(_, c)| c.id == word) {
            let cf = g.sources.get(c.file);
            return json!({ "uri": uri(&abs(&cf.path)), "range": range(&cf.text, &c.id_span, self.encoding) });
        }
        Value::Null
    }
}

/// Runs the server on stdin/stdout until the client shuts it down.
pub fn run() -> anyhow::Result<()> {
    let (connection, io) = Connection::stdio();
    let (id, params) = connection.initialize_start()?;
    let offered: Vec<&str> = params["capabilities"]["general"]["positionEncodings"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let encoding = if offered.contains(&"utf-8") {
        Encoding::Utf8
    } else {
        Encoding::Utf16
    };
    let workspace = params["workspaceFolders"][0]["uri"]
        .as_str()
        .or_else(|| params["rootUri"].as_str())
        .and_then(path_of)
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_default();
    let result = json!({
        "capabilities": {
            "positionEncoding": if encoding == Encoding::Utf8 { "utf-8" } else { "utf-16" },
            "textDocumentSync": { "openClose": true, "change": 1, "save": true },
            "hoverProvider": true,
            "definitionProvider": true,
            "codeActionProvider": { "codeActionKinds": ["quickfix"] },
            "completionProvider": { "triggerCharacters": [":", "\"", "["] },
            "documentSymbolProvider": true,
        },
        "serverInfo": { "name": "guideline", "version": env!("CARGO_PKG_VERSION") },
    });
    connection.initialize_finish(id, result)?;
    let mut server = Server::new(&workspace, encoding);
    for n in server.recheck() {
        connection.sender.send(Message::Notification(n))?;
    }
    for message in &connection.receiver {
        match message {
            Message::Request(r) => {
                if connection.handle_shutdown(&r)? {
                    break;
                }
                let result = server.request(&r);
                connection
                    .sender
                    .send(Message::Response(Response::new_ok(r.id.clone(), result)))?;
            }
            Message::Notification(n) => {
                for out in server.notify(&n) {
                    connection.sender.send(Message::Notification(out))?;
                }
            }
            Message::Response(_) => {}
        }
    }
    // The writer thread ends when the last sender is gone.
    drop(connection);
    io.join()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_in_the_negotiated_unit() {
        let text = "a\n𠮷ＴＬＳx\n";
        // 𠮷 is 4 bytes, 2 UTF-16 units; Ｔ is 3 bytes, 1 unit.
        let x = text.find('x').unwrap();
        assert_eq!(
            position(text, x, Encoding::Utf16),
            json!({"line": 1, "character": 5})
        );
        assert_eq!(
            position(text, x, Encoding::Utf8),
            json!({"line": 1, "character": 13})
        );
        assert_eq!(
            offset(text, &json!({"line": 1, "character": 5}), Encoding::Utf16),
            x
        );
        assert_eq!(
            offset(text, &json!({"line": 1, "character": 13}), Encoding::Utf8),
            x
        );
        assert_eq!(
            offset(text, &json!({"line": 9, "character": 0}), Encoding::Utf16),
            text.len()
        );
    }

    #[test]
    fn uris_round_trip() {
        let p = Path::new("/tmp/ガイド line/a.md");
        assert_eq!(path_of(&uri(p)).unwrap(), p);
        assert!(uri(p).starts_with("file:///tmp/"));
    }
}
