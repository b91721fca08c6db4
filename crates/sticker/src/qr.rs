//! The QR code of the claim URL, drawn as SVG by the `qrcode` crate.

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode, Version};

/// Light modules around the code, on every side. Four is what the QR specification (ISO/IEC 18004)
/// asks for; scanners find the code less reliably with less. It is what the `qrcode` crate's renderer
/// draws around a (non-micro) QR code; [`Qr::encode`] checks that the drawing is that wide.
pub(crate) const QUIET_ZONE: usize = 4;

/// The largest QR version a sticker accepts (57 × 57 modules). The code is printed about 29 mm wide,
/// quiet zone included, so version 10 puts modules at 0.45 mm, about the smallest a phone camera reads
/// reliably from a hand's length; a longer claim URL (over 213 bytes at level M) needs a shorter
/// portal base URL rather than an unreadable sticker.
pub const MAX_QR_VERSION: i16 = 10;

/// A QR code drawn as an SVG element of one user unit per module, quiet zone included.
pub(crate) struct Qr {
    /// Modules per side, quiet zone included.
    side: usize,
    svg: String,
}

/// Why a QR code could not be made.
pub(crate) enum QrProblem {
    /// The data needs a version above [`MAX_QR_VERSION`] (or does not fit a QR code at all).
    TooLong,
}

impl Qr {
    /// Encodes `data` (as bytes, in the smallest version that fits) with error correction level M:
    /// it restores up to 15% of the modules, which covers a scuffed or partly dirty sticker on an
    /// outdoor station without making the code much denser (level Q and H would need a larger
    /// version for the same URL).
    pub(crate) fn encode(data: &str) -> Result<Self, QrProblem> {
        let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M).map_err(|_| QrProblem::TooLong)?;
        match code.version() {
            Version::Normal(v) if v <= MAX_QR_VERSION => {}
            _ => return Err(QrProblem::TooLong),
        }
        let side = code.width() + 2 * QUIET_ZONE;
        // Black modules on a white square (the quiet zone is drawn, not left to the paper), crisp edges.
        let drawn = code
            .render::<svg::Color>()
            .quiet_zone(true)
            .module_dimensions(1, 1)
            .dark_color(svg::Color("#000"))
            .light_color(svg::Color("#fff"))
            .build();
        // The renderer starts with an XML declaration, which may only open a document: the sticker inlines
        // the `<svg>` element in its own (and the sheet in HTML).
        let svg = drawn.find("<svg").map_or(drawn.as_str(), |at| &drawn[at..]).to_string();
        Ok(Self { side, svg })
    }

    /// Modules per side, quiet zone included: the drawing's size in user units.
    pub(crate) fn side(&self) -> usize {
        self.side
    }

    /// The `<svg>` element, `side` user units wide and high.
    pub(crate) fn svg(&self) -> &str {
        &self.svg
    }
}
