//! `/api/evaluate` round trips on the bundled Shandong system: 174 zones (the bundled data's
//! latest year) and 2,543 zones (that year's rows repeated with scaled values and new ids — the
//! number of development zones in China's national catalogue). Each iteration posts a scenario
//! that moves one weight over a loopback socket and reads the whole JSON answer; `handler` is
//! the same work without HTTP (scenario → evaluation → JSON text).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

use zoneval_core::bundled::Source;
use zoneval_core::error::Lang;
use zoneval_server::{Config, Scenario, Workbench, workbench};

/// The bundled data's latest year, repeated to `zones` rows.
fn scaled_csv(zones: usize) -> String {
    let (_, bytes) = Source::data(Path::new("shandong-zones")).read().unwrap();
    let text = String::from_utf8(bytes).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let cols: Vec<&str> = header.split(',').collect();
    let year_col = cols.iter().position(|c| *c == "year").unwrap();
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let latest = rows.iter().map(|r| r[year_col]).max().unwrap();
    let base: Vec<&Vec<&str>> = rows.iter().filter(|r| r[year_col] == latest).collect();
    let mut out = String::from(header);
    out.push('\n');
    for k in 0..zones {
        let r = base[k % base.len()];
        let copy = k / base.len();
        let f = 1.0 + 0.013 * copy as f64;
        let cells: Vec<String> = r
            .iter()
            .enumerate()
            .map(|(j, c)| match j {
                0 => format!("{c}-{copy}"),
                1 => format!("{c}{copy}"),
                _ if j == year_col || copy == 0 => c.to_string(),
                _ => match c.parse::<f64>() {
                    // Rates and shares stay in range; amounts scale.
                    Ok(v) if v > 100.0 => format!("{:.1}", v * f),
                    _ => c.to_string(),
                },
            })
            .collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

fn post(addr: SocketAddr, body: &str) -> usize {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "POST /api/evaluate HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
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
        std::fs::write(&csv, scaled_csv(zones)).unwrap();
        let wb = Workbench::load(None, Some(&csv), Lang::En).unwrap();
        let body = r#"{"weights": {"fdi": 0.2, "trade": 0.3}}"#;
        let sc = Scenario::parse(body.as_bytes()).unwrap();
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
            b.iter(|| post(addr, body))
        });
        server.stop().unwrap();
    }
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, bench);
criterion_main!(benches);
