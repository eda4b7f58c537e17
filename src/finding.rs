//! Findings about data: what is wrong or worth knowing, at its place (file, row, column,
//! value) and with the rule that found it. Every stage collects them instead of stopping at the
//! first; errors block publishing, warnings are reported.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::message::Message;
use crate::msg;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Severity {
    /// Blocks publishing.
    Error,
    /// Published anyway, and reported.
    Warning,
}

/// One problem in the data, at its place.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub(crate) struct Finding {
    pub(crate) severity: Severity,
    /// Snake_case name of the rule, stable for scripts: `unknown_territory`, `not_a_number`, ...
    pub(crate) rule: String,
    pub(crate) file: Option<String>,
    /// 1-based data row (the first row after the header is 1).
    pub(crate) row: Option<usize>,
    pub(crate) column: Option<String>,
    pub(crate) value: Option<String>,
    pub(crate) message: Message,
}

impl Finding {
    pub(crate) fn error(rule: &str, message: impl Into<Message>) -> Self {
        Finding {
            severity: Severity::Error,
            rule: rule.to_owned(),
            file: None,
            row: None,
            column: None,
            value: None,
            message: message.into(),
        }
    }

    pub(crate) fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    pub(crate) fn warning(rule: &str, message: impl Into<Message>) -> Self {
        Finding {
            severity: Severity::Warning,
            ..Finding::error(rule, message)
        }
    }

    pub(crate) fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    pub(crate) fn at_row(mut self, row: usize) -> Self {
        self.row = Some(row);
        self
    }

    pub(crate) fn in_column(mut self, column: impl Into<String>) -> Self {
        self.column = Some(column.into());
        self
    }

    pub(crate) fn with_value(mut self, value: impl Into<String>) -> Self {
        self.value = Some(value.into());
        self
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => msg!("severity_error"),
            Severity::Warning => msg!("severity_warning"),
        };
        write!(f, "{severity}[{}]", self.rule)?;
        if let Some(file) = &self.file {
            write!(f, " {file}")?;
            if let Some(row) = self.row {
                write!(f, ", {}", msg!("finding_row", row = row.to_string()))?;
            }
        }
        if let Some(column) = &self.column {
            write!(f, ", {}", msg!("finding_column", column = column))?;
        }
        if let Some(value) = &self.value {
            write!(
                f,
                ", {}",
                msg!("finding_value", value = format!("{value:?}"))
            )?;
        }
        write!(f, ": {}", self.message)
    }
}
