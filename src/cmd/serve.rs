//! `zeroopposite serve`: open the store, follow its change log, serve HTTP until SIGINT/SIGTERM.

use crate::app::App;
use crate::config::Overrides;
use anyhow::Context;
use clap::Args;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;

/// How often the server checks the store's change log for writes by other processes.
const POLL: Duration = Duration::from_millis(250);

/// Arguments of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "ZO_ADDR", value_parser = parse_addr, value_name = "HOST:PORT")]
    pub addr: Option<SocketAddr>,
}

/// Runs the server.
pub async fn execute(global: &super::Global, args: ServeArgs) -> anyhow::Result<()> {
    let config = super::load_config(global, Overrides { addr: args.addr, ..Overrides::default() })?;
    let addr = config.addr;
    let data = config.data_dir.clone();
    let app = tokio::task::spawn_blocking(move || App::open(config))
        .await?
        .with_context(|| format!("cannot open the site in {}", data.display()))?;
    let listener = TcpListener::bind(addr).await.with_context(|| format!("cannot listen on {addr}"))?;
    tracing::info!(
        "serving http://{} (data in {}, database {})",
        listener.local_addr()?,
        data.display(),
        app.store_description()
    );
    run(Arc::new(app), listener, crate::http::shutdown_signal()).await?;
    Ok(())
}

/// Serves `app` on `listener` with its background tasks until `shutdown`. Tests call this with port 0.
pub async fn run(
    app: Arc<App>,
    listener: TcpListener,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let watcher = tokio::spawn(follow_changes(app.clone()));
    let chores = tokio::spawn(chores(app.clone()));
    let outbox = tokio::spawn(deliver_outbox(app.clone()));
    let scheduler = tokio::spawn(publish_scheduled(app.clone()));
    let timeout = Duration::from_secs(app.config().read_timeout_secs.get());
    let result =
        crate::http::serve(listener, app.clone(), crate::http::router(app.clone()), timeout, shutdown).await;
    watcher.abort();
    chores.abort();
    outbox.abort();
    scheduler.abort();
    // Searches counted since the last periodic flush.
    if let Ok(Err(e)) = tokio::task::spawn_blocking(move || app.flush_insights()).await {
        tracing::warn!(error = %e, "could not write search insights at shutdown");
    }
    result
}

/// Follows the change log so pages written by another process (an `import`, another instance) show
/// without a restart: woken at once where the store announces commits (PostgreSQL's NOTIFY), and
/// polling every [`POLL`] regardless, so a missed announcement costs latency, never data.
async fn follow_changes(app: Arc<App>) {
    let announced = Arc::new(tokio::sync::Notify::new());
    let wake = announced.clone();
    app.on_store_change(move || wake.notify_one());
    let mut tick = tokio::time::interval(POLL);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = announced.notified() => {}
        }
        let a = app.clone();
        match tokio::task::spawn_blocking(move || a.refresh_if_changed()).await {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => tracing::warn!(error = %e, "could not read the change log"),
            Err(e) => tracing::error!(error = %e, "change follower panicked"),
        }
    }
}

/// How often counted searches are written to the store.
const INSIGHTS_FLUSH: Duration = Duration::from_secs(5);

/// Housekeeping: hourly retention of messages, insights and sessions; pruning recovered rate-limit entries;
/// writing counted searches.
async fn chores(app: Arc<App>) {
    let mut tick = tokio::time::interval(Duration::from_secs(3600));
    let mut prune = tokio::time::interval(Duration::from_secs(60));
    let mut insights = tokio::time::interval_at(tokio::time::Instant::now() + INSIGHTS_FLUSH, INSIGHTS_FLUSH);
    loop {
        tokio::select! {
            _ = tick.tick() => {
                let a = app.clone();
                let now = app.now();
                let retention = move || {
                    a.apply_retention(now).and_then(|n| Ok(n + a.apply_insights_retention(now)? + a.prune_sessions()?))
                };
                match tokio::task::spawn_blocking(retention).await {
                    Ok(Ok(n)) if n > 0 => tracing::info!(deleted = n, "deleted rows past their retention period"),
                    Ok(Ok(_)) => {}
                    Ok(Err(e)) => tracing::warn!(error = %e, "retention failed"),
                    Err(e) => tracing::error!(error = %e, "retention panicked"),
                }
            }
            _ = prune.tick() => app.prune_rate_limits(),
            _ = insights.tick() => {
                let a = app.clone();
                if let Ok(Err(e)) = tokio::task::spawn_blocking(move || a.flush_insights()).await {
                    tracing::warn!(error = %e, "could not write search insights");
                }
            }
        }
    }
}

/// How often due scheduled articles are published: an article goes out at most this long after its time.
const SCHEDULE_TICK: Duration = Duration::from_secs(10);

/// Publishes scheduled articles whose time has come (time from the app's clock, so tests control it).
async fn publish_scheduled(app: Arc<App>) {
    let mut tick = tokio::time::interval(SCHEDULE_TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let a = app.clone();
        match tokio::task::spawn_blocking(move || a.publish_due(a.now())).await {
            Ok(Ok(done)) if !done.is_empty() => {
                tracing::info!(articles = done.len(), "scheduled articles published")
            }
            Ok(Ok(_)) => {}
            Ok(Err(e)) => tracing::warn!(error = %e, "publishing scheduled articles failed; will retry"),
            Err(e) => tracing::error!(error = %e, "scheduler panicked"),
        }
    }
}

/// Sends e-mail notifications from the outbox, retrying with back-off; idle when SMTP is not configured.
async fn deliver_outbox(app: Arc<App>) {
    let Some(smtp) = app.config().contact.smtp.clone() else {
        return;
    };
    let mut tick = tokio::time::interval(Duration::from_millis(smtp.poll_ms.get()));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let a = app.clone();
        match tokio::task::spawn_blocking(move || a.deliver_outbox(a.now())).await {
            Ok(Ok((sent, _))) if sent > 0 => tracing::info!(sent, "notifications sent"),
            Ok(Ok(_)) => {}
            Ok(Err(e)) => tracing::warn!(error = %e, "outbox failed"),
            Err(e) => tracing::error!(error = %e, "outbox panicked"),
        }
    }
}

/// Parses `--addr` values.
pub fn parse_addr(s: &str) -> Result<SocketAddr, String> {
    s.parse().map_err(|_| format!("{s:?} is not an address like 127.0.0.1:8080"))
}
