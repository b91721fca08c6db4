//! A batch of stickers as one printable HTML page.

use std::fmt::Write as _;

use crate::escape::escape;
use crate::svg::{STICKER_HEIGHT_MM, STICKER_WIDTH_MM, Sticker, StickerError, render_svg};

/// Columns of stickers on an A4 sheet: 3 × 70 mm fill its 210 mm width.
const COLUMNS: u32 = 3;
/// Rows of stickers on an A4 sheet: 7 × 40 mm = 280 mm of its 297 mm height.
const ROWS: u32 = 7;
/// Stickers on one A4 sheet.
pub const STICKERS_PER_SHEET: usize = (COLUMNS * ROWS) as usize;

/// One HTML page printing `stickers` on A4 sheets, 3 × 7 stickers of 70 × 40 mm per sheet, each sheet
/// on a page of its own, each sticker an inline copy of its [`render_svg`].
///
/// For an operator activating a batch of stations: print the page at 100% scale (not "fit to page")
/// on A4 label sheets or plain paper cut along the grey borders. The print CSS sets the page size and
/// no margins (`@page`), keeps every sticker whole, and breaks pages between sheets; a short header
/// with these instructions shows on screen only. No scripts, no external resources (fonts are the
/// system's), every text escaped, so the page can be opened from a file or served as it is.
///
/// Fails on the first sticker whose claim URL is too long for its QR code.
pub fn render_html(stickers: &[Sticker]) -> Result<String, StickerError> {
    let sheets = stickers.len().div_ceil(STICKERS_PER_SHEET);
    let (w, h) = (STICKER_WIDTH_MM, STICKER_HEIGHT_MM);
    // Centre the grid vertically: (297 - 280) / 2 mm above and below. Sheets are 1 mm shorter than A4
    // so rounding in a browser's layout cannot push a sheet onto a second, blank page.
    let top = (297 - ROWS * h) as f64 / 2.0;

    let mut html = String::with_capacity(4 * 1024 + stickers.len() * 9 * 1024);
    html.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    let _ = writeln!(html, "<title>Activation stickers ({})</title>", stickers.len());
    let _ = write!(
        html,
        "<style>
@page {{ size: A4 portrait; margin: 0; }}
* {{ box-sizing: border-box; }}
html, body {{ margin: 0; padding: 0; }}
body {{ font-family: 'DejaVu Sans', Helvetica, Arial, sans-serif; -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
.sheet {{ width: 210mm; height: 296mm; padding-top: {top}mm; display: grid; grid-template-columns: repeat({COLUMNS}, {w}mm); grid-auto-rows: {h}mm; align-content: start; overflow: hidden; background: #fff; break-after: page; page-break-after: always; }}
.sheet:last-child {{ break-after: auto; page-break-after: auto; }}
.sticker {{ width: {w}mm; height: {h}mm; break-inside: avoid; page-break-inside: avoid; }}
.sticker svg {{ display: block; width: {w}mm; height: {h}mm; }}
.instructions {{ max-width: 210mm; margin: 8mm auto 0; font-size: 11pt; }}
@media screen {{ body {{ background: #ddd; }} .sheet {{ margin: 8mm auto; box-shadow: 0 1mm 4mm rgba(0, 0, 0, 0.3); }} }}
@media print {{ .instructions {{ display: none; }} }}
</style>
</head>
<body>
"
    );
    let _ = writeln!(
        html,
        "<p class=\"instructions\">{} activation sticker{} on {} A4 sheet{} of {COLUMNS} × {ROWS} labels, {w} × {h} mm. \
         Print at 100% scale (not “fit to page”) and without margins, then apply each sticker next to its \
         station’s type plate. Each activation password can be used once.</p>",
        stickers.len(),
        if stickers.len() == 1 { "" } else { "s" },
        sheets,
        if sheets == 1 { "" } else { "s" },
    );

    for sheet in stickers.chunks(STICKERS_PER_SHEET) {
        html.push_str("<section class=\"sheet\">\n");
        for sticker in sheet {
            let _ = writeln!(
                html,
                "<div class=\"sticker\" data-station=\"{}\">{}</div>",
                escape(&sticker.station_id),
                render_svg(sticker)?
            );
        }
        html.push_str("</section>\n");
    }
    html.push_str("</body>\n</html>\n");
    Ok(html)
}
