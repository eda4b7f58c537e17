//! The run report: what was read, computed, checked and published, with every finding; as
//! JSON in the release and as plain text on the terminal.

use serde::{Deserialize, Serialize};

use crate::finding::{Finding, Severity};
use crate::indicator::Check;
use crate::message::Message;
use crate::msg;
use crate::source::ReadFile;
use crate::source::freshness::SourceDates;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ReportStatus {
    Published,
    /// Findings blocked publishing.
    Blocked,
}

/// Why a stage runs, or that it does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Reason {
    /// Nothing of it was kept from an earlier run.
    New,
    ChangedInput,
    ChangedSpec,
    ChangedTool,
    Forced,
    /// Skipped: its fingerprint is the one of its kept result.
    Unchanged,
}

impl Reason {
    pub(crate) fn describe(self) -> Message {
        match self {
            Reason::New => msg!("stage_new"),
            Reason::ChangedInput => msg!("stage_changed_input"),
            Reason::ChangedSpec => msg!("stage_changed_spec"),
            Reason::ChangedTool => msg!("stage_changed_tool"),
            Reason::Forced => msg!("stage_forced"),
            Reason::Unchanged => msg!("stage_unchanged"),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct SourceSummary {
    pub(crate) name: String,
    pub(crate) kind: String,
    /// What the source is, in Italian.
    pub(crate) label: String,
    pub(crate) location: String,
    pub(crate) observations: usize,
    pub(crate) comuni: usize,
    pub(crate) projects: usize,
    /// Every file or URL read, with size, SHA-256, rows and, for URLs, retrieval.
    pub(crate) files: Vec<ReadFile>,
    #[serde(flatten)]
    pub(crate) dates: SourceDates,
    /// The source stage's fingerprint, and whether it ran or was skipped.
    pub(crate) fingerprint: String,
    pub(crate) reason: Reason,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct OutputFile {
    /// Path inside the release.
    pub(crate) path: String,
    pub(crate) bytes: u64,
    pub(crate) sha256: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Report {
    pub(crate) pipeline: String,
    pub(crate) run_time: String,
    pub(crate) status: ReportStatus,
    pub(crate) sources: Vec<SourceSummary>,
    pub(crate) territories: usize,
    pub(crate) observations: usize,
    pub(crate) indicator_rows: usize,
    pub(crate) checks: Vec<Check>,
    pub(crate) findings: Vec<Finding>,
    pub(crate) outputs: Vec<OutputFile>,
}

impl Report {
    pub(crate) fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count()
    }

    pub(crate) fn warnings(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Warning)
            .count()
    }

    pub(crate) fn to_json(&self) -> String {
        // Serializing plain structs and vectors cannot fail; an empty object is never written
        // because the fields are all serializable values.
        serde_json::to_string_pretty(self).unwrap_or_else(|_| String::from("{}")) + "\n"
    }
}
