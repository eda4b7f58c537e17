//! Progress bars for a person at a terminal (downloads, sources, pages); nothing at all when
//! stdout is not a terminal, as under cron.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

use crate::message::Message;

/// A bar of `len` steps, drawn on stderr only when stdout is a terminal.
pub(crate) fn bar(len: u64, what: &Message) -> ProgressBar {
    if !std::io::stdout().is_terminal() || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    let style = ProgressStyle::with_template(&format!(
        "{{spinner}} {what} [{{bar:30}}] {{pos}}/{{len}} {{msg}}"
    ))
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar
}

/// A counter of steps whose number is not known in advance (pages as they are written).
pub(crate) fn counter(what: &Message) -> ProgressBar {
    if !std::io::stdout().is_terminal() || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    let style = ProgressStyle::with_template(&format!("{{spinner}} {what} {{pos}} {{msg}}"))
        .unwrap_or_else(|_| ProgressStyle::default_spinner());
    bar.set_style(style);
    bar
}

/// A byte counter for a download of `len` bytes (or unknown length).
pub(crate) fn bytes(len: Option<u64>, what: &str) -> ProgressBar {
    if !std::io::stdout().is_terminal() || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = match len {
        Some(len) => ProgressBar::new(len),
        None => ProgressBar::new_spinner(),
    };
    let style = ProgressStyle::with_template(&format!(
        "{{spinner}} {what} {{bytes}}/{{total_bytes}} {{bytes_per_sec}}"
    ))
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar
}
