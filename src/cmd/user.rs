//! `zeroopposite user add NAME --role admin|editor | passwd NAME | list | remove NAME`: editors' accounts.
//! Works on the store alone, so it can run while the server is up.

use crate::domain::Role;
use anyhow::{Context, bail};
use clap::{Args, Subcommand, ValueEnum};
use std::io::BufRead;

/// Arguments of `user`.
#[derive(Debug, Args)]
pub struct UserArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: Action,
}

/// Roles on the command line.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RoleArg {
    /// Everything, including accounts and emptying the trash.
    Admin,
    /// Writes, publishes, answers messages.
    Editor,
}

/// `user` subcommands.
#[derive(Debug, Subcommand)]
pub enum Action {
    /// Create an account; the password is asked for (or read from standard input).
    Add {
        /// Account name (letters, digits, '.', '-', '_').
        name: String,
        /// What the account may do.
        #[arg(long, value_enum)]
        role: RoleArg,
        /// Read the password from the first line of standard input instead of prompting.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set an account's password (its sessions end).
    Passwd {
        /// Account name.
        name: String,
        /// Read the password from the first line of standard input instead of prompting.
        #[arg(long)]
        password_stdin: bool,
    },
    /// List accounts.
    List,
    /// Remove an account (never the last admin).
    Remove {
        /// Account name.
        name: String,
    },
}

/// Runs a `user` subcommand.
pub fn execute(global: &super::Global, args: UserArgs) -> anyhow::Result<()> {
    let site = super::open_site(global)?;
    match args.action {
        Action::Add { name, role, password_stdin } => {
            let role = match role {
                RoleArg::Admin => Role::Admin,
                RoleArg::Editor => Role::Editor,
            };
            let password = read_password(password_stdin, true)?;
            let name = site.add_user(&name, role, &password)?;
            println!("added {name} ({role})");
        }
        Action::Passwd { name, password_stdin } => {
            let password = read_password(password_stdin, true)?;
            site.set_user_password(&name, &password)?;
            println!("password changed for {}; its sessions were ended", name.trim().to_lowercase());
        }
        Action::List => {
            for u in site.users()? {
                println!("{:<24} {:<7} since {}", u.name.as_str(), u.role.as_str(), u.created.date());
            }
        }
        Action::Remove { name } => {
            site.remove_user(&name)?;
            println!("removed {}", name.trim().to_lowercase());
        }
    }
    Ok(())
}

/// The new password: the first line of standard input, or typed twice at a prompt without echo.
fn read_password(from_stdin: bool, confirm: bool) -> anyhow::Result<String> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("cannot read the password from standard input")?;
        return Ok(line.trim_end_matches(['\n', '\r']).to_owned());
    }
    let first = rpassword::prompt_password("Password: ")
        .context("cannot read the password (use --password-stdin)")?;
    if confirm {
        let again = rpassword::prompt_password("Password again: ")?;
        if again != first {
            bail!("the two passwords differ");
        }
    }
    Ok(first)
}
