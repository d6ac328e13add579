//! How commands print: findings in the compiler form, counted nouns, progress bars, and text from
//! readers made safe for a terminal.

use crate::content::checks::Finding;
use indicatif::{ProgressBar, ProgressStyle};

/// One finding in the familiar compiler form.
pub fn human(path: &str, f: &Finding) -> String {
    let mut s =
        format!("{path}:{}:{}: {}[{}]: {}", f.line, f.column, f.severity.as_str(), f.rule.id(), f.message);
    if !f.excerpt.is_empty() {
        s.push_str(&format!("\n    | {}", f.excerpt));
    }
    if let Some(sug) = &f.suggestion {
        s.push_str(&format!("\n    = suggestion: {sug}"));
    }
    s
}

/// A progress bar (indicatif hides it by itself when stderr is not a terminal).
pub fn progress(len: usize) -> ProgressBar {
    ProgressBar::new(len as u64).with_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} {msg} ({eta} left)")
            .expect("the template is valid"),
    )
}

/// `1 post`, `2 posts`, `3 old addresses`.
pub fn plural(n: usize, word: &str) -> String {
    let suffix = if n == 1 {
        ""
    } else if word.ends_with("ss") {
        "es"
    } else {
        "s"
    };
    format!("{n} {word}{suffix}")
}

/// Makes text safe for a terminal: control characters (escape sequences, carriage returns …) are
/// shown as `\u{..}` instead of acting on the terminal. Newlines and tabs are kept.
pub fn escape_terminal(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}
