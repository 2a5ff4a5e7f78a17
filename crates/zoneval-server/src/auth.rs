//! The token rule and the host check, as one layer in front of every route.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::ApiError;
use crate::api::AppState;

/// Equality of two byte strings in time that depends only on their lengths, so a wrong
/// token's response time tells nothing about how much of it was right.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    let mut diff = u8::from(a.len() != b.len());
    for i in 0..a.len().max(b.len()) {
        let x = a.get(i).copied().unwrap_or(0);
        let y = b.get(i).copied().unwrap_or(0);
        diff |= x ^ y;
    }
    diff == 0
}

/// The token of `?token=…` in a query string (percent-decoded).
fn query_token(query: &str) -> Option<String> {
    query.split('&').find_map(|kv| {
        let v = kv.strip_prefix("token=")?;
        Some(percent_decode(v))
    })
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' if i + 2 < b.len() => {
                let hex = std::str::from_utf8(&b[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(v) => {
                        out.push(v);
                        i += 3;
                        continue;
                    }
                    None => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Checks the token (when the server has one) and, on a loopback address without a token,
/// that the Host header names a loopback host: a web page elsewhere cannot then reach the
/// API through DNS rebinding.
pub async fn guard(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    match &state.token {
        Some(token) => {
            let bearer = req
                .headers()
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .map(str::to_string);
            // `?token=` is for opening the page (and its assets) in a browser.
            let from_query = (req.method() == Method::GET
                && !req.uri().path().starts_with("/api/"))
            .then(|| req.uri().query().and_then(query_token))
            .flatten();
            let ok = bearer
                .or(from_query)
                .is_some_and(|t| constant_time_eq(t.as_bytes(), token.as_bytes()));
            if !ok {
                return ApiError::new(
                    axum::http::StatusCode::UNAUTHORIZED,
                    "missing or wrong token: send `Authorization: Bearer <token>` (or open the page with ?token=<token>)",
                )
                .into_response();
            }
        }
        None => {
            let host = req
                .headers()
                .get(header::HOST)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if !loopback_host(host) {
                return ApiError::new(
                    axum::http::StatusCode::FORBIDDEN,
                    format!("host {host:?} is not a loopback name; open the page at the address the server printed"),
                )
                .into_response();
            }
        }
    }
    next.run(req).await
}

/// Whether a Host header (`name[:port]`) names the loopback interface.
fn loopback_host(host: &str) -> bool {
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or("")
    } else {
        host.rsplit_once(':').map_or(host, |(h, _)| h)
    };
    name.eq_ignore_ascii_case("localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_time_eq_is_equality() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
        assert!(!constant_time_eq(b"", b"a"));
        assert!(constant_time_eq(b"", b""));
    }

    #[test]
    fn query_tokens_are_decoded() {
        assert_eq!(query_token("lang=zh&token=a%2Bb").as_deref(), Some("a+b"));
        assert_eq!(query_token("token=x").as_deref(), Some("x"));
        assert_eq!(query_token("tokens=x"), None);
        assert_eq!(query_token("token=%zz").as_deref(), Some("%zz"));
    }

    #[test]
    fn loopback_hosts() {
        for h in [
            "127.0.0.1:8080",
            "localhost:1",
            "[::1]:80",
            "127.0.0.1",
            "LOCALHOST",
        ] {
            assert!(loopback_host(h), "{h}");
        }
        for h in ["evil.example:8080", "10.0.0.1:80", "", "[fe80::1]:80"] {
            assert!(!loopback_host(h), "{h}");
        }
    }
}
