//! Embeds the bundled indicator systems (`indicators/*.toml`) and zone datasets (`seeds/*`)
//! into the binary, so `zoneval` runs its default evaluation from any directory.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    // The bundled files live at the top of the workspace.
    let root = &Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut out = String::from(
        "/// Bundled files: (path relative to the repository, bytes).\npub static FILES: &[(&str, &[u8])] = &[\n",
    );
    for dir in ["indicators", "seeds"] {
        println!("cargo:rerun-if-changed={}", root.join(dir).display());
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        let mut files: Vec<_> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension()
                    .is_some_and(|e| e == "toml" || e == "csv" || e == "xlsx")
            })
            .collect();
        files.sort();
        for f in files {
            let name = f.file_name().unwrap().to_string_lossy();
            println!("cargo:rerun-if-changed={}", f.display());
            writeln!(
                out,
                "    ({:?}, include_bytes!({:?})),",
                format!("{dir}/{name}"),
                f.display().to_string()
            )
            .unwrap();
        }
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("bundled.rs");
    std::fs::write(dest, out).unwrap();
}
