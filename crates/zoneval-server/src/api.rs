//! The routes: small handlers over [`Workbench`]; errors become `{ "error": "…" }` responses
//! through one [`IntoResponse`] impl; the body limit and the token are layers.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

use zoneval_core::error::{ErrorKind, Lang};
use zoneval_core::evaluation::Evaluation;
use zoneval_core::sensitivity::Progress;
use zoneval_core::sensitivity::model::Model;
use zoneval_core::sensitivity::monte_carlo::{McOptions, WeightDraw};
use zoneval_core::sensitivity::plan::{self, Analysis};
use zoneval_core::sensitivity::stability::{self, StabilityOptions};
use zoneval_report::charts::{self, ChartKind};
use zoneval_report::model;

use crate::jobs::Jobs;
use crate::scenario::Scenario;
use crate::workbench::Workbench;

/// Largest request body (the contract's 1 MiB).
pub const MAX_BODY: usize = 1 << 20;
/// Largest number of Monte Carlo samples one request may ask for.
pub const MAX_SAMPLES: usize = 20_000;
/// Memory for the Monte Carlo rank statistics: the CLI's default (`--memory-budget 512`), so
/// a run is the CLI's bit for bit.
const MC_MEMORY: usize = 512 << 20;

/// Shared by every handler.
#[derive(Debug)]
pub struct AppState {
    /// The loaded inputs.
    pub wb: Arc<Workbench>,
    /// The token every request must carry, when set.
    pub token: Option<String>,
    /// Monte Carlo jobs.
    pub jobs: Mutex<Jobs>,
}

impl AppState {
    /// The state of a server of `wb`.
    pub fn new(wb: Workbench, token: Option<String>) -> AppState {
        AppState {
            wb: Arc::new(wb),
            token,
            jobs: Mutex::new(Jobs::default()),
        }
    }
}

/// An error answer: a status and a message, sent as `{ "error": "…" }`.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    /// An error with `status`.
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
        }
    }

    /// 400.
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }

    /// 500.
    pub fn internal(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }

    /// The status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl From<zoneval_core::error::Error> for ApiError {
    /// The engine's input errors (a bad method name, inconsistent judgements, …) are the
    /// request's fault: 400 with every problem; anything else is 500.
    fn from(e: zoneval_core::error::Error) -> ApiError {
        let status = match e.kind {
            ErrorKind::Input | ErrorKind::Usage => StatusCode::BAD_REQUEST,
            ErrorKind::Failure => StatusCode::INTERNAL_SERVER_ERROR,
        };
        ApiError::new(status, e.render(Lang::En))
    }
}

impl From<BytesRejection> for ApiError {
    fn from(r: BytesRejection) -> ApiError {
        let status = r.status();
        let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
            format!("request body over the limit of {MAX_BODY} bytes (1 MiB)")
        } else {
            r.body_text()
        };
        ApiError::new(status, message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::to_string(&json!({ "error": self.message }))
            .unwrap_or_else(|_| "{\"error\":\"error\"}".into());
        (self.status, [(header::CONTENT_TYPE, JSON)], body).into_response()
    }
}

const JSON: &str = "application/json";

/// The router over `state`: every route, the body limit and the token/host guard.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/", get(crate::assets::page))
        .route("/app.js", get(crate::assets::script))
        .route("/app.css", get(crate::assets::style))
        .route("/api/system", get(system))
        .route("/api/evaluate", post(evaluate))
        .route("/api/ranking", post(ranking))
        .route("/api/scenario", post(scenario))
        .route("/api/stability", post(stability))
        .route("/api/monte-carlo", post(monte_carlo))
        .route("/api/monte-carlo/jobs", post(monte_carlo_job))
        .route("/api/monte-carlo/jobs/{id}", get(monte_carlo_status))
        .route("/api/charts", post(charts_of))
        .route("/api/report", post(report))
        .route("/api/ranking.csv", post(ranking_csv))
        .route("/api/ranking.xlsx", post(ranking_xlsx))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::auth::guard,
        ))
        .layer(axum::middleware::map_response(common_headers))
        .with_state(state)
}

async fn common_headers(mut res: Response) -> Response {
    let h = res.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    res
}

async fn not_found(uri: Uri) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        format!("no such path: {}", uri.path()),
    )
}

/// Runs CPU work on the blocking pool, so one long evaluation never stalls other clients.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::internal(format!("the evaluation failed: {e}")))?
}

fn json_response(text: String) -> Response {
    ([(header::CONTENT_TYPE, JSON)], text).into_response()
}

async fn system(State(st): State<Arc<AppState>>) -> Response {
    json_response(st.wb.system_json().to_string())
}

async fn evaluate(
    State(st): State<Arc<AppState>>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let sc = Scenario::parse(&body?)?;
    let wb = st.wb.clone();
    let text = blocking(move || {
        let ev = wb.evaluate(&sc)?;
        Ok(wb.document(&ev, &sc)?)
    })
    .await?;
    Ok(json_response(text))
}

/// The compact ranking of a scenario ([`Workbench::ranking`]): what the page redraws on
/// every change, a small fraction of the full document's size.
async fn ranking(
    State(st): State<Arc<AppState>>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let sc = Scenario::parse(&body?)?;
    let wb = st.wb.clone();
    let text = blocking(move || Ok(Workbench::ranking(&wb.evaluate(&sc)?).to_string())).await?;
    Ok(json_response(text))
}

async fn scenario(
    State(st): State<Arc<AppState>>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let sc = Scenario::parse(&body?)?;
    let wb = st.wb.clone();
    let text = blocking(move || wb.scenario_toml(&sc)).await?;
    let name = format!("{}-scenario.toml", file_safe(&st.wb.system().id));
    Ok(attachment("application/toml; charset=utf-8", &name, text))
}

/// An id as a file name: ASCII letters, digits, `-` and `_` only.
fn file_safe(s: &str) -> String {
    let t: String = s
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    if t.is_empty() { "zoneval".into() } else { t }
}

/// A scenario with extra options (`top`, `samples`, `seed`, `zone`) beside its keys.
struct WithOptions {
    scenario: Scenario,
    options: serde_json::Map<String, Value>,
}

fn with_options(body: &[u8], keys: &[&str]) -> Result<WithOptions, ApiError> {
    let mut v: Value = if body.iter().all(u8::is_ascii_whitespace) {
        json!({})
    } else {
        serde_json::from_slice(body)
            .map_err(|e| ApiError::bad_request(format!("malformed JSON: {e}")))?
    };
    let Some(obj) = v.as_object_mut() else {
        return Err(ApiError::bad_request("malformed JSON: expected an object"));
    };
    let mut options = serde_json::Map::new();
    for k in keys {
        if let Some(x) = obj.remove(*k) {
            options.insert((*k).to_string(), x);
        }
    }
    let scenario = serde_json::from_value(v)
        .map_err(|e| ApiError::bad_request(format!("malformed JSON: {e}")))?;
    Ok(WithOptions { scenario, options })
}

fn uint_option(
    o: &serde_json::Map<String, Value>,
    key: &str,
    default: u64,
) -> Result<u64, ApiError> {
    match o.get(key) {
        None => Ok(default),
        Some(v) => v.as_u64().ok_or_else(|| {
            ApiError::bad_request(format!("{key} must be a whole number ≥ 0, not {v}"))
        }),
    }
}

async fn stability(
    State(st): State<Arc<AppState>>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let req = with_options(&body?, &["top"])?;
    let top = uint_option(&req.options, "top", 10)? as usize;
    let wb = st.wb.clone();
    let v = blocking(move || {
        let ev = wb.evaluate(&req.scenario)?;
        let opts = StabilityOptions {
            top: top.max(1),
            steps: STABILITY_STEPS,
            ..Default::default()
        }
        .check()?;
        let model = Model::new(&ev)?;
        let nodes = stability::local(&model, &opts)?;
        Ok(json!({
            "top": opts.top.min(model.zones()).max(1),
            "exact": model.is_linear(),
            "nodes": nodes,
        }))
    })
    .await?;
    Ok(json_response(v.to_string()))
}

/// Grid points of the stability scan for aggregations not linear in the weights (each node's
/// interval is then bisected to 1e-9).
const STABILITY_STEPS: usize = 100;

/// A Monte Carlo request: the scenario and the options, checked.
struct McRequest {
    scenario: Scenario,
    samples: usize,
    seed: u64,
    top: usize,
}

fn mc_request(body: &[u8]) -> Result<McRequest, ApiError> {
    let req = with_options(body, &["samples", "seed", "top"])?;
    let samples = uint_option(&req.options, "samples", 1000)? as usize;
    if samples == 0 || samples > MAX_SAMPLES {
        return Err(ApiError::bad_request(format!(
            "samples must be between 1 and {MAX_SAMPLES} per request"
        )));
    }
    Ok(McRequest {
        samples,
        seed: uint_option(&req.options, "seed", 1)?,
        top: uint_option(&req.options, "top", 10)? as usize,
        scenario: req.scenario,
    })
}

/// Runs the Monte Carlo analysis of `req` (the CLI's `sensitivity monte-carlo --perturb 0.2`
/// with the same samples, seed and top), reporting to `progress`.
fn run_mc(wb: &Workbench, req: &McRequest, progress: &dyn Progress) -> Result<Value, ApiError> {
    let ev = wb.evaluate(&req.scenario)?;
    let opts = McOptions {
        samples: req.samples,
        seed: req.seed,
        draw: WeightDraw::Uniform(0.2),
        top: req.top.max(1),
        drop_indicator: false,
        memory_budget: MC_MEMORY,
    }
    .check()?;
    let r = plan::run(&ev, &[], &Analysis::MonteCarlo(opts), progress)?;
    Ok(serde_json::to_value(r.monte_carlo).unwrap_or(Value::Null))
}

async fn monte_carlo(
    State(st): State<Arc<AppState>>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let req = mc_request(&body?)?;
    let wb = st.wb.clone();
    let v = blocking(move || run_mc(&wb, &req, &zoneval_core::sensitivity::Silent)).await?;
    Ok(json_response(v.to_string()))
}

/// Starts a Monte Carlo job: 202 `{ job, state, done, total }`; 429 while
/// [`crate::jobs::MAX_RUNNING`] are running.
async fn monte_carlo_job(
    State(st): State<Arc<AppState>>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let req = mc_request(&body?)?;
    let added = st
        .jobs
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .add(req.samples as u64);
    let Some((id, job)) = added else {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "{} Monte Carlo jobs are running already; try again when one has finished",
                crate::jobs::MAX_RUNNING
            ),
        ));
    };
    let wb = st.wb.clone();
    let j = job.clone();
    tokio::task::spawn_blocking(move || {
        let out = run_mc(&wb, &req, &*j);
        j.finish(out);
    });
    Ok((
        StatusCode::ACCEPTED,
        [(header::CONTENT_TYPE, JSON)],
        job.status(id).to_string(),
    )
        .into_response())
}

/// A job's state: `{ job, state: running|done|failed, done, total }` with `result` (the
/// `/api/monte-carlo` answer) once done, or `error`; 404 for an unknown or forgotten job.
async fn monte_carlo_status(
    State(st): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let found = id.parse::<u64>().ok().and_then(|n| {
        let job = st.jobs.lock().unwrap_or_else(|p| p.into_inner()).get(n);
        job.map(|j| (n, j))
    });
    let Some((n, job)) = found else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            format!("no Monte Carlo job {id} (unknown, or finished long ago)"),
        ));
    };
    Ok(json_response(job.status(n).to_string()))
}

/// The figures of `kinds` for `ev` (the report's chart code), plus the radar of `zone`.
fn figures(ev: &Evaluation, lang: Lang, zone: Option<&str>) -> Value {
    let m = model::for_outputs(ev);
    let mut out = Vec::new();
    for (kind, chart) in ChartKind::ALL.iter().zip(charts::REGISTRY) {
        let wanted = matches!(
            kind,
            ChartKind::Ranking | ChartKind::Contributions | ChartKind::Treemap | ChartKind::Radar
        );
        if !wanted {
            continue;
        }
        for f in charts::figures_of(*chart, &m, lang) {
            let keep = match kind {
                ChartKind::Radar => zone.is_some() && f.zone.as_deref() == zone,
                // The first panel of the long charts: the leaders.
                _ => !out.iter().any(|o: &Value| o["kind"] == json!(kind.name())),
            };
            if keep {
                out.push(
                    json!({ "kind": kind.name(), "title": f.title, "zone": f.zone, "svg": f.svg }),
                );
            }
        }
    }
    json!({ "figures": out })
}

async fn charts_of(
    State(st): State<Arc<AppState>>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let req = with_options(&body?, &["zone"])?;
    let zone = req
        .options
        .get("zone")
        .and_then(|z| z.as_str())
        .map(str::to_string);
    let wb = st.wb.clone();
    let v = blocking(move || {
        let ev = wb.evaluate(&req.scenario)?;
        Ok(figures(&ev, wb.lang, zone.as_deref()))
    })
    .await?;
    Ok(json_response(v.to_string()))
}

async fn report(
    State(st): State<Arc<AppState>>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let sc = Scenario::parse(&body?)?;
    let wb = st.wb.clone();
    let html = blocking(move || {
        let ev = wb.evaluate(&sc)?;
        let years = zoneval_core::evaluation::history::years(&ev);
        let spec = model::Spec {
            system_file: format!("{}-scenario.toml", file_safe(&wb.system().id)),
            data_file: match wb.data_source() {
                zoneval_core::bundled::Source::Bundled(n) => (*n).to_string(),
                zoneval_core::bundled::Source::File(p) => p.display().to_string(),
            },
            year: sc.year,
            ..Default::default()
        };
        let mut m = model::build(&ev, spec, years, None);
        m.provenance = Some(wb.provenance(&ev, &sc)?);
        let results = zoneval_report::dir::results_json(zoneval_report::json::value(&m), &m);
        let r = zoneval_report::dir::render(
            &m,
            &results,
            zoneval_report::dir::Options {
                lang: wb.lang,
                png: zoneval_report::dir::Png::Off,
            },
        )?;
        r.text("report.html")
            .map(str::to_string)
            .ok_or_else(|| ApiError::internal("the report has no report.html"))
    })
    .await?;
    Ok(attachment("text/html; charset=utf-8", "report.html", html))
}

/// A download: `body` as `content_type`, saved by the browser as `file_name`.
fn attachment(content_type: &'static str, file_name: &str, body: impl IntoResponse) -> Response {
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\""))
        .unwrap_or(HeaderValue::from_static("attachment"));
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response()
}

async fn ranking_csv(
    State(st): State<Arc<AppState>>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let sc = Scenario::parse(&body?)?;
    let wb = st.wb.clone();
    let text = blocking(move || {
        let ev = wb.evaluate(&sc)?;
        let mut m = model::for_outputs(&ev);
        m.provenance = Some(wb.provenance(&ev, &sc)?);
        Ok(zoneval_report::render::to_string(
            zoneval_report::Format::Csv.renderer(),
            &m,
            wb.lang,
        ))
    })
    .await?;
    Ok(attachment("text/csv; charset=utf-8", "ranking.csv", text))
}

async fn ranking_xlsx(
    State(st): State<Arc<AppState>>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let sc = Scenario::parse(&body?)?;
    let wb = st.wb.clone();
    let bytes = blocking(move || {
        let ev = wb.evaluate(&sc)?;
        zoneval_report::xlsx::render(&model::for_outputs(&ev), wb.lang)
            .map_err(|e| ApiError::internal(format!("cannot write the workbook: {e}")))
    })
    .await?;
    Ok(attachment(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "ranking.xlsx",
        bytes,
    ))
}
