//! Layout: which directories are parts and which files their chapters, Japanese and
//! English side by side; every chapter file parsed on all cores, then assembled in path
//! order.

use super::*;

impl Loader {
    pub(super) fn parts(
        &mut self,
        ids: &BTreeMap<PathBuf, FileId>,
        registry: &Registry,
        known: &mut BTreeSet<PathBuf>,
    ) -> Vec<Part> {
        let part_dirs: BTreeSet<PathBuf> = ids
            .keys()
            .filter(|p| p.starts_with("parts") && p.components().count() == 3)
            .filter_map(|p| p.parent().map(Path::to_path_buf))
            .collect();
        // Chapter files are independent of each other: parse them on every core, then
        // assemble in path order, so the result is the same as one by one.
        let chapter_files: Vec<(FileId, Lang)> = ids
            .iter()
            .filter(|(p, _)| p.starts_with("parts") && p.components().count() == 3)
            .filter_map(|(p, &id)| {
                let name = p.file_name()?.to_str()?;
                let lang = if name.ends_with(".ja.md") {
                    Lang::Ja
                } else if name.ends_with(".en.md") {
                    Lang::En
                } else {
                    return None;
                };
                Some((id, lang))
            })
            .collect();
        let sources = &self.sources;
        let keep_events = self.purpose == Purpose::Render;
        let mut parsed: BTreeMap<FileId, (ChapterDoc, Vec<Diagnostic>)> = chapter_files
            .par_iter()
            .map(|&(id, lang)| {
                (
                    id,
                    parse_chapter(sources.get(id), id, lang, registry, keep_events),
                )
            })
            .collect();
        let mut parts = Vec::new();
        for dir in part_dirs {
            let slug = dir
                .file_name()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let part_toml = dir.join("part.toml");
            let Some(&part_file) = ids.get(&part_toml) else {
                if let Some((_, &any)) = ids.iter().find(|(p, _)| p.starts_with(&dir)) {
                    let f = self.sources.get(any);
                    let d = structure::LINT
                        .at(f, 0..0, format!("part directory `{}` has no part.toml", dir.display()))
                        .help("add part.toml with `id`, `title = { ja = \"…\", en = \"…\" }` and `audience`");
                    self.diagnostics.push(d);
                }
                continue;
            };
            known.insert(part_toml);
            let Some(meta) = self.toml::<PartFile>(part_file, None, PART_KEYS) else {
                continue;
            };
            let mut chapters = Vec::new();
            // Paths are sorted, so a directory's files are one contiguous range.
            let chapter_files: BTreeMap<String, (Option<FileId>, Option<FileId>)> = ids
                .range(dir.clone()..)
                .take_while(|(p, _)| p.starts_with(&dir))
                .filter(|(p, _)| p.parent() == Some(dir.as_path()))
                .fold(BTreeMap::new(), |mut acc, (p, &id)| {
                    let name = p
                        .file_name()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    if let Some(stem) = name.strip_suffix(".ja.md") {
                        acc.entry(stem.to_string()).or_insert((None, None)).0 = Some(id);
                        known.insert(p.clone());
                    } else if let Some(stem) = name.strip_suffix(".en.md") {
                        acc.entry(stem.to_string()).or_insert((None, None)).1 = Some(id);
                        known.insert(p.clone());
                    }
                    acc
                });
            for (stem, (ja, en)) in chapter_files {
                let Some(ja) = ja else {
                    let en = en.expect("one of the pair exists");
                    let f = self.sources.get(en);
                    let d = structure::LINT
                        .at(f, 0..0, format!("English chapter `{stem}` has no Japanese original"))
                        .help(format!("the Japanese text is authoritative: add `{stem}.ja.md`, or rename this file to match it"));
                    self.diagnostics.push(d);
                    continue;
                };
                let ja_doc = self.chapter(&mut parsed, ja);
                let en_doc = en.map(|en| self.chapter(&mut parsed, en));
                if let Some(chapter) = self.pair_chapter(stem, &meta.audience, ja_doc, en_doc) {
                    chapters.push(chapter);
                }
            }
            let title = Localised {
                ja: meta.title.ja,
                en: Some(meta.title.en).filter(|s| !s.trim().is_empty()),
            };
            let part_text = &self.sources.get(part_file).text;
            parts.push(Part {
                id_span: key_span(part_text, "id").unwrap_or(0..0),
                title_span: key_span(part_text, "title").unwrap_or(0..0),
                id: meta.id,
                file: part_file,
                title,
                audience: meta.audience,
                chapters,
                slug,
            });
        }
        parts
    }
}
