//! Finding the Markdown files under the paths a command was given.

use std::path::{Path, PathBuf};

/// Adds `path` (a file) or every `.md`/`.markdown` file below it (a folder) to `out`.
pub fn collect(path: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let meta = std::fs::metadata(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    if meta.is_file() {
        out.push(path.to_owned());
        return Ok(());
    }
    let entries = std::fs::read_dir(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    for entry in entries {
        let p = entry?.path();
        if p.is_dir() {
            collect(&p, out)?;
        } else if is_markdown(&p) {
            out.push(p);
        }
    }
    Ok(())
}

/// Whether `p` names a Markdown file (`.md` or `.markdown`).
pub fn is_markdown(p: &Path) -> bool {
    matches!(p.extension().and_then(|e| e.to_str()), Some("md" | "markdown"))
}
