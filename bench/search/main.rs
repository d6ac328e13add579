//! Search benchmark: builds an index of a generated corpus with the real `search` module and
//! measures build time, size on disk and query latency including the snippets of every hit.
//! See `bench/search/README.md` for how to run it.

// The module is compiled in from its source, so the benchmark measures exactly the code the
// server runs and builds even while the rest of the crate does not. Items the benchmark does
// not call (deletes, the RAM index) are dead code here only.
#[allow(dead_code, unused_imports, reason = "the benchmark uses only part of the module's API")]
#[path = "../../src/search/mod.rs"]
mod search;

mod corpus;

/// The server's allocator, so that latencies here are the ones the server sees.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::cell::{Cell, RefCell};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use search::{SearchIndex, SearchRequest};

struct Args {
    corpus: PathBuf,
    queries: PathBuf,
    index: Option<PathBuf>,
    limit: Option<usize>,
    rounds: usize,
    skip_build: bool,
}

const USAGE: &str = "usage: search-bench --corpus SITE_DIR --queries FILE [--index DIR [--skip-build]] [--limit N] [--rounds R]";

fn parse_args() -> Result<Args, String> {
    let mut it = std::env::args().skip(1);
    let (mut corpus, mut queries, mut index, mut limit, mut rounds) = (None, None, None, None, 3);
    let mut skip_build = false;
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value\n{USAGE}"));
        match flag.as_str() {
            "--corpus" => corpus = Some(PathBuf::from(value()?)),
            "--queries" => queries = Some(PathBuf::from(value()?)),
            "--index" => index = Some(PathBuf::from(value()?)),
            "--limit" => limit = Some(value()?.parse().map_err(|e| format!("--limit: {e}"))?),
            "--rounds" => rounds = value()?.parse().map_err(|e| format!("--rounds: {e}"))?,
            "--skip-build" => skip_build = true,
            "-h" | "--help" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    Ok(Args {
        corpus: corpus.ok_or(USAGE)?,
        queries: queries.ok_or(USAGE)?,
        index,
        limit,
        rounds: rounds.max(1),
        skip_build,
    })
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten().filter_map(|e| e.metadata().ok()).filter(|m| m.is_file()).map(|m| m.len()).sum()
        })
        .unwrap_or(0)
}

/// Peak resident memory of this process (Linux), in MiB.
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// The query with two adjacent letters of its longest word swapped ("attachment" →
/// "attachmnet"), or unchanged when no word has five letters.
fn with_typo(q: &str) -> String {
    let longest = q.split_whitespace().max_by_key(|w| w.len()).unwrap_or("");
    let chars: Vec<char> = longest.chars().collect();
    if chars.len() < 5 {
        return q.to_string();
    }
    let mut swapped = chars.clone();
    let mid = chars.len() / 2;
    swapped.swap(mid, mid + 1);
    let typo: String = swapped.into_iter().collect();
    q.replacen(longest, &typo, 1)
}

/// (minor, major) page faults of this process so far (Linux; zeros elsewhere). Major faults
/// during the timed rounds mean index pages were read from disk, i.e. a cold cache.
fn page_faults() -> (u64, u64) {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the parenthesised command name: state is field 3, minflt 10, majflt 12.
    let rest = stat.rsplit_once(')').map_or("", |r| r.1);
    let f: Vec<u64> = rest.split_whitespace().map(|x| x.parse().unwrap_or(0)).collect();
    (f.get(7).copied().unwrap_or(0), f.get(9).copied().unwrap_or(0))
}

/// The 1-minute load average (Linux), to show how busy the machine was during the timings.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".to_string())
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn us(d: Duration) -> String {
    format!("{:.0} µs", d.as_secs_f64() * 1e6)
}

struct Run {
    label: &'static str,
    sorted: Vec<Duration>,
    /// Per query, its fastest round, sorted: filters out preemption by other processes on a
    /// shared machine while keeping the real spread between cheap and expensive queries.
    best_sorted: Vec<Duration>,
    hits: usize,
    fuzzy: usize,
    /// (time, query) of the slowest single searches.
    slowest: Vec<(Duration, String)>,
    /// (minor, major) page faults during the run.
    faults: (u64, u64),
}

fn run_queries(
    index: &SearchIndex,
    queries: &[String],
    per_page: usize,
    rounds: usize,
    label: &'static str,
) -> Result<Run, String> {
    let mut times = Vec::with_capacity(queries.len() * rounds);
    let mut by_query: Vec<(Duration, &String)> = Vec::with_capacity(queries.len() * rounds);
    let mut best = vec![Duration::MAX; queries.len()];
    let (mut hits, mut fuzzy) = (0, 0);
    let faults_before = page_faults();
    for round in 0..rounds {
        for (i, q) in queries.iter().enumerate() {
            let req = SearchRequest { text: q.clone(), tag: None, page: 1, per_page };
            let t = Instant::now();
            let r = index.search(&req).map_err(|e| format!("query {q:?}: {e}"))?;
            times.push(t.elapsed());
            by_query.push((t.elapsed(), q));
            best[i] = best[i].min(t.elapsed());
            if round == 0 {
                hits += r.hits.len();
                fuzzy += usize::from(r.fuzzy);
            }
        }
    }
    let faults_after = page_faults();
    let faults = (faults_after.0 - faults_before.0, faults_after.1 - faults_before.1);
    times.sort();
    best.sort();
    by_query.sort_by_key(|b| std::cmp::Reverse(b.0));
    let slowest = by_query.iter().take(5).map(|(d, q)| (*d, (*q).clone())).collect();
    Ok(Run { label, sorted: times, best_sorted: best, hits, fuzzy, slowest, faults })
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    let mut paths =
        corpus::article_paths(&args.corpus).map_err(|e| format!("{}: {e}", args.corpus.display()))?;
    if let Some(n) = args.limit {
        paths.truncate(n);
    }
    let queries: Vec<String> = std::fs::read_to_string(&args.queries)
        .map_err(|e| format!("{}: {e}", args.queries.display()))?
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();

    let (dir, temporary) = match &args.index {
        Some(d) => (d.clone(), false),
        None => (std::env::temp_dir().join(format!("zo-search-bench-{}", std::process::id())), true),
    };
    let (index, outcome) = SearchIndex::open(&dir).map_err(|e| e.to_string())?;
    let n_docs = paths.len();
    eprintln!("index at {} ({outcome:?}); indexing {n_docs} articles…", dir.display());

    // Files are parsed lazily inside the iterator, as the store would stream rows, so the peak
    // memory is the indexer's and not that of 100,000 parsed articles.
    let parse_time = Cell::new(Duration::ZERO);
    let text_bytes = Cell::new(0usize);
    let failure: RefCell<Option<String>> = RefCell::new(None);
    let docs = paths.iter().filter_map(|p| {
        let t = Instant::now();
        let parsed = corpus::parse_article(p);
        parse_time.set(parse_time.get() + t.elapsed());
        match parsed {
            Ok(d) => {
                text_bytes.set(text_bytes.get() + d.body_text.len() + d.title.len() + d.description.len());
                Some(d)
            }
            Err(e) => {
                failure.borrow_mut().get_or_insert_with(|| format!("{}: {e}", p.display()));
                None
            }
        }
    });
    let t = Instant::now();
    let added_at = Cell::new(Duration::ZERO);
    let progress = |n: u64| {
        added_at.set(t.elapsed());
        if n.is_multiple_of(20_000) {
            eprintln!("  {n}");
        }
    };
    let skipped = args.skip_build && index.num_docs() > 0;
    if skipped {
        eprintln!("--skip-build: searching the existing {} documents", index.num_docs());
    } else {
        index.replace_all(docs.map(Ok), None, &progress).map_err(|e| e.to_string())?;
    }
    let build_time = t.elapsed();
    // Flush the freshly written files, so that their write-back does not disturb the timings.
    let _ = std::process::Command::new("sync").status();
    if let Some(e) = failure.into_inner() {
        return Err(e);
    }
    let parse_time = parse_time.get();
    let add_time = added_at.get().saturating_sub(parse_time);
    let finish_time = build_time.saturating_sub(added_at.get());
    let size = dir_size(&dir);
    let typos: Vec<String> = queries.iter().map(|q| with_typo(q)).collect();

    let load_before = load_average();
    // Warm-up round (not measured): first-touch page faults of the freshly mapped files.
    run_queries(&index, &queries, 10, 1, "warm-up")?;
    let runs = [
        run_queries(&index, &queries, 10, args.rounds, "top 10 with snippets")?,
        run_queries(&index, &queries, 1, args.rounds, "top 1 with snippet")?,
        run_queries(&index, &typos, 10, args.rounds, "one typo per query, top 10")?,
    ];

    println!("## search benchmark: {n_docs} articles, {} queries × {} rounds\n", queries.len(), args.rounds);
    println!("| measure | value |\n|---|---|");
    if skipped {
        println!("| articles | {} (existing index, build skipped) |", index.num_docs());
    } else {
        println!("| articles | {n_docs} ({:.0} MB of text) |", text_bytes.get() as f64 / 1e6);
        println!("| replace_all wall time, parsing included | {:.2} s |", build_time.as_secs_f64());
        println!(
            "| … parsing Markdown files (in the iterator, main thread) | {:.2} s |",
            parse_time.as_secs_f64()
        );
        println!("| … handing documents to the indexing threads | {:.2} s |", add_time.as_secs_f64());
        println!(
            "| … after the last document: finish indexing, commit, merge to one segment | {:.2} s |",
            finish_time.as_secs_f64()
        );
    }
    println!("| index size on disk | {:.1} MB |", size as f64 / 1e6);
    println!("| load average (1 min) before / after the queries | {load_before} / {} |", load_average());
    if let Some(rss) = peak_rss_mib() {
        println!("| peak RSS of the benchmark process | {rss:.0} MiB |");
    }
    println!(
        "\n| query latency | p50 | p90 | p99 | max | mean | hits/query | fuzzy |\n|---|---|---|---|---|---|---|---|"
    );
    for r in &runs {
        for (label, sorted) in [
            (r.label.to_string(), &r.sorted),
            (format!("… best of {} per query", args.rounds), &r.best_sorted),
        ] {
            let mean =
                sorted.iter().sum::<Duration>() / u32::try_from(sorted.len().max(1)).unwrap_or(u32::MAX);
            println!(
                "| {label} | {} | {} | {} | {} | {} | {:.1} | {} |",
                us(percentile(sorted, 50.0)),
                us(percentile(sorted, 90.0)),
                us(percentile(sorted, 99.0)),
                us(sorted.last().copied().unwrap_or_default()),
                us(mean),
                r.hits as f64 / queries.len().max(1) as f64,
                r.fuzzy,
            );
        }
    }
    for r in &runs {
        let list: Vec<String> = r.slowest.iter().map(|(d, q)| format!("{q:?} {}", us(*d))).collect();
        println!(
            "\n{}: page faults minor {} / major {}; slowest: {}",
            r.label,
            r.faults.0,
            r.faults.1,
            list.join(", ")
        );
    }
    for q in queries.iter().take(1).chain(typos.iter().take(1)) {
        let r = index
            .search(&SearchRequest { text: q.clone(), ..SearchRequest::default() })
            .map_err(|e| e.to_string())?;
        let first = r.hits.first().map_or("-", |h| h.snippet_html.as_str());
        println!(
            "\nexample: {q:?} → {}{} results, fuzzy {}, suggestion {:?}; first snippet: {first}",
            if r.total_exact { "" } else { "more than " },
            r.total,
            r.fuzzy,
            r.suggestion
        );
    }
    drop(index);
    if temporary {
        let _ = std::fs::remove_dir_all(&dir);
    }
    Ok(())
}
