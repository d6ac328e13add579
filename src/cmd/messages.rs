//! `zeroopposite messages list|show ID|export`: the contact inbox for operators until the web inbox exists.

use super::report::escape_terminal;
use crate::domain::MessageStatus;
use crate::store::StoredMessage;
use anyhow::Context;
use clap::{Args, Subcommand, ValueEnum};
use std::io::Write;

/// Arguments of `messages`.
#[derive(Debug, Args)]
pub struct MessagesArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: Action,
}

/// `messages` subcommands.
#[derive(Debug, Subcommand)]
pub enum Action {
    /// One line per message, newest first.
    List {
        /// Only messages with this status (new, handled, spam).
        #[arg(long)]
        status: Option<String>,
    },
    /// One message in full.
    Show {
        /// Message id.
        id: i64,
    },
    /// All messages as JSON or CSV on standard output.
    Export {
        /// Output format.
        #[arg(long, value_enum, default_value = "json")]
        format: Format,
        /// Only messages with this status.
        #[arg(long)]
        status: Option<String>,
    },
}

/// Export formats.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    /// A JSON array.
    Json,
    /// CSV with a header row.
    Csv,
}

/// Runs a `messages` subcommand.
pub fn execute(global: &super::Global, args: MessagesArgs) -> anyhow::Result<()> {
    let site = super::open_site(global)?;
    let status = |s: &Option<String>| -> anyhow::Result<Option<MessageStatus>> {
        s.as_deref()
            .map(|s| {
                MessageStatus::parse(s)
                    .with_context(|| format!("unknown status {s:?}; use new, handled or spam"))
            })
            .transpose()
    };
    let mut out = std::io::stdout().lock();
    match args.action {
        Action::List { status: s } => {
            for m in site.inbox(None, status(&s)?)? {
                let first = m.body.lines().next().unwrap_or("");
                let preview: String = first.chars().take(60).collect();
                writeln!(
                    out,
                    "{:>6}  {}  {:<10} {:<7} {}",
                    m.id,
                    m.received_at.date(),
                    m.kind.as_str(),
                    m.status.as_str(),
                    escape_terminal(&preview)
                )?;
            }
        }
        Action::Show { id } => {
            let m = match site.message_with_answer(id) {
                Ok((m, _)) => m,
                Err(crate::app::AppError::NotFound) => anyhow::bail!("there is no message {id}"),
                Err(e) => return Err(e.into()),
            };
            show(&mut out, &m)?;
        }
        Action::Export { format, status: s } => {
            let messages = site.inbox(None, status(&s)?)?;
            match format {
                Format::Json => {
                    serde_json::to_writer_pretty(&mut out, &messages)?;
                    writeln!(out)?;
                }
                Format::Csv => {
                    let mut w = csv::Writer::from_writer(out);
                    w.write_record([
                        "id",
                        "received_at",
                        "kind",
                        "status",
                        "name",
                        "email",
                        "body",
                        "spam_reason",
                    ])?;
                    for m in &messages {
                        w.write_record([
                            m.id.to_string(),
                            m.received_at.to_string(),
                            m.kind.as_str().to_owned(),
                            m.status.as_str().to_owned(),
                            inert_cell(m.name.as_deref().unwrap_or_default()),
                            inert_cell(m.email.as_deref().unwrap_or_default()),
                            inert_cell(&m.body),
                            inert_cell(m.spam_reason.as_deref().unwrap_or_default()),
                        ])?;
                    }
                    w.flush()?;
                }
            }
        }
    }
    Ok(())
}

/// A reader's text as a spreadsheet cell that is never a formula: a cell starting with `=`, `+`,
/// `-`, `@`, a tab or a carriage return gets a leading `'` (OWASP's advice against CSV injection), so
/// `=HYPERLINK(…)` in a message shows as text when an editor opens the export.
fn inert_cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_owned() }
}

fn show(out: &mut impl Write, m: &StoredMessage) -> std::io::Result<()> {
    writeln!(out, "Message #{}", m.id)?;
    writeln!(out, "Received: {}", m.received_at)?;
    writeln!(out, "Kind:     {}", m.kind.as_str())?;
    writeln!(out, "Status:   {}", m.status.as_str())?;
    if let Some(r) = &m.spam_reason {
        writeln!(out, "Held as spam: {}", escape_terminal(r))?;
    }
    writeln!(out, "Name:     {}", escape_terminal(m.name.as_deref().unwrap_or("(none)")))?;
    writeln!(out, "E-mail:   {}", escape_terminal(m.email.as_deref().unwrap_or("(none)")))?;
    writeln!(out, "\n{}", escape_terminal(&m.body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_that_a_spreadsheet_would_run_are_made_text() {
        assert_eq!(
            inert_cell("=HYPERLINK(\"https://x.example\",\"hi\")"),
            "'=HYPERLINK(\"https://x.example\",\"hi\")"
        );
        for bad in ["+1", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            assert!(inert_cell(bad).starts_with('\''), "{bad:?}");
        }
        assert_eq!(inert_cell("Hello = world"), "Hello = world");
    }

    #[test]
    fn terminal_escapes_are_neutralised() {
        assert_eq!(escape_terminal("a\u{1b}[31mb\r\n"), "a\\u{1b}[31mb\\u{d}\n");
        assert_eq!(escape_terminal("<script>"), "<script>");
    }
}
