//! Checklists a clinic or vendor fills in: `checklist.csv` (UTF-8 with BOM, which Excel in
//! Japan opens correctly) and `checklist.xlsx` (one sheet per reader).

use rust_xlsxwriter::{
    DataValidation, DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, XlsxError,
};

use crate::model::{Audience, Control, Guideline};
use crate::render::catalog::technology_uses;

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
    technology_uses(k)
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
            id: k.id.clone(),
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
    let mut book = Workbook::new();
    let created = parse_date(&g.manifest.date).unwrap_or(ExcelDateTime::from_ymd(2000, 1, 1)?);
    book.set_properties(
        &DocProperties::new()
            .set_title(format!("{} チェックリスト", g.manifest.title.ja))
            .set_author(g.manifest.publisher.ja.clone())
            .set_creation_datetime(&created),
    );
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_background_color("D9E1F2")
        .set_align(FormatAlign::Top);
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
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

fn parse_date(date: &str) -> Option<ExcelDateTime> {
    let mut it = date.split('-').map(|s| s.parse::<u16>().ok());
    let (y, m, d) = (it.next()??, it.next()??, it.next()??);
    ExcelDateTime::from_ymd(y, m as u8, d as u8).ok()
}
