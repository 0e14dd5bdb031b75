//! Demo ticket pages reproducing the ConnectWise Manage ticket DOM, so the extension can be tried
//! (and end-to-end tested) without a ConnectWise instance. Served by `passdesk demo` at the URLs
//! ConnectWise uses (`/v4_6_release/...`), plus an index at `/demo/` and a strict-CSP copy under
//! `/csp/`. Everything is static (compiled in with `include_str!`); the page scripts render the
//! ticket from its URL the way ConnectWise would.
use axum::{
    extract::Path,
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::get,
    Router,
};

const INDEX: &str = include_str!("../demo-pages/index.html");
const CLASSIC: &str = include_str!("../demo-pages/classic.html");
const SPA: &str = include_str!("../demo-pages/spa.html");
const ASSETS: &[(&str, &str, &str)] = &[
    (
        "cw.css",
        "text/css; charset=utf-8",
        include_str!("../demo-pages/cw.css"),
    ),
    (
        "tickets.js",
        "text/javascript; charset=utf-8",
        include_str!("../demo-pages/tickets.js"),
    ),
    (
        "probe.js",
        "text/javascript; charset=utf-8",
        include_str!("../demo-pages/probe.js"),
    ),
    (
        "classic.js",
        "text/javascript; charset=utf-8",
        include_str!("../demo-pages/classic.js"),
    ),
    (
        "spa.js",
        "text/javascript; charset=utf-8",
        include_str!("../demo-pages/spa.js"),
    ),
];

/// The page CSP of the strict copy: no inline script or style, no foreign frames, no eval.
pub const STRICT_CSP: &str = "default-src 'self'; script-src 'self'";

/// Routes of the demo pages; merge into the demo app (`app.merge(demo_pages::router())`).
pub fn router() -> Router {
    Router::new()
        .route("/demo", get(|| async { Redirect::permanent("/demo/") }))
        .route("/demo/", get(|| async { html(INDEX) }))
        .route("/demo/assets/{file}", get(asset))
        .route(
            "/v4_6_release/services/system_io/Service/fv_sr100_request.rails",
            get(|| async { html(CLASSIC) }),
        )
        .route(
            "/v4_6_release/services/system_io/router/openrecord.rails",
            get(|| async { html(CLASSIC) }),
        )
        .route(
            "/v4_6_release/ConnectWise.aspx",
            get(|| async { html(SPA) }),
        )
        .route(
            "/csp/v4_6_release/services/system_io/Service/fv_sr100_request.rails",
            get(|| async { strict(CLASSIC) }),
        )
}

fn html(body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

fn strict(body: &'static str) -> Response {
    let mut res = html(body);
    res.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(STRICT_CSP),
    );
    res
}

async fn asset(Path(file): Path<String>) -> Response {
    match ASSETS.iter().find(|(name, _, _)| *name == file) {
        Some((_, mime, body)) => (
            [
                (header::CONTENT_TYPE, *mime),
                (header::CACHE_CONTROL, "no-store"),
            ],
            *body,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::Request;
    use tower::ServiceExt;

    async fn get(uri: &str) -> Response {
        router()
            .oneshot(Request::get(uri).body(Body::empty()).unwrap())
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn serves_connectwise_like_urls() {
        for uri in [
            "/demo/",
            "/v4_6_release/services/system_io/Service/fv_sr100_request.rails?service_recid=1001",
            "/v4_6_release/services/system_io/router/openrecord.rails?recordType=ProjectTicketFV&recid=2001",
            "/v4_6_release/ConnectWise.aspx?routeTo=ServiceFV&recid=1001",
            "/demo/assets/spa.js",
        ] {
            assert_eq!(get(uri).await.status(), StatusCode::OK, "{uri}");
        }
        assert_eq!(
            get("/demo/assets/nope.js").await.status(),
            StatusCode::NOT_FOUND
        );
    }

    #[tokio::test]
    async fn only_the_csp_copy_has_the_strict_header() {
        let strict = get("/csp/v4_6_release/services/system_io/Service/fv_sr100_request.rails?service_recid=1001").await;
        assert_eq!(
            strict.headers()[header::CONTENT_SECURITY_POLICY],
            STRICT_CSP
        );
        let plain = get(
            "/v4_6_release/services/system_io/Service/fv_sr100_request.rails?service_recid=1001",
        )
        .await;
        assert!(plain
            .headers()
            .get(header::CONTENT_SECURITY_POLICY)
            .is_none());
    }

    #[test]
    fn pages_have_no_inline_script_or_style() {
        // The same HTML is served under the strict CSP, which would block inline code.
        for page in [INDEX, CLASSIC, SPA] {
            assert!(
                !page.contains("<script>") && !page.contains("style=") && !page.contains("<style"),
                "inline code in a demo page"
            );
        }
    }
}
