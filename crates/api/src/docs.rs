//! The browsable documentation at `/api/v1/docs`: one self-contained HTML page rendered from the OpenAPI
//! document (no scripts, nothing fetched from elsewhere, so it works on a server without internet access).

use serde_json::Value;
use utoipa::openapi::OpenApi;

use crate::error::Kind;

pub fn render(doc: &OpenApi) -> String {
    let doc = serde_json::to_value(doc).unwrap_or(Value::Null);
    let mut out = String::with_capacity(64 * 1024);
    let title = doc["info"]["title"].as_str().unwrap_or("API");
    out.push_str(&format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t}</title>\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><style>{CSS}</style></head><body>\
         <h1>{t} <small>{v}</small></h1><p>{d}</p>\
         <p>Machine-readable: <a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a> (OpenAPI 3).</p>",
        t = esc(title),
        v = esc(doc["info"]["version"].as_str().unwrap_or("")),
        d = esc(doc["info"]["description"].as_str().unwrap_or("")),
    ));
    // Contents, by tag.
    let tags: Vec<(String, String)> = doc["tags"]
        .as_array()
        .map(|tags| {
            tags.iter()
                .map(|t| (t["name"].as_str().unwrap_or("").to_string(), t["description"].as_str().unwrap_or("").into()))
                .collect()
        })
        .unwrap_or_default();
    let mut operations: Vec<(String, String, &Value)> = Vec::new();
    if let Some(paths) = doc["paths"].as_object() {
        for (path, item) in paths {
            for method in ["get", "post", "put", "patch", "delete"] {
                if let Some(op) = item.get(method) {
                    operations.push((method.to_string(), path.clone(), op));
                }
            }
        }
    }
    out.push_str("<nav><ul>");
    for (tag, description) in &tags {
        out.push_str(&format!("<li><a href=\"#tag-{}\">{}</a> — {}</li>", esc(tag), esc(tag), esc(description)));
    }
    out.push_str("<li><a href=\"#problems\">Problems (errors)</a></li></ul></nav>");
    for (tag, description) in &tags {
        out.push_str(&format!("<h2 id=\"tag-{}\">{}</h2><p>{}</p>", esc(tag), esc(tag), esc(description)));
        for (method, path, op) in operations.iter().filter(|(_, _, op)| has_tag(op, tag)) {
            operation(&mut out, method, path, op);
        }
    }
    out.push_str(
        "<h2 id=\"problems\">Problems</h2><p>Errors are RFC 9457 <code>application/problem+json</code> \
                  documents: <code>type</code>, <code>title</code>, <code>status</code>, <code>detail</code>, and \
                  <code>field</code> naming the request property at fault.</p><table><tr><th>type</th><th>status</th>\
                  <th>title</th><th>when</th></tr>",
    );
    for kind in Kind::ALL {
        out.push_str(&format!(
            "<tr id=\"problem-{s}\"><td><code>/api/v1/docs#problem-{s}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            kind.status().as_u16(),
            esc(kind.title()),
            esc(kind.explanation()),
            s = kind.slug(),
        ));
    }
    out.push_str("</table>");
    if let Some(schemas) = doc["components"]["schemas"].as_object() {
        out.push_str("<h2 id=\"schemas\">Schemas</h2>");
        for (name, schema) in schemas {
            out.push_str(&format!("<h3 id=\"schema-{n}\">{n}</h3>", n = esc(name)));
            if let Some(d) = schema["description"].as_str() {
                out.push_str(&format!("<p>{}</p>", esc(d)));
            }
            properties(&mut out, schema);
        }
    }
    out.push_str("</body></html>");
    out
}

fn has_tag(op: &Value, tag: &str) -> bool {
    op["tags"].as_array().is_some_and(|tags| tags.iter().any(|t| t == tag))
}

fn operation(out: &mut String, method: &str, path: &str, op: &Value) {
    let id = format!("{method}-{}", path.replace(['/', '{', '}'], "-"));
    out.push_str(&format!(
        "<section class=\"op\" id=\"{id}\"><h3><span class=\"m {method}\">{}</span> <code>{}</code></h3>",
        method.to_uppercase(),
        esc(path)
    ));
    for key in ["summary", "description"] {
        if let Some(text) = op[key].as_str() {
            out.push_str(&format!("<p>{}</p>", esc(text)));
        }
    }
    if let Some(params) = op["parameters"].as_array().filter(|p| !p.is_empty()) {
        out.push_str("<table><tr><th>parameter</th><th>in</th><th>type</th><th></th></tr>");
        for p in params {
            out.push_str(&format!(
                "<tr><td><code>{}</code>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(p["name"].as_str().unwrap_or("")),
                if p["required"].as_bool() == Some(true) { " *" } else { "" },
                esc(p["in"].as_str().unwrap_or("")),
                esc(&type_name(&p["schema"])),
                esc(p["description"].as_str().unwrap_or("")),
            ));
        }
        out.push_str("</table>");
    }
    if let Some(body) = op["requestBody"]["content"]["application/json"]["schema"].as_object() {
        out.push_str(&format!("<p>Body: {}</p>", schema_link(&Value::Object(body.clone()))));
    }
    if let Some(responses) = op["responses"].as_object() {
        let list: Vec<String> = responses
            .iter()
            .map(|(status, r)| {
                let schema = r["content"].as_object().and_then(|c| c.values().next()).map(|c| &c["schema"]);
                match schema {
                    Some(s) => format!("<code>{status}</code> {}", schema_link(s)),
                    None => format!("<code>{status}</code>"),
                }
            })
            .collect();
        out.push_str(&format!("<p>Responses: {}</p>", list.join(", ")));
    }
    out.push_str("</section>");
}

fn properties(out: &mut String, schema: &Value) {
    let Some(props) = schema["properties"].as_object() else { return };
    let required: Vec<&str> =
        schema["required"].as_array().map(|r| r.iter().filter_map(|v| v.as_str()).collect()).unwrap_or_default();
    out.push_str("<table><tr><th>property</th><th>type</th><th></th></tr>");
    for (name, p) in props {
        out.push_str(&format!(
            "<tr><td><code>{}</code>{}</td><td>{}</td><td>{}</td></tr>",
            esc(name),
            if required.contains(&name.as_str()) { " *" } else { "" },
            schema_link(p),
            esc(p["description"].as_str().unwrap_or("")),
        ));
    }
    out.push_str("</table>");
}

/// A schema's type, linking to a named schema.
fn schema_link(s: &Value) -> String {
    if let Some(r) = s["$ref"].as_str() {
        let name = r.rsplit('/').next().unwrap_or(r);
        return format!("<a href=\"#schema-{n}\">{n}</a>", n = esc(name));
    }
    if s["type"] == "array" {
        return format!("array of {}", schema_link(&s["items"]));
    }
    if let Some(one) = s["oneOf"].as_array() {
        return one.iter().map(schema_link).collect::<Vec<_>>().join(" | ");
    }
    esc(&type_name(s))
}

fn type_name(s: &Value) -> String {
    match &s["type"] {
        Value::String(t) => match s["format"].as_str() {
            Some(f) => format!("{t} ({f})"),
            None => t.clone(),
        },
        Value::Array(types) => types.iter().filter_map(|t| t.as_str()).collect::<Vec<_>>().join(" | "),
        _ => "object".into(),
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

const CSS: &str = "body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}\
h1 small{font-size:.5em;color:#777}h2{border-bottom:1px solid #ddd;margin-top:2.5rem}\
.op{border:1px solid #e3e3e3;border-radius:6px;padding:.2rem 1rem;margin:1rem 0}\
.m{display:inline-block;min-width:4.5rem;text-align:center;border-radius:4px;color:#fff;font-size:.8em;padding:.1rem .3rem}\
.get{background:#2b7bb9}.post{background:#2e8b57}.put{background:#b8860b}.delete{background:#b22222}.patch{background:#6a5acd}\
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #e3e3e3;padding:.2rem .5rem;text-align:left;vertical-align:top}\
code{background:#f5f5f5;padding:0 .2rem;border-radius:3px}";
