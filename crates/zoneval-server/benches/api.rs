//! `/api/evaluate` and `/api/ranking` round trips on the bundled Shandong system: 174 zones (the
//! bundled data's latest year) and 2,543 zones (that year's rows repeated with scaled values
//! and new ids by the tests' shared generator, `bundled_zones_csv` — the number of development
//! zones in China's national catalogue). Each iteration posts a scenario that moves one weight
//! over a loopback socket and reads the whole JSON answer; `handler` is the evaluate work
//! without HTTP (scenario → evaluation → JSON text), `evaluation` the evaluation alone, and
//! `stability_http` the `/api/stability` round trip (every slider's interval).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

use zoneval_core::error::Lang;
use zoneval_server::{Config, Scenario, Workbench, workbench};

#[path = "../../../tests/common/synthetic.rs"]
mod synthetic;

fn post(addr: SocketAddr, path: &str, body: &str) -> usize {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).unwrap();
    assert!(
        out.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&out[..200.min(out.len())])
    );
    out.len()
}

fn bench(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("zoneval-bench-api-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut group = c.benchmark_group("api_evaluate");
    group.sample_size(20);
    for zones in [174, 2543] {
        let csv = dir.join(format!("zones-{zones}.csv"));
        std::fs::write(&csv, synthetic::bundled_zones_csv(zones)).unwrap();
        let wb = Workbench::load(None, Some(&csv), Lang::En).unwrap();
        let body = r#"{"weights": {"fdi": 0.2, "trade": 0.3}}"#;
        let sc = Scenario::parse(body.as_bytes()).unwrap();
        group.bench_with_input(BenchmarkId::new("evaluation", zones), &zones, |b, _| {
            b.iter(|| wb.evaluate(&sc).unwrap().ranked().len())
        });
        group.bench_with_input(BenchmarkId::new("handler", zones), &zones, |b, _| {
            b.iter(|| workbench::document(&wb.evaluate(&sc).unwrap(), Lang::En).len())
        });
        let server = zoneval_server::start(
            &Config {
                port: 0,
                ..Config::default()
            },
            wb,
        )
        .unwrap();
        let addr = server.addr;
        group.bench_with_input(BenchmarkId::new("http", zones), &zones, |b, _| {
            b.iter(|| post(addr, "/api/evaluate", body))
        });
        group.bench_with_input(BenchmarkId::new("ranking_http", zones), &zones, |b, _| {
            b.iter(|| post(addr, "/api/ranking", body))
        });
        // The page's sliders' stability bands, fetched after the ranking (every node).
        group.bench_with_input(BenchmarkId::new("stability_http", zones), &zones, |b, _| {
            b.iter(|| post(addr, "/api/stability", body))
        });
        server.stop().unwrap();
    }
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, bench);
criterion_main!(benches);
