//! Bundles every Markdown file in `content/demo/` into the binary as the demo site.

use std::fmt::Write;

fn main() {
    let dir = std::path::Path::new("content/demo");
    println!("cargo::rerun-if-changed=content/demo");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("content/demo exists in the repository")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .collect();
    names.sort();
    let mut out = String::from("[\n");
    for n in &names {
        let path = std::fs::canonicalize(dir.join(n)).expect("listed file exists");
        writeln!(out, "    ({n:?}, include_str!({:?})),", path.display().to_string())
            .expect("write to String");
    }
    out.push(']');
    let dest =
        std::path::Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("demo_content.rs");
    std::fs::write(dest, out).expect("OUT_DIR is writable");
}
