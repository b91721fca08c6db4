//! Tariffs ("tariffs (an editor with a preview: 'a 22 kWh, 3-hour session starting Monday 17:00
//! costs …')"). The editor takes the OCPI-shaped tariff document (docs/tariffs.md) as JSON, previews an
//! example session priced by the real engine (`POST /api/v1/tariffs/preview`) before anything is saved, and
//! saves a new tariff or a new version of one (changes apply to sessions that start afterwards).

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{FormError, Layout, checked_form, page, redirect, staff};
use crate::client::{Ctx, PageError, Web};
use crate::session::Form;
use crate::views::Account;

#[derive(Debug, Clone, Deserialize)]
pub struct TariffRow {
    pub id: i64,
    pub version: i64,
    pub name: String,
    pub valid_from: chrono::DateTime<chrono::Utc>,
    #[serde(default)]
    pub description: Vec<String>,
    #[serde(default)]
    pub tariff: Value,
}

/// What the editor shows: the entered values, kept across a preview or a refused save.
#[derive(Debug, Clone)]
pub struct Editor {
    pub id: Option<i64>,
    pub name: String,
    pub document: String,
    pub energy_kwh: String,
    pub start: String,
    pub duration_minutes: String,
    pub charging_minutes: String,
    pub time_zone: String,
}

impl Editor {
    fn blank() -> Editor {
        let example = json!({"elements": [
            {"price_components": [{"type": "ENERGY", "price": "0.35"}],
             "restrictions": {"start_time": "07:00", "end_time": "20:00",
                              "day_of_week": ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"]}},
            {"price_components": [{"type": "ENERGY", "price": "0.25"}]}
        ]});
        Editor {
            id: None,
            name: String::new(),
            document: serde_json::to_string_pretty(&example).unwrap_or_default(),
            energy_kwh: "22".into(),
            start: next_monday_17(),
            duration_minutes: "180".into(),
            charging_minutes: String::new(),
            time_zone: String::new(),
        }
    }

    fn from_form(form: &Form, id: Option<i64>) -> Editor {
        Editor {
            id,
            name: form.get("name").to_string(),
            document: form.get("tariff").to_string(),
            energy_kwh: form.get("energy_kwh").to_string(),
            start: form.get("start").to_string(),
            duration_minutes: form.get("duration_minutes").to_string(),
            charging_minutes: form.get("charging_minutes").to_string(),
            time_zone: form.get("time_zone").to_string(),
        }
    }

    pub fn action(&self) -> String {
        match self.id {
            Some(id) => format!("/portal/tariffs/{id}"),
            None => "/portal/tariffs".into(),
        }
    }
}

/// The next Monday at 17:00, as the editor's example start.
fn next_monday_17() -> String {
    use chrono::Datelike;
    let today = chrono::Utc::now().date_naive();
    let ahead = (7 - today.weekday().num_days_from_monday()) % 7;
    let monday = today + chrono::Duration::days(i64::from(if ahead == 0 { 7 } else { ahead }));
    format!("{}T17:00", monday.format("%Y-%m-%d"))
}

#[derive(Template)]
#[template(path = "tariffs.html")]
pub struct TariffsPage {
    pub layout: Layout,
    pub tariffs: Vec<TariffRow>,
    pub editor: Editor,
    pub preview: Option<String>,
    pub error: Option<FormError>,
}

impl TariffsPage {
    pub fn err(&self, field: &str) -> Option<&str> {
        self.error.as_ref().filter(|e| e.field.as_deref() == Some(field)).map(|e| e.detail.as_str())
    }

    pub fn general(&self) -> Option<&str> {
        self.error
            .as_ref()
            .filter(|e| !matches!(e.field.as_deref(), Some("name" | "energy_kwh" | "start" | "duration_minutes")))
            .map(|e| e.detail.as_str())
    }
}

async fn show(
    web: &Web,
    ctx: &Ctx,
    account: &Account,
    editor: Editor,
    preview: Option<String>,
    error: Option<FormError>,
) -> Result<Response, PageError> {
    let tariffs: Vec<TariffRow> = web.get(ctx, "/api/v1/tariffs").await?;
    let layout = Layout::new(ctx, "Tariffs", Some(account), "/portal/tariffs");
    let status = if error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    Ok(page(ctx, status, TariffsPage { layout, tariffs, editor, preview, error }.render()))
}

pub async fn list(State(web): State<Web>, ctx: Ctx) -> Result<Response, PageError> {
    let account = staff(&web, &ctx).await?;
    show(&web, &ctx, &account, Editor::blank(), None, None).await
}

pub async fn edit(State(web): State<Web>, ctx: Ctx, Path(id): Path<i64>) -> Result<Response, PageError> {
    let account = staff(&web, &ctx).await?;
    #[derive(Deserialize)]
    struct History {
        current: TariffRow,
    }
    let history: History = web.get(&ctx, &format!("/api/v1/tariffs/{id}")).await?;
    let editor = Editor {
        id: Some(id),
        name: history.current.name.clone(),
        document: serde_json::to_string_pretty(&history.current.tariff).unwrap_or_default(),
        ..Editor::blank()
    };
    show(&web, &ctx, &account, editor, None, None).await
}

/// A problem's field, as the editor names it (the API's `tariff.elements[0]…` is the document's).
fn form_error(problem: crate::views::Problem) -> FormError {
    let detail = match &problem.field {
        Some(f) if f.starts_with("tariff.") => format!("{}: {}", &f["tariff.".len()..], problem.detail),
        _ => problem.detail,
    };
    FormError { form: "tariff".into(), field: problem.field, detail }
}

async fn submit(web: Web, ctx: Ctx, id: Option<i64>, body: Bytes) -> Result<Response, PageError> {
    let form = checked_form(&ctx, &body)?;
    let account = staff(&web, &ctx).await?;
    let editor = Editor::from_form(&form, id);
    let document: Value = match serde_json::from_str(&editor.document) {
        Ok(v) => v,
        Err(e) => {
            let error = FormError {
                form: "tariff".into(),
                field: Some("tariff".into()),
                detail: format!("the tariff is not valid JSON: {e}"),
            };
            return show(&web, &ctx, &account, editor, None, Some(error)).await;
        }
    };
    if form.get("do") == "preview" {
        let mut request = json!({
            "tariff": document,
            "energy_kwh": editor.energy_kwh.trim(),
            "start": editor.start.trim(),
            "duration_minutes": editor.duration_minutes.trim().parse::<u32>().unwrap_or(0),
        });
        if let Some(c) = form.opt("charging_minutes") {
            request["charging_minutes"] = json!(c.parse::<u32>().unwrap_or(u32::MAX));
        }
        if let Some(z) = form.opt("time_zone") {
            request["time_zone"] = json!(z);
        }
        let reply = web.call(&ctx, Method::POST, "/api/v1/tariffs/preview", Some(&request)).await;
        if !reply.ok() {
            if reply.status == StatusCode::BAD_REQUEST {
                return show(&web, &ctx, &account, editor, None, Some(form_error(reply.problem()))).await;
            }
            return Err(PageError::from_reply(&reply).at(&ctx));
        }
        let answer: Value = reply.json()?;
        let sentence = answer["sentence"].as_str().unwrap_or_default().to_string();
        return show(&web, &ctx, &account, editor, Some(sentence), None).await;
    }
    let request = json!({ "name": editor.name.trim(), "tariff": document });
    let reply = match id {
        Some(id) => web.call(&ctx, Method::PUT, &format!("/api/v1/tariffs/{id}"), Some(&request)).await,
        None => web.call(&ctx, Method::POST, "/api/v1/tariffs", Some(&request)).await,
    };
    if !reply.ok() {
        if reply.status == StatusCode::BAD_REQUEST {
            return show(&web, &ctx, &account, editor, None, Some(form_error(reply.problem()))).await;
        }
        return Err(PageError::from_reply(&reply).at(&ctx));
    }
    let saved: TariffRow = reply.json()?;
    let message = format!(
        "Tariff {} saved as version {}; it applies to sessions that start from now on.",
        saved.name, saved.version
    );
    Ok(redirect(&ctx, &format!("/portal/tariffs/{}", saved.id), Some(&message)))
}

pub async fn create(State(web): State<Web>, ctx: Ctx, body: Bytes) -> Result<Response, PageError> {
    submit(web, ctx, None, body).await
}

pub async fn update(State(web): State<Web>, ctx: Ctx, Path(id): Path<i64>, body: Bytes) -> Result<Response, PageError> {
    submit(web, ctx, Some(id), body).await
}
