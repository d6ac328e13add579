//! `zeroopposite backup DIR` and `zeroopposite restore DIR`: a consistent snapshot of the SQLite store
//! taken while the server runs (`VACUUM INTO`, never a file copy of a WAL database), with the secret
//! key beside it; and putting one back into a data dir, which must be empty unless `--force`.

use crate::store::Store;
use anyhow::{Context, bail};
use clap::Args;
use std::path::{Path, PathBuf};

/// Arguments of `backup`.
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where to write the backup: a new or empty folder.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
}

/// Arguments of `restore`.
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// A folder written by `zeroopposite backup`.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Replace the site already in the data dir (stop its server first).
    #[arg(long)]
    pub force: bool,
}

/// The name of the key file in a backup.
const KEY_FILE: &str = "secret.key";

/// Where the site's secret key lives.
fn key_path(config: &crate::config::Config) -> PathBuf {
    config.secret_key_file.clone().unwrap_or_else(|| config.data_dir.join(KEY_FILE))
}

/// Writes the backup and says what it holds.
pub fn backup(global: &super::Global, args: BackupArgs) -> anyhow::Result<()> {
    let config = super::load_config(global, Default::default())?;
    if config.database_url.is_some() {
        bail!(
            "the site is on PostgreSQL: back it up with `pg_dump --format=custom --file=site.dump DATABASE_URL` \
             and keep a copy of the secret key file ({}); README's \"Backups\" says how to restore",
            key_path(&config).display()
        );
    }
    let db = Store::backup_sqlite(&config.data_dir, &args.dir)
        .with_context(|| format!("cannot back up {} to {}", config.data_dir.display(), args.dir.display()))?;
    let check = Store::integrity(&db)?;
    if check != "ok" {
        bail!("{}: the snapshot fails its integrity check: {check}", db.display());
    }
    let key = key_path(&config);
    let with_key = copy_private(&key, &args.dir.join(KEY_FILE))?;
    println!(
        "backed up {} to {} (integrity ok){}",
        config.data_dir.display(),
        db.display(),
        if with_key { ", with the secret key" } else { "" }
    );
    Ok(())
}

/// Puts a backup into the data dir.
pub fn restore(global: &super::Global, args: RestoreArgs) -> anyhow::Result<()> {
    let config = super::load_config(global, Default::default())?;
    if config.database_url.is_some() {
        bail!("the site is on PostgreSQL: restore it with `pg_restore`, as README's \"Backups\" says");
    }
    let data = &config.data_dir;
    let db = args.dir.join("zeroopposite.db");
    if !db.is_file() {
        bail!("{}: no zeroopposite.db here; is it a folder `zeroopposite backup` wrote?", args.dir.display());
    }
    let occupied = std::fs::read_dir(data).map(|mut d| d.next().is_some()).unwrap_or(false);
    if occupied && !args.force {
        bail!(
            "{} is not empty: restoring would replace the site in it. Stop its server and add --force to replace it",
            data.display()
        );
    }
    Store::restore_sqlite(&db, data).with_context(|| format!("cannot restore {}", db.display()))?;
    // The search index described the site that was there; it is rebuilt at the next start.
    let index = data.join("search");
    if index.exists() {
        std::fs::remove_dir_all(&index).with_context(|| format!("cannot remove {}", index.display()))?;
    }
    let with_key = copy_private(&args.dir.join(KEY_FILE), &key_path(&config))?;
    println!(
        "restored {} into {}{}; the search index is rebuilt when the server starts",
        args.dir.display(),
        data.display(),
        if with_key { ", with its secret key" } else { "" }
    );
    Ok(())
}

/// Copies `from` to `to` readable by its owner only; false when there is no `from`.
fn copy_private(from: &Path, to: &Path) -> anyhow::Result<bool> {
    if !from.is_file() {
        return Ok(false);
    }
    std::fs::copy(from, to).with_context(|| format!("cannot copy {} to {}", from.display(), to.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(to, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(true)
}
