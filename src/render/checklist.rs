//! Checklists a clinic or vendor fills in: `checklist.csv` (UTF-8 with BOM, which Excel in
//! Japan opens correctly) and `checklist.xlsx` (one sheet per reader).

use rust_xlsxwriter::{
    DataValidation, DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, XlsxError,
};

use crate::model::{Audience, Control, Guideline};

/// One checklist row.
struct Row {
    id: String,
    part: String,
    chapter: String,
    title: String,
    level: &'static str,
    audience: String,
    statement: String,
    technologies: String,
}

impl Row {
    /// The filled-in columns, in header order (確認 and 備考 are left for the reader).
    fn cells(&self) -> [&str; 8] {
        [
            &self.id,
            &self.part,
            &self.chapter,
            &self.title,
            self.level,
            &self.audience,
            &self.statement,
            &self.technologies,
        ]
    }
}

const HEADER: [&str; 10] = [
    "ID",
    "編 Part",
    "章 Chapter",
    "項目 Title",
    "区分 Level",
    "対象 Audience",
    "要求事項 Statement",
    "技術と役割 Technologies",
    "確認 Checked",
    "備考 Notes",
];

fn technologies(g: &Guideline, k: &Control) -> String {
    k.technology_uses()
        .iter()
        .map(|u| {
            let name = g
                .registry
                .get(&u.technology)
                .map_or(u.technology.as_str(), |t| t.name.ja.as_str());
            format!("{name}({})", u.role.label().ja)
        })
        .collect::<Vec<_>>()
        .join("、")
}

fn rows<'a>(
    g: &'a Guideline,
    filter: impl Fn(&Control) -> bool + 'a,
) -> impl Iterator<Item = Row> + 'a {
    g.controls()
        .filter(move |(_, _, k)| filter(k))
        .map(|(p, c, k)| Row {
            id: k.id.to_string(),
            part: p.title.ja.clone(),
            chapter: c.title.ja.clone(),
            title: k.title.ja.clone(),
            level: k.level.label().ja,
            audience: k
                .audience
                .iter()
                .map(|a| a.label().ja)
                .collect::<Vec<_>>()
                .join("、"),
            statement: k.statement.ja.plain.clone(),
            technologies: technologies(g, k),
        })
}

/// The CSV checklist: every control, UTF-8 with a byte-order mark.
pub fn csv(g: &Guideline) -> Vec<u8> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        w.write_record(HEADER).expect("write to memory");
        for r in rows(g, |_| true) {
            w.write_record(r.cells().iter().chain(&["", ""]))
                .expect("write to memory");
        }
        w.flush().expect("write to memory");
    }
    out
}

/// The XLSX checklist: one sheet per reader, header frozen, text wrapped, a yes/no list in
/// the 確認 column, filters on. The document date is the edition's date, so bytes repeat.
pub fn xlsx(g: &Guideline) -> Result<Vec<u8>, XlsxError> {
    let (mut book, header, wrap) = workbook(g, "チェックリスト")?;
    let widths = [12.0, 14.0, 22.0, 28.0, 10.0, 18.0, 70.0, 30.0, 10.0, 24.0];
    for audience in Audience::ALL {
        let sheet = book.add_worksheet();
        sheet.set_name(audience.label().ja)?;
        for (col, title) in HEADER.iter().enumerate() {
            sheet.write_string_with_format(0, col as u16, *title, &header)?;
            sheet.set_column_width(col as u16, widths[col])?;
        }
        let mut last = 0u32;
        for (i, r) in rows(g, |k| k.audience.contains(&audience)).enumerate() {
            let row = i as u32 + 1;
            let cells = r.cells();
            for (col, value) in cells.iter().enumerate() {
                sheet.write_string_with_format(row, col as u16, *value, &wrap)?;
            }
            last = row;
        }
        sheet.set_freeze_panes(1, 0)?;
        sheet.autofilter(0, 0, last.max(1), (HEADER.len() - 1) as u16)?;
        let yes_no = DataValidation::new().allow_list_strings(&["はい", "いいえ", "該当なし"])?;
        sheet.add_data_validation(1, 8, last.max(1), 8, &yes_no)?;
    }
    book.save_to_buffer()
}

/// A workbook titled after the guideline, dated with the edition (so bytes repeat), with
/// the header and wrapped-text formats both checklists use.
fn workbook(g: &Guideline, kind: &str) -> Result<(Workbook, Format, Format), XlsxError> {
    let mut book = Workbook::new();
    let created = crate::syntax::parse_date(&g.manifest.date)
        .and_then(excel_date)
        .unwrap_or(ExcelDateTime::from_ymd(2000, 1, 1)?);
    book.set_properties(
        &DocProperties::new()
            .set_title(format!("{} {kind}", g.manifest.title.ja))
            .set_author(g.manifest.publisher.ja.clone())
            .set_creation_datetime(&created),
    );
    Ok((book, crate::sheet::header(), crate::sheet::wrap()))
}

fn excel_date(date: time::Date) -> Option<ExcelDateTime> {
    let year = u16::try_from(date.year()).ok()?;
    ExcelDateTime::from_ymd(year, u8::from(date.month()), date.day()).ok()
}

/// The header of the checklist a reader fills in for the controls that apply to them: the
/// answer (はい/いいえ/該当なし), the date it was checked and, for いいえ, the date by which
/// it will be met, as the ministry's own self-check asks.
const APPLIES_HEADER: [&str; 10] = [
    "ID",
    "編 Part",
    "章 Chapter",
    "項目 Title",
    "区分 Level",
    "要求事項 Statement",
    "回答 Answer (はい/いいえ/該当なし)",
    "確認日 Date checked",
    "対応予定日 Target date (いいえ)",
    "備考 Notes",
];

fn applies_cells(p: &crate::model::Part, c: &crate::model::Chapter, k: &Control) -> [String; 6] {
    [
        k.id.to_string(),
        p.title.ja.clone(),
        c.title.ja.clone(),
        k.title.ja.clone(),
        k.level.label().ja.to_string(),
        k.statement.ja.plain.clone(),
    ]
}

/// The controls that apply to `answers`, one per line: ID, level keyword, title.
pub fn applies_text(g: &Guideline, answers: &crate::applicability::Answers) -> String {
    g.applying(answers)
        .map(|(_, _, k)| format!("{}\t{}\t{}\n", k.id, k.level.keyword(), k.title.ja))
        .collect()
}

/// The controls that apply to `answers` as JSON: the answers (and the preset they came
/// from), the count, and each control's ID, title, level, part and chapter.
pub fn applies_json(
    g: &Guideline,
    answers: &crate::applicability::Answers,
    preset: Option<&str>,
) -> String {
    let controls: Vec<serde_json::Value> = g
        .applying(answers)
        .map(|(p, c, k)| {
            serde_json::json!({
                "id": k.id,
                "title": { "ja": k.title.ja, "en": k.title.en },
                "level": k.level.keyword(),
                "part": p.id,
                "chapter": c.id,
            })
        })
        .collect();
    let doc = serde_json::json!({
        "edition": g.manifest.edition,
        "preset": preset,
        "answers": answers,
        "count": controls.len(),
        "controls": controls,
    });
    let mut s = serde_json::to_string_pretty(&doc).expect("JSON of plain values");
    s.push('\n');
    s
}

/// The checklist of the controls that apply to `answers` (CSV, UTF-8 with BOM).
pub fn applies_csv(g: &Guideline, answers: &crate::applicability::Answers) -> Vec<u8> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        w.write_record(APPLIES_HEADER).expect("write to memory");
        for (p, c, k) in g.applying(answers) {
            let cells = applies_cells(p, c, k);
            w.write_record(cells.iter().map(String::as_str).chain(["", "", "", ""]))
                .expect("write to memory");
        }
        w.flush().expect("write to memory");
    }
    out
}

/// The same checklist as one XLSX sheet: a list of はい/いいえ/該当なし in the answer column,
/// date cells for the two dates, header frozen, filters on.
pub fn applies_xlsx(
    g: &Guideline,
    answers: &crate::applicability::Answers,
    sheet_name: &str,
) -> Result<Vec<u8>, XlsxError> {
    let (mut book, header, wrap) = workbook(g, "自己点検")?;
    let date = Format::new()
        .set_num_format("yyyy-mm-dd")
        .set_align(FormatAlign::Top);
    let widths = [12.0, 14.0, 22.0, 28.0, 10.0, 70.0, 14.0, 14.0, 16.0, 24.0];
    let sheet = book.add_worksheet();
    sheet.set_name(sheet_name)?;
    for (col, title) in APPLIES_HEADER.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *title, &header)?;
        sheet.set_column_width(col as u16, widths[col])?;
    }
    let mut last = 0u32;
    for (i, (p, c, k)) in g.applying(answers).enumerate() {
        let row = i as u32 + 1;
        for (col, value) in applies_cells(p, c, k).iter().enumerate() {
            sheet.write_string_with_format(row, col as u16, value, &wrap)?;
        }
        sheet.write_blank(row, 7, &date)?;
        sheet.write_blank(row, 8, &date)?;
        last = row;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, last.max(1), (APPLIES_HEADER.len() - 1) as u16)?;
    let answer = DataValidation::new().allow_list_strings(&["はい", "いいえ", "該当なし"])?;
    sheet.add_data_validation(1, 6, last.max(1), 6, &answer)?;
    book.save_to_buffer()
}
