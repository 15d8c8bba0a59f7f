//! A disclosure as the documents vendors exchange: an XLSX workbook and an HTML page (one row
//! a control: ID, title, answer, technologies, note; a summary per part), and an OSCAL
//! component definition whose implemented requirements answer the catalog's controls.

use std::collections::BTreeMap;

use rust_xlsxwriter::{Workbook, XlsxError};
use serde::Serialize;

use crate::model::{Guideline, Lang};
use crate::oscal::{token, uuid, NS};

use super::{Answer, Disclosure, Entry};

/// One row of the exchanged layout.
#[derive(Serialize)]
pub struct Row {
    pub id: String,
    pub part: String,
    pub title: String,
    /// The answer's label (はい / いいえ / 該当なし / 予定), empty when open.
    pub answer: String,
    pub answer_keyword: String,
    pub by: String,
    pub technologies: String,
    pub items: String,
    pub params: String,
    pub note: String,
}

/// Per part: how many controls got each answer.
#[derive(Serialize)]
pub struct PartSummary {
    pub part: String,
    pub yes: usize,
    pub no: usize,
    pub not_applicable: usize,
    pub planned: usize,
    pub open: usize,
}

fn note(e: &Entry, lang: Lang) -> String {
    match lang {
        Lang::Ja => e.note_ja.clone().or_else(|| e.note_en.clone()),
        Lang::En => e.note_en.clone().or_else(|| e.note_ja.clone()),
    }
    .unwrap_or_default()
}

/// The rows and the per-part summary, in the guideline's order, of the controls the
/// disclosure lists.
pub fn rows(d: &Disclosure, g: &Guideline, lang: Lang) -> (Vec<Row>, Vec<PartSummary>) {
    let mut rows = Vec::new();
    let mut summary: Vec<PartSummary> = Vec::new();
    for p in &g.parts {
        let part = match lang {
            Lang::Ja => p.title.ja.clone(),
            Lang::En => p.title.en.clone().unwrap_or_else(|| p.title.ja.clone()),
        };
        let mut s = PartSummary {
            part: part.clone(),
            yes: 0,
            no: 0,
            not_applicable: 0,
            planned: 0,
            open: 0,
        };
        for c in &p.chapters {
            for k in &c.controls {
                let Some(e) = d.entry(&k.id) else {
                    continue;
                };
                let answer = e.answer.as_ref().map(|a| a.value);
                match answer {
                    Some(Answer::Yes) => s.yes += 1,
                    Some(Answer::No) => s.no += 1,
                    Some(Answer::NotApplicable) => s.not_applicable += 1,
                    Some(Answer::Planned) => s.planned += 1,
                    None => s.open += 1,
                }
                let title = match lang {
                    Lang::Ja => k.title.ja.clone(),
                    Lang::En => k.title.en.clone().unwrap_or_else(|| k.title.ja.clone()),
                };
                rows.push(Row {
                    id: k.id.to_string(),
                    part: part.clone(),
                    title,
                    answer: answer.map_or(String::new(), |a| a.label(lang).to_string()),
                    answer_keyword: answer.map_or(String::new(), |a| a.keyword().to_string()),
                    by: e.by.as_ref().map_or(String::new(), |b| b.value.clone()),
                    technologies: e
                        .technologies
                        .iter()
                        .map(|t| {
                            g.registry
                                .get(&t.value)
                                .map_or(t.value.clone(), |x| match lang {
                                    Lang::Ja => x.name.ja.clone(),
                                    Lang::En => x.name.en.clone(),
                                })
                        })
                        .collect::<Vec<_>>()
                        .join(", "),
                    items: e
                        .items
                        .iter()
                        .map(|(i, a)| {
                            format!(
                                "{}: {}",
                                i.value,
                                a.as_ref().map_or("", |a| a.value.label(lang))
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("; "),
                    params: e
                        .params
                        .iter()
                        .map(|(p, v)| format!("{}: {}", p.value, v.value))
                        .collect::<Vec<_>>()
                        .join("; "),
                    note: note(e, lang),
                });
            }
        }
        if s.yes + s.no + s.not_applicable + s.planned + s.open > 0 {
            summary.push(s);
        }
    }
    (rows, summary)
}

/// The column headings of the exchanged layout.
const HEADER: [&str; 9] = [
    "ID",
    "編 Part",
    "項目 Title",
    "回答 Answer",
    "予定日 By",
    "技術 Technologies",
    "項目ごとの回答 Items",
    "設定値 Values",
    "備考 Note",
];

/// The XLSX workbook: a sheet of answers (header frozen, filters on) and a summary sheet.
pub fn xlsx(d: &Disclosure, g: &Guideline) -> Result<Vec<u8>, XlsxError> {
    let (rows, summary) = rows(d, g, Lang::Ja);
    let mut book = Workbook::new();
    let header = crate::sheet::header();
    let wrap = crate::sheet::wrap();
    let sheet = book.add_worksheet();
    sheet.set_name("回答 Answers")?;
    let widths = [10.0, 22.0, 32.0, 10.0, 12.0, 24.0, 24.0, 24.0, 50.0];
    for (col, title) in HEADER.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *title, &header)?;
        sheet.set_column_width(col as u16, widths[col])?;
    }
    for (i, r) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        let cells = [
            &r.id,
            &r.part,
            &r.title,
            &r.answer,
            &r.by,
            &r.technologies,
            &r.items,
            &r.params,
            &r.note,
        ];
        for (col, value) in cells.iter().enumerate() {
            sheet.write_string_with_format(row, col as u16, value.as_str(), &wrap)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, rows.len().max(1) as u32, (HEADER.len() - 1) as u16)?;
    let sheet = book.add_worksheet();
    sheet.set_name("集計 Summary")?;
    let titles = [
        "編 Part",
        "はい",
        "いいえ",
        "該当なし",
        "予定",
        "未回答 Open",
    ];
    for (col, title) in titles.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *title, &header)?;
    }
    sheet.set_column_width(0, 30.0)?;
    for (i, s) in summary.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write_string(row, 0, &s.part)?;
        for (col, n) in [s.yes, s.no, s.not_applicable, s.planned, s.open]
            .iter()
            .enumerate()
        {
            sheet.write_number(row, col as u16 + 1, *n as f64)?;
        }
    }
    book.save_to_buffer()
}

fn escape(s: &str) -> String {
    crate::html::escape(s)
}

/// A self-contained HTML page (no script, no external file) in `lang`.
pub fn html(d: &Disclosure, g: &Guideline, lang: Lang) -> String {
    let (rows, summary) = rows(d, g, lang);
    let t = |ja: &'static str, en: &'static str| if lang == Lang::Ja { ja } else { en };
    let product = d.product.as_ref().map_or("", |p| p.value.as_str());
    let vendor = d.vendor.as_ref().map_or("", |p| p.value.as_str());
    let mut s = String::new();
    s.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{} — {}</title>\n<style>body{{font-family:sans-serif;margin:1.5em;line-height:1.5}}table{{border-collapse:collapse;width:100%}}th,td{{border:1px solid #999;padding:.3em .5em;vertical-align:top;text-align:left}}th{{background:#d9e1f2}}.yes{{background:#e6f4ea}}.no{{background:#fde8e8}}.planned{{background:#fff6d5}}</style>\n</head>\n<body>\n<main>\n",
        lang.code(),
        escape(product),
        t("開示書", "disclosure")
    ));
    s.push_str(&format!(
        "<h1>{}: {}</h1>\n<p>{}: {} / {}: {} {} / {}: <code>{}</code></p>\n",
        t(
            "医療情報セキュリティ開示書",
            "Medical information security disclosure"
        ),
        escape(product),
        t("提供者", "Vendor"),
        escape(vendor),
        t("対象", "Answers"),
        escape(&g.manifest.title.ja),
        escape(d.edition.as_ref().map_or("", |e| e.value.as_str())),
        t("カタログの要約値", "Catalog digest"),
        escape(d.digest.as_ref().map_or("", |e| e.value.as_str())),
    ));
    s.push_str(&format!(
        "<h2>{}</h2>\n<table>\n<thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead>\n<tbody>\n",
        t("編ごとの集計", "Summary by part"),
        t("編", "Part"),
        Answer::Yes.label(lang),
        Answer::No.label(lang),
        Answer::NotApplicable.label(lang),
        Answer::Planned.label(lang),
        t("未回答", "Open"),
    ));
    for p in &summary {
        s.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            escape(&p.part),
            p.yes,
            p.no,
            p.not_applicable,
            p.planned,
            p.open
        ));
    }
    s.push_str("</tbody>\n</table>\n");
    s.push_str(&format!(
        "<h2>{}</h2>\n<table>\n<thead><tr>{}</tr></thead>\n<tbody>\n",
        t("回答", "Answers"),
        [
            t("ID", "ID"),
            t("項目", "Title"),
            t("回答", "Answer"),
            t("技術", "Technologies"),
            t("項目ごとの回答・設定値", "Items and values"),
            t("備考", "Note"),
        ]
        .iter()
        .map(|h| format!("<th scope=\"col\">{h}</th>"))
        .collect::<String>()
    ));
    for r in &rows {
        let extra = [r.items.as_str(), r.params.as_str()]
            .iter()
            .filter(|x| !x.is_empty())
            .map(|x| escape(x))
            .collect::<Vec<_>>()
            .join("<br>");
        let answer = if r.by.is_empty() {
            escape(&r.answer)
        } else {
            format!("{} ({})", escape(&r.answer), escape(&r.by))
        };
        s.push_str(&format!(
            "<tr class=\"{}\"><th scope=\"row\">{}</th><td>{}</td><td>{answer}</td><td>{}</td><td>{extra}</td><td>{}</td></tr>\n",
            if r.answer_keyword == "n/a" { "na" } else { r.answer_keyword.as_str() },
            escape(&r.id),
            escape(&r.title),
            escape(&r.technologies),
            escape(&r.note),
        ));
    }
    s.push_str("</tbody>\n</table>\n</main>\n</body>\n</html>\n");
    s
}

/// The disclosure as an OSCAL component definition: one component (the product), one
/// control implementation against the guideline's catalog (`catalog.oscal.json`), and an
/// implemented requirement per answered control, carrying the answer, the technologies,
/// the parameter values (`set-parameters`) and the item answers (`statements`).
pub fn oscal(d: &Disclosure, g: &Guideline) -> String {
    let product = d.product.as_ref().map_or("", |p| p.value.as_str());
    let vendor = d.vendor.as_ref().map_or("", |p| p.value.as_str());
    let key = format!("disclosure/{}/{product}/{vendor}", g.manifest.edition);
    let prop =
        |name: &str, value: &str| serde_json::json!({ "name": name, "ns": NS, "value": value });
    let mut requirements = Vec::new();
    for (_, _, k) in g.controls() {
        let Some(e) = d.entry(&k.id) else {
            continue;
        };
        let Some(answer) = e.answer.as_ref().map(|a| a.value) else {
            continue;
        };
        let mut props = vec![prop("answer", answer.keyword())];
        if let Some(by) = &e.by {
            props.push(prop("planned-by", &by.value));
        }
        for t in &e.technologies {
            props.push(prop("technology", &t.value));
        }
        let description = match (&e.note_en, &e.note_ja) {
            (Some(n), _) | (None, Some(n)) if !n.trim().is_empty() => n.clone(),
            _ => format!("Answer: {}", answer.keyword()),
        };
        let mut req = serde_json::json!({
            "uuid": uuid(&format!("{key}/{}", k.id)),
            "control-id": token(&k.id),
            "description": description,
            "props": props,
        });
        let set: Vec<serde_json::Value> = e
            .params
            .iter()
            .filter(|(p, v)| {
                !v.value.trim().is_empty() && k.params.iter().any(|x| x.id.value == p.value)
            })
            .map(|(p, v)| serde_json::json!({ "param-id": p.value, "values": [v.value] }))
            .collect();
        if !set.is_empty() {
            req["set-parameters"] = serde_json::Value::Array(set);
        }
        let items: BTreeMap<String, String> = k
            .statement
            .ja
            .all_items()
            .iter()
            .map(|i| (i.id.clone(), format!("{}_smt.{}", token(&k.id), i.id)))
            .collect();
        let statements: Vec<serde_json::Value> = e
            .items
            .iter()
            .filter_map(|(i, a)| {
                let part = items.get(&i.value)?;
                let a = a.as_ref()?.value;
                Some(serde_json::json!({
                    "statement-id": part,
                    "uuid": uuid(&format!("{key}/{}/{}", k.id, i.value)),
                    "description": format!("Answer: {}", a.keyword()),
                    "props": [prop("answer", a.keyword())],
                }))
            })
            .collect();
        if !statements.is_empty() {
            req["statements"] = serde_json::Value::Array(statements);
        }
        requirements.push(req);
    }
    let last_modified = format!(
        "{}T00:00:00Z",
        d.date
            .as_ref()
            .map_or(g.manifest.date.as_str(), |x| x.value.as_str())
    );
    let title = if product.is_empty() {
        "product"
    } else {
        product
    };
    let doc = serde_json::json!({
        "component-definition": {
            "uuid": uuid(&key),
            "metadata": {
                "title": format!("{product}: {}", g.manifest.title.en),
                "last-modified": last_modified,
                "version": g.manifest.edition,
                "oscal-version": crate::oscal::OSCAL_VERSION,
                "props": [prop("catalog-digest", d.digest.as_ref().map_or("", |x| x.value.as_str()))],
            },
            "components": [{
                "uuid": uuid(&format!("{key}/component")),
                "type": "software",
                "title": title,
                "description": format!("{product} by {vendor}, as disclosed against {} edition {}.", g.manifest.title.en, g.manifest.edition),
                "control-implementations": [{
                    "uuid": uuid(&format!("{key}/implementation")),
                    "source": "catalog.oscal.en.json",
                    "description": format!("Answers to each control of edition {}.", g.manifest.edition),
                    "implemented-requirements": requirements,
                }],
            }],
        }
    });
    let mut out = serde_json::to_string_pretty(&doc).expect("JSON of plain values");
    out.push('\n');
    out
}

/// The PDF of the exchanged layout (Japanese): the summary per part, then one row a control.
pub fn pdf(
    d: &Disclosure,
    g: &Guideline,
    fonts: &crate::typeset::Fonts,
) -> anyhow::Result<Vec<u8>> {
    let (rows, summary) = rows(d, g, Lang::Ja);
    let product = d.product.as_ref().map_or("", |p| p.value.as_str());
    let vendor = d.vendor.as_ref().map_or("", |p| p.value.as_str());
    let date = d
        .date
        .as_ref()
        .map_or(g.manifest.date.as_str(), |x| x.value.as_str())
        .to_string();
    let date_parts = crate::syntax::parse_date(&date).unwrap_or(crate::syntax::UNDATED);
    let doc = crate::typeset::TableDocument {
        title: format!("医療情報セキュリティ開示書: {product}"),
        subtitle: vec![
            format!("提供者: {vendor} / 回答日: {date}"),
            format!("対象: {} {}", g.manifest.title.ja, g.manifest.edition),
            format!(
                "カタログの要約値: {}",
                d.digest.as_ref().map_or("", |x| x.value.as_str())
            ),
        ],
        summary_header: vec!["編", "はい", "いいえ", "該当なし", "予定", "未回答"],
        summary_rows: summary
            .iter()
            .map(|s| {
                vec![
                    s.part.clone(),
                    s.yes.to_string(),
                    s.no.to_string(),
                    s.not_applicable.to_string(),
                    s.planned.to_string(),
                    s.open.to_string(),
                ]
            })
            .collect(),
        header: vec![
            "ID",
            "項目",
            "回答",
            "技術",
            "項目ごとの回答・設定値",
            "備考",
        ],
        widths: vec!["16mm", "44mm", "16mm", "36mm", "44mm", "1fr"],
        rows: rows
            .iter()
            .map(|r| {
                let answer = if r.by.is_empty() {
                    r.answer.clone()
                } else {
                    format!("{} ({})", r.answer, r.by)
                };
                let extra = [r.items.as_str(), r.params.as_str()]
                    .iter()
                    .filter(|x| !x.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" / ");
                vec![
                    r.id.clone(),
                    r.title.clone(),
                    answer,
                    r.technologies.clone(),
                    extra,
                    r.note.clone(),
                ]
            })
            .collect(),
        date: date_parts,
        ident: format!("disclosure-{}-{product}", g.manifest.edition),
    };
    crate::typeset::render_table(&doc, fonts)
}
