//! The admin token: admin routes admit `Authorization: Bearer <token>`, or HTTP Basic auth with
//! the token as password (what a browser sends to the admin pages after asking for it). Compared
//! in constant time; without a configured token every admin request is refused.

use axum::http::header::AUTHORIZATION;
use axum::http::HeaderMap;
use base64::Engine;
use subtle::ConstantTimeEq;

use super::error::ApiError;
use super::AppState;

/// Admits requests that carry the admin token.
pub(super) fn authorize(state: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(expected) = state.admin_token() else {
        return Err(ApiError::unauthorized(
            "no admin token is configured on this server (KB_ADMIN_TOKEN)",
        ));
    };
    let given = headers
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(presented_token)
        .unwrap_or_default();
    if bool::from(given.as_bytes().ct_eq(expected.as_bytes())) {
        Ok(())
    } else {
        Err(ApiError::unauthorized("a valid bearer token is required"))
    }
}

/// The token of a Bearer or Basic (`anything:token`) authorization header.
fn presented_token(header: &str) -> Option<String> {
    if let Some(token) = header.strip_prefix("Bearer ") {
        return Some(token.trim().to_string());
    }
    let encoded = header.strip_prefix("Basic ")?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let credentials = String::from_utf8(decoded).ok()?;
    credentials
        .split_once(':')
        .map(|(_, password)| password.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_and_basic_headers_present_the_token() {
        assert_eq!(presented_token("Bearer s3cret").as_deref(), Some("s3cret"));
        // "admin:s3cret"
        assert_eq!(
            presented_token("Basic YWRtaW46czNjcmV0").as_deref(),
            Some("s3cret")
        );
        assert_eq!(presented_token("Basic !!!"), None);
        assert_eq!(presented_token("Digest x"), None);
    }
}
