//! Activation passwords and printable activation stickers.
//!
//! Onboarding follows the ChargePoint guide (`shared/seeds/004_…`): a certified installer finds a
//! "CP-ACTIVATION-STICKER" on the station showing "MAC:" and "Activation Password:", and either
//! enters "the MAC address and activation password printed on the activation label" or points the
//! phone's camera "at the QR code on the activation sticker" to be "automatically redirected to the
//! installer pinpointing page", where the "MAC address and activation password are automatically
//! entered". This crate makes exactly those pieces:
//!
//! - [`ActivationCode`]: the one-time activation password, made to be read off a sticker and typed on
//!   a phone (no look-alike characters, grouped by four, forgiving about case and separators).
//! - [`MacAddress`]: the station's MAC address as printed and typed.
//! - [`claim_url`]: the installer's claim page with both filled in, the text of the QR code.
//! - [`Sticker`], [`render_svg`], [`render_html`]: one sticker as a self-contained SVG, and a batch as
//!   one printable HTML page of A4 label sheets.
//!
//! It is pure: no I/O, no database, no async. Hashing the password is the server's job (argon2, like
//! every other secret, DESIGN.md habit 7); it hashes [`ActivationCode::normalized`] so that what an
//! installer types and what was printed hash the same.

mod code;
mod escape;
mod html;
mod mac;
mod qr;
mod svg;
mod url;

pub use code::{ALPHABET, ActivationCode, CODE_LEN, CodeError, ENTROPY_BITS, GROUP_LEN, random_symbols};
pub use html::{STICKERS_PER_SHEET, render_html};
pub use mac::{MacAddress, MacError};
pub use qr::MAX_QR_VERSION;
pub use svg::{STICKER_HEIGHT_MM, STICKER_WIDTH_MM, Sticker, StickerError, render_svg};
pub use url::claim_url;
