//! The typed guideline: what every later stage (lints, renderers, diff) reads.
//!
//! The model owns no I/O and is never written back; every node knows the file and byte span
//! it came from so that findings can point at it.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::PathBuf;

use pulldown_cmark::Event;
use serde::{Deserialize, Serialize};

use crate::registry::Registry;
use crate::source::{FileId, SourceSet};

pub use crate::syntax::Role;
pub use crate::text::{Lang, Localised};

/// Whether a control is a minimum requirement or a recommendation.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Minimum,
    Recommended,
}

impl Level {
    pub const ALL: [Level; 2] = [Level::Minimum, Level::Recommended];

    /// The keyword of the source format and of every machine-readable output.
    pub fn keyword(self) -> &'static str {
        match self {
            Level::Minimum => "minimum",
            Level::Recommended => "recommended",
        }
    }

    /// The level as readers see it (templates/vocabulary.*.toml).
    pub fn label(self) -> Localised<&'static str> {
        crate::text::word("level", self.keyword())
    }
}

/// Who a part, chapter or control is written for.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    Executive,
    Manager,
    Operator,
}

impl Audience {
    pub const ALL: [Audience; 3] = [Audience::Executive, Audience::Manager, Audience::Operator];

    pub fn keyword(self) -> &'static str {
        match self {
            Audience::Executive => "executive",
            Audience::Manager => "manager",
            Audience::Operator => "operator",
        }
    }

    /// The readers as they see themselves named (templates/vocabulary.*.toml).
    pub fn label(self) -> Localised<&'static str> {
        crate::text::word("audience", self.keyword())
    }
}

/// Which part of a chapter a piece of prose belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Section {
    /// A chapter's opening text (informative).
    Intro,
    /// A control's normative statement.
    Statement,
    /// A control's informative guidance.
    Guidance,
}

impl Section {
    pub fn is_normative(self) -> bool {
        self == Section::Statement
    }
}

/// A string with the place it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub file: FileId,
    pub span: Range<usize>,
}

/// A name of a registry technology found in prose, tagged or not.
#[derive(Debug, Clone)]
pub struct Mention {
    pub file: FileId,
    /// For a tag, the whole link `[text](role:id)`; otherwise the name itself.
    pub span: Range<usize>,
    /// The words as written.
    pub text: String,
    /// The technology id: from the tag, or from the registry match.
    pub technology: String,
    /// `None` for a name that carries no tag.
    pub role: Option<Role>,
    /// The name stands inside an ordinary link's text, where no tag can be added.
    pub in_link: bool,
    pub lang: Lang,
    pub section: Section,
}

/// A link that looks like a tag but whose role keyword is not one we know.
#[derive(Debug, Clone)]
pub struct MalformedTag {
    pub file: FileId,
    pub span: Range<usize>,
    pub scheme: String,
    pub technology: String,
}

/// A run of Markdown: a statement, a guidance block, or a chapter's opening text.
#[derive(Debug, Clone, Default)]
pub struct Prose {
    pub file: FileId,
    /// Byte range of the Markdown in its file (empty when the block is absent).
    pub span: Range<usize>,
    /// The Markdown source of the block.
    pub markdown: String,
    /// The parsed block, for renderers (which never parse source again). Empty when the
    /// guideline was loaded only to be checked (`load::Purpose::Check`).
    pub events: Vec<Event<'static>>,
    /// The text without markup, paragraphs separated by blank lines.
    pub plain: String,
    pub mentions: Vec<Mention>,
    pub malformed_tags: Vec<MalformedTag>,
    /// Phrases of the registry's `not_mentions` found here (taken as no mention).
    pub not_mentions: Vec<NotMention>,
    /// References to parameters, `[text](param:ID)`, in document order.
    pub params: Vec<ParamRef>,
    /// A statement's items (`- **a.** text`), in document order; empty elsewhere.
    pub items: Vec<Item>,
    /// The text before the first item list (the whole block when it has no items).
    pub lead: Range<usize>,
    /// Text of a statement with items that is neither its lead nor an item's own text (a
    /// second paragraph in an item, an entry without a label, text after the list): it has
    /// no place in the OSCAL statement (G0504).
    pub loose: Vec<Range<usize>>,
}

/// A reference to a parameter in prose: the whole link `[text](param:ID)`.
#[derive(Debug, Clone)]
pub struct ParamRef {
    pub id: String,
    pub span: Range<usize>,
}

/// One item of a statement, written as a list item that starts with a bold label.
#[derive(Debug, Clone)]
pub struct Item {
    /// The item's path below its control: the label without punctuation (`a`, `1`), joined
    /// with its parents' (`a.1`). Addressable as `CONTROL.PATH` (`C-7.4.a`).
    pub id: String,
    /// The label as written (`a.`, `①`, `(1)`).
    pub label: String,
    /// The item's own text after the label, without its sub-items.
    pub text: Range<usize>,
    /// Index in the prose's `events` of the item's `Start(Item)`, for anchors.
    pub event: usize,
    pub items: Vec<Item>,
}

impl Item {
    /// This item and its sub-items, depth first.
    pub fn walk<'a>(&'a self, out: &mut Vec<&'a Item>) {
        out.push(self);
        for i in &self.items {
            i.walk(out);
        }
    }
}

/// A value an organisation sets, declared in a control's metadata (`[[param]]`) and
/// referenced in its text: an OSCAL parameter. Text fields keep OSCAL's
/// `{{ insert: param, ID }}` for references to other parameters.
#[derive(Debug, Clone)]
pub struct Param {
    pub id: Spanned<String>,
    pub label: Option<Localised<String>>,
    pub guidelines: Vec<Localised<String>>,
    pub values: Vec<String>,
    pub select: Option<ParamSelect>,
}

/// The choices of a parameter (OSCAL `select`).
#[derive(Debug, Clone)]
pub struct ParamSelect {
    /// `one` or `one-or-more`.
    pub how_many: Option<String>,
    pub choice: Vec<Localised<String>>,
}

/// A phrase that contains a technology's name without meaning the technology.
#[derive(Debug, Clone)]
pub struct NotMention {
    /// Registry index of the technology, and the phrase's index in its `not_mentions`.
    pub technology: usize,
    pub phrase: usize,
}

impl Prose {
    pub fn is_blank(&self) -> bool {
        self.plain.trim().is_empty()
    }

    /// Every item, depth first.
    pub fn all_items(&self) -> Vec<&Item> {
        let mut out = Vec::new();
        for i in &self.items {
            i.walk(&mut out);
        }
        out
    }
}

/// One compliance item.
#[derive(Debug, Clone)]
pub struct Control {
    pub id: crate::syntax::Id,
    pub file: FileId,
    /// The span of the ID in the Japanese heading.
    pub id_span: Range<usize>,
    pub title: Localised<String>,
    pub level: Level,
    pub audience: Vec<Audience>,
    /// The SP 800-63B AAL the control demands of authentication it names, if any.
    pub assurance: Option<crate::syntax::Aal>,
    pub references: Vec<String>,
    pub related: Vec<Spanned<String>>,
    /// IDs in earlier editions, written `EDITION:ID`.
    pub previous: Vec<Spanned<String>>,
    /// When the control applies (`applies` in its metadata; always when absent or broken).
    pub applies: crate::applicability::Applies,
    /// The control this one enhances (`parent`), which comes before it in the chapter.
    pub parent: Option<Spanned<String>>,
    pub params: Vec<Param>,
    pub statement: Localised<Prose>,
    pub guidance: Localised<Prose>,
    /// The English heading, when translated: file and ID span.
    pub en_heading: Option<(FileId, Range<usize>)>,
}

/// A technology a control names, with the role it is given (catalog.json's `technologies`;
/// the site, the PDF, OSCAL and the checklists show the same list).
#[derive(
    Debug, Clone, Serialize, Deserialize, schemars::JsonSchema, PartialEq, Eq, PartialOrd, Ord,
)]
pub struct TechnologyUse {
    pub technology: String,
    pub role: Role,
    /// Whether it is named in the statement (normative) or only in the guidance.
    pub in_statement: bool,
}

impl Control {
    /// The technologies the control names, with roles, from its Japanese text: one entry per
    /// (technology, role), in the statement if any of its tags is.
    pub fn technology_uses(&self) -> Vec<TechnologyUse> {
        let mut uses: Vec<TechnologyUse> = self
            .mentions()
            .filter(|m| m.lang == Lang::Ja)
            .filter_map(|m| {
                m.role.map(|role| TechnologyUse {
                    technology: m.technology.clone(),
                    role,
                    in_statement: m.section.is_normative(),
                })
            })
            .collect();
        uses.sort();
        uses.dedup_by(|later, kept| {
            let same = later.technology == kept.technology && later.role == kept.role;
            if same {
                kept.in_statement |= later.in_statement;
            }
            same
        });
        uses
    }

    /// Every mention in the control, both languages.
    pub fn mentions(&self) -> impl Iterator<Item = &Mention> {
        [&self.statement, &self.guidance]
            .into_iter()
            .flat_map(|l| std::iter::once(&l.ja).chain(l.en.as_ref()))
            .flat_map(|p| p.mentions.iter())
    }

    /// The tagged (technology, role) pairs of one language.
    pub fn tags(&self, lang: Lang) -> BTreeSet<(&str, Role)> {
        [&self.statement, &self.guidance]
            .into_iter()
            .filter_map(|l| l.get(lang))
            .flat_map(|p| p.mentions.iter())
            .filter_map(|m| m.role.map(|r| (m.technology.as_str(), r)))
            .collect()
    }
}

/// A chapter: one Markdown file per language.
#[derive(Debug, Clone)]
pub struct Chapter {
    pub id: crate::syntax::Id,
    pub file: FileId,
    pub id_span: Range<usize>,
    pub title: Localised<String>,
    pub audience: Vec<Audience>,
    pub intro: Localised<Prose>,
    pub controls: Vec<Control>,
    /// The English file and the span of the ID in its heading, when translated.
    pub en_heading: Option<(FileId, Range<usize>)>,
    /// File name without language and extension (`03-network`), used for output names.
    pub slug: String,
}

/// A part: a directory with a `part.toml` and chapter files.
#[derive(Debug, Clone)]
pub struct Part {
    pub id: String,
    pub file: FileId,
    /// Spans of the `id` and `title` keys in `part.toml`, where findings about them point.
    pub id_span: Range<usize>,
    pub title_span: Range<usize>,
    pub title: Localised<String>,
    pub audience: Vec<Audience>,
    pub chapters: Vec<Chapter>,
    /// Directory name (`2-governance`), used for output names.
    pub slug: String,
}

/// An earlier edition the manifest names, so `previous` IDs can be resolved.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EditionRef {
    pub edition: String,
    pub path: PathBuf,
}

/// `guideline.toml`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub title: crate::text::Pair,
    pub edition: String,
    pub date: String,
    pub publisher: crate::text::Pair,
    /// Path of the technology registry, relative to the manifest.
    #[serde(default = "default_registry")]
    pub registry: PathBuf,
    /// Path of the glossary, relative to the manifest.
    #[serde(default)]
    pub glossary: Option<PathBuf>,
    #[serde(default)]
    pub previous: Vec<EditionRef>,
    /// Whether this edition's text is a draft or an illustration, shown on every output.
    #[serde(default)]
    pub notice: Option<crate::text::Pair>,
}

fn default_registry() -> PathBuf {
    PathBuf::from("technologies.toml")
}

/// One glossary term.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Term {
    pub ja: String,
    pub en: String,
    #[serde(default)]
    pub reading: Option<String>,
    pub definition: crate::text::Pair,
    /// Spellings that mean this term and should be written as it (G0302).
    #[serde(default)]
    pub variants: crate::text::PairList,
    /// English wordings accepted besides `en` where the Japanese uses the term (G0302).
    #[serde(default)]
    pub en_forms: Vec<String>,
}

impl Term {
    /// The term as the book in `lang` writes it (both languages are required).
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ja => &self.ja,
            Lang::En => &self.en,
        }
    }
}

/// `glossary.toml`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Glossary {
    #[serde(default)]
    pub term: Vec<Term>,
}

/// The whole checked guideline.
#[derive(Debug, Clone)]
pub struct Guideline {
    pub manifest: Manifest,
    pub manifest_file: FileId,
    pub registry: Registry,
    pub registry_file: Option<FileId>,
    pub glossary: Glossary,
    /// The questions and presets of `applicability.toml`, when the guideline has one.
    pub applicability: Option<crate::applicability::Applicability>,
    pub applicability_file: Option<FileId>,
    pub parts: Vec<Part>,
    pub sources: SourceSet,
    /// The earlier editions the manifest names, by edition, loaded once for `previous` IDs
    /// (G0012) and for the revision history.
    pub earlier: BTreeMap<String, Earlier>,
    /// OSCAL data the source format does not model, from `oscal.json` (an imported catalog).
    pub carried: Option<crate::oscal::Carried>,
    pub carried_file: Option<FileId>,
}

/// An earlier edition, as loaded alongside this one.
#[derive(Debug, Clone)]
pub struct Earlier {
    pub guideline: Guideline,
    /// Whether it loaded without findings, so that a comparison with it means something.
    pub loaded_cleanly: bool,
}

impl Guideline {
    pub fn chapters(&self) -> impl Iterator<Item = (&Part, &Chapter)> {
        self.parts
            .iter()
            .flat_map(|p| p.chapters.iter().map(move |c| (p, c)))
    }

    /// The controls that apply to a reader with `answers`, in document order.
    pub fn applying<'a>(
        &'a self,
        answers: &'a crate::applicability::Answers,
    ) -> impl Iterator<Item = (&'a Part, &'a Chapter, &'a Control)> + 'a {
        self.controls()
            .filter(move |(_, _, k)| k.applies.condition.eval(answers))
    }

    pub fn controls(&self) -> impl Iterator<Item = (&Part, &Chapter, &Control)> {
        self.chapters()
            .flat_map(|(p, c)| c.controls.iter().map(move |k| (p, c, k)))
    }

    /// Every piece of prose.
    pub fn prose(&self) -> impl Iterator<Item = &Prose> {
        self.prose_in_languages().map(|(_, p)| p)
    }

    /// Every piece of prose with the language it is written in.
    pub fn prose_in_languages(&self) -> impl Iterator<Item = (Lang, &Prose)> {
        fn both(l: &Localised<Prose>) -> impl Iterator<Item = (Lang, &Prose)> {
            std::iter::once((Lang::Ja, &l.ja)).chain(l.en.as_ref().map(|p| (Lang::En, p)))
        }
        self.chapters().flat_map(|(_, c)| {
            let controls = c
                .controls
                .iter()
                .flat_map(|k| both(&k.statement).chain(both(&k.guidance)));
            both(&c.intro).chain(controls)
        })
    }

    /// The earlier edition the revision history compares with: the first the manifest names,
    /// if it loaded cleanly.
    pub fn previous_edition(&self) -> Option<&Guideline> {
        let first = self.manifest.previous.first()?;
        self.earlier
            .get(&first.edition)
            .filter(|e| e.loaded_cleanly)
            .map(|e| &e.guideline)
    }

    pub fn mentions(&self) -> impl Iterator<Item = &Mention> {
        self.prose().flat_map(|p| p.mentions.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_level_and_audience_is_worded() {
        crate::text::assert_worded("level", Level::ALL.map(Level::keyword));
        crate::text::assert_worded("audience", Audience::ALL.map(Audience::keyword));
        assert_eq!(Level::Minimum.label().ja, "遵守事項");
        assert_eq!(Audience::Manager.label().en, Some("security managers"));
    }
}
