//! Extractors whose rejections use the error envelope instead of axum's plain-text answers.
use axum::{
    body::Bytes,
    extract::{FromRequest, FromRequestParts, Path, Query, Request},
    http::{header, request::Parts, StatusCode},
    response::{IntoResponse, Response},
};
use serde::de::DeserializeOwned;
use zeroize::Zeroize as _;

use crate::http::error::ApiError;

/// A JSON body. The raw bytes are wiped after parsing (best effort: they may hold a password), and
/// parse errors are described without echoing any value from the body.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::payload_too_large()
            } else {
                ApiError::bad_request("The request body could not be read.")
            }
        })?;
        let mut raw: Vec<u8> = bytes.into();
        let parsed = serde_json::from_slice::<T>(&raw);
        raw.zeroize();
        parsed
            .map(ApiJson)
            .map_err(|e| ApiError::bad_request(describe_json_error(&e)))
    }
}

/// A JSON body that may be left out entirely (then `T::default()`), e.g. the unlock's.
pub struct ApiJsonOrDefault<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Default> FromRequest<S> for ApiJsonOrDefault<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::payload_too_large()
            } else {
                ApiError::bad_request("The request body could not be read.")
            }
        })?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self(T::default()));
        }
        serde_json::from_slice::<T>(&bytes)
            .map(ApiJsonOrDefault)
            .map_err(|e| ApiError::bad_request(describe_json_error(&e)))
    }
}

/// serde_json messages can quote the offending value ("invalid type: string \"…\""), which may be a
/// password: only keep the kind of error. A missing field is named (the name is ours); an unknown
/// one is not (its name came from the body and may be a pasted password).
fn describe_json_error(e: &serde_json::Error) -> String {
    let text = e.to_string();
    if text.starts_with("missing field") {
        let field = text.split('`').nth(1).unwrap_or("?");
        return format!("The request body has a missing field: {field}.");
    }
    if text.starts_with("unknown field") {
        return "The request body has a field this endpoint does not accept.".to_string();
    }
    match e.classify() {
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
            "The request body is not valid JSON.".to_string()
        }
        _ => format!(
            "The request body has a field of the wrong type (line {}, column {}).",
            e.line(),
            e.column()
        ),
    }
}

/// The `{id}` path segment as a ticket id.
pub struct TicketId(pub u64);

impl<S: Send + Sync> FromRequestParts<S> for TicketId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<u64>::from_request_parts(parts, state).await {
            Ok(Path(id)) if id > 0 => Ok(TicketId(id)),
            _ => Err(ApiError::bad_request(
                "The ticket id must be a positive whole number.",
            )),
        }
    }
}

/// Query parameters.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(q)| ApiQuery(q))
            .map_err(|e| ApiError::bad_request(format!("Bad query parameters: {}", e.body_text())))
    }
}

/// tower-http's body limit answers 413 with a plain-text body; give it the envelope.
pub async fn envelope_for_413(response: Response) -> Response {
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE && !is_json {
        return ApiError::payload_too_large().into_response();
    }
    response
}
