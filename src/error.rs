//! The errors a command can end with, and the exit code each one means.

use std::fmt;
use std::path::PathBuf;

/// Exit codes, documented in README.md and `--help`.
pub(crate) mod exit_code {
    /// Published, or nothing to do.
    pub(crate) const OK: u8 = 0;
    /// The data have findings that block publishing; nothing was published.
    pub(crate) const DATA_FINDINGS: u8 = 1;
    /// The pipeline file or the command line is wrong, or the tool failed.
    pub(crate) const CONFIG: u8 = 2;
    /// A source could not be fetched or read.
    pub(crate) const SOURCE: u8 = 3;
    /// Another run holds the lock of the output folder.
    pub(crate) const LOCKED: u8 = 4;
}

/// One problem in a pipeline file, at its place.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct ConfigProblem {
    pub(crate) file: PathBuf,
    /// 1-based line and column; absent when the problem is about the file as a whole.
    pub(crate) line: Option<usize>,
    pub(crate) column: Option<usize>,
    /// Dotted path of the key, e.g. `indicator.spid.ratio.per`.
    pub(crate) key: String,
    pub(crate) message: String,
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
pub(crate) enum Error {
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
    /// The table library (polars) refused an operation; `context` says on what.
    #[error("{context}: {message}")]
    TableLibrary { context: String, message: String },
    /// A JSON document could not be written or read; `context` names it.
    #[error("{context}: {message}")]
    Json { context: String, message: String },
    /// A page template could not be compiled or rendered.
    #[error("{context}: {message}")]
    Template { context: String, message: String },
    /// The RDF library refused the catalog graph or could not serialize it.
    #[error("{context}: {message}")]
    Rdf { context: String, message: String },
    /// A file the tool keeps (the history) does not read back as it was written.
    #[error("{}: {message}", file.display())]
    Damaged { file: PathBuf, message: String },
    /// The tool broke one of its own invariants: a bug, not a problem of the input.
    #[error("internal error: {0}")]
    Internal(String),
    #[error("{0}")]
    Usage(String),
    /// Another run of the same pipeline is publishing into the same folder.
    #[error("another run holds the lock on {} ({holder}); this run stops without waiting", folder.display())]
    Locked { folder: PathBuf, holder: String },
}

impl Error {
    pub(crate) fn exit_code(&self) -> u8 {
        match self {
            Error::Config(_)
            | Error::Usage(_)
            | Error::TableLibrary { .. }
            | Error::Json { .. }
            | Error::Template { .. }
            | Error::Rdf { .. }
            | Error::Internal(_)
            | Error::Damaged { .. }
            | Error::Io(_) => exit_code::CONFIG,
            Error::Source { .. } => exit_code::SOURCE,
            Error::Locked { .. } => exit_code::LOCKED,
        }
    }

    pub(crate) fn table(context: impl Into<String>, error: impl fmt::Display) -> Self {
        Error::TableLibrary {
            context: context.into(),
            message: error.to_string(),
        }
    }

    pub(crate) fn json(context: impl Into<String>, error: impl fmt::Display) -> Self {
        Error::Json {
            context: context.into(),
            message: error.to_string(),
        }
    }

    pub(crate) fn template(context: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Template {
            context: context.into(),
            message: message.into(),
        }
    }

    pub(crate) fn rdf(context: impl Into<String>, error: impl fmt::Display) -> Self {
        Error::Rdf {
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

pub(crate) type Result<T, E = Error> = std::result::Result<T, E>;
