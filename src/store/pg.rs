//! The PostgreSQL backend: a pool of blocking connections, each tested when taken, and the glue that
//! lets the store's queries (written once, with `?N` placeholders) run on it.
//!
//! Writes are serialised across every instance by one transaction-scoped advisory lock, taken first
//! in each write transaction. That gives PostgreSQL what SQLite's `BEGIN IMMEDIATE` gives: a
//! check-then-write sequence (is the slug taken? is this the last admin? is this outbox entry still
//! due?) sees no concurrent writer, and change-log entries commit in the order of their sequence
//! numbers, so a reader following `seq > seen` never skips one that commits late. A publication's
//! writes (saves, messages, sign-ins) are few and short; reads, which are most of the load, take no
//! lock.

use super::StoreError;
use super::sql::{Cell, Conn, Dialect, Param, Row, Value, dollar_placeholders};
use futures_executor::block_on;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;
use tokio_postgres::types::{IsNull, ToSql, Type, to_sql_checked};
use tokio_postgres::{AsyncMessage, Client, NoTls, Statement};

/// The advisory lock every write transaction holds (an arbitrary constant: "ZeroOpposite writes").
const WRITE_LOCK: i64 = 0x5a4f_5752;
/// The advisory lock held while a server does first-start work (the demo import).
pub const START_LOCK: i64 = 0x5a4f_5354;
/// The advisory lock held while migrating.
pub const MIGRATE_LOCK: i64 = 0x5a4f_4d49;
/// The channel a committed change-log entry is announced on.
pub const CHANNEL: &str = "zeroopposite_changes";
/// Idle connections kept for reuse.
const MAX_IDLE: usize = 16;
/// How long connecting may take before the database counts as unavailable.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// A pool of connections to one database.
///
/// The driver is tokio-postgres; its connections run on a small runtime of the store's own, and
/// the store's blocking methods wait on them with a plain executor. So the store works the same
/// from a blocking thread, a command-line program or a test's async body, and a server's runtime
/// never drives database I/O.
pub struct Pg {
    rt: Option<tokio::runtime::Runtime>,
    config: tokio_postgres::Config,
    idle: Mutex<Vec<Connection>>,
    url: String,
}

/// A connection with the statements prepared on it.
struct Connection {
    client: Client,
    prepared: HashMap<String, Statement>,
}

/// A connection taken from the pool; back into it when dropped, unless it broke or was left in
/// a transaction (a panic mid-write), in which case it is closed and the server rolls back.
pub struct Lease<'a> {
    pg: &'a Pg,
    conn: Option<Connection>,
    in_transaction: bool,
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        if let Some(c) = self.conn.take()
            && !self.in_transaction
            && !c.client.is_closed()
        {
            let mut idle = self.pg.idle.lock().unwrap_or_else(|p| p.into_inner());
            if idle.len() < MAX_IDLE {
                idle.push(c);
            }
        }
    }
}

impl Drop for Pg {
    fn drop(&mut self) {
        // Without blocking: the store may be dropped on an async thread.
        if let Some(rt) = self.rt.take() {
            rt.shutdown_background();
        }
    }
}

impl Pg {
    /// Connects (at once, so a wrong URL or a down server fails here) and migrates.
    pub fn open(url: &str) -> Result<Pg, StoreError> {
        let mut config: tokio_postgres::Config = url.parse().map_err(|e| StoreError::Url(format!("{e}")))?;
        config.connect_timeout(CONNECT_TIMEOUT);
        if config.get_application_name().is_none() {
            config.application_name("zeroopposite");
        }
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("zo-postgres")
            .enable_all()
            .build()
            .map_err(|e| StoreError::Unavailable(format!("cannot start the database runtime: {e}")))?;
        let pg = Pg { rt: Some(rt), config, idle: Mutex::new(Vec::new()), url: url.to_owned() };
        let lease = pg.get()?;
        block_on(super::migrate::run_postgres(&lease.conn.as_ref().expect("leased").client))?;
        drop(lease);
        Ok(pg)
    }

    fn rt(&self) -> &tokio::runtime::Runtime {
        self.rt.as_ref().expect("the runtime lives as long as the pool")
    }

    /// The URL without its password, for logs.
    pub fn display_url(&self) -> String {
        match url_password_span(&self.url) {
            Some((a, b)) => format!("{}***{}", &self.url[..a], &self.url[b..]),
            None => self.url.clone(),
        }
    }

    /// A new connection, driven on the pool's runtime.
    fn connect(&self) -> Result<Client, StoreError> {
        let config = self.config.clone();
        let task = self.rt().spawn(async move {
            let (client, connection) =
                tokio::time::timeout(CONNECT_TIMEOUT, config.connect(NoTls)).await.map_err(|_| {
                    StoreError::Unavailable("connecting to PostgreSQL timed out".to_owned())
                })??;
            tokio::spawn(async move {
                if let Err(e) = connection.await {
                    tracing::warn!(error = %e, "a PostgreSQL connection ended");
                }
            });
            Ok::<_, StoreError>(client)
        });
        block_on(task).map_err(|e| StoreError::Unavailable(e.to_string()))?
    }

    /// A connection from the pool, or a new one; closed ones are dropped on the way.
    fn get(&self) -> Result<Lease<'_>, StoreError> {
        let reused = {
            let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
            let mut found = None;
            while let Some(c) = idle.pop() {
                if !c.client.is_closed() {
                    found = Some(c);
                    break;
                }
            }
            found
        };
        let conn = match reused {
            Some(c) => c,
            None => Connection { client: self.connect()?, prepared: HashMap::new() },
        };
        Ok(Lease { pg: self, conn: Some(conn), in_transaction: false })
    }

    /// Runs `f` on a connection outside any transaction (each statement commits alone).
    pub fn read<T>(&self, f: impl FnOnce(&mut dyn Conn) -> Result<T, StoreError>) -> Result<T, StoreError> {
        let mut lease = self.get()?;
        f(&mut PgConn(lease.conn.as_mut().expect("leased")))
    }

    /// Runs `f` in a transaction that holds the write lock; commits when `f` returns `Ok`.
    pub fn write<T>(&self, f: impl FnOnce(&mut dyn Conn) -> Result<T, StoreError>) -> Result<T, StoreError> {
        let mut lease = self.get()?;
        lease.in_transaction = true;
        let conn = lease.conn.as_mut().expect("leased");
        block_on(conn.client.batch_execute("BEGIN"))?;
        let result = (|| {
            PgConn(&mut *conn).execute("SELECT pg_advisory_xact_lock(?1)", super::sql::p![WRITE_LOCK])?;
            f(&mut PgConn(&mut *conn))
        })();
        let end = if result.is_ok() { "COMMIT" } else { "ROLLBACK" };
        let ended = block_on(conn.client.batch_execute(end));
        if ended.is_ok() {
            lease.in_transaction = false;
        }
        let out = result?;
        ended?;
        Ok(out)
    }

    /// Runs `f` while this process holds the first-start lock, so instances starting together do
    /// first-start work one after another (the later ones then find it done).
    ///
    /// The lock is held by a connection of its own, never returned to the pool, so that however
    /// `f` ends (even by a panic) closing that connection releases it.
    pub fn exclusively<T>(&self, f: impl FnOnce() -> T) -> Result<T, StoreError> {
        let client = self.connect()?;
        block_on(client.execute("SELECT pg_advisory_lock($1)", &[&START_LOCK]))?;
        let out = f();
        drop(client);
        Ok(out)
    }

    /// Calls `wake` whenever another process (or this one) commits a change-log entry, until the
    /// pool is dropped. Reconnects after errors; a missed announcement only costs latency, since
    /// servers also poll the log.
    pub fn listen(&self, wake: impl Fn() + Send + Sync + 'static) {
        let config = self.config.clone();
        self.rt().spawn(async move {
            let mut backoff = Duration::from_millis(100);
            loop {
                match config.connect(NoTls).await {
                    Ok((client, mut connection)) => {
                        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
                        let driver = tokio::spawn(async move {
                            while let Some(m) = std::future::poll_fn(|cx| connection.poll_message(cx)).await {
                                match m {
                                    Ok(AsyncMessage::Notification(_)) => {
                                        let _ = tx.send(());
                                    }
                                    Ok(_) => {}
                                    Err(e) => {
                                        tracing::warn!(error = %e, "the change-log LISTEN connection failed");
                                        break;
                                    }
                                }
                            }
                        });
                        if client.batch_execute(&format!("LISTEN {CHANNEL}")).await.is_ok() {
                            backoff = Duration::from_millis(100);
                            // Whatever committed while this connection was not listening.
                            wake();
                            while rx.recv().await.is_some() {
                                wake();
                            }
                        }
                        drop(client);
                        let _ = driver.await;
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "cannot open the change-log LISTEN connection; retrying")
                    }
                }
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(Duration::from_secs(5));
            }
        });
    }
}

/// Where the password sits in `postgres://user:password@host/…`, if it has one.
fn url_password_span(url: &str) -> Option<(usize, usize)> {
    let rest = url.find("://")? + 3;
    let at = rest + url[rest..].find('@')?;
    let colon = rest + url[rest..at].find(':')?;
    Some((colon + 1, at))
}

/// A pooled connection as a store [`Conn`]; statements are prepared once per connection.
struct PgConn<'a>(&'a mut Connection);

impl PgConn<'_> {
    fn statement(&mut self, sql: &str) -> Result<Statement, StoreError> {
        if let Some(st) = self.0.prepared.get(sql) {
            return Ok(st.clone());
        }
        let st = block_on(self.0.client.prepare(&dollar_placeholders(sql)))?;
        self.0.prepared.insert(sql.to_owned(), st.clone());
        Ok(st)
    }
}

impl Conn for PgConn<'_> {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn execute(&mut self, sql: &str, params: &[&dyn Param]) -> Result<u64, StoreError> {
        let st = self.statement(sql)?;
        let values = values(params);
        let refs: Vec<&(dyn ToSql + Sync)> = values.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
        Ok(block_on(self.0.client.execute(&st, &refs))?)
    }

    fn query(&mut self, sql: &str, params: &[&dyn Param]) -> Result<Vec<Row>, StoreError> {
        let st = self.statement(sql)?;
        let values = values(params);
        let refs: Vec<&(dyn ToSql + Sync)> = values.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
        let rows = block_on(self.0.client.query(&st, &refs))?;
        rows.iter().map(row).collect()
    }
}

/// Owned copies of the parameters (postgres wants `Sync` values).
fn values(params: &[&dyn Param]) -> Vec<Bound> {
    params
        .iter()
        .map(|p| match p.value() {
            Value::Null => Bound::Null,
            Value::Int(n) => Bound::Int(n),
            Value::Text(s) => Bound::Text(s.to_owned()),
        })
        .collect()
}

/// A parameter as sent to PostgreSQL, converted to whatever type the server inferred for it.
#[derive(Debug)]
enum Bound {
    Null,
    Int(i64),
    Text(String),
}

impl ToSql for Bound {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut tokio_postgres::types::private::BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            Bound::Null => Ok(IsNull::Yes),
            Bound::Int(n) => match *ty {
                Type::INT8 => n.to_sql(ty, out),
                Type::INT4 => i32::try_from(*n)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*n)?.to_sql(ty, out),
                Type::BOOL => (*n != 0).to_sql(ty, out),
                Type::TEXT | Type::VARCHAR => n.to_string().to_sql(ty, out),
                _ => Err(format!("cannot bind an integer as {ty}").into()),
            },
            Bound::Text(s) => s.to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

fn row(r: &tokio_postgres::Row) -> Result<Row, StoreError> {
    let mut cells = Vec::with_capacity(r.len());
    for (i, col) in r.columns().iter().enumerate() {
        let cell = match *col.type_() {
            Type::INT8 => r.try_get::<_, Option<i64>>(i)?.map(Cell::Int),
            Type::INT4 => r.try_get::<_, Option<i32>>(i)?.map(|n| Cell::Int(n.into())),
            Type::INT2 => r.try_get::<_, Option<i16>>(i)?.map(|n| Cell::Int(n.into())),
            Type::BOOL => r.try_get::<_, Option<bool>>(i)?.map(|b| Cell::Int(b.into())),
            Type::TEXT | Type::VARCHAR | Type::NAME | Type::BPCHAR => {
                r.try_get::<_, Option<String>>(i)?.map(Cell::Text)
            }
            ref other => {
                return Err(StoreError::Corrupt(format!("column {}: unsupported type {other}", col.name())));
            }
        };
        cells.push(cell.unwrap_or(Cell::Null));
    }
    Ok(Row(cells))
}

/// Whether a PostgreSQL error could go away on retry: the connection or server went, the server is
/// shutting down or out of resources, or a transaction conflicted.
pub fn is_temporary(e: &tokio_postgres::Error) -> bool {
    if e.is_closed() {
        return true;
    }
    match e.code() {
        Some(code) => {
            let c = code.code();
            c.starts_with("08") || c.starts_with("53") || c.starts_with("57P") || c == "40001" || c == "40P01"
        }
        // No SQL state: the connection failed (I/O, TLS, refused).
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Backend, ChangeKind, Store};

    /// A fresh database on the test server (`ZO_TEST_POSTGRES_URL`, started by `.ci/pg`).
    fn fresh_database(name: &str) -> String {
        let admin = std::env::var("ZO_TEST_POSTGRES_URL").expect(
            "ZO_TEST_POSTGRES_URL is not set: PostgreSQL tests need a server (bash .ci/run starts one)",
        );
        let name = format!("zo_unit_{name}_{}", std::process::id());
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let (client, conn) = tokio_postgres::connect(&admin, NoTls).await.unwrap();
            tokio::spawn(conn);
            client.batch_execute(&format!("DROP DATABASE IF EXISTS {name}")).await.unwrap();
            client.batch_execute(&format!("CREATE DATABASE {name}")).await.unwrap();
        });
        format!("{}/{name}", admin.rsplit_once('/').unwrap().0)
    }

    #[test]
    #[allow(clippy::disallowed_methods, reason = "a test of its own, on the real clock")]
    fn change_log_entries_commit_in_sequence_order() {
        let url = fresh_database("order");
        let store = Store::open_at(&crate::store::Location::Postgres(url)).unwrap();
        let Backend::Postgres(pg) = &store.backend else { unreachable!() };
        let now = time::OffsetDateTime::now_utc();
        let (inserted_tx, inserted) = std::sync::mpsc::channel();
        let (go_tx, go) = std::sync::mpsc::channel::<()>();
        std::thread::scope(|s| {
            // The first writer appends an entry and holds its transaction open.
            let first = s.spawn(move || {
                pg.write(|c| {
                    crate::store::articles::log_change(c, ChangeKind::Reindex, Some("first"), now)?;
                    inserted_tx.send(()).unwrap();
                    go.recv().unwrap();
                    Ok(())
                })
                .unwrap()
            });
            inserted.recv().unwrap();
            // A second writer must wait: were it to take the next number and commit first, a reader
            // that saw its entry would never see the first one's.
            let second = s.spawn(|| store.log_change(ChangeKind::Reindex, now).unwrap());
            let deadline = std::time::Instant::now() + Duration::from_secs(10);
            let queued = loop {
                let waiting: i64 = pg
                    .read(|c| {
                        c.query_one(
                            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted",
                            crate::store::sql::p![],
                        )?
                        .get(0)
                    })
                    .unwrap();
                if waiting == 1 || std::time::Instant::now() > deadline {
                    break waiting == 1;
                }
                std::thread::yield_now();
            };
            let visible = store.change_seq().unwrap();
            go_tx.send(()).unwrap();
            first.join().unwrap();
            second.join().unwrap();
            assert!(queued, "the second writer never queued for the lock");
            assert_eq!(visible, 0, "nothing is visible while the first is open");
        });
        let changes = store.changes_since(0).unwrap();
        assert_eq!(changes.len(), 2);
        assert_eq!(changes[0].slug.as_deref(), Some("first"), "the first to append has the lower number");
        assert!(changes[0].seq < changes[1].seq);
    }

    #[test]
    fn the_password_is_hidden_in_logs() {
        let span = url_password_span("postgres://zo:s3cret@db.example/zo").unwrap();
        assert_eq!(&"postgres://zo:s3cret@db.example/zo"[span.0..span.1], "s3cret");
        assert_eq!(url_password_span("postgres://zo@db/zo"), None);
        assert_eq!(url_password_span("postgres://db/zo"), None);
    }
}
