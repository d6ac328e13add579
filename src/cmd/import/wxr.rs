//! Importing a WordPress export: each post and page in its own transaction, then the report of what
//! was skipped and how many old addresses now redirect.

use super::super::report::{plural, progress};
use super::run::Run;
use crate::content::wxr::{self, Export, ImportedItem, PostType, WxrError};
use std::path::Path;

/// A read export: the file-level facts and its items as articles; or why it could not be read.
pub type Read = Result<(Export, Vec<ImportedItem>), String>;

/// Reads and converts the export at `path`. Errors are already worded as `path:line:column: error: …`.
pub fn read(path: &Path) -> Read {
    let shown = path.display();
    let text = std::fs::read_to_string(path).map_err(|e| format!("{shown}: error: cannot read: {e}"))?;
    let export = wxr::parse(&text)
        .map_err(|WxrError { line, column, message }| format!("{shown}:{line}:{column}: error: {message}"))?;
    let items = export.articles();
    Ok((export, items))
}

impl Run<'_> {
    /// Imports a read export and prints its report.
    pub fn wxr(&mut self, path: &Path, read: Read) {
        let shown = path.display().to_string();
        let (export, items) = match read {
            Ok(r) => r,
            Err(msg) => {
                eprintln!("{msg}");
                self.tally.failed += 1;
                return;
            }
        };
        for w in &export.warnings {
            eprintln!("{shown}:{}: warning: {}", w.line, w.message);
        }
        let file = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let bar = progress(items.len());
        let (mut kept, mut remote_images) = (0, 0);
        for item in &items {
            bar.set_message(item.article.slug.to_string());
            let known = |s: &str| self.known.contains(s);
            match self.site.import_wxr_item(&known, &file, item) {
                Ok((report, _)) => {
                    kept += item.old_paths.len();
                    remote_images += item.remote_images;
                    // Findings are at lines of the article as `export --markdown` writes it.
                    let article = format!("{shown}#{}", item.article.slug);
                    bar.suspend(|| self.print_report(&shown, &article, &report));
                    self.tally.count(report.outcome);
                }
                Err(e) => {
                    self.tally.failed += 1;
                    bar.suspend(|| eprintln!("{shown}:{}: error: {}: {e}", item.line, item.article.slug));
                }
            }
            bar.inc(1);
        }
        bar.finish_and_clear();
        let posts = items.iter().filter(|i| i.post_type == PostType::Post).count();
        let pages = items.len() - posts;
        println!("{shown}: WordPress export: {} and {}", plural(posts, "post"), plural(pages, "page"));
        let s = &export.skipped;
        let mut other = format!("other {}", s.other_total());
        if !s.other.is_empty() {
            let kinds: Vec<String> = s.other.iter().map(|(k, n)| format!("{k} {n}")).collect();
            other.push_str(&format!(" ({})", kinds.join(", ")));
        }
        println!(
            "{shown}: skipped: comments {}, attachments {}, menu items {}, {other}",
            s.comments, s.attachments, s.menu_items
        );
        println!("{shown}: {} kept as 301 redirects", plural(kept, "old address"));
        if remote_images > 0 {
            println!(
                "{shown}: {} still loading from other sites (attachments are not copied)",
                plural(remote_images, "image")
            );
        }
    }
}
