//! The two static files of the pages, embedded in the binary: the stylesheet and the script of the
//! suggestion box. Pages link them with a content hash in the URL, so they can be cached forever.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::OnceLock;

use axum::extract::Path;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};

use super::error::ApiError;

/// An embedded file.
struct Asset {
    name: &'static str,
    content_type: &'static str,
    body: &'static str,
}

const ASSETS: &[Asset] = &[
    Asset {
        name: "kb.css",
        content_type: "text/css; charset=utf-8",
        body: include_str!("assets/kb.css"),
    },
    Asset {
        name: "kb.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("assets/kb.js"),
    },
];

/// The URL of the embedded file `name`, versioned by a hash of its content.
pub(super) fn url(name: &str) -> String {
    static VERSION: OnceLock<String> = OnceLock::new();
    let version = VERSION.get_or_init(|| {
        let mut hasher = DefaultHasher::new();
        for asset in ASSETS {
            asset.body.hash(&mut hasher);
        }
        format!("{:016x}", hasher.finish())
    });
    format!("/assets/{name}?v={version}")
}

/// `GET /assets/{name}`: an embedded file, cacheable for a year (its URL changes with it).
pub(super) async fn asset(Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|asset| asset.name == name) {
        Some(asset) => (
            [
                (CONTENT_TYPE, asset.content_type),
                (CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            asset.body,
        )
            .into_response(),
        None => ApiError::not_found(format!("no asset `{name}`")).into_response(),
    }
}
