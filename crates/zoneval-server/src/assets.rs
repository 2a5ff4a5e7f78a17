//! The page's assets, embedded in the binary: hand-written HTML, JS and CSS (no build step,
//! no CDN, nothing fetched from the network).

use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use zoneval_core::error::Lang;

use crate::api::AppState;

const PAGE: &str = include_str!("../assets/index.html");
const SCRIPT: &str = include_str!("../assets/app.js");
const STYLE: &str = include_str!("../assets/app.css");

/// Only our own script and style; inline code and foreign origins are refused.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// `GET /`: the page, in the server's language; the assets' URLs carry the token query when
/// the page was opened with one (so a token server works from a bookmark).
pub async fn page(State(st): State<Arc<AppState>>, RawQuery(q): RawQuery) -> Response {
    let lang = match st.wb.lang {
        Lang::Zh => "zh",
        Lang::En => "en",
    };
    let query = match (&st.token, q) {
        (Some(_), Some(q)) => format!("?{}", attr_safe_query(&q)),
        _ => String::new(),
    };
    let html = PAGE.replace("{{LANG}}", lang).replace("{{Q}}", &query);
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CONTENT_SECURITY_POLICY, CSP),
        ],
        html,
    )
        .into_response()
}

/// The query kept to URL-safe characters, so it cannot leave the attribute it is put in.
fn attr_safe_query(q: &str) -> String {
    q.chars()
        .filter(|c| c.is_ascii_alphanumeric() || "%-_.~=&+".contains(*c))
        .collect::<String>()
        .replace('&', "&amp;")
}

/// `GET /app.js`.
pub async fn script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        SCRIPT,
    )
        .into_response()
}

/// `GET /app.css`.
pub async fn style() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], STYLE).into_response()
}
