//! The remote commands' HTTP client: JSON requests to a running server's REST API (`/api/v1/...`).
//!
//! Plain HTTP only (no TLS backend is built in): put a TLS-terminating proxy in front of a remote server
//! and reach it through a tunnel, or run the commands on the server's machine.

use std::fmt;
use std::time::Duration;

use anyhow::{anyhow, bail};
use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::cli::RemoteArgs;

pub const DEFAULT_URL: &str = "http://127.0.0.1:8180";

/// A problem document (RFC 9457) the API answered with.
#[derive(Debug)]
pub struct Problem {
    pub title: String,
    pub detail: String,
    pub field: Option<String>,
    pub ocpp_error_code: Option<String>,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.title)?;
        if !self.detail.is_empty() && !self.detail.eq_ignore_ascii_case(&self.title) {
            write!(f, ": {}", self.detail)?;
        }
        if let Some(code) = &self.ocpp_error_code {
            write!(f, "\nOCPP error code: {code}")?;
        }
        if let Some(field) = &self.field {
            write!(f, "\nfield: {field}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Problem {}

impl Problem {
    fn from_body(status: StatusCode, body: &str) -> Problem {
        let json: Value = serde_json::from_str(body).unwrap_or(Value::Null);
        let text = |k: &str| json[k].as_str().map(str::to_string);
        match text("title") {
            Some(title) => Problem {
                title,
                detail: text("detail").unwrap_or_default(),
                field: text("field"),
                ocpp_error_code: text("ocpp_error_code"),
            },
            // Not a problem document: a proxy's page, or not Joule at all.
            None => Problem {
                title: format!("HTTP {status}"),
                detail: body.chars().take(200).collect::<String>().trim().to_string(),
                field: None,
                ocpp_error_code: None,
            },
        }
    }
}

pub struct Client {
    base: String,
    token: String,
    http: reqwest::Client,
}

impl Client {
    /// From `--url`/`JOULE_URL` and `--token`/`JOULE_TOKEN`. The token is never printed.
    pub fn new(args: &RemoteArgs) -> anyhow::Result<Client> {
        let token = args.token.as_deref().map(str::trim).filter(|t| !t.is_empty()).ok_or_else(|| {
            anyhow!(
                "no API token: set JOULE_TOKEN or pass --token. Create one on the server's machine with \
                 `joule api-token create --operator NAME --role operator --name NAME`, or log in as a person \
                 with `joule login --email EMAIL`"
            )
        })?;
        Client::connect(args, token)
    }

    /// A client without a credential, for `joule login`.
    pub fn anonymous(args: &RemoteArgs) -> anyhow::Result<Client> {
        Client::connect(args, "")
    }

    fn connect(args: &RemoteArgs, token: &str) -> anyhow::Result<Client> {
        let base = args.url.as_deref().map(str::trim).filter(|u| !u.is_empty()).unwrap_or(DEFAULT_URL);
        let base = base.trim_end_matches('/').to_string();
        let url = reqwest::Url::parse(&base).map_err(|e| anyhow!("--url / JOULE_URL {base:?} is not a URL: {e}"))?;
        match url.scheme() {
            "http" => {}
            "https" => bail!(
                "--url / JOULE_URL {base}: this joule is built without TLS, so it speaks plain http only; \
                 use http://, or reach an https server through a tunnel"
            ),
            other => bail!("--url / JOULE_URL {base}: the scheme must be http, not {other}"),
        }
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| anyhow!("cannot set up the HTTP client: {e}"))?;
        Ok(Client { base, token: token.to_string(), http })
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    pub async fn get(&self, path: &str, query: &[(&str, String)]) -> anyhow::Result<Value> {
        self.json(Method::GET, path, query, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> anyhow::Result<Value> {
        self.json(Method::POST, path, &[], Some(body)).await
    }

    pub async fn put(&self, path: &str, body: Value) -> anyhow::Result<Value> {
        self.json(Method::PUT, path, &[], Some(body)).await
    }

    pub async fn delete(&self, path: &str, query: &[(&str, String)]) -> anyhow::Result<Value> {
        self.json(Method::DELETE, path, query, None).await
    }

    async fn json(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<Value>,
    ) -> anyhow::Result<Value> {
        let response = self.send(method, path, query, body).await?;
        let text = response.text().await.map_err(|e| anyhow!("reading the answer from {}: {e}", self.base))?;
        if text.trim().is_empty() {
            return Ok(Value::Null);
        }
        serde_json::from_str(&text)
            .map_err(|e| anyhow!("the answer from {} is not JSON ({e}); is it a Joule server?", self.base))
    }

    /// Sends a request; a non-success answer becomes a [`Problem`] error.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<Value>,
    ) -> anyhow::Result<reqwest::Response> {
        let mut url = reqwest::Url::parse(&format!("{}{path}", self.base))
            .map_err(|e| anyhow!("--url / JOULE_URL {}: {e}", self.base))?;
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        let mut request = self.http.request(method, url);
        if !self.token.is_empty() {
            request = request.bearer_auth(&self.token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        self.finish(request).await
    }

    /// Sends `body` as it is, with its content type (a photo).
    pub async fn put_bytes(&self, path: &str, content_type: &str, body: Vec<u8>) -> anyhow::Result<Value> {
        let url = format!("{}{path}", self.base);
        let request = self.http.put(url).bearer_auth(&self.token).header("content-type", content_type).body(body);
        let response = self.finish(request).await?;
        let text = response.text().await.map_err(|e| anyhow!("reading the answer from {}: {e}", self.base))?;
        serde_json::from_str(&text).map_err(|e| anyhow!("the answer from {} is not JSON ({e})", self.base))
    }

    // --- drivers, groups, token import ---
    /// Posts `body` as it is, with its content type (a CSV file); the answer is JSON.
    pub async fn post_bytes(&self, path: &str, content_type: &str, body: Vec<u8>) -> anyhow::Result<Value> {
        let url = format!("{}{path}", self.base);
        let request = self.http.post(url).bearer_auth(&self.token).header("content-type", content_type).body(body);
        let response = self.finish(request).await?;
        let text = response.text().await.map_err(|e| anyhow!("reading the answer from {}: {e}", self.base))?;
        serde_json::from_str(&text).map_err(|e| anyhow!("the answer from {} is not JSON ({e})", self.base))
    }

    async fn finish(&self, request: reqwest::RequestBuilder) -> anyhow::Result<reqwest::Response> {
        let response = request.send().await.map_err(|e| self.transport_error(e))?;
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        let body = response.text().await.unwrap_or_default();
        Err(Problem::from_body(status, &body).into())
    }

    fn transport_error(&self, e: reqwest::Error) -> anyhow::Error {
        if e.is_connect() {
            anyhow!(
                "cannot connect to the Joule server at {}: is it running? Start it with `joule serve`, \
                 or point --url / JOULE_URL at it",
                self.base
            )
        } else if e.is_timeout() {
            anyhow!("the Joule server at {} did not answer in time", self.base)
        } else {
            // reqwest's message names the URL, never the Authorization header.
            anyhow!("request to the Joule server at {} failed: {e}", self.base)
        }
    }
}

/// Percent-encodes a path segment (station ids may hold `*`, `|`, `@`, `+`, `=`...).
pub fn segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Reads a server-sent event stream, calling `on_event(name, data)` for each event, until it ends.
pub async fn read_events(
    mut response: reqwest::Response,
    mut on_event: impl FnMut(&str, &str) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let mut buffer = String::new();
    let mut pending = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| anyhow!("the event stream broke: {e}"))? {
        pending.extend_from_slice(&chunk);
        // Only whole UTF-8 sequences: a chunk may end inside one.
        let valid = match std::str::from_utf8(&pending) {
            Ok(s) => s.len(),
            Err(e) => e.valid_up_to(),
        };
        buffer.push_str(std::str::from_utf8(&pending[..valid]).expect("checked"));
        pending.drain(..valid);
        let normalized = buffer.replace("\r\n", "\n");
        buffer = normalized;
        while let Some(end) = buffer.find("\n\n") {
            let block: String = buffer.drain(..end + 2).collect();
            let (mut name, mut data) = ("message".to_string(), Vec::new());
            for line in block.lines() {
                if let Some(v) = line.strip_prefix("event:") {
                    name = v.trim().to_string();
                } else if let Some(v) = line.strip_prefix("data:") {
                    data.push(v.strip_prefix(' ').unwrap_or(v).to_string());
                }
            }
            if !data.is_empty() {
                on_event(&name, &data.join("\n"))?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_read_as_title_detail_and_field() {
        let p = Problem::from_body(
            StatusCode::BAD_REQUEST,
            r#"{"type":"/api/v1/docs#problem-invalid-request","title":"The request is not valid","status":400,"detail":"must be at least 1","field":"limit"}"#,
        );
        assert_eq!(p.to_string(), "The request is not valid: must be at least 1\nfield: limit");
        let p = Problem::from_body(StatusCode::BAD_GATEWAY, "<html>bad gateway</html>");
        assert_eq!(p.to_string(), "HTTP 502 Bad Gateway: <html>bad gateway</html>");
    }

    #[test]
    fn segments_are_escaped() {
        assert_eq!(segment("CP-1"), "CP-1");
        assert_eq!(segment("a*b|c@d"), "a%2Ab%7Cc%40d");
    }

    #[test]
    fn https_and_missing_tokens_are_refused_clearly() {
        let args = |url: &str, token: Option<&str>| RemoteArgs { url: Some(url.into()), token: token.map(Into::into) };
        let err = Client::new(&args("https://x", Some("joule_x"))).err().unwrap().to_string();
        assert!(err.contains("plain http"), "{err}");
        let err = Client::new(&args("http://x", None)).err().unwrap().to_string();
        assert!(err.contains("JOULE_TOKEN") && err.contains("joule api-token create"), "{err}");
        assert!(Client::new(&args("http://127.0.0.1:1/", Some("joule_x"))).is_ok());
    }
}
