//! Starting and stopping the server: the host/token rule, binding, graceful shutdown.

use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

use zoneval_core::error::{Error, Result};
use zoneval_core::text;

use crate::api::{AppState, router};
use crate::workbench::Workbench;

/// How to serve.
#[derive(Clone, Debug)]
pub struct Config {
    /// Address to bind (an IP address, or `localhost`).
    pub host: String,
    /// Port (0: any free port).
    pub port: u16,
    /// The token every request must carry.
    pub token: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            host: "127.0.0.1".into(),
            port: 8080,
            token: None,
        }
    }
}

impl Config {
    /// The address to bind, after the rule: a host other than loopback needs a token (a usage
    /// error otherwise, exit 2), and a token may not be empty.
    pub fn check(&self) -> Result<IpAddr> {
        let host = self.host.as_str();
        let ip: IpAddr = if host.eq_ignore_ascii_case("localhost") {
            IpAddr::V4(Ipv4Addr::LOCALHOST)
        } else {
            host.trim_start_matches('[')
                .trim_end_matches(']')
                .parse()
                .map_err(|_| {
                    Error::usage(text!(
                        "--host {host}: not an IP address (e.g. 127.0.0.1, 0.0.0.0, ::1)",
                        "--host {host}：不是 IP 地址（如 127.0.0.1、0.0.0.0、::1）"
                    ))
                })?
        };
        if self.token.as_deref() == Some("") {
            return Err(Error::usage(text!(
                "--token must not be empty",
                "--token 不能为空"
            )));
        }
        if !ip.is_loopback() && self.token.is_none() {
            return Err(Error::usage(text!(
                "--host {host} is reachable from other machines: give --token T (every request must then carry it)",
                "--host {host} 可被其他机器访问：请给出 --token T（此后每个请求都须携带它）"
            )));
        }
        Ok(ip)
    }
}

/// A server running on its own thread (tests, benchmarks, embedding).
pub struct Running {
    /// The bound address (the real port when 0 was asked for).
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<std::io::Result<()>>>,
}

impl Running {
    /// The page's URL (with `?token=` when there is a token).
    pub fn url(&self, token: Option<&str>) -> String {
        page_url(self.addr, token)
    }

    /// Stops accepting, lets requests in flight finish, and waits for the thread.
    pub fn stop(mut self) -> std::io::Result<()> {
        self.shutdown()
    }

    fn shutdown(&mut self) -> std::io::Result<()> {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        match self.thread.take().map(|t| t.join()) {
            Some(Ok(r)) => r,
            Some(Err(_)) => Err(std::io::Error::other("the server thread panicked")),
            None => Ok(()),
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.shutdown();
    }
}

/// The page's URL for a bound address.
pub fn page_url(addr: SocketAddr, token: Option<&str>) -> String {
    let host = match addr.ip() {
        IpAddr::V6(ip) => format!("[{ip}]"),
        ip => ip.to_string(),
    };
    let query = token.map_or(String::new(), |t| format!("?token={}", percent_encode(t)));
    format!("http://{host}:{}/{query}", addr.port())
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Binds `config`'s address (checked by [`Config::check`]).
pub fn bind(config: &Config) -> Result<std::net::TcpListener> {
    let ip = config.check()?;
    let addr = SocketAddr::new(ip, config.port);
    let l = std::net::TcpListener::bind(addr).map_err(|e| {
        let e = e.to_string();
        Error::failure(text!(
            "cannot listen on {addr}: {e}",
            "无法监听 {addr}：{e}"
        ))
    })?;
    l.set_nonblocking(true).map_err(|e| {
        let e = e.to_string();
        Error::failure(text!("cannot listen: {e}", "无法监听：{e}"))
    })?;
    Ok(l)
}

fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("zoneval-serve")
        .build()
}

async fn serve_until(
    listener: std::net::TcpListener,
    state: Arc<AppState>,
    stop: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::from_std(listener)?;
    axum::serve(listener, router(state))
        .with_graceful_shutdown(stop)
        .await
}

/// Starts serving `wb` on a background thread; [`Running::stop`] ends it.
pub fn start(config: &Config, wb: Workbench) -> Result<Running> {
    let listener = bind(config)?;
    let addr = listener.local_addr().map_err(|e| {
        let e = e.to_string();
        Error::failure(text!("cannot listen: {e}", "无法监听：{e}"))
    })?;
    let state = Arc::new(AppState::new(wb, config.token.clone()));
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        runtime()?.block_on(serve_until(listener, state, async {
            let _ = rx.await;
        }))
    });
    Ok(Running {
        addr,
        stop: Some(tx),
        thread: Some(thread),
    })
}

/// Serves `wb` until Ctrl-C (requests in flight finish first). `ready` gets the page's URL
/// once the socket is bound.
pub fn run(config: &Config, wb: Workbench, ready: impl FnOnce(&str)) -> Result<()> {
    let listener = bind(config)?;
    let addr = listener.local_addr().map_err(|e| {
        let e = e.to_string();
        Error::failure(text!("cannot listen: {e}", "无法监听：{e}"))
    })?;
    let state = Arc::new(AppState::new(wb, config.token.clone()));
    let failure = |e: std::io::Error| {
        let e = e.to_string();
        Error::failure(text!("the server stopped: {e}", "服务器已停止：{e}"))
    };
    let rt = runtime().map_err(failure)?;
    ready(&page_url(addr, config.token.as_deref()));
    rt.block_on(serve_until(listener, state, async {
        let _ = tokio::signal::ctrl_c().await;
    }))
    .map_err(failure)
}
