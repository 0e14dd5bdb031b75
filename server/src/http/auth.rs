//! Bearer-token check: the token's SHA-256 must match an unrevoked row of `tokens`.
use axum::{
    extract::{Request, State},
    http::header::AUTHORIZATION,
    middleware::Next,
    response::Response,
};

use super::AppState;
use crate::{http::error::ApiError, store::tokens};

/// Middleware for every route but health: puts the [`tokens::Technician`] into the request's
/// extensions, or answers 401. The token itself is never logged.
pub async fn require_technician(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let token = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(bearer_token)
        .ok_or_else(ApiError::unauthorized)?;
    let technician = tokens::authenticate(state.store.pool(), token)
        .await?
        .ok_or_else(ApiError::unauthorized)?;
    req.extensions_mut().insert(technician);
    Ok(next.run(req).await)
}

/// The token of an `Authorization: Bearer <token>` header (scheme case-insensitive).
pub(crate) fn bearer_token(header: &str) -> Option<&str> {
    let (scheme, token) = header.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

#[cfg(test)]
mod tests {
    use super::bearer_token;

    #[test]
    fn only_a_non_empty_bearer_token_is_accepted() {
        assert_eq!(bearer_token("Bearer pd_abc"), Some("pd_abc"));
        assert_eq!(bearer_token("bearer   pd_abc "), Some("pd_abc"));
        assert_eq!(bearer_token("Basic pd_abc"), None);
        assert_eq!(bearer_token("Bearer"), None);
        assert_eq!(bearer_token("Bearer  "), None);
        assert_eq!(bearer_token("pd_abc"), None);
    }
}
