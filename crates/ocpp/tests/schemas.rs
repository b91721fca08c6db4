//! Cross-check of `ocpp::v16` against the official OCA OCPP 1.6 JSON schemas (the 56 core ones, draft-04,
//! and the 22 of the security extension, draft-06), as shipped in the PyPI package `ocpp`.
//!
//! The schemas are OCA's and are not committed here; they are found at test time, in this order:
//! 1. `JOULE_OCPP16_SCHEMAS`: a path to an `ocpp/v16/schemas` directory;
//! 2. an installed Python package: `python3 -c 'import ocpp, os; print(os.path.dirname(ocpp.__file__))'`;
//! 3. `pip download --no-deps ocpp==2.1.0` into the target directory, unzipped with `python3 -m zipfile`
//!    (kept there for the next run).
//!
//! Without any of them each test prints `skipped: no OCA OCPP 1.6 schemas (pip install ocpp)` and passes.
//!
//! What is checked: every schema file has its message in the crate and every message its file; our
//! description of each message equals the schema (properties, required, maxLength, minItems, types, enum
//! values); the example of every message (minimal and full) is valid under the schema and decodes; and every
//! single-point breakage of the full example is refused by the schema and by our decoder with the documented
//! code, with the two documented differences (our minimums, our lenient enums).

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use ocpp::ErrorCode;
use ocpp::v16::schema::{MutationKind, Ty, mutations};
use ocpp::v16::{Kind, MessageInfo, messages};
use serde_json::Value;

const SKIPPED: &str = "skipped: no OCA OCPP 1.6 schemas (pip install ocpp)";

/// The schema files by name (`BootNotification`, `BootNotificationResponse`, ...).
fn schemas() -> Option<&'static BTreeMap<String, Value>> {
    static SCHEMAS: OnceLock<Option<BTreeMap<String, Value>>> = OnceLock::new();
    SCHEMAS
        .get_or_init(|| {
            let Some(dir) = find_schema_dir() else {
                // Straight to stderr: libtest captures eprintln! of passing tests, and a skip should be seen.
                let _ = writeln!(std::io::stderr(), "{SKIPPED}");
                return None;
            };
            let mut out = BTreeMap::new();
            for entry in std::fs::read_dir(&dir).ok()? {
                let path = entry.ok()?.path();
                if path.extension().is_some_and(|e| e == "json") {
                    let text = std::fs::read_to_string(&path).ok()?;
                    let name = path.file_stem()?.to_string_lossy().into_owned();
                    out.insert(name, serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display())));
                }
            }
            let _ = writeln!(std::io::stderr(), "using {} OCA OCPP 1.6 schemas from {}", out.len(), dir.display());
            (!out.is_empty()).then_some(out)
        })
        .as_ref()
}

fn find_schema_dir() -> Option<PathBuf> {
    let is_dir = |p: &Path| p.join("BootNotification.json").is_file();
    if let Some(dir) = std::env::var_os("JOULE_OCPP16_SCHEMAS").map(PathBuf::from) {
        assert!(is_dir(&dir), "JOULE_OCPP16_SCHEMAS={} holds no BootNotification.json", dir.display());
        return Some(dir);
    }
    let installed = Command::new("python3")
        .args(["-c", "import ocpp, os; print(os.path.dirname(ocpp.__file__))"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()).join("v16/schemas"));
    if let Some(dir) = installed.filter(|d| is_dir(d)) {
        return Some(dir);
    }
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR")).join("ocpp-schemas");
    let unpacked = cache.join("unpacked");
    let dir = unpacked.join("ocpp/v16/schemas");
    if is_dir(&dir) {
        return Some(dir);
    }
    let downloaded = Command::new("pip")
        .args(["download", "--no-deps", "--disable-pip-version-check", "--retries", "1", "--timeout", "20"])
        .args(["ocpp==2.1.0", "-d"])
        .arg(&cache)
        .output()
        .is_ok_and(|o| o.status.success());
    if !downloaded {
        return None;
    }
    let wheel = std::fs::read_dir(&cache).ok()?.flatten().map(|e| e.path()).find(|p| {
        p.file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("ocpp-2.1.0") && n.to_string_lossy().ends_with(".whl"))
    })?;
    let status = Command::new("python3").args(["-m", "zipfile", "-e"]).arg(&wheel).arg(&unpacked).status().ok()?;
    (status.success() && is_dir(&dir)).then_some(dir)
}

fn file_name(m: &MessageInfo) -> String {
    match m.kind {
        Kind::Request => m.action.to_string(),
        Kind::Response => format!("{}Response", m.action),
    }
}

fn validator(schema: &Value) -> jsonschema::Validator {
    // Draft chosen from each file's $schema (04 for core, 06 for security); formats (date-time, uri) are
    // checked so that a bad dateTime is a schema violation as it is for us.
    jsonschema::options().should_validate_formats(true).build(schema).expect("the OCA schema compiles")
}

#[test]
fn every_schema_has_its_message_and_every_message_its_schema() {
    let Some(schemas) = schemas() else { return };
    let ours: BTreeSet<String> = messages().map(file_name).collect();
    let theirs: BTreeSet<String> = schemas.keys().cloned().collect();
    assert_eq!(theirs.difference(&ours).collect::<Vec<_>>(), Vec::<&String>::new(), "schemas without a message type");
    assert_eq!(ours.difference(&theirs).collect::<Vec<_>>(), Vec::<&String>::new(), "message types without a schema");
    assert_eq!(theirs.len(), 78);
}

#[test]
fn descriptions_equal_the_schemas() {
    let Some(schemas) = schemas() else { return };
    for m in messages() {
        let name = file_name(m);
        let schema = &schemas[&name];
        compare(schema, schema, &m.ty, None, None, &name);
    }
}

/// Lenient enums may know values a particular schema leaves out; these are the ones that do, on purpose.
const EXTRA_ENUM_VALUES: &[(&str, &str)] = &[("UnitOfMeasure", "Hertz")];

fn compare(root: &Value, node: &Value, ty: &Ty, max_len: Option<usize>, min_items: Option<usize>, at: &str) {
    let node = resolve(root, node);
    let kind = node["type"].as_str().unwrap_or_else(|| panic!("{at}: schema node without a type"));
    match (kind, ty) {
        ("object", Ty::Object(fields)) => {
            assert_eq!(node["additionalProperties"], Value::Bool(false), "{at}: additionalProperties");
            let empty = serde_json::Map::new();
            let props = node.get("properties").and_then(Value::as_object).unwrap_or(&empty);
            let theirs: BTreeSet<&str> = props.keys().map(String::as_str).collect();
            let ours: BTreeSet<&str> = fields.iter().map(|f| f.name).collect();
            assert_eq!(ours, theirs, "{at}: properties");
            let required: BTreeSet<&str> = node
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let ours: BTreeSet<&str> = fields.iter().filter(|f| f.required).map(|f| f.name).collect();
            assert_eq!(ours, required, "{at}: required");
            for f in fields.iter() {
                let limits = f.limits;
                compare(
                    root,
                    &props[f.name],
                    &f.effective_ty(),
                    limits.max_len,
                    limits.min_items,
                    &format!("{at}.{}", f.name),
                );
            }
        }
        ("array", Ty::Array(item)) => {
            assert_eq!(node["minItems"].as_u64().map(|n| n as usize), min_items, "{at}: minItems");
            compare(root, &node["items"], item, max_len, None, &format!("{at}[]"));
        }
        ("string", Ty::Enum(desc)) => {
            let theirs: BTreeSet<&str> =
                node["enum"].as_array().expect("enum").iter().filter_map(Value::as_str).collect();
            let ours: BTreeSet<&str> = desc.values.iter().copied().collect();
            if desc.strict {
                assert_eq!(ours, theirs, "{at}: values of strict {}", desc.name);
            } else {
                let known: BTreeSet<&str> = ours.iter().chain(desc.aliases).copied().collect();
                assert!(theirs.is_subset(&known), "{at}: {} misses {:?}", desc.name, theirs.difference(&known));
                for extra in ours.difference(&theirs) {
                    assert!(
                        EXTRA_ENUM_VALUES.contains(&(desc.name, extra)),
                        "{at}: {} has {extra} the schema has not",
                        desc.name
                    );
                }
            }
        }
        ("string", Ty::DateTime) => assert_eq!(node["format"], "date-time", "{at}: format"),
        ("string", Ty::String) => {
            assert!(node.get("enum").is_none() && node.get("format").is_none_or(|f| f == "uri"), "{at}: plain string");
            assert_eq!(node["maxLength"].as_u64().map(|n| n as usize), max_len, "{at}: maxLength");
        }
        ("integer", Ty::Integer { .. }) | ("number", Ty::Decimal) | ("boolean", Ty::Boolean) => {}
        (kind, ty) => panic!("{at}: schema type {kind}, ours {ty:?}"),
    }
}

fn resolve<'a>(root: &'a Value, node: &'a Value) -> &'a Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(r) => root.pointer(r.trim_start_matches('#')).unwrap_or_else(|| panic!("unresolved {r}")),
        None => node,
    }
}

#[test]
fn examples_are_valid_under_the_schemas_and_decode() {
    let Some(schemas) = schemas() else { return };
    for m in messages() {
        let v = validator(&schemas[&file_name(m)]);
        for full in [false, true] {
            let example = m.ty.example(full);
            let errors: Vec<String> = v.iter_errors(&example).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{} full={full}: {example} is invalid: {errors:?}", file_name(m));
            assert_eq!((m.round_trip)(&example), Ok(example), "{}", file_name(m));
        }
    }
}

#[test]
fn breakages_are_refused_by_the_schemas_and_by_us_with_the_documented_code() {
    let Some(schemas) = schemas() else { return };
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for m in messages() {
        let v = validator(&schemas[&file_name(m)]);
        for mutation in mutations(&m.ty) {
            let what = format!("{} {:?} at {}: {}", file_name(m), mutation.kind, mutation.path, mutation.payload);
            let ours = (m.round_trip)(&mutation.payload);
            let schema_ok = v.is_valid(&mutation.payload);
            match (mutation.kind, mutation.expect) {
                // Documented: the schemas have no minimums; we follow the specification's text (connectorId > 0, ...).
                (MutationKind::BelowMinimum, _) => assert!(schema_ok, "{what}: the schema has a minimum now"),
                // Documented: lenient enums keep unknown values, which the schema refuses.
                (MutationKind::NotInEnum, None) => assert!(!schema_ok, "{what}: the schema accepts it"),
                _ => assert!(!schema_ok, "{what}: the schema accepts it"),
            }
            match (mutation.expect, ours) {
                (None, Ok(_)) => {}
                (Some(code), Err(e)) => {
                    assert_eq!(e.code, code, "{what}: {e}");
                    assert!(e.description.starts_with(&format!("{}:", mutation.path)), "{what}: {e}");
                }
                (expect, got) => panic!("{what}: expected {expect:?}, got {got:?}"),
            }
            *count.entry(format!("{:?}", mutation.kind)).or_default() += 1;
        }
    }
    eprintln!("mutations checked: {count:?}");
    assert_eq!(count.len(), 9);
    let expected_codes = [
        ErrorCode::FormationViolation,
        ErrorCode::OccurenceConstraintViolation,
        ErrorCode::TypeConstraintViolation,
        ErrorCode::PropertyConstraintViolation,
    ];
    assert!(expected_codes.iter().all(|c| !c.as_str().is_empty()));
}
