//! Metadata: the TOML files and blocks (manifest, registry, glossary, `part.toml`, a
//! chapter's and a control's ` ```toml meta ` block, `applicability.toml`), read into checked
//! types, with the span of every key a finding points at taken from the TOML parser.

use super::*;

/// Keys each kind of metadata accepts, for typo suggestions.
pub(super) const MANIFEST_KEYS: &[&str] = &[
    "title",
    "edition",
    "date",
    "publisher",
    "registry",
    "glossary",
    "previous",
    "notice",
    "ja",
    "en",
    "path",
];
pub(super) const REGISTRY_KEYS: &[&str] = &[
    "technology",
    "id",
    "name",
    "aliases",
    "category",
    "aal",
    "status",
    "since",
    "standards",
    "description",
    "aal_condition",
    "not_mentions",
    "ja",
    "en",
];
pub(super) const GLOSSARY_KEYS: &[&str] = &[
    "term",
    "ja",
    "en",
    "reading",
    "definition",
    "variants",
    "en_forms",
];
pub(super) const PART_KEYS: &[&str] = &["id", "title", "audience", "ja", "en"];
pub(super) const CHAPTER_KEYS: &[&str] = &["audience"];
/// The keys of a control's metadata block (also what the language server completes).
pub const CONTROL_KEYS: &[&str] = &[
    "level",
    "applies",
    "audience",
    "assurance",
    "references",
    "related",
    "previous",
    "parent",
    "param",
];

/// Keys of a `[[param]]` table in a control's metadata.
pub const PARAM_KEYS: &[&str] = &[
    "id",
    "label",
    "guidelines",
    "values",
    "select",
    "how-many",
    "choice",
    "ja",
    "en",
];

/// Every key a control's metadata block accepts, at any depth (for typo suggestions).
pub(super) static CONTROL_META_KEYS: std::sync::LazyLock<Vec<&'static str>> =
    std::sync::LazyLock::new(|| CONTROL_KEYS.iter().chain(PARAM_KEYS).copied().collect());

#[derive(Deserialize)]
pub(super) struct RegistryFile {
    #[serde(default)]
    pub(super) technology: Vec<toml::Spanned<Technology>>,
}

#[derive(Deserialize)]
pub(super) struct PartFile {
    pub(super) id: String,
    pub(super) title: Pair,
    pub(super) audience: Vec<Audience>,
}

#[derive(Deserialize, Default)]
pub(super) struct ChapterMeta {
    #[serde(default)]
    pub(super) audience: Option<Vec<Audience>>,
}

#[derive(Deserialize)]
pub(super) struct ControlMeta {
    pub(super) level: Level,
    #[serde(default)]
    pub(super) audience: Option<Vec<Audience>>,
    #[serde(default)]
    pub(super) assurance: Option<String>,
    #[serde(default)]
    pub(super) references: Vec<String>,
    #[serde(default)]
    pub(super) related: Vec<toml::Spanned<String>>,
    #[serde(default)]
    pub(super) previous: Vec<toml::Spanned<String>>,
    #[serde(default)]
    pub(super) applies: Option<toml::Spanned<String>>,
    #[serde(default)]
    pub(super) parent: Option<toml::Spanned<String>>,
    #[serde(default)]
    pub(super) param: Vec<ParamMeta>,
}

/// Text of a parameter: one string for both languages, or `{ ja = "…", en = "…" }`.
#[derive(Deserialize)]
#[serde(untagged)]
pub(super) enum ParamText {
    Both(String),
    Each { ja: String, en: String },
}

impl ParamText {
    pub(super) fn localised(self) -> Localised<String> {
        match self {
            ParamText::Both(s) => Localised {
                en: Some(s.clone()),
                ja: s,
            },
            ParamText::Each { ja, en } => Localised { ja, en: Some(en) },
        }
    }
}

#[derive(Deserialize)]
pub(super) struct ParamMeta {
    pub(super) id: toml::Spanned<String>,
    #[serde(default)]
    pub(super) label: Option<ParamText>,
    #[serde(default)]
    pub(super) guidelines: Vec<ParamText>,
    #[serde(default)]
    pub(super) values: Vec<String>,
    #[serde(default)]
    pub(super) select: Option<SelectMeta>,
}

#[derive(Deserialize)]
pub(super) struct SelectMeta {
    #[serde(default, rename = "how-many")]
    pub(super) how_many: Option<String>,
    #[serde(default)]
    pub(super) choice: Vec<ParamText>,
}

pub(super) const APPLICABILITY_KEYS: &[&str] = &[
    "question", "preset", "id", "kind", "ja", "en", "help", "choice", "answers",
];

#[derive(Deserialize)]
pub(super) struct ApplicabilityFile {
    #[serde(default)]
    pub(super) question: Vec<toml::Spanned<crate::applicability::Question>>,
    #[serde(default)]
    pub(super) preset: Vec<toml::Spanned<crate::applicability::Preset>>,
}

impl Loader {
    pub(super) fn registry(&mut self, file: FileId) -> Registry {
        // The document gives the keys' spans, for findings that point at one key of an entry.
        let Some((parsed, doc)) = parse_toml::<RegistryFile>(
            &self.sources,
            &mut self.diagnostics,
            file,
            None,
            REGISTRY_KEYS,
        ) else {
            return Registry::default();
        };
        let mut seen: BTreeMap<String, Range<usize>> = BTreeMap::new();
        let mut technologies = Vec::new();
        let key_at =
            |i: usize, key: &str| key_in_table(doc.get_ref(), &["technology", &i.to_string(), key]);
        // TOML gives an array-of-tables entry the span of its `[[technology]]` header only;
        // the entry runs to the next header (or the end of the file).
        let text_len = self.sources.get(file).text.len();
        let starts: Vec<usize> = parsed.technology.iter().map(|t| t.span().start).collect();
        for (i, spanned) in parsed.technology.into_iter().enumerate() {
            let end = starts.get(i + 1).copied().unwrap_or(text_len);
            let entry_end =
                starts[i] + self.sources.get(file).text[starts[i]..end].trim_end().len();
            let span = starts[i]..entry_end.max(spanned.span().end);
            let mut t = spanned.into_inner();
            t.span = span.clone();
            t.id_span = key_at(i, "id").unwrap_or(span.clone());
            let f = self.sources.get(file);
            if let Some(first) = seen.get(&t.id) {
                // Point at the `id` keys, not at the whole entries.
                let d = g0006_registry_conflict::duplicate_id(
                    f,
                    t.id_span.clone(),
                    first.clone(),
                    &t.id,
                );
                self.diagnostics.push(d);
                continue;
            }
            // `aal` reads leniently (`Aal::lenient`): a number that is no level reads as
            // none, and its key is still there.
            if let (None, Some(at)) = (t.aal, key_at(i, "aal")) {
                let given = value_after_key(&f.text, at.end);
                let d = malformed::LINT
                    .at(f, at, format!("technology `{}` has aal {given}, outside 1-3", t.id))
                    .help("SP 800-63B defines AAL1, AAL2 and AAL3; leave `aal` out where it does not apply");
                self.diagnostics.push(d);
            }
            seen.insert(t.id.clone(), t.id_span.clone());
            technologies.push(t);
        }
        let text_bytes = self.sources.iter().map(|(_, f)| f.text.len()).sum();
        let (registry, clashes) = Registry::for_text(technologies, text_bytes);
        let f = self.sources.get(file);
        for (index, alias, owner) in clashes {
            let entry = registry.technologies[index].span.clone();
            let at = f.text[entry.clone()]
                .find(&alias)
                .map_or(entry.clone(), |i| {
                    entry.start + i..entry.start + i + alias.len()
                });
            let d = g0006_registry_conflict::shared_alias(
                f,
                at,
                &alias,
                &registry.technologies[index].id,
                &owner,
            );
            self.diagnostics.push(d);
        }
        registry
    }

    /// `applicability.toml`: its questions and presets, each with its span in the file.
    pub(super) fn applicability(&mut self, file: FileId) -> crate::applicability::Applicability {
        let parsed: Option<ApplicabilityFile> = self.toml(file, None, APPLICABILITY_KEYS);
        let Some(parsed) = parsed else {
            return Default::default();
        };
        /// Each table with its span in the file.
        fn with_spans<T>(
            tables: Vec<toml::Spanned<T>>,
            span_of: fn(&mut T) -> &mut Range<usize>,
        ) -> Vec<T> {
            tables
                .into_iter()
                .map(|s| {
                    let span = s.span();
                    let mut t = s.into_inner();
                    *span_of(&mut t) = span;
                    t
                })
                .collect()
        }
        crate::applicability::Applicability {
            questions: with_spans(parsed.question, |q| &mut q.span),
            presets: with_spans(parsed.preset, |p| &mut p.span),
        }
    }

    /// A control's `applies` condition, parsed; one that does not parse is reported
    /// (G0401) and the control is treated as applying always.
    pub(super) fn applies(
        &mut self,
        file: FileId,
        block_start: usize,
        written: Option<&toml::Spanned<String>>,
    ) -> crate::applicability::Applies {
        use crate::applicability::{parse, Applies};
        let Some(written) = written else {
            return Applies::default();
        };
        let f = self.sources.get(file);
        let value_start = block_start + written.span().start;
        // The condition's text starts after the opening quote(s) of the TOML string.
        let quote = if f.text[value_start..].starts_with("\"\"\"")
            || f.text[value_start..].starts_with("'''")
        {
            3
        } else {
            1
        };
        let text_start = value_start + quote;
        match parse(written.get_ref()) {
            Ok(condition) => Applies {
                condition,
                text_start: Some(text_start),
            },
            Err(e) => {
                let span = (text_start + e.span.start).min(f.text.len())
                    ..(text_start + e.span.end).min(f.text.len());
                self.diagnostics
                    .push(crate::lint::g0401_malformed_condition::diagnostic(
                        f, span, &e.message,
                    ));
                Applies::default()
            }
        }
    }

    /// Parses TOML into `T` (the whole file, or the metadata `block` in it), reporting
    /// syntax and type errors (G0002) and unknown keys (G0003) at their place in the file.
    pub(super) fn toml<T: DeserializeOwned>(
        &mut self,
        file: FileId,
        block: Option<Range<usize>>,
        known_keys: &[&str],
    ) -> Option<T> {
        parse_toml(
            &self.sources,
            &mut self.diagnostics,
            file,
            block,
            known_keys,
        )
        .map(|(value, _)| value)
    }
}

/// [`Loader::toml`], which also gives the parsed document, for the spans of its keys (spans
/// within `block` where one is given). The text is parsed once: the document is cloned for
/// the deserializer (a second parse of the registry was a tenth of all the work of
/// `check guideline/editions/5.2`).
fn parse_toml<'s, T: DeserializeOwned>(
    sources: &'s SourceSet,
    diagnostics: &mut Vec<Diagnostic>,
    file: FileId,
    block: Option<Range<usize>>,
    known_keys: &[&str],
) -> Option<(T, toml::Spanned<toml::de::DeTable<'s>>)> {
    let f = sources.get(file);
    let range = block.unwrap_or(0..f.text.len());
    let base = range.start;
    let text = &f.text[range.clone()];
    let malformed = |e: &toml::de::Error| {
        let span = e
            .span()
            .map_or(range.clone(), |s| base + s.start..base + s.end.max(s.start));
        malformed::diagnostic(f, span, e.message().trim())
    };
    let doc = match toml::de::DeTable::parse(text) {
        Ok(doc) => doc,
        Err(e) => {
            diagnostics.push(malformed(&e));
            return None;
        }
    };
    let mut unknown = Vec::new();
    let parsed = serde_ignored::deserialize(toml::de::Deserializer::from(doc.clone()), |path| {
        unknown.push(path.to_string())
    });
    match parsed {
        Ok(value) => {
            for path in unknown {
                let key = path.rsplit('.').next().unwrap_or(&path).to_string();
                let span = key_span_in(doc.get_ref(), &path)
                    .map_or(range.clone(), |s| base + s.start..base + s.end);
                diagnostics.push(g0003_unknown_key::diagnostic(
                    f, span, &path, &key, known_keys,
                ));
            }
            Some((value, doc))
        }
        Err(e) => {
            // The value did not fit the type, so serde_ignored saw no unknown keys; find
            // them in the parsed table, because a misspelt key (`levl`) is usually why a
            // required one (`level`) is missing.
            let mut misspelt = Vec::new();
            unknown_keys(doc.get_ref(), known_keys, &mut misspelt);
            for (key, span) in &misspelt {
                diagnostics.push(g0003_unknown_key::diagnostic(
                    f,
                    base + span.start..base + span.end,
                    key,
                    key,
                    known_keys,
                ));
            }
            // "missing field `level`" next to an unknown `levl`: the G0003 finding with its
            // "did you mean `level`?" says it all, at the right place.
            let message = e.message().trim();
            let missing = message
                .strip_prefix("missing field `")
                .and_then(|m| m.split('`').next());
            let explained = missing.is_some_and(|field| {
                misspelt
                    .iter()
                    .any(|(key, _)| crate::diagnostic::nearest(key, known_keys) == Some(field))
            });
            if !explained {
                diagnostics.push(malformed(&e));
            }
            None
        }
    }
}

/// The value written after the key that ends at `key_end` (`aal = 9  # x` gives `9`), as
/// written, for a finding's message.
fn value_after_key(text: &str, key_end: usize) -> &str {
    let rest = text.get(key_end..).unwrap_or_default();
    let line = rest.lines().next().unwrap_or_default();
    let value = line.trim_start().strip_prefix('=').unwrap_or(line);
    value.split('#').next().unwrap_or_default().trim()
}

/// Keys anywhere in `table` that no kind of metadata here accepts, with their spans.
pub(super) fn unknown_keys(
    table: &toml::de::DeTable<'_>,
    known: &[&str],
    out: &mut Vec<(String, Range<usize>)>,
) {
    for (key, value) in table {
        if !known.contains(&key.get_ref().as_ref()) {
            out.push((key.get_ref().to_string(), key.span()));
        }
        unknown_in_value(value.get_ref(), known, out);
    }
}

pub(super) fn unknown_in_value(
    value: &toml::de::DeValue<'_>,
    known: &[&str],
    out: &mut Vec<(String, Range<usize>)>,
) {
    match value {
        toml::de::DeValue::Table(t) => unknown_keys(t, known, out),
        toml::de::DeValue::Array(items) => {
            for item in items.iter() {
                unknown_in_value(item.get_ref(), known, out);
            }
        }
        _ => {}
    }
}

/// The span of a key in a TOML document, by path: table keys and array indices joined with
/// `.`, as `serde_ignored` writes them (`technology.3.aliases`; a `?` segment, an optional
/// value, is skipped). Where the path cannot be followed (a value of the wrong type), the
/// first key of the path's last name anywhere in the document. `None` when the text is not
/// TOML or has no such key.
pub(crate) fn key_span(text: &str, path: &str) -> Option<Range<usize>> {
    key_span_in(toml::de::DeTable::parse(text).ok()?.get_ref(), path)
}

/// [`key_span`] in a parsed document.
fn key_span_in(doc: &toml::de::DeTable<'_>, path: &str) -> Option<Range<usize>> {
    let segments: Vec<&str> = path
        .split('.')
        .filter(|s| !s.is_empty() && *s != "?")
        .collect();
    key_in_table(doc, &segments).or_else(|| first_key_named(doc, segments.last()?))
}

pub(super) fn key_in_table(
    table: &toml::de::DeTable<'_>,
    segments: &[&str],
) -> Option<Range<usize>> {
    let (first, rest) = segments.split_first()?;
    let (key, value) = table.iter().find(|(k, _)| k.get_ref().as_ref() == *first)?;
    if rest.is_empty() {
        return Some(key.span());
    }
    key_in_value(value.get_ref(), rest)
}

pub(super) fn key_in_value(
    value: &toml::de::DeValue<'_>,
    segments: &[&str],
) -> Option<Range<usize>> {
    match value {
        toml::de::DeValue::Table(t) => key_in_table(t, segments),
        toml::de::DeValue::Array(items) => {
            let (index, rest) = segments.split_first()?;
            let item = items.get(index.parse::<usize>().ok()?)?;
            if rest.is_empty() {
                return Some(item.span());
            }
            key_in_value(item.get_ref(), rest)
        }
        _ => None,
    }
}

/// The first key called `name` in the document, at any depth.
pub(super) fn first_key_named(table: &toml::de::DeTable<'_>, name: &str) -> Option<Range<usize>> {
    pub(super) fn visit(
        value: &toml::de::DeValue<'_>,
        name: &str,
        best: &mut Option<Range<usize>>,
    ) {
        match value {
            toml::de::DeValue::Table(t) => visit_table(t, name, best),
            toml::de::DeValue::Array(items) => {
                for item in items.iter() {
                    visit(item.get_ref(), name, best);
                }
            }
            _ => {}
        }
    }
    pub(super) fn visit_table(
        table: &toml::de::DeTable<'_>,
        name: &str,
        best: &mut Option<Range<usize>>,
    ) {
        for (key, value) in table {
            if key.get_ref().as_ref() == name
                && best.as_ref().is_none_or(|b| key.span().start < b.start)
            {
                *best = Some(key.span());
            }
            visit(value.get_ref(), name, best);
        }
    }
    let mut best = None;
    visit_table(table, name, &mut best);
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_span_skips_longer_names() {
        let t = "xlevel = 1\nlevel = \"minimum\"";
        assert_eq!(key_span(t, "level"), Some(11..16));
    }

    /// The path picks the key of the right entry, where a text search finds the first.
    #[test]
    fn key_span_follows_tables_and_arrays() {
        let t = "[[technology]]\nid = \"a\"\naal = 2\n\n[[technology]]\nid = \"b\"\naal = 9\n";
        let second_aal = t.rfind("aal").unwrap();
        assert_eq!(
            key_span(t, "technology.1.aal"),
            Some(second_aal..second_aal + 3)
        );
        let first_id = t.find("id").unwrap();
        assert_eq!(key_span(t, "technology.0.id"), Some(first_id..first_id + 2));
        // A path through a value of another type falls back to the first key of that name.
        assert_eq!(key_span(t, "technology.x.id"), Some(first_id..first_id + 2));
        let nested = "title = { ja = \"題\", en = \"T\" }\n[applies]\nrole = 1\n";
        let role = nested.find("role").unwrap();
        assert_eq!(key_span(nested, "applies.role"), Some(role..role + 4));
        assert_eq!(key_span(nested, "nothing"), None);
        assert_eq!(key_span("not = = toml", "not"), None);
    }
}
