//! `zeroopposite import PATH…`: Markdown files or folders (recursive), Hugo and Zola `content/` folders,
//! and WordPress exports (`.xml`), one transaction per article.

mod plan;
mod run;
mod site;
mod wxr;

use super::files::collect;
use crate::content::links::LinkMap;
use clap::Args;
use indicatif::ProgressBar;
use run::{MdFile, Run, Tally, stem};
use std::path::PathBuf;

/// Arguments of `import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Markdown files or folders, a Hugo or Zola site (or its `content/` folder), or a WordPress export
    /// (`.xml`).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Print every editorial finding of the imported articles, not only a count per rule.
    #[arg(long)]
    pub findings: bool,
}

/// Imports everything under `args.paths`; fails (non-zero exit) if any file or article failed.
pub fn execute(global: &super::Global, args: ImportArgs) -> anyhow::Result<()> {
    let site = super::open_site(global)?;
    let mut files = Vec::new();
    let mut exports = Vec::new();
    let mut sites = Vec::new();
    for p in &args.paths {
        if p.is_file() && p.extension().is_some_and(|e| e.eq_ignore_ascii_case("xml")) {
            exports.push(p.clone());
        } else if let Some(root) = site::content_root(p) {
            let scan = site::scan(&root)?;
            files.extend(scan.files.iter().cloned());
            sites.push(scan);
        } else {
            let mut plain = Vec::new();
            collect(p, &mut plain)?;
            files.extend(plain.into_iter().map(|path| MdFile { path, ..MdFile::default() }));
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let mut links = LinkMap { host: sites.iter().find_map(|s| s.host.clone()), ..LinkMap::default() };
    let claimed = plan::plan(&mut files, &mut links, site.now());
    let mut known = site.slugs()?;
    known.extend(files.iter().filter_map(|f| f.slug.clone().or_else(|| stem(&f.path))));
    known.extend(claimed.iter().map(|s| s.to_string()));
    let mut run = Run {
        site: &site,
        known: known.into_iter().collect(),
        tally: Tally::default(),
        links,
        show_findings: args.findings,
        finding_counts: Default::default(),
        unknown_keys: Default::default(),
    };
    let parsed: Vec<_> = exports.iter().map(|p| (p, wxr::read(p))).collect();
    for (_, export) in &parsed {
        if let Ok((_, items)) = export {
            run.known.extend(items.iter().map(|i| i.article.slug.to_string()));
        }
    }
    run.markdown(&files);
    for scan in &sites {
        scan.report();
    }
    for (path, export) in parsed {
        run.wxr(path, export);
    }
    let dated = |from| files.iter().filter(|f| f.plan.date_from == Some(from)).count();
    let (by_git, by_file) = (dated(run::DateFrom::Git), dated(run::DateFrom::FileTime));
    if by_git + by_file > 0 {
        eprintln!(
            "{} page(s) had no date of their own: dated by their last git commit ({by_git}) or their file's \
             modification time ({by_file})",
            by_git + by_file
        );
    }
    run.print_unknown_keys();
    run.print_findings();
    let t = &run.tally;
    let noun = if exports.is_empty() { "files" } else { "articles" };
    let skipped =
        if t.skipped > 0 { format!(", {} skipped (not articles)", t.skipped) } else { String::new() };
    println!(
        "imported {} {noun}: {} created, {} updated, {} unchanged, {} failed{skipped}",
        t.total(),
        t.created,
        t.updated,
        t.unchanged,
        t.failed
    );
    if t.created + t.updated > 0 {
        index_imported(&site)?;
    }
    if t.failed > 0 {
        anyhow::bail!("{} of {} {noun} failed to import", t.failed, t.total());
    }
    Ok(())
}

/// Brings the search index up to date in the same run, so the first `serve` answers at once.
fn index_imported(site: &crate::app::Site) -> anyhow::Result<()> {
    use crate::app::search::IndexUpdate;
    let bar = ProgressBar::new(0);
    let update = site.update_search_index(&|done, total| {
        bar.set_length(total);
        bar.set_position(done);
    })?;
    bar.finish_and_clear();
    match update {
        IndexUpdate::Rebuilt(n) => println!("search index built: {n} articles"),
        IndexUpdate::CaughtUp(n) => println!("search index updated: {n} changes"),
        IndexUpdate::LeftToServer => println!("the running server updates its search index itself"),
    }
    Ok(())
}
