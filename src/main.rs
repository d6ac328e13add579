//! The `zeroopposite` binary: parse arguments, start logging, dispatch, set the exit code.

use clap::Parser;
use zeroopposite::cli::{Cli, Command};
use zeroopposite::cmd;

/// mimalloc instead of the system allocator: a search allocates and frees many short-lived
/// buffers (documents, snippets, responses) across threads, where glibc's malloc showed up as
/// about a tenth of the server's CPU time.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false)
        .init();
    let result = match cli.command {
        None => serve(&cli.global, cmd::serve::ServeArgs { addr: None }),
        Some(Command::Serve(args)) => serve(&cli.global, args),
        Some(Command::Import(args)) => cmd::import::execute(&cli.global, args),
        Some(Command::Export(args)) => cmd::export::execute(&cli.global, args),
        Some(Command::Check(args)) => cmd::check::execute(&cli.global, args),
        Some(Command::Reindex(args)) => cmd::reindex::execute(&cli.global, args),
        Some(Command::Insights(args)) => cmd::insights::execute(&cli.global, args),
        Some(Command::Messages(args)) => cmd::messages::execute(&cli.global, args),
        Some(Command::User(args)) => cmd::user::execute(&cli.global, args),
        Some(Command::Migrate(args)) => cmd::migrate::execute(&cli.global, args),
        Some(Command::Backup(args)) => cmd::backup::backup(&cli.global, args),
        Some(Command::Restore(args)) => cmd::backup::restore(&cli.global, args),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn serve(global: &cmd::Global, args: cmd::serve::ServeArgs) -> anyhow::Result<()> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(cmd::serve::execute(global, args))
}
