//! `gen-seeds` regenerates the committed seeds (`seeds/`) byte for byte.

use std::path::PathBuf;
use std::process::Command;

#[test]
fn seeds_are_reproducible() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = std::env::temp_dir().join(format!("zoneval-gen-seeds-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(
        root.join("seeds/shandong-zones-2018.csv"),
        dir.join("shandong-zones-2018.csv"),
    )
    .unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_gen-seeds"))
        .arg(&dir)
        .output()
        .expect("run gen-seeds");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for f in ["shandong-zones.csv", "project-applications.csv"] {
        let want = std::fs::read(root.join("seeds").join(f)).unwrap();
        let got = std::fs::read(dir.join(f)).unwrap();
        assert!(
            want == got,
            "seeds/{f} differs from what gen-seeds writes; run `cargo run --release -p gen-seeds`"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
