//! Embeds every `data/rulebook/*.yaml` file at build time.
//!
//! Writes `$OUT_DIR/embedded_rulebook.rs` with one `(file name, include_str!(path))` pair per file,
//! sorted by name, so adding a rulebook file needs no code change. `include_str!` makes Cargo track
//! each file; `rerun-if-changed` on the directory catches added and removed files.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR")?);
    let dir = manifest_dir.join("../../data/rulebook").canonicalize()?;
    println!("cargo:rerun-if-changed={}", dir.display());

    let mut files = Vec::new();
    for entry in fs::read_dir(&dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "yaml") {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .ok_or("rulebook file name is not UTF-8")?
                .to_owned();
            println!("cargo:rerun-if-changed={}", path.display());
            files.push((name, path));
        }
    }
    files.sort();

    let mut out = String::from(
        "/// The rulebook files embedded at build time: `(file name, contents)`, sorted by name.\n\
         pub(crate) static EMBEDDED: &[(&str, &str)] = &[\n",
    );
    for (name, path) in &files {
        writeln!(
            out,
            "    ({name:?}, include_str!({:?})),",
            path.display().to_string()
        )?;
    }
    out.push_str("];\n");
    fs::write(
        PathBuf::from(env::var("OUT_DIR")?).join("embedded_rulebook.rs"),
        out,
    )?;
    Ok(())
}
