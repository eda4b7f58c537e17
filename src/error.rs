//! The errors a command can end with, and the exit code each one means.

use std::fmt;
use std::path::PathBuf;

use crate::message::Message;
use crate::msg;

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
    pub(crate) message: Message,
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

#[derive(Debug)]
pub(crate) enum Error {
    Config(Vec<ConfigProblem>),
    /// Reading or writing a file failed; fs_err's messages name the file.
    Io(std::io::Error),
    /// A source could not be read as its kind says.
    Source {
        source_name: String,
        file: PathBuf,
        message: Message,
    },
    /// The table library (polars) refused an operation; `context` says on what.
    TableLibrary {
        context: Message,
        message: String,
    },
    /// A JSON document could not be written or read; `context` names it.
    Json {
        context: Message,
        message: String,
    },
    /// A page template could not be compiled or rendered.
    Template {
        context: Message,
        message: String,
    },
    /// The RDF library refused the catalog graph or could not serialize it.
    Rdf {
        context: Message,
        message: String,
    },
    /// A file the tool keeps (the history) does not read back as it was written.
    Damaged {
        file: PathBuf,
        message: Message,
    },
    /// The tool broke one of its own invariants: a bug, not a problem of the input.
    Internal(String),
    Usage(Message),
    /// Another run of the same pipeline is publishing into the same folder.
    Locked {
        folder: PathBuf,
        holder: String,
    },
}

impl From<std::io::Error> for Error {
    fn from(error: std::io::Error) -> Self {
        Error::Io(error)
    }
}

impl std::error::Error for Error {}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Config(problems) => f.write_str(&render_problems(problems)),
            Error::Io(error) => write!(f, "{}", msg!("file_error", detail = error.to_string())),
            Error::Source {
                source_name,
                file,
                message,
            } => {
                let message = msg!(
                    "source_failed",
                    source = source_name,
                    file = file.display(),
                    detail = message
                );
                write!(f, "{message}")
            }
            Error::TableLibrary { context, message }
            | Error::Json { context, message }
            | Error::Template { context, message }
            | Error::Rdf { context, message } => write!(f, "{context}: {message}"),
            Error::Damaged { file, message } => write!(f, "{}: {message}", file.display()),
            Error::Internal(detail) => write!(f, "{}", msg!("internal_error", detail = detail)),
            Error::Usage(message) => write!(f, "{message}"),
            Error::Locked { folder, holder } => {
                let message = msg!("locked", folder = folder.display(), holder = holder);
                write!(f, "{message}")
            }
        }
    }
}

impl Error {
    /// A stable English code for the error, for log collectors: the message's id where the
    /// error is one message, else the kind of failure.
    pub(crate) fn code(&self) -> &str {
        match self {
            Error::Config(_) => "pipeline_problems",
            Error::Io(_) => "file_error",
            Error::Source { message, .. } => message.id(),
            Error::TableLibrary { .. } => "table_library",
            Error::Json { .. } => "json",
            Error::Template { .. } => "template",
            Error::Rdf { .. } => "rdf",
            Error::Damaged { message, .. } => message.id(),
            Error::Internal(_) => "internal_error",
            Error::Usage(message) => message.id(),
            Error::Locked { .. } => "locked",
        }
    }

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

    pub(crate) fn table(context: impl Into<Message>, error: impl fmt::Display) -> Self {
        Error::TableLibrary {
            context: context.into(),
            message: error.to_string(),
        }
    }

    pub(crate) fn json(context: impl Into<Message>, error: impl fmt::Display) -> Self {
        Error::Json {
            context: context.into(),
            message: error.to_string(),
        }
    }

    pub(crate) fn template(context: impl Into<Message>, message: impl Into<String>) -> Self {
        Error::Template {
            context: context.into(),
            message: message.into(),
        }
    }

    pub(crate) fn rdf(context: impl Into<Message>, error: impl fmt::Display) -> Self {
        Error::Rdf {
            context: context.into(),
            message: error.to_string(),
        }
    }
}

/// Why a file could not be read or written, in the officer's language; the system's own text
/// (in English) for the rarer kinds.
pub(crate) fn io_reason(error: &std::io::Error) -> Message {
    use std::io::ErrorKind;
    match error.kind() {
        ErrorKind::NotFound => msg!("io_not_found"),
        ErrorKind::PermissionDenied => msg!("io_permission_denied"),
        ErrorKind::IsADirectory => msg!("io_is_a_directory"),
        ErrorKind::InvalidData => msg!("io_invalid_data"),
        _ => msg!("io_other", detail = error.to_string()),
    }
}

fn render_problems(problems: &[ConfigProblem]) -> String {
    let mut text = msg!("problems_in_pipeline", count = problems.len()).to_string();
    for problem in problems {
        text.push_str("\n  ");
        text.push_str(&problem.to_string());
    }
    text
}

pub(crate) type Result<T, E = Error> = std::result::Result<T, E>;
