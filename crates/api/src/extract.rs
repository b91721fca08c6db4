//! Request extractors that answer with a problem naming the field at fault, instead of axum's plain-text
//! rejections.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// A JSON body. A body that is not JSON, or a property of the wrong type, is a 400 whose `field` is the
/// property's path (`payload.connectorId`).
pub struct Body<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| ApiError::invalid("body", format!("could not read the request body: {e}")))?;
        let empty = bytes.iter().all(u8::is_ascii_whitespace);
        // An empty body reads as `{}`, so commands without parameters need none.
        let bytes: &[u8] = if empty { b"{}" } else { &bytes };
        let de = &mut serde_json::Deserializer::from_slice(bytes);
        match serde_path_to_error::deserialize(de) {
            Ok(value) => Ok(Body(value)),
            Err(e) => {
                let path = e.path().to_string();
                let inner = e.into_inner();
                if inner.is_syntax() || inner.is_eof() {
                    Err(ApiError::invalid("body", format!("the body is not valid JSON: {inner}")))
                } else {
                    let field = if path == "." { "body".to_string() } else { path };
                    Err(ApiError::invalid(field, inner.to_string()))
                }
            }
        }
    }
}

/// Query parameters. An unknown parameter or a value of the wrong type is a 400 naming it.
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let query = parts.uri.query().unwrap_or_default();
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(de).map(Query).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner().to_string();
            // serde names an unknown or missing field in its message, not in the path.
            let field = quoted(&inner).filter(|_| path == ".").unwrap_or(path);
            ApiError::invalid(field, format!("query parameter: {inner}"))
        })
    }
}

/// The first `name` in backticks in a serde message ("unknown field `x`, expected ...").
fn quoted(message: &str) -> Option<String> {
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    Some(message[start..start + len].to_string())
}
