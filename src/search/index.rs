//! Opening, recreating and writing the index.
//!
//! The index is derived data, so every doubtful state on open (no index, another schema
//! version, unreadable files) ends in a fresh empty index and an [`OpenOutcome`] telling the
//! caller to re-fill it, never in a panic or a server that cannot start. Writes commit and
//! reload the reader before returning, so the next search sees them.
//!
//! Every commit records, in tantivy's commit payload, the position in the store's change log
//! that the index reflects ([`SearchIndex::position`]). The caller passes it with each write, so
//! the documents and the position move together in one commit, and a process that opens the
//! index later knows exactly which writes it still has to apply.

use std::fs;
use std::io::Write;
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::sync::{Mutex, PoisonError};

use tantivy::directory::error::LockError;
use tantivy::indexer::{LogMergePolicy, NoMergePolicy};
use tantivy::schema::Schema;
use tantivy::{Index, IndexReader, IndexSettings, IndexWriter, ReloadPolicy, TantivyError, Term};

use super::analyzer::{self, Analyzers};
use super::schema::{self, Fields, SCHEMA_VERSION, VERSION_FILE};
use super::{OpenOutcome, Result, SearchDoc, SearchError};

/// Indexing memory per writer thread. The budget is a flush threshold, not an allocation made
/// up front, so an idle writer costs little; a rebuild commits every [`REBUILD_BATCH`] documents,
/// well before a thread reaches it.
const WRITER_BYTES_PER_THREAD: usize = 40 * 1024 * 1024;
/// Documents a rebuild commits at a time. tantivy queues up to 10,000 documents for its indexing
/// threads, and a reader of the store fills that queue faster than they empty it: 10,000 articles
/// held whole cost ~250 MB. A commit waits for the queue to drain, so this bounds it.
const REBUILD_BATCH: u64 = 1_000;
/// The payload of a rebuild's intermediate commits: no position, so an index left half rebuilt
/// (the process stopped) is rebuilt at the next start rather than caught up.
const REBUILDING: &str = "rebuilding";
/// How often [`SearchIndex::replace_all`] reports progress.
const PROGRESS_EVERY: u64 = 1_000;
/// The commit payload's prefix: `changes:SEQ`.
const POSITION_PREFIX: &str = "changes:";

/// A full-text index of articles. `Send + Sync`: share one in an `Arc`; searches run in
/// parallel, writes are serialised on an internal lock.
pub struct SearchIndex {
    pub(super) index: Index,
    pub(super) reader: IndexReader,
    pub(super) fields: Fields,
    /// Template cloned by each search (tantivy analyzers need `&mut`).
    pub(super) analyzers: Analyzers,
    /// Created on first write: tantivy allows one writer per index (a lock file), and a process
    /// that only searches should not take it.
    writer: Mutex<Option<IndexWriter>>,
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> SearchError + '_ {
    move |source| SearchError::Io { path: path.to_path_buf(), source }
}

fn engine_err(e: TantivyError) -> SearchError {
    match e {
        TantivyError::LockFailure(LockError::LockBusy, _) => SearchError::Locked,
        other => SearchError::Engine(other),
    }
}

/// Whether `name` is a file tantivy (or this module) writes into an index directory. Only such
/// files are deleted on rebuild, so a mis-configured path never loses unrelated data.
fn is_index_file(name: &str) -> bool {
    if name == "meta.json" || name == ".managed.json" || name == VERSION_FILE {
        return true;
    }
    let bytes = name.as_bytes();
    bytes.len() > 33 && bytes[32] == b'.' && bytes[..32].iter().all(u8::is_ascii_hexdigit)
}

fn wipe(dir: &Path) -> Result<()> {
    for entry in fs::read_dir(dir).map_err(io_err(dir))? {
        let entry = entry.map_err(io_err(dir))?;
        let is_file = entry.file_type().map_err(io_err(dir))?.is_file();
        if is_file && entry.file_name().to_str().is_some_and(is_index_file) {
            let path = entry.path();
            fs::remove_file(&path).map_err(io_err(&path))?;
        }
    }
    Ok(())
}

fn write_version(dir: &Path) -> Result<()> {
    let tmp = dir.join(format!("{VERSION_FILE}.tmp"));
    let path = dir.join(VERSION_FILE);
    let mut f = fs::File::create(&tmp).map_err(io_err(&tmp))?;
    f.write_all(format!("{SCHEMA_VERSION}\n").as_bytes()).map_err(io_err(&tmp))?;
    f.sync_all().map_err(io_err(&tmp))?;
    fs::rename(&tmp, &path).map_err(io_err(&path))
}

/// Opens an existing index and checks that it is usable with this build's schema.
fn try_open(dir: &Path, expected: &Schema, fields: Fields) -> Result<SearchIndex> {
    let index = Index::open_in_dir(dir)?;
    if index.schema() != *expected {
        return Err(SearchError::Engine(TantivyError::SchemaError(
            "fields differ from this build's schema".to_string(),
        )));
    }
    let idx = SearchIndex::from_index(index, fields)?;
    // Touch what a search touches, so a damaged segment is found now rather than per query.
    let searcher = idx.reader.searcher();
    for segment in searcher.segment_readers() {
        for field in [fields.title, fields.body, fields.spell, fields.tag] {
            segment.inverted_index(field)?;
        }
        segment.get_store_reader(1).map_err(TantivyError::from)?;
        segment.fast_fields().i64("published")?;
    }
    Ok(idx)
}

/// Index settings: the document store is kept uncompressed in small blocks. Every search reads
/// the stored fields of its ten hits; with LZ4 blocks of 16 KB that decompression was the
/// largest single cost of a search over HTTP. Uncompressed, a look-up copies one document
/// (its 8 KB excerpt and a few short fields) and the store grows by about half.
fn settings() -> IndexSettings {
    IndexSettings {
        docstore_compression: tantivy::store::Compressor::None,
        docstore_blocksize: 4 * 1024,
        ..IndexSettings::default()
    }
}

impl SearchIndex {
    fn from_index(index: Index, fields: Fields) -> Result<SearchIndex> {
        analyzer::register(index.tokenizers());
        // No block cache: hits are spread over the whole store, so a cache mostly costs a
        // shared lock and a copy per look-up (blocks are small and uncompressed, see `settings`).
        // Reloaded by hand after each write of ours, so a rebuild's batches are never searched.
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .doc_store_cache_num_blocks(0)
            .try_into()?;
        Ok(SearchIndex { index, reader, fields, analyzers: Analyzers::default(), writer: Mutex::new(None) })
    }

    fn create(dir: &Path) -> Result<SearchIndex> {
        let (schema, fields) = schema::build();
        wipe(dir)?;
        let index = Index::builder().schema(schema).settings(settings()).create_in_dir(dir)?;
        write_version(dir)?;
        SearchIndex::from_index(index, fields)
    }

    /// Opens the index in `dir` (created if needed). A missing index is created, a stale or
    /// corrupt one recreated empty; the outcome says which, so the caller can re-fill and log.
    /// Errors only when the directory itself cannot be used (permissions, disk).
    pub fn open(dir: &Path) -> Result<(SearchIndex, OpenOutcome)> {
        fs::create_dir_all(dir).map_err(io_err(dir))?;
        if !dir.join("meta.json").exists() {
            return Ok((SearchIndex::create(dir)?, OpenOutcome::Created));
        }
        let (schema, fields) = schema::build();
        let reason = match fs::read_to_string(dir.join(VERSION_FILE)) {
            Ok(v) if v.trim() == SCHEMA_VERSION => {
                // tantivy can panic on damaged files (e.g. one shorter than its footer); for a
                // derived index that is one more kind of corruption, not a reason to crash.
                let attempt = panic::catch_unwind(AssertUnwindSafe(|| try_open(dir, &schema, fields)));
                match attempt {
                    Ok(Ok(idx)) => return Ok((idx, OpenOutcome::Opened)),
                    Ok(Err(e)) => format!("index unreadable: {e}"),
                    Err(_) => "index unreadable: a damaged file made the engine panic".to_string(),
                }
            }
            Ok(v) => format!("schema version {:?}, this build uses {SCHEMA_VERSION:?}", v.trim()),
            Err(e) => format!("schema version file unreadable: {e}"),
        };
        Ok((SearchIndex::create(dir)?, OpenOutcome::Rebuilt { reason }))
    }

    /// An empty index in memory, for tests and tools.
    pub fn open_in_ram() -> Result<SearchIndex> {
        let (schema, fields) = schema::build();
        let index = Index::builder().schema(schema).settings(settings()).create_in_ram()?;
        SearchIndex::from_index(index, fields)
    }

    /// Number of searchable articles.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// The change-log position the last commit recorded: every store write up to it is in the
    /// index. `None` for a new index, or one written before positions were recorded; the
    /// caller then fills it from the store.
    pub fn position(&self) -> Result<Option<i64>> {
        let metas = self.index.load_metas()?;
        Ok(metas
            .payload
            .as_deref()
            .and_then(|p| p.strip_prefix(POSITION_PREFIX))
            .and_then(|n| n.parse().ok()))
    }

    /// Commits the writer's pending operations with `position` as the recorded change-log
    /// position (`None` keeps the one recorded before).
    fn commit_at(&self, w: &mut IndexWriter, position: Option<i64>) -> Result<()> {
        let position = match position {
            Some(p) => Some(p),
            None => self.position()?,
        };
        let mut prepared = w.prepare_commit()?;
        if let Some(p) = position {
            prepared.set_payload(&format!("{POSITION_PREFIX}{p}"));
        }
        prepared.commit()?;
        Ok(())
    }

    /// Runs `f` with the writer (created on first use). On error the uncommitted operations are
    /// rolled back, so a failed batch never leaks into a later commit.
    fn with_writer<T>(&self, f: impl FnOnce(&mut IndexWriter) -> Result<T>) -> Result<T> {
        let mut guard = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        if self.writer.is_poisoned() {
            // A panic mid-batch left unknown pending operations: start from the last commit.
            *guard = None;
            self.writer.clear_poison();
        }
        if guard.is_none() {
            let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
            let writer = self
                .index
                .writer_with_num_threads(threads, threads * WRITER_BYTES_PER_THREAD)
                .map_err(engine_err)?;
            *guard = Some(writer);
        }
        let writer = guard.as_mut().expect("the writer was created just above");
        let result = f(writer);
        if result.is_err() {
            // The original error matters more than a failed rollback.
            let _ = writer.rollback();
        }
        drop(guard);
        let value = result?;
        self.reader.reload()?;
        Ok(value)
    }

    /// Replaces the whole index with `docs` (the `reindex` command and first start), recording
    /// `position` (see [`SearchIndex::position`]; `None` keeps the recorded one). Searches
    /// keep seeing the old contents until the new ones are committed. `progress` receives the
    /// number of documents added so far, every 1,000 and at the end. Ends with a merge into one
    /// segment, because a rebuilt index is searched far more often than it is rebuilt.
    pub fn replace_all(
        &self,
        docs: impl Iterator<Item = Result<SearchDoc>>,
        position: Option<i64>,
        progress: &dyn Fn(u64),
    ) -> Result<()> {
        let fields = self.fields;
        self.with_writer(|w| {
            w.set_merge_policy(Box::new(NoMergePolicy));
            let result = (|| {
                w.delete_all_documents()?;
                let mut n = 0u64;
                for doc in docs {
                    // An error stops the rebuild before its final commit; the writer rolls back to
                    // the last batch, which records no position, so the next start rebuilds.
                    w.add_document(schema::to_document(&fields, &doc?))?;
                    n += 1;
                    if n.is_multiple_of(PROGRESS_EVERY) {
                        progress(n);
                    }
                    if n.is_multiple_of(REBUILD_BATCH) {
                        let mut batch = w.prepare_commit()?;
                        batch.set_payload(REBUILDING);
                        batch.commit()?;
                    }
                }
                progress(n);
                self.commit_at(w, position)?;
                let ids = self.index.searchable_segment_ids()?;
                if ids.len() > 1 {
                    w.merge(&ids).wait()?;
                }
                w.garbage_collect_files().wait()?;
                Ok(())
            })();
            w.set_merge_policy(Box::<LogMergePolicy>::default());
            result
        })
    }

    /// In one commit: removes `deletes` and adds or replaces `upserts` by slug (unknown slugs
    /// are ignored), and records `position` (`None` keeps the recorded one). Visible to the next
    /// search when this returns; on error nothing of it is committed.
    pub fn apply(&self, upserts: &[SearchDoc], deletes: &[String], position: Option<i64>) -> Result<()> {
        let fields = self.fields;
        self.with_writer(|w| {
            for slug in deletes {
                w.delete_term(Term::from_field_text(fields.slug, slug));
            }
            for doc in upserts {
                w.delete_term(Term::from_field_text(fields.slug, &doc.slug));
                w.add_document(schema::to_document(&fields, doc))?;
            }
            self.commit_at(w, position)
        })
    }

    /// Makes another process's commits visible to searches here (the writer's own are at once).
    pub fn reload(&self) -> Result<()> {
        Ok(self.reader.reload()?)
    }

    /// Adds or replaces articles by slug, keeping the recorded position.
    pub fn upsert(&self, docs: &[SearchDoc]) -> Result<()> {
        self.apply(docs, &[], None)
    }

    /// Removes articles by slug (unknown slugs are ignored), keeping the recorded position.
    pub fn delete(&self, slugs: &[String]) -> Result<()> {
        self.apply(&[], slugs, None)
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::super::fixtures::*;
    use super::super::{OpenOutcome, SearchError, SearchRequest};
    use super::*;

    #[test]
    fn only_index_files_are_recognised_for_deletion() {
        assert!(is_index_file("meta.json"));
        assert!(is_index_file("0123456789abcdef0123456789abcdef.idx"));
        assert!(is_index_file("0123456789abcdef0123456789abcdef.12.del"));
        assert!(!is_index_file("site.sqlite"));
        assert!(!is_index_file("0123456789abcdef0123456789abcdef"));
        assert!(!is_index_file(".tantivy-writer.lock"));
    }

    #[test]
    fn search_index_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<SearchIndex>();
    }

    #[test]
    fn upserts_are_visible_to_the_next_search_and_replace_by_slug() {
        let index = ram_index(&corpus());
        assert_eq!(search(&index, "zebrafish").total, 0);
        index.upsert(&[doc("new", "Zebrafish courtship", &[], "fins")]).expect("upsert");
        assert_eq!(slugs(&search(&index, "zebrafish")), vec!["new"]);
        index.upsert(&[doc("new", "Seahorse courtship", &[], "fins")]).expect("upsert");
        assert_eq!(search(&index, "zebrafish").total, 0);
        assert_eq!(search(&index, "courtship").total, 1, "the slug was replaced, not duplicated");
    }

    #[test]
    fn deleted_articles_disappear_from_results() {
        let index = ram_index(&corpus());
        index.delete(&["resume".to_string(), "unknown-slug".to_string()]).expect("delete");
        assert_eq!(search(&index, "resume").total, 0);
        assert_eq!(index.num_docs(), u64::try_from(corpus().len() - 1).expect("small"));
    }

    #[test]
    fn replace_all_swaps_the_contents_and_reports_progress() {
        let index = ram_index(&corpus());
        let seen = Cell::new(0);
        let docs = (0..2500).map(|i| doc(&format!("n{i}"), "Narwhal", &[], "tusk"));
        index.replace_all(docs.map(Ok), None, &|n| seen.set(n)).expect("replace");
        assert_eq!(seen.get(), 2500);
        assert_eq!(search(&index, "attachment").total, 0);
        let narwhals = search(&index, "narwhal");
        assert_eq!((narwhals.total, narwhals.total_exact), (1000, false), "counted up to 1,000");
        let deep = index.search(&SearchRequest {
            text: "narwhal".into(),
            page: 250,
            per_page: 10,
            ..SearchRequest::default()
        });
        assert_eq!(deep.expect("search").hits.len(), 10, "the last page is still there");
    }

    #[test]
    fn a_missing_index_is_created_and_a_current_one_reopened_with_its_documents() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("search");
        {
            let (index, outcome) = SearchIndex::open(&dir).expect("open");
            assert_eq!(outcome, OpenOutcome::Created);
            index.upsert(&corpus()).expect("upsert");
        }
        let (index, outcome) = SearchIndex::open(&dir).expect("reopen");
        assert_eq!(outcome, OpenOutcome::Opened);
        assert_eq!(slugs(&search(&index, "posttraumatic")).first(), Some(&REFERENCE));
    }

    fn filled_dir() -> (tempfile::TempDir, std::path::PathBuf) {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().to_path_buf();
        let (index, _) = SearchIndex::open(&dir).expect("open");
        index.upsert(&corpus()).expect("upsert");
        (tmp, dir)
    }

    fn assert_rebuilt_empty(dir: &std::path::Path) {
        let (index, outcome) = SearchIndex::open(dir).expect("open must recover");
        assert!(matches!(outcome, OpenOutcome::Rebuilt { .. }), "{outcome:?}");
        assert_eq!(index.num_docs(), 0);
        index.upsert(&[reference()]).expect("the rebuilt index is writable");
        assert_eq!(search(&index, "intimacy").total, 1);
    }

    #[test]
    fn an_index_with_a_stale_schema_version_is_recreated_empty() {
        let (_tmp, dir) = filled_dir();
        fs::write(dir.join(schema::VERSION_FILE), "zeroopposite-search 0\n").expect("write");
        fs::write(dir.join("keep-me.txt"), "not ours").expect("write");
        assert_rebuilt_empty(&dir);
        assert!(dir.join("keep-me.txt").exists(), "unrelated files survive a rebuild");
    }

    #[test]
    fn an_index_with_corrupt_metadata_is_recreated_empty() {
        let (_tmp, dir) = filled_dir();
        fs::write(dir.join("meta.json"), "{ this is not json").expect("write");
        assert_rebuilt_empty(&dir);
    }

    #[test]
    fn an_index_with_a_truncated_segment_file_is_recreated_empty() {
        let (_tmp, dir) = filled_dir();
        for entry in fs::read_dir(&dir).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "idx" || e == "store" || e == "term") {
                fs::write(&path, b"garbage").expect("truncate");
            }
        }
        assert_rebuilt_empty(&dir);
    }

    #[test]
    fn the_change_log_position_is_committed_with_the_documents_and_survives_reopening() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("search");
        {
            let (index, _) = SearchIndex::open(&dir).expect("open");
            assert_eq!(index.position().expect("position"), None, "a new index reflects nothing yet");
            index.replace_all(corpus().into_iter().map(Ok), Some(7), &|_| {}).expect("fill");
            assert_eq!(index.position().expect("position"), Some(7));
            index.upsert(&[doc("kept", "Kept position", &[], "x")]).expect("upsert");
            assert_eq!(index.position().expect("position"), Some(7), "a write without a position keeps it");
            index.apply(&[doc("new", "Walrus", &[], "tusk")], &["resume".into()], Some(9)).expect("apply");
        }
        let (index, outcome) = SearchIndex::open(&dir).expect("reopen");
        assert_eq!(outcome, OpenOutcome::Opened);
        assert_eq!(index.position().expect("position"), Some(9));
        assert_eq!(slugs(&search(&index, "walrus")), vec!["new"]);
        assert_eq!(search(&index, "resume").total, 0);
    }

    #[test]
    fn a_second_writer_on_the_same_directory_is_refused_not_blocked() {
        let (_tmp, dir) = filled_dir();
        let (first, _) = SearchIndex::open(&dir).expect("open");
        first.upsert(&[reference()]).expect("first writer");
        let (second, outcome) = SearchIndex::open(&dir).expect("readers may open");
        assert_eq!(outcome, OpenOutcome::Opened);
        assert!(matches!(second.upsert(&[reference()]), Err(SearchError::Locked)));
        assert_eq!(search(&second, "intimacy").total, 1);
    }
}
