//! The look of every XLSX workbook the tool writes (the checklists, a disclosure's answers):
//! one header format and one wrapped-text format, so that the sheets a clinic and a vendor
//! exchange look alike. Shared by the renderers that write workbooks; it writes none itself.

use rust_xlsxwriter::{Format, FormatAlign};

/// A header cell: bold, wrapped, on a light blue ground.
pub fn header() -> Format {
    Format::new()
        .set_bold()
        .set_text_wrap()
        .set_background_color("D9E1F2")
        .set_align(FormatAlign::Top)
}

/// A body cell: text wrapped, aligned to the top of the row.
pub fn wrap() -> Format {
    Format::new().set_text_wrap().set_align(FormatAlign::Top)
}
