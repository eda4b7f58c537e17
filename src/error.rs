//! The errors a command can end with, and the exit code each one means.

use std::fmt;
use std::path::PathBuf;

/// Exit codes, documented in README.md and `--help`.
pub mod exit_code {
    /// Published, or nothing to do.
    pub const OK: u8 = 0;
    /// The data have findings that block publishing; nothing was published.
    pub const DATA_FINDINGS: u8 = 1;
    /// The pipeline file or the command line is wrong, or the tool failed.
    pub const CONFIG: u8 = 2;
    /// A source could not be fetched or read.
    pub const SOURCE: u8 = 3;
    /// Another run holds the lock of the output folder.
    pub const LOCKED: u8 = 4;
}

/// One problem in a pipeline file, at its place.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ConfigProblem {
    pub file: PathBuf,
    /// 1-based line and column; absent when the problem is about the file as a whole.
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// Dotted path of the key, e.g. `indicator.spid.ratio.per`.
    pub key: String,
    pub message: String,
}

impl fmt::Display for ConfigProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        if self.key.is_empty() {
            write!(f, ": {}", self.message)
        } else {
            write!(f, ": `{}`: {}", self.key, self.message)
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}", render_problems(.0))]
    Config(Vec<ConfigProblem>),
    /// Reading or writing a file failed; fs_err's messages name the file.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// A source could not be read as its kind says.
    #[error("source `{source_name}` ({file}): {message}")]
    Source {
        source_name: String,
        file: PathBuf,
        message: String,
    },
    /// The table library refused an operation; `context` says on what.
    #[error("{context}: {message}")]
    Table { context: String, message: String },
    #[error("{0}")]
    Usage(String),
    /// Another run of the same pipeline is publishing into the same folder.
    #[error("another run holds the lock on {} ({holder}); this run stops without waiting", folder.display())]
    Locked { folder: PathBuf, holder: String },
}

impl Error {
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Config(_) | Error::Usage(_) | Error::Table { .. } | Error::Io(_) => {
                exit_code::CONFIG
            }
            Error::Source { .. } => exit_code::SOURCE,
            Error::Locked { .. } => exit_code::LOCKED,
        }
    }

    pub fn table(context: impl Into<String>, error: impl fmt::Display) -> Self {
        Error::Table {
            context: context.into(),
            message: error.to_string(),
        }
    }
}

fn render_problems(problems: &[ConfigProblem]) -> String {
    let mut text = format!(
        "{} problem{} in the pipeline:",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    );
    for problem in problems {
        text.push_str("\n  ");
        text.push_str(&problem.to_string());
    }
    text
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
