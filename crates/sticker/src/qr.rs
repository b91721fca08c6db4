//! The QR code of the claim URL, as an SVG path.

use qrcode::{Color, EcLevel, QrCode};

/// Light modules around the code, on every side. Four is what the QR specification (ISO/IEC 18004)
/// asks for; scanners find the code less reliably with less.
pub(crate) const QUIET_ZONE: usize = 4;

/// The largest QR version a sticker accepts (57 × 57 modules). The code is printed about 29 mm wide,
/// quiet zone included, so version 10 puts modules at 0.45 mm, about the smallest a phone camera reads
/// reliably from a hand's length; a longer claim URL (over 213 bytes at level M) needs a shorter
/// portal base URL rather than an unreadable sticker.
pub const MAX_QR_VERSION: i16 = 10;

/// The modules of a QR code, without the quiet zone.
pub(crate) struct Matrix {
    width: usize,
    dark: Vec<bool>,
}

/// Why a QR code could not be made.
pub(crate) enum QrProblem {
    /// The data needs a version above [`MAX_QR_VERSION`] (or does not fit a QR code at all).
    TooLong,
}

impl Matrix {
    /// Encodes `data` (as bytes, in the smallest version that fits) with error correction level M:
    /// it restores up to 15% of the modules, which covers a scuffed or partly dirty sticker on an
    /// outdoor station without making the code much denser (level Q and H would need a larger
    /// version for the same URL).
    pub(crate) fn encode(data: &str) -> Result<Self, QrProblem> {
        let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M).map_err(|_| QrProblem::TooLong)?;
        match code.version() {
            qrcode::Version::Normal(v) if v <= MAX_QR_VERSION => {}
            _ => return Err(QrProblem::TooLong),
        }
        let width = code.width();
        let dark = code.to_colors().into_iter().map(|c| c == Color::Dark).collect();
        Ok(Self { width, dark })
    }

    /// Modules per side, quiet zone included: the SVG's `viewBox` size.
    pub(crate) fn side(&self) -> usize {
        self.width + 2 * QUIET_ZONE
    }

    /// One SVG path drawing every dark module as a unit square, in a coordinate system of one unit per
    /// module with the quiet zone included (so the code starts at `QUIET_ZONE, QUIET_ZONE`).
    /// Horizontal runs of dark modules are merged into one rectangle (`M x y h n v1 h-n z`): the path
    /// is about half as long, and renderers that anti-alias leave no hairlines inside a run.
    pub(crate) fn svg_path(&self) -> String {
        let mut d = String::new();
        for y in 0..self.width {
            let row = &self.dark[y * self.width..(y + 1) * self.width];
            let mut x = 0;
            while x < self.width {
                if !row[x] {
                    x += 1;
                    continue;
                }
                let start = x;
                while x < self.width && row[x] {
                    x += 1;
                }
                let run = x - start;
                d.push_str(&format!("M{} {}h{run}v1h-{run}z", start + QUIET_ZONE, y + QUIET_ZONE));
            }
        }
        d
    }
}
