//! The sticker crate's public behaviour: passwords, MAC addresses, the claim URL, and stickers whose QR
//! code, read back by an independent decoder from the SVG itself, opens the claim URL.

use std::collections::HashSet;

use joule_sticker::{
    ALPHABET, ActivationCode, CODE_LEN, CodeError, ENTROPY_BITS, GROUP_LEN, MacAddress, MacError, STICKERS_PER_SHEET,
    Sticker, StickerError, claim_url, render_html, render_svg,
};

const BASE: &str = "https://joule.example.com";

fn mac() -> MacAddress {
    MacAddress::parse("00:1A:2b:3C:4d:5E").unwrap()
}

fn code() -> ActivationCode {
    ActivationCode::parse("K7QX-M2PD-9RTW-HJ3N-ZC4V").unwrap()
}

fn sticker(station_id: &str, label: &str) -> Sticker {
    let mut s = Sticker::new(station_id, mac(), code(), BASE, label);
    s.model = Some("Wallbox Pulsar Plus".into());
    s
}

// ---------------------------------------------------------------------------------------------------
// Activation passwords

#[test]
fn generated_passwords_are_unique_grouped_and_from_the_alphabet() {
    const { assert!(ENTROPY_BITS >= 80) };
    let mut seen = HashSet::new();
    let mut counts = [0usize; 31];
    for _ in 0..10_000 {
        let code = ActivationCode::generate();
        let printed = code.as_str();
        assert_eq!(printed.len(), CODE_LEN + CODE_LEN / GROUP_LEN - 1, "{printed}");
        let groups: Vec<&str> = printed.split('-').collect();
        assert_eq!(groups.len(), CODE_LEN / GROUP_LEN, "{printed}");
        assert!(groups.iter().all(|g| g.len() == GROUP_LEN), "{printed}");
        let normalized = code.normalized();
        assert_eq!(normalized.len(), CODE_LEN);
        for c in normalized.chars() {
            let index = ALPHABET.find(c).unwrap_or_else(|| panic!("{c} is not in the alphabet ({printed})"));
            counts[index] += 1;
        }
        assert_eq!(code.to_string(), printed);
        assert!(seen.insert(normalized), "a password came up twice: {printed}");
    }
    // Uniform draws: 200,000 characters, 6,452 expected per character, standard deviation about 79.
    // ±10% is 8 standard deviations, far from chance, yet a modulo bias (some characters twice as
    // likely) or a stuck character shows.
    let expected = 10_000.0 * CODE_LEN as f64 / 31.0;
    for (i, &n) in counts.iter().enumerate() {
        let c = ALPHABET.as_bytes()[i] as char;
        assert!((n as f64 - expected).abs() < expected * 0.1, "{c} came {n} times, about {expected:.0} expected");
    }
}

#[test]
fn passwords_parse_as_people_type_them() {
    let canonical = "K7QX-M2PD-9RTW-HJ3N-ZC4V";
    for typed in [
        canonical,
        "k7qx-m2pd-9rtw-hj3n-zc4v",
        "K7QX M2PD 9RTW HJ3N ZC4V",
        "K7QXM2PD9RTWHJ3NZC4V",
        "  k7qx m2pd-9rtwhj3n  zc4v\n",
        "K7QX\u{2013}M2PD\u{2014}9RTW\u{2010}HJ3N\u{00A0}ZC4V",
        "K7-QXM2-PD9R-TWHJ-3NZC-4V",
    ] {
        let code = ActivationCode::parse(typed).unwrap_or_else(|e| panic!("{typed:?}: {e}"));
        assert_eq!(code.as_str(), canonical, "{typed:?}");
        assert_eq!(code.normalized(), "K7QXM2PD9RTWHJ3NZC4V");
        assert_eq!(code, canonical.parse::<ActivationCode>().unwrap());
    }
    for _ in 0..100 {
        let code = ActivationCode::generate();
        assert_eq!(ActivationCode::parse(code.as_str()).unwrap(), code);
        assert_eq!(ActivationCode::parse(&code.normalized().to_lowercase()).unwrap(), code);
    }
}

#[test]
fn passwords_that_cannot_be_right_are_refused_with_what_to_fix() {
    let cases: &[(&str, CodeError, &str)] = &[
        ("", CodeError::Empty, "empty"),
        (" - - ", CodeError::Empty, "empty"),
        ("K7QX-M2PD-9RTW-HJ3N-ZC4", CodeError::TooShort { found: 19 }, "missing"),
        ("K7QX-M2PD-9RTW-HJ3N-ZC4VV", CodeError::TooLong { found: 21 }, "remove"),
        ("K7QX-M2PO-9RTW-HJ3N-ZC4V", CodeError::LookAlike { ch: 'O', position: 8 }, "never contain 0, O, 1, I or L"),
        ("K7QX-M2P0-9RTW-HJ3N-ZC4V", CodeError::LookAlike { ch: '0', position: 8 }, "character 8 ('0')"),
        ("1", CodeError::LookAlike { ch: '1', position: 1 }, "look at that character"),
        ("k7qx-m2pd-9rtw-hj3n-zc4l", CodeError::LookAlike { ch: 'l', position: 20 }, "('l')"),
        ("K7QX-i", CodeError::LookAlike { ch: 'i', position: 5 }, "character 5"),
        ("K7QX_M2PD", CodeError::InvalidCharacter { ch: '_', position: 5 }, "dashes or spaces"),
        ("K7QX-M2PÉ", CodeError::InvalidCharacter { ch: 'É', position: 8 }, "digits 2-9"),
        ("K7QX.M2PD", CodeError::InvalidCharacter { ch: '.', position: 5 }, "character 5 ('.')"),
    ];
    for (typed, error, hint) in cases {
        let got = ActivationCode::parse(typed).unwrap_err();
        assert_eq!(&got, error, "{typed:?}");
        let message = got.to_string();
        assert!(message.contains(hint), "{typed:?}: {message}");
    }
}

#[test]
fn a_password_never_shows_in_debug_output() {
    let code = code();
    assert_eq!(format!("{code:?}"), "ActivationCode(<redacted>)");
    let debug = format!("{:?}", sticker("CP-1", "Operator"));
    assert!(!debug.contains("K7QX") && !debug.contains("claim?"), "{debug}");
    assert!(debug.contains("CP-1"), "{debug}");
}

// ---------------------------------------------------------------------------------------------------
// MAC addresses

#[test]
fn mac_addresses_parse_in_the_usual_spellings() {
    let expected = MacAddress::from_octets([0xAA, 0xBB, 0xCC, 0x0D, 0xEE, 0xF0]);
    for typed in ["AA:BB:CC:0D:EE:F0", "aa-bb-cc-0d-ee-f0", "aabbcc0deef0", "aA:bB:Cc:0d:Ee:f0", " AABBCC0DEEF0\t"] {
        let mac = MacAddress::parse(typed).unwrap_or_else(|e| panic!("{typed:?}: {e}"));
        assert_eq!(mac, expected, "{typed:?}");
        assert_eq!(mac.to_string(), "AA:BB:CC:0D:EE:F0");
        assert_eq!(mac.octets(), [0xAA, 0xBB, 0xCC, 0x0D, 0xEE, 0xF0]);
    }
    assert_eq!("00:00:00:00:00:01".parse::<MacAddress>().unwrap().to_string(), "00:00:00:00:00:01");
}

#[test]
fn mac_addresses_that_are_wrong_are_refused_precisely() {
    let cases: &[(&str, MacError, &str)] = &[
        ("", MacError::Empty, "empty"),
        ("   ", MacError::Empty, "empty"),
        ("AA:BB:CC:DD:EE:FG", MacError::InvalidCharacter { ch: 'G', position: 17 }, "character 17 ('G')"),
        ("  AA:BB:CC:DD:EE:FG", MacError::InvalidCharacter { ch: 'G', position: 19 }, "character 19"),
        ("AA BB CC DD EE FF", MacError::InvalidCharacter { ch: ' ', position: 3 }, "':' or '-'"),
        ("AA.BB.CC.DD.EE.FF", MacError::InvalidCharacter { ch: '.', position: 3 }, "('.')"),
        ("AA:BB-CC:DD:EE:FF", MacError::MixedSeparators { position: 6 }, "mixes ':' and '-'"),
        ("AA:BB:CC:DD:EE", MacError::WrongGroupCount { found: 5, separator: ':' }, "5 groups"),
        ("AA-BB-CC-DD-EE-FF-00", MacError::WrongGroupCount { found: 7, separator: '-' }, "needs 6"),
        ("AA:BB:CC:DD:EE:FF:", MacError::WrongGroupCount { found: 7, separator: ':' }, "needs 6"),
        ("A:BB:CC:DD:EE:FF", MacError::WrongGroupLength { group: 1, found: 1 }, "write 0A"),
        ("AA:BB:CC::DD:EE", MacError::WrongGroupLength { group: 4, found: 0 }, "group 4"),
        ("AA:BB:CCC:DD:EE:F", MacError::WrongGroupLength { group: 3, found: 3 }, "3 digits"),
        ("AABBCCDDEEF", MacError::WrongDigitCount { found: 11 }, "11 hexadecimal digits"),
        ("AABBCCDDEEFF0", MacError::WrongDigitCount { found: 13 }, "needs 12"),
    ];
    for (typed, error, hint) in cases {
        let got = MacAddress::parse(typed).unwrap_err();
        assert_eq!(&got, error, "{typed:?}");
        let message = got.to_string();
        assert!(message.contains(hint), "{typed:?}: {message}");
    }
}

// ---------------------------------------------------------------------------------------------------
// The claim URL

#[test]
fn the_claim_url_carries_mac_and_password() {
    let expected = "https://joule.example.com/claim?mac=00:1A:2B:3C:4D:5E&code=K7QX-M2PD-9RTW-HJ3N-ZC4V";
    assert_eq!(claim_url(BASE, &mac(), &code()), expected);
    assert_eq!(claim_url("https://joule.example.com/", &mac(), &code()), expected);
    assert_eq!(
        claim_url("https://example.com/joule//", &mac(), &code()),
        "https://example.com/joule/claim?mac=00:1A:2B:3C:4D:5E&code=K7QX-M2PD-9RTW-HJ3N-ZC4V"
    );
    assert_eq!(sticker("CP-1", "x").claim_url, expected);
}

// ---------------------------------------------------------------------------------------------------
// Stickers

/// The texts of an SVG document, read by a real XML parser (so escaping mistakes fail here).
fn svg_texts(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not well-formed XML: {e}\n{svg}"));
    doc.descendants().filter(|n| n.has_tag_name("text")).map(|n| n.text().unwrap_or("").to_string()).collect()
}

#[test]
fn the_svg_shows_what_the_installer_needs() {
    let s = sticker("CP-0042", "Joule Energy");
    let svg = render_svg(&s).unwrap();
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"70mm\" height=\"40mm\""), "{svg}");
    assert!(svg.ends_with("</svg>"));
    let texts = svg_texts(&svg);
    for expected in [
        "Joule Energy",
        "CP-0042",
        "MAC:",
        "00:1A:2B:3C:4D:5E",
        "Activation Password:",
        "K7QX-M2PD-9RTW-HJ3N-ZC4V",
        "Model:",
        "Wallbox Pulsar Plus",
        "Scan to claim this charging station",
    ] {
        assert!(texts.iter().any(|t| t == expected), "{expected:?} missing from {texts:?}");
    }
    let lower = svg.to_ascii_lowercase();
    for forbidden in ["<script", "href", "<image", "<foreignobject", "url(", "@import", "<?xml"] {
        assert!(!lower.contains(forbidden), "{forbidden} in {svg}");
    }
    // The password is the largest text, in monospace.
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let password = doc.descendants().find(|n| n.text() == Some("K7QX-M2PD-9RTW-HJ3N-ZC4V")).unwrap();
    assert!(password.attribute("font-family").unwrap().ends_with("monospace"));
    let size = |n: roxmltree::Node| n.attribute("font-size").unwrap().parse::<f64>().unwrap();
    assert!(doc.descendants().filter(|n| n.has_tag_name("text") && *n != password).all(|n| size(n) < size(password)));

    let without_model = Sticker { model: None, ..s };
    let texts = svg_texts(&render_svg(&without_model).unwrap());
    assert!(!texts.iter().any(|t| t == "Model:"), "{texts:?}");
}

#[test]
fn every_text_on_a_sticker_is_escaped() {
    let station_id = r#"<&">'CP"#;
    let label = r#"Tom & Jerry's <b>"Charge"</b>"#;
    let mut s = sticker(station_id, label);
    s.model = Some("<script>alert(1)</script>".into());
    let svg = render_svg(&s).unwrap();
    assert!(svg.contains("&lt;&amp;&quot;&gt;&#39;CP"), "{svg}");
    assert!(!svg.contains(station_id) && !svg.contains("<b>") && !svg.contains("<script"), "{svg}");
    let texts = svg_texts(&svg);
    for expected in [station_id, label, "<script>alert(1)</script>"] {
        assert!(texts.iter().any(|t| t == expected), "{expected:?} missing from {texts:?}");
    }
    // The title and the accessible name are escaped too.
    let doc = roxmltree::Document::parse(&svg).unwrap();
    assert_eq!(doc.root_element().attribute("aria-label"), Some(r#"Activation sticker for charging station <&">'CP"#));

    let html = render_html(&[s]).unwrap();
    assert!(html.contains("data-station=\"&lt;&amp;&quot;&gt;&#39;CP\""), "{html}");
    assert!(!html.contains(station_id) && !html.contains("<b>") && !html.contains("<script"), "{html}");
}

#[test]
fn control_characters_cannot_break_the_svg() {
    let s = sticker("CP-1", "Operator\u{0}\u{1b}[31m");
    let texts = svg_texts(&render_svg(&s).unwrap());
    assert!(texts.iter().any(|t| t == "Operator\u{FFFD}\u{FFFD}[31m"), "{texts:?}");
}

#[test]
fn long_texts_are_fitted_inside_the_sticker() {
    let s = sticker(&"X".repeat(48), &"A very long operator name that would not fit otherwise".repeat(2));
    let svg = render_svg(&s).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    for node in doc.descendants().filter(|n| n.has_tag_name("text")) {
        let x: f64 = node.attribute("x").unwrap().parse().unwrap();
        let size: f64 = node.attribute("font-size").unwrap().parse().unwrap();
        let chars = node.text().unwrap().chars().count() as f64;
        let width = match node.attribute("textLength") {
            Some(l) => l.parse().unwrap(),
            None => chars * 0.6 * size,
        };
        assert!(x + width <= 70.0 - 1.0, "{:?} runs off the sticker: x {x}, width {width}", node.text());
    }
}

#[test]
fn the_html_page_lays_out_sheets_for_printing() {
    let stickers: Vec<Sticker> = (0..STICKERS_PER_SHEET + 1)
        .map(|i| {
            let code = ActivationCode::generate();
            Sticker::new(format!("CP-{i:03}"), MacAddress::from_octets([0, 0x1A, 0, 0, 0, i as u8]), code, BASE, "Op")
        })
        .collect();
    let html = render_html(&stickers).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("@page { size: A4 portrait; margin: 0; }"), "{html}");
    assert!(html.contains("break-after: page") && html.contains("page-break-after: always"));
    assert!(html.contains("break-inside: avoid"));
    assert_eq!(html.matches("<section class=\"sheet\">").count(), 2);
    assert_eq!(html.matches("<div class=\"sticker\"").count(), STICKERS_PER_SHEET + 1);
    // One sticker SVG each (the QR code's drawing inside it is an `<svg>` of its own).
    assert_eq!(html.matches(r#"<svg xmlns="http://www.w3.org/2000/svg" width="70mm""#).count(), STICKERS_PER_SHEET + 1);
    assert_eq!(html.matches(r#"<svg class="qr""#).count(), STICKERS_PER_SHEET + 1);
    for s in &stickers {
        assert!(html.contains(s.code.as_str()), "{} missing", s.code);
        assert!(html.contains(&render_svg(s).unwrap()));
    }
    let lower = html.to_ascii_lowercase();
    for forbidden in ["<script", "<link", "src=", "href", "url(", "@import"] {
        assert!(!lower.contains(forbidden), "{forbidden} in the page");
    }
    // The only URL on the page is the SVG namespace (the claim URL is only in the QR codes).
    assert_eq!(lower.matches("http").count(), lower.matches("xmlns=\"http://www.w3.org/2000/svg\"").count());
    assert!(html.contains("22 activation stickers on 2 A4 sheets"), "{html}");

    let empty = render_html(&[]).unwrap();
    assert!(empty.contains("0 activation stickers on 0 A4 sheets") && !empty.contains("<section"));
}

#[test]
fn a_claim_url_too_long_for_a_legible_qr_code_is_refused() {
    let base = format!("https://{}.example.com", "a".repeat(150));
    let s = Sticker::new("CP-LONG", mac(), code(), &base, "Op");
    let expected = StickerError::ClaimUrlTooLong { station_id: "CP-LONG".into(), bytes: s.claim_url.len() };
    assert_eq!(render_svg(&s), Err(expected.clone()));
    assert_eq!(render_html(&[sticker("CP-1", "Op"), s]), Err(expected.clone()));
    assert!(expected.to_string().contains("use a shorter portal base URL"));
}

// ---------------------------------------------------------------------------------------------------
// The QR code, read back

/// Rasterises the sticker's QR code from the SVG text itself: finds the `<svg class="qr">` box and the
/// drawing inside it, checks that the drawing fills the box exactly (the same `viewBox`, modules per side
/// quiet zone included, and that size) on a light square, and fills every axis-aligned subpath of its dark
/// path (`M x y`, then relative `h`/`v` or absolute `H`/`V` moves, up to `z`, the next `M` or the end) at
/// `scale` pixels per module. Returns (side in pixels, dark pixels).
fn rasterise_qr(svg: &str, scale: usize) -> (usize, Vec<bool>) {
    let doc = roxmltree::Document::parse(svg).unwrap();
    let view_box = |n: roxmltree::Node| -> Vec<usize> {
        n.attribute("viewBox").unwrap().split(' ').map(|v| v.parse().unwrap()).collect()
    };
    let qr = doc.descendants().find(|n| n.has_tag_name("svg") && n.attribute("class") == Some("qr")).unwrap();
    let outer = view_box(qr);
    assert_eq!(outer[..2], [0, 0]);
    assert_eq!(outer[2], outer[3]);
    let modules = outer[2];
    let drawing = qr.children().find(|n| n.has_tag_name("svg")).expect("the QR code's drawing");
    assert_eq!(view_box(drawing), outer, "the drawing's modules are the box's");
    assert_eq!(
        (drawing.attribute("width"), drawing.attribute("height")),
        (Some(&*modules.to_string()), Some(&*modules.to_string()))
    );
    let square = drawing.children().find(|n| n.has_tag_name("rect")).expect("the light square");
    assert_eq!(square.attribute("fill"), Some("#fff"));
    assert_eq!(square.attribute("width"), Some(&*modules.to_string()));
    let side = modules * scale;
    let mut dark = vec![false; side * side];

    let path = drawing.children().find(|n| n.has_tag_name("path")).expect("the dark modules");
    assert_eq!(path.attribute("fill"), Some("#000"));
    let d = path.attribute("d").unwrap();
    let mut fill = |xs: &[i64], ys: &[i64]| {
        if xs.is_empty() {
            return;
        }
        let (x0, x1) = (*xs.iter().min().unwrap() as usize, *xs.iter().max().unwrap() as usize);
        let (y0, y1) = (*ys.iter().min().unwrap() as usize, *ys.iter().max().unwrap() as usize);
        for y in y0 * scale..y1 * scale {
            for x in x0 * scale..x1 * scale {
                dark[y * side + x] = true;
            }
        }
    };
    let (mut xs, mut ys): (Vec<i64>, Vec<i64>) = (Vec::new(), Vec::new());
    let mut chars = d.chars().peekable();
    let number = |chars: &mut std::iter::Peekable<std::str::Chars>| -> i64 {
        while chars.peek() == Some(&' ') {
            chars.next();
        }
        let mut s = String::new();
        while let Some(&c) = chars.peek() {
            if c == '-' && s.is_empty() || c.is_ascii_digit() {
                s.push(c);
                chars.next();
            } else {
                break;
            }
        }
        s.parse().unwrap_or_else(|_| panic!("a number expected in {d}"))
    };
    while let Some(command) = chars.next() {
        match command {
            'M' => {
                fill(&xs, &ys);
                let (x, y) = (number(&mut chars), number(&mut chars));
                xs = vec![x];
                ys = vec![y];
            }
            'h' | 'H' => {
                let n = number(&mut chars);
                let x = if command == 'h' { xs.last().unwrap() + n } else { n };
                xs.push(x);
                ys.push(*ys.last().unwrap());
            }
            'v' | 'V' => {
                let n = number(&mut chars);
                let y = if command == 'v' { ys.last().unwrap() + n } else { n };
                ys.push(y);
                xs.push(*xs.last().unwrap());
            }
            'z' | 'Z' => {
                fill(&xs, &ys);
                xs.clear();
                ys.clear();
            }
            other => panic!("unexpected path command {other:?} in {d}"),
        }
    }
    fill(&xs, &ys);
    (side, dark)
}

fn decode(svg: &str) -> (rqrr::MetaData, String) {
    let (side, dark) = rasterise_qr(svg, 8);
    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| if dark[y * side + x] { 0 } else { 255 });
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code expected on the sticker");
    grids[0].decode().expect("the QR code decodes")
}

#[test]
fn the_qr_code_decodes_to_the_claim_url() {
    let mut stickers = vec![sticker("CP-0042", "Joule Energy"), sticker(r#"<&">"#, "x")];
    for base in ["https://joule.example.com", "http://localhost:8080/", "https://portal.example.org/joule"] {
        for _ in 0..5 {
            let mac = MacAddress::from_octets(std::array::from_fn(|i| (i as u8).wrapping_mul(37) ^ rand_byte()));
            stickers.push(Sticker::new("CP", mac, ActivationCode::generate(), base, "Op"));
        }
    }
    for s in &stickers {
        let svg = render_svg(s).unwrap();
        let (meta, content) = decode(&svg);
        assert_eq!(content, s.claim_url);
        assert_eq!(content, claim_url(&base_of(&s.claim_url), &s.mac, &s.code));
        // Error correction level M is 0 in the format bits (L 1, M 0, Q 3, H 2).
        assert_eq!(meta.ecc_level, 0, "error correction level M expected");
        // The quiet zone: four light modules on each side, at 8 px a module.
        let (side, dark) = rasterise_qr(&svg, 8);
        let quiet = 4 * 8;
        for y in 0..side {
            for x in 0..side {
                if x < quiet || y < quiet || x >= side - quiet || y >= side - quiet {
                    assert!(!dark[y * side + x], "dark pixel in the quiet zone at {x},{y}");
                }
            }
        }
    }
}

/// The base URL a claim URL was made from.
fn base_of(url: &str) -> String {
    url[..url.find("/claim?").unwrap()].to_string()
}

fn rand_byte() -> u8 {
    ActivationCode::generate().as_str().as_bytes()[0]
}
