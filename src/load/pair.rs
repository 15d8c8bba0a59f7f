//! Pairing: a chapter's Japanese and English files matched control by control, the
//! metadata taken from the Japanese one (the authoritative text).

use super::*;

impl Loader {
    /// Takes a parsed chapter and its findings.
    pub(super) fn chapter(
        &mut self,
        parsed: &mut BTreeMap<FileId, (ChapterDoc, Vec<Diagnostic>)>,
        file: FileId,
    ) -> ChapterDoc {
        let (doc, diagnostics) = parsed.remove(&file).expect("every chapter file was parsed");
        self.diagnostics.extend(diagnostics);
        doc
    }

    pub(super) fn pair_chapter(
        &mut self,
        slug: String,
        part_audience: &[Audience],
        ja: ChapterDoc,
        en: Option<ChapterDoc>,
    ) -> Option<Chapter> {
        let heading = ja.heading.clone()?;
        let chapter_meta: ChapterMeta = match ja.meta.clone() {
            Some(block) => self
                .toml(ja.file, Some(block), CHAPTER_KEYS)
                .unwrap_or_default(),
            None => ChapterMeta::default(),
        };
        let audience = chapter_meta
            .audience
            .unwrap_or_else(|| part_audience.to_vec());
        if let Some(en) = &en {
            if let Some(block) = en
                .meta
                .clone()
                .or_else(|| en.controls.iter().find_map(|c| c.meta.clone()))
            {
                let f = self.sources.get(en.file);
                let d = structure::LINT
                    .at(f, block, "metadata block in an English file")
                    .help("metadata lives once, in the Japanese file; remove this block");
                self.diagnostics.push(d);
            }
        }
        let mut en_controls: BTreeMap<Id, ControlDoc> = BTreeMap::new();
        if let Some(en) = &en {
            for c in &en.controls {
                en_controls.entry(c.id.clone()).or_insert_with(|| c.clone());
            }
        }
        let mut controls = Vec::new();
        for c in ja.controls {
            // A control whose metadata is missing or broken stays in the model with default
            // metadata, so one mistake does not cascade into findings about its translation.
            let meta_block = c.meta.clone().unwrap_or(c.id_span.end..c.id_span.end);
            let meta = match c.meta.clone() {
                Some(block) => self.toml::<ControlMeta>(ja.file, Some(block), &CONTROL_META_KEYS),
                None => {
                    let f = self.sources.get(ja.file);
                    let d = structure::LINT
                        .at(f, c.id_span.clone(), format!("control {} has no metadata block", c.id))
                        .help("follow the heading with a ```toml meta block that sets at least `level = \"minimum\"` or `\"recommended\"`");
                    self.diagnostics.push(d);
                    None
                }
            };
            let meta = meta.unwrap_or(ControlMeta {
                level: Level::Minimum,
                audience: None,
                assurance: None,
                references: Vec::new(),
                related: Vec::new(),
                previous: Vec::new(),
                applies: None,
                parent: None,
                param: Vec::new(),
            });
            let applies = self.applies(ja.file, meta_block.start, meta.applies.as_ref());
            let assurance = match meta.assurance.as_deref() {
                None => None,
                Some(s) => match crate::syntax::Aal::parse(s) {
                    Some(level) => Some(level),
                    None => {
                        let f = self.sources.get(ja.file);
                        let text = &f.text[meta_block.clone()];
                        let span = key_span(text, "assurance").map_or(meta_block.clone(), |r| {
                            meta_block.start + r.start..meta_block.start + r.end
                        });
                        let d = malformed::diagnostic(
                            f,
                            span,
                            &format!("assurance `{s}` is not an SP 800-63B level"),
                        )
                        .help("write \"AAL1\", \"AAL2\" or \"AAL3\"");
                        self.diagnostics.push(d);
                        None
                    }
                },
            };
            let en_control = en_controls.remove(&c.id);
            let spanned_one = |s: toml::Spanned<String>| {
                let span = s.span();
                Spanned {
                    value: s.into_inner(),
                    file: ja.file,
                    span: meta_block.start + span.start..meta_block.start + span.end,
                }
            };
            let spanned = |v: Vec<toml::Spanned<String>>| v.into_iter().map(spanned_one).collect();
            let params = meta
                .param
                .into_iter()
                .map(|p| Param {
                    id: spanned_one(p.id),
                    label: p.label.map(ParamText::localised),
                    guidelines: p.guidelines.into_iter().map(ParamText::localised).collect(),
                    values: p.values,
                    select: p.select.map(|s| ParamSelect {
                        how_many: s.how_many,
                        choice: s.choice.into_iter().map(ParamText::localised).collect(),
                    }),
                })
                .collect();
            controls.push(Control {
                id: c.id,
                file: ja.file,
                id_span: c.id_span,
                title: Localised {
                    ja: c.title,
                    en: en_control.as_ref().map(|e| e.title.clone()),
                },
                level: meta.level,
                audience: meta.audience.unwrap_or_else(|| audience.clone()),
                assurance,
                references: meta.references,
                related: spanned(meta.related),
                previous: spanned(meta.previous),
                applies,
                parent: meta.parent.map(spanned_one),
                params,
                statement: Localised {
                    ja: c.statement.unwrap_or_else(|| empty_prose(ja.file)),
                    en: en_control
                        .as_ref()
                        .map(|e| e.statement.clone().unwrap_or_else(|| empty_prose(e.file))),
                },
                guidance: Localised {
                    ja: c.guidance.unwrap_or_else(|| empty_prose(ja.file)),
                    en: en_control
                        .as_ref()
                        .map(|e| e.guidance.clone().unwrap_or_else(|| empty_prose(e.file))),
                },
                en_heading: en_control.map(|e| (e.file, e.id_span)),
            });
        }
        for orphan in en_controls.into_values() {
            let f = self.sources.get(orphan.file);
            let d = structure::LINT
                .at(
                    f,
                    orphan.id_span.clone(),
                    format!("English control {} has no Japanese original", orphan.id),
                )
                .help("add the control to the Japanese file, or correct the ID to match it");
            self.diagnostics.push(d);
        }
        let en_file_heading = en
            .as_ref()
            .and_then(|e| e.heading.as_ref().map(|h| (e.file, h)));
        if let Some((file, h)) = en_file_heading.filter(|(_, h)| h.id != heading.id) {
            let d = structure::LINT
                .at(
                    self.sources.get(file),
                    h.id_span.clone(),
                    format!(
                        "English chapter is {} but the Japanese chapter is {}",
                        h.id, heading.id
                    ),
                )
                .help("the chapter heading starts with the same ID in both languages");
            self.diagnostics.push(d);
        }
        let en_title = en_file_heading
            .filter(|(_, h)| h.id == heading.id)
            .map(|(_, h)| h.title.clone());
        let en_heading = en_file_heading.map(|(file, h)| (file, h.id_span.clone()));
        Some(Chapter {
            id: heading.id,
            file: ja.file,
            id_span: heading.id_span,
            title: Localised {
                ja: heading.title,
                en: en_title,
            },
            audience,
            intro: Localised {
                ja: ja.intro,
                en: en.map(|e| e.intro),
            },
            controls,
            en_heading,
            slug,
        })
    }
}

pub(super) fn empty_prose(file: FileId) -> Prose {
    Prose {
        file,
        ..Prose::default()
    }
}
