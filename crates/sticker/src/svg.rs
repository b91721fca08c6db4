//! One activation sticker as a self-contained SVG.

use std::fmt::{self, Write as _};

use crate::escape::escape;
use crate::qr::{MAX_QR_VERSION, Qr, QrProblem};
use crate::{ActivationCode, MacAddress, claim_url};

/// Width of a sticker, in millimetres.
pub const STICKER_WIDTH_MM: u32 = 70;
/// Height of a sticker, in millimetres. 70 × 40 mm fits next to a station's type plate, where the
/// ChargePoint guide applies its activation sticker, and three columns of it fill an A4 sheet's width.
pub const STICKER_HEIGHT_MM: u32 = 40;

/// What one activation sticker shows.
///
/// Fields are public: the server fills them from its records. [`Sticker::new`] derives `claim_url`
/// from the portal's base URL, which is the usual way to make one.
///
/// `Debug` hides the activation password and the claim URL (which contains it), so a sticker can be
/// logged without leaking the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Sticker {
    /// The station's OCPP identity, as the server knows it.
    pub station_id: String,
    /// The station's MAC address, printed after "MAC:" as on the ChargePoint guide's sticker.
    pub mac: MacAddress,
    /// The one-time activation password, printed after "Activation Password:".
    pub code: ActivationCode,
    /// The claim page with MAC and password filled in: the QR code's content (see [`claim_url`]).
    pub claim_url: String,
    /// A heading, e.g. the operator's name, so the installer knows which network the station joins.
    pub label: String,
    /// The station's make and model, when known.
    pub model: Option<String>,
}

impl Sticker {
    /// A sticker whose QR code opens `{base_url}/claim` with this MAC and password (see [`claim_url`]),
    /// without a model.
    pub fn new(
        station_id: impl Into<String>,
        mac: MacAddress,
        code: ActivationCode,
        base_url: &str,
        label: impl Into<String>,
    ) -> Self {
        let claim_url = claim_url(base_url, &mac, &code);
        Self { station_id: station_id.into(), mac, code, claim_url, label: label.into(), model: None }
    }
}

impl fmt::Debug for Sticker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sticker")
            .field("station_id", &self.station_id)
            .field("mac", &self.mac)
            .field("code", &self.code)
            .field("claim_url", &"<redacted>")
            .field("label", &self.label)
            .field("model", &self.model)
            .finish()
    }
}

/// Why a sticker could not be drawn.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StickerError {
    /// The claim URL needs a QR code denser than a sticker can carry legibly.
    #[error(
        "the claim URL of station {station_id} is {bytes} bytes, too long for a QR code that can be read on a \
         sticker (version {MAX_QR_VERSION} at most): use a shorter portal base URL"
    )]
    ClaimUrlTooLong { station_id: String, bytes: usize },
}

// The layout, in millimetres (the SVG's user unit).
const MARGIN: f64 = 1.5;
/// The QR code's side, quiet zone included.
const QR_SIDE: f64 = 29.0;
/// Left edge and width of the text column right of the QR code.
const COL_X: f64 = MARGIN + QR_SIDE + 1.0;
const COL_W: f64 = STICKER_WIDTH_MM as f64 - COL_X - MARGIN - 0.5;
/// Width available to the password line along the bottom.
const BOTTOM_W: f64 = STICKER_WIDTH_MM as f64 - 2.0 * (MARGIN + 0.5);

const SANS: &str = "'DejaVu Sans', Helvetica, Arial, sans-serif";
const MONO: &str = "'DejaVu Sans Mono', Menlo, Consolas, 'Liberation Mono', monospace";

/// The sticker as a standalone SVG document, 70 × 40 mm (its user unit is the millimetre): the QR
/// code of the claim URL on the left; the label, station id, model, "MAC:" and a "Scan to claim this
/// charging station" line on the right; "Activation Password:" and the password in large monospace
/// along the bottom. Every text is escaped, there are no scripts, fonts or external references, and
/// there is no XML declaration, so the same text can be saved as a `.svg` file or inlined in HTML.
///
/// A thin grey rounded border doubles as the cutting guide on plain paper.
pub fn render_svg(sticker: &Sticker) -> Result<String, StickerError> {
    let qr = Qr::encode(&sticker.claim_url).map_err(|QrProblem::TooLong| StickerError::ClaimUrlTooLong {
        station_id: sticker.station_id.clone(),
        bytes: sticker.claim_url.len(),
    })?;

    let (w, h) = (STICKER_WIDTH_MM, STICKER_HEIGHT_MM);
    let mut svg = String::with_capacity(8 * 1024);
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}mm" height="{h}mm" viewBox="0 0 {w} {h}" role="img" aria-label="{aria}">"#,
        aria = escape(&format!("Activation sticker for charging station {}", sticker.station_id)),
    );
    let _ = write!(svg, "<title>{}</title>", escape(&format!("Activation sticker: {}", sticker.station_id)));
    let _ = write!(
        svg,
        r##"<rect x="0.25" y="0.25" width="{}" height="{}" rx="2" ry="2" fill="#fff" stroke="#b0b0b0" stroke-width="0.2"/>"##,
        w as f64 - 0.5,
        h as f64 - 0.5,
    );
    // The QR code's drawing (a module per user unit) fitted into its square of the sticker.
    let side = qr.side();
    let _ = write!(
        svg,
        r#"<svg class="qr" x="{MARGIN}" y="{MARGIN}" width="{QR_SIDE}" height="{QR_SIDE}" viewBox="0 0 {side} {side}">{}</svg>"#,
        qr.svg(),
    );

    // The right-hand column.
    let x = COL_X;
    svg.push_str(&text(x, 5.2, 3.0, 2.0, COL_W, SANS, "bold", "#000", &sticker.label));
    svg.push_str(&text(x, 8.8, 1.8, 1.8, COL_W, SANS, "normal", "#555", "Station:"));
    svg.push_str(&text(x, 12.0, 2.8, 1.6, COL_W, MONO, "bold", "#000", &sticker.station_id));
    svg.push_str(&text(x, 15.6, 1.8, 1.8, COL_W, SANS, "normal", "#555", "MAC:"));
    svg.push_str(&text(x, 18.8, 2.8, 1.6, COL_W, MONO, "bold", "#000", &sticker.mac.to_string()));
    if let Some(model) = &sticker.model {
        svg.push_str(&text(x, 22.4, 1.8, 1.8, COL_W, SANS, "normal", "#555", "Model:"));
        svg.push_str(&text(x, 25.2, 2.2, 1.6, COL_W, SANS, "normal", "#000", model));
    }
    svg.push_str(&text(x, 29.8, 1.9, 1.5, COL_W, SANS, "normal", "#000", "Scan to claim this charging station"));

    // The password along the bottom, the largest text: it is the one people type.
    svg.push_str(&text(MARGIN + 0.5, 33.4, 1.8, 1.8, BOTTOM_W, SANS, "normal", "#555", "Activation Password:"));
    svg.push_str(&text(MARGIN + 0.5, 38.2, 4.2, 3.0, BOTTOM_W, MONO, "bold", "#000", sticker.code.as_str()));

    svg.push_str("</svg>");
    Ok(svg)
}

/// One `<text>` element at baseline `(x, y)`, `size` mm high, fitted into `max_w` mm: the font shrinks
/// down to `min_size` when the text's estimated width (0.6 em a character, right for monospace and
/// generous for sans-serif) is wider, and a text still too wide is squeezed to `max_w` with
/// `textLength`. Station ids may have 48 characters and operator names any length; a sticker must
/// never print text over its QR code or off its edge.
#[allow(clippy::too_many_arguments)]
fn text(
    x: f64,
    y: f64,
    size: f64,
    min_size: f64,
    max_w: f64,
    family: &str,
    weight: &str,
    fill: &str,
    content: &str,
) -> String {
    let chars = content.chars().count() as f64;
    let width_at = |s: f64| chars * 0.6 * s;
    let size = if width_at(size) > max_w { (max_w / (chars * 0.6)).max(min_size) } else { size };
    let squeeze = if width_at(size) > max_w {
        format!(r#" textLength="{}" lengthAdjust="spacingAndGlyphs""#, num(max_w))
    } else {
        String::new()
    };
    format!(
        r#"<text x="{}" y="{}" font-family="{family}" font-size="{}" font-weight="{weight}" fill="{fill}"{squeeze}>{}</text>"#,
        num(x),
        num(y),
        num(size),
        escape(content),
    )
}

/// A length with at most two decimals and no trailing zeros, so the SVG stays short and stable.
fn num(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(29.0), "29");
        assert_eq!(num(1.5), "1.5");
        assert_eq!(num(0.1 + 0.2), "0.3");
        assert_eq!(num(36.999), "37");
    }

    #[test]
    fn long_text_is_fitted() {
        let short = text(0.0, 0.0, 3.0, 2.0, 30.0, MONO, "bold", "#000", "CP-1");
        assert!(short.contains(r#"font-size="3""#) && !short.contains("textLength"), "{short}");
        // 20 characters at 0.6 em: 30 mm fit at 2.5 mm, above the minimum.
        let shrunk = text(0.0, 0.0, 3.0, 2.0, 30.0, MONO, "bold", "#000", &"X".repeat(20));
        assert!(shrunk.contains(r#"font-size="2.5""#) && !shrunk.contains("textLength"), "{shrunk}");
        let squeezed = text(0.0, 0.0, 3.0, 2.0, 30.0, MONO, "bold", "#000", &"X".repeat(48));
        assert!(squeezed.contains(r#"font-size="2""#) && squeezed.contains(r#"textLength="30""#), "{squeezed}");
    }
}
