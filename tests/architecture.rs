//! The module map of ARCHITECTURE.md, checked against the source: which module may import
//! which. Every file under `src/` is read for the `crate::` paths it uses (its test modules
//! left out), so a new import that breaks a boundary fails here, naming the file.
//!
//! The rules:
//! - no import cycle, between top-level modules or between any two modules;
//! - each module imports only modules of an earlier stage (`STAGES`), its own ancestors and
//!   descendants excepted; so no renderer imports another renderer;
//! - the loader reports the findings of the `G000x` range (and G0401) through their lint
//!   files, and imports no other lint; no lint file imports the loader.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each top-level module and its stage: a module may import only modules of a lower stage.
const STAGES: &[(&str, u8)] = &[
    // Leaves: bilingual text and the grammar of tags, IDs and dates.
    ("text", 0),
    ("syntax", 1),
    // Reading files, and writing outputs safely.
    ("source", 2),
    ("output", 3),
    ("diagnostic", 3),
    // What the model holds besides the text.
    ("registry", 4),
    ("applicability", 4),
    ("oscal", 4),
    ("model", 5),
    // Source to model (and OSCAL to source).
    ("load", 7),
    ("import", 7),
    // Reading the model.
    ("lint", 6),
    ("diff", 8),
    ("check", 9),
    ("fix", 9),
    // Shared by renderers; neither writes an output of its own.
    ("html", 9),
    ("typeset", 9),
    ("sheet", 9),
    ("render", 10),
    ("disclosure", 11),
    ("build", 12),
    ("lsp", 12),
    ("serve", 13),
    // The commands, then the binary that parses arguments and calls one.
    ("cli", 14),
    ("lib", 15),
    ("main", 15),
];

/// The lints whose findings the loader reports (bad bytes, metadata, structure, paths, and
/// a condition it cannot parse): the only lint files the loader may import.
const LOADER_LINTS: &[&str] = &[
    "lint::g0001_not_utf8",
    "lint::g0002_malformed_metadata",
    "lint::g0003_unknown_key",
    "lint::g0004_malformed_structure",
    "lint::g0005_raw_html",
    "lint::g0006_registry_conflict",
    "lint::g0007_unsafe_path",
    "lint::g0008_build_directive",
    "lint::g0401_malformed_condition",
];

struct Module {
    name: String,
    file: PathBuf,
    imports: BTreeSet<String>,
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/lint/g0007_unsafe_path.rs` -> `lint::g0007_unsafe_path`; `src/render/site/mod.rs`
/// -> `render::site`.
fn module_name(file: &Path) -> String {
    let relative = file.strip_prefix(src()).unwrap().with_extension("");
    let mut parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts.join("::")
}

/// The text without its `#[cfg(test)] mod … { … }` blocks: tests may use anything.
fn without_test_modules(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = &rest[at + "#[cfg(test)]".len()..];
        let trimmed = after.trim_start();
        if !trimmed.starts_with("mod ") {
            out.push_str("#[cfg(test)]");
            rest = after;
            continue;
        }
        let open = after.find('{').expect("a test module has a body");
        let mut depth = 0usize;
        let mut end = after.len();
        for (i, c) in after[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// The `crate::` (in `main.rs`, `guideline::`) paths of a file, as segment lists; a group
/// (`crate::lint::{g0001_not_utf8, g0003_unknown_key}`) gives one path per item.
fn crate_paths(text: &str, root: &str) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    let needle = format!("{root}::");
    let mut from = 0;
    while let Some(at) = text[from..].find(&needle) {
        let start = from + at;
        from = start + needle.len();
        let before = text[..start].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        expand(Vec::new(), &text[from..], &mut paths);
    }
    paths
}

/// The paths `rest` starts with, below `prefix`.
fn expand(prefix: Vec<String>, rest: &str, out: &mut Vec<Vec<String>>) {
    let (segments, rest) = segments(rest);
    let mut path = prefix;
    path.extend(segments);
    let Some(group) = rest.strip_prefix('{') else {
        out.push(path);
        return;
    };
    let mut depth = 0usize;
    let mut item_start = 0;
    let item = |text: &str, out: &mut Vec<Vec<String>>| {
        // A trailing comma leaves an empty item: it names nothing.
        if !text.trim().is_empty() {
            expand(path.clone(), text.trim_start(), out);
        }
    };
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                item(&group[item_start..i], out);
                return;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                item(&group[item_start..i], out);
                item_start = i + 1;
            }
            _ => {}
        }
    }
}

/// The lower-case segments a path starts with (module names), and the text after the last
/// `::` taken.
fn segments(path: &str) -> (Vec<String>, &str) {
    let mut out = Vec::new();
    let mut rest = path;
    loop {
        let len = rest
            .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
            .unwrap_or(rest.len());
        if len == 0 {
            return (out, rest);
        }
        out.push(rest[..len].to_string());
        match rest[len..].strip_prefix("::") {
            Some(r) => rest = r,
            None => return (out, &rest[len..]),
        }
    }
}

fn modules() -> Vec<Module> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    files.sort();
    let names: BTreeSet<String> = files.iter().map(|f| module_name(f)).collect();
    files
        .iter()
        .map(|file| {
            let name = module_name(file);
            let text = without_test_modules(&std::fs::read_to_string(file).unwrap());
            let root = if name == "main" { "guideline" } else { "crate" };
            let mut imports = BTreeSet::new();
            for path in crate_paths(&text, root) {
                // The longest prefix of the path that is a module.
                let target = (1..=path.len())
                    .rev()
                    .map(|n| path[..n].join("::"))
                    .find(|candidate| names.contains(candidate));
                if let Some(target) = target {
                    if target != name {
                        imports.insert(target);
                    }
                }
            }
            Module {
                name,
                file: file.clone(),
                imports,
            }
        })
        .collect()
}

fn top(module: &str) -> &str {
    module.split("::").next().unwrap()
}

fn stage(module: &str) -> u8 {
    STAGES
        .iter()
        .find(|(name, _)| *name == top(module))
        .map(|(_, stage)| *stage)
        .unwrap_or_else(|| {
            panic!("module `{module}` has no stage: add it to STAGES here and to ARCHITECTURE.md")
        })
}

/// `a` is `b`, or one contains the other.
fn related(a: &str, b: &str) -> bool {
    a == b || a.starts_with(&format!("{b}::")) || b.starts_with(&format!("{a}::"))
}

/// A cycle in `edges`, if there is one, as the modules along it.
fn find_cycle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(node.to_string(), 1);
        stack.push(node.to_string());
        for next in edges.get(node).into_iter().flatten() {
            match state.get(next.as_str()) {
                Some(1) => {
                    let from = stack.iter().position(|n| n == next).unwrap();
                    let mut cycle = stack[from..].to_vec();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                Some(_) => {}
                None => {
                    if let Some(cycle) = visit(next, edges, state, stack) {
                        return Some(cycle);
                    }
                }
            }
        }
        stack.pop();
        state.insert(node.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for node in edges.keys() {
        if !state.contains_key(node.as_str()) {
            let mut stack = Vec::new();
            if let Some(cycle) = visit(node, edges, &mut state, &mut stack) {
                return Some(cycle);
            }
        }
    }
    None
}

#[test]
fn no_import_cycles() {
    let modules = modules();
    let mut tops: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut all: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for m in &modules {
        for i in &m.imports {
            if top(i) != top(&m.name) {
                tops.entry(top(&m.name).to_string())
                    .or_default()
                    .insert(top(i).to_string());
            }
            if !related(i, &m.name) {
                all.entry(m.name.clone()).or_default().insert(i.clone());
            }
        }
    }
    assert_eq!(
        find_cycle(&tops),
        None,
        "import cycle between top-level modules"
    );
    assert_eq!(find_cycle(&all), None, "import cycle between modules");
}

#[test]
fn modules_import_only_earlier_stages() {
    let mut wrong = Vec::new();
    for m in modules() {
        for i in &m.imports {
            if related(i, &m.name) {
                continue;
            }
            let loader_finding = top(&m.name) == "load" && LOADER_LINTS.contains(&i.as_str());
            if loader_finding || stage(i) < stage(&m.name) {
                continue;
            }
            wrong.push(format!(
                "{} ({}, stage {}) imports {i} (stage {})",
                m.name,
                m.file.strip_prefix(src()).unwrap().display(),
                stage(&m.name),
                stage(i)
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the pipeline:\n{}",
        wrong.join("\n")
    );
}

/// The loader reaches the lints only for the findings it reports itself, and those lint
/// files never reach back into the loader.
#[test]
fn loader_and_its_lints_stay_apart() {
    for m in modules() {
        if top(&m.name) == "load" {
            for i in m.imports.iter().filter(|i| top(i) == "lint") {
                assert!(
                    LOADER_LINTS.contains(&i.as_str()),
                    "{} imports {i}, which is not one of the findings the loader reports",
                    m.name
                );
            }
        }
        if top(&m.name) == "lint" {
            assert!(
                !m.imports.iter().any(|i| top(i) == "load"),
                "{} imports the loader",
                m.name
            );
        }
    }
}

/// The test must see imports to be worth anything: a few that exist today.
#[test]
fn the_reader_sees_known_imports() {
    let modules = modules();
    let imports = |name: &str| {
        &modules
            .iter()
            .find(|m| m.name == name)
            .unwrap_or_else(|| panic!("no module {name}"))
            .imports
    };
    assert!(imports("render::pdf").contains("typeset"));
    assert!(imports("render::site").contains("html"));
    assert!(imports("load").contains("lint::g0001_not_utf8"));
    assert!(imports("lint::g0202_lock_in").contains("model"));
    assert!(imports("main").contains("cli"));
    assert!(imports("cli").contains("check"));
    let test_only = "#[cfg(test)]\nmod tests {\n    use crate::render::site;\n}\n";
    assert_eq!(without_test_modules(test_only).trim(), "");
    let path = |p: &[&str]| p.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        crate_paths("use crate::{model::Role, text};", "crate"),
        vec![path(&["model"]), path(&["text"])]
    );
    assert_eq!(
        crate_paths(
            "use crate::lint::{g0001_not_utf8, g0002_x as m,\n  g0003};",
            "crate"
        ),
        vec![
            path(&["lint", "g0001_not_utf8"]),
            path(&["lint", "g0002_x"]),
            path(&["lint", "g0003"])
        ]
    );
}
