//! Findings about data (file, row, column, value, rule) and the checks that produce them:
//! table schemas from `schemas/` and the cross-checks of observations against territories.

pub mod schema;

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::observation::Observation;
use crate::territory::Territories;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Blocks publishing.
    Error,
    /// Published anyway, and reported.
    Warning,
}

/// One problem in the data, at its place.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Finding {
    pub severity: Severity,
    /// Snake_case name of the rule, stable for scripts: `unknown_territory`, `not_a_number`, ...
    pub rule: String,
    pub file: Option<String>,
    /// 1-based data row (the first row after the header is 1).
    pub row: Option<usize>,
    pub column: Option<String>,
    pub value: Option<String>,
    pub message: String,
}

impl Finding {
    pub fn error(rule: &str, message: impl Into<String>) -> Self {
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

    pub fn warning(rule: &str, message: impl Into<String>) -> Self {
        Finding {
            severity: Severity::Warning,
            ..Finding::error(rule, message)
        }
    }

    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    pub fn at_row(mut self, row: usize) -> Self {
        self.row = Some(row);
        self
    }

    pub fn in_column(mut self, column: impl Into<String>) -> Self {
        self.column = Some(column.into());
        self
    }

    pub fn with_value(mut self, value: impl Into<String>) -> Self {
        self.value = Some(value.into());
        self
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{severity}[{}]", self.rule)?;
        if let Some(file) = &self.file {
            write!(f, " {file}")?;
            if let Some(row) = self.row {
                write!(f, ", row {row}")?;
            }
        }
        if let Some(column) = &self.column {
            write!(f, ", column `{column}`")?;
        }
        if let Some(value) = &self.value {
            write!(f, ", value {value:?}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Every observation must be about a known territory, and a territory, measure and period
/// must not have two values. The observations come sorted by territory, measure and period
/// ([`crate::observation::sort`]), so that two values of one key are next to each other.
pub fn check_observations<'a>(
    observations: &'a [Observation],
    territories: &Territories,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut known: Option<(&str, bool)> = None;
    let mut first: Option<&Observation> = None;
    for observation in observations {
        let territory = &*observation.territory;
        let is_known = match known {
            Some((code, is_known)) if code == territory => is_known,
            _ => {
                let is_known = territories.contains(territory);
                known = Some((territory, is_known));
                is_known
            }
        };
        if !is_known {
            findings.push(
                Finding::error(
                    "unknown_territory",
                    format!(
                        "territory code {territory} is neither in the list of comuni (or its provinces and \
                         regions) nor a declared union",
                    ),
                )
                .in_file(observation.origin.file())
                .at_row(observation.origin.row())
                .in_column(observation.origin.territory_column())
                .with_value(territory),
            );
        }
        let key = |o: &'a Observation| (&*o.territory, &*o.measure, &*o.period);
        match first {
            Some(seen) if key(seen) == key(observation) => {
                findings.push(
                    Finding::error(
                        "duplicate_observation",
                        format!(
                            "{territory} has a second value for measure `{}`, period {}; the first is in {}, row {}",
                            observation.measure,
                            observation.period,
                            seen.origin.file(),
                            seen.origin.row()
                        ),
                    )
                    .in_file(observation.origin.file())
                    .at_row(observation.origin.row())
                    .with_value(observation.value.to_string()),
                );
            }
            _ => first = Some(observation),
        }
    }
    findings
}
