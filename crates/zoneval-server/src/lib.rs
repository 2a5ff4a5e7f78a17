//! zoneval-server: the policy workbench behind `zoneval serve` — a local HTTP API and an
//! embedded page where a policymaker moves a weight and sees the ranking answer at once.
//!
//! The API is the contract of DESIGN.md ("Workbench server"), described for users in
//! `docs/workbench.md`:
//!
//! | route | answers |
//! |---|---|
//! | `GET /` | the page (assets embedded: `/app.js`, `/app.css`; no network needed) |
//! | `GET /api/system` | the tree with ids, names, official local weights, method, grades, years |
//! | `POST /api/evaluate` | the `evaluate --format json` document of a scenario |
//! | `POST /api/ranking` | the compact ranking of a scenario (what the page redraws) |
//! | `POST /api/scenario` | the scenario as a system TOML file |
//! | `POST /api/stability` | each node's local-weight stability interval for the scenario (`top`) |
//! | `POST /api/monte-carlo` | Monte Carlo rank intervals (`samples` ≤ [`api::MAX_SAMPLES`], `seed`, `top`) |
//! | `POST /api/monte-carlo/jobs` | the same, as a job polled with `GET /api/monte-carlo/jobs/{id}` (progress) |
//! | `POST /api/charts` | the report's SVG charts of the scenario (`zone` adds its radar) |
//! | `POST /api/report` | the full HTML report of the scenario |
//! | `POST /api/ranking.csv` | the ranking as CSV (the `evaluate --format csv` text) |
//! | `POST /api/ranking.xlsx` | the ranking as an xlsx workbook (the report's `results.xlsx` writer) |
//!
//! Why axum: it is the most used and best kept Rust HTTP framework (tokio project), request
//! limits and authentication are layers rather than code in each handler, and with
//! `default-features = false` it adds hyper's HTTP/1 server and little else. Evaluations are
//! CPU work and run on the blocking pool, so slow requests never stall the others.
//!
//! Security: the loopback address by default; any other host needs a token
//! ([`Config::check`]); the token is compared in constant time; bodies over 1 MiB get 413;
//! no request names a path, and the files read at start are never written; the page sets
//! every user text (zone and indicator names) with `textContent`, and the SVG charts are
//! escaped by the report's writers and shown as images (their scripts could never run).

#![warn(missing_docs)]

pub mod api;
mod assets;
mod auth;
pub mod jobs;
pub mod scenario;
pub mod serve;
pub mod workbench;

pub use api::{ApiError, router};
pub use scenario::Scenario;
pub use serve::{Config, Running, start};
pub use workbench::Workbench;
