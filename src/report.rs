//! The run report: what was read, computed, checked and published, with every finding; as
//! JSON in the release and as plain text on the terminal.

use serde::{Deserialize, Serialize};

use crate::indicator::Check;
use crate::text::format_en;
use crate::validate::{Finding, Severity};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Published,
    /// Findings blocked publishing.
    Blocked,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceSummary {
    pub name: String,
    pub kind: String,
    /// What the source is, in Italian.
    pub label: String,
    pub location: String,
    pub observations: usize,
    pub comuni: usize,
    pub projects: usize,
    /// Every file or URL read, with size, SHA-256, rows and, for URLs, retrieval.
    pub files: Vec<crate::source::ReadFile>,
    /// The source stage's fingerprint, and whether it ran or was skipped.
    pub fingerprint: String,
    pub reason: crate::stage::Reason,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OutputFile {
    /// Path inside the release.
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub pipeline: String,
    pub run_time: String,
    pub status: Status,
    pub sources: Vec<SourceSummary>,
    pub territories: usize,
    pub observations: usize,
    pub indicator_rows: usize,
    pub checks: Vec<Check>,
    pub findings: Vec<Finding>,
    pub outputs: Vec<OutputFile>,
}

impl Report {
    pub fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count()
    }

    pub fn warnings(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Warning)
            .count()
    }

    pub fn to_json(&self) -> String {
        // Serializing plain structs and vectors cannot fail; an empty object is never written
        // because the fields are all serializable values.
        serde_json::to_string_pretty(self).unwrap_or_else(|_| String::from("{}")) + "\n"
    }
}

/// One line saying whether a recomputed figure agrees with the published one, and what the
/// published figure implies when it does not.
pub fn render_check(check: &Check) -> String {
    let decimals = decimals_of(check.published).max(decimals_of(check.computed));
    let mut line = format!(
        "{} {} {}: recomputed {}",
        check.indicator,
        check.territory,
        check.period,
        format_en(check.computed, decimals)
    );
    if let (Some(numerator), Some(denominator)) = (check.numerator, check.denominator) {
        line.push_str(&format!(
            " from {} / {}",
            format_en(numerator, decimals_of(numerator)),
            format_en(denominator, decimals_of(denominator))
        ));
        if let Some(label) = &check.denominator_label {
            line.push_str(&format!(" ({label})"));
        }
    }
    line.push_str(&format!(
        ", published {} (`{}`): {}",
        format_en(check.published, decimals),
        check.published_measure,
        if check.agrees { "agrees" } else { "DISAGREES" }
    ));
    if let (Some(implied), Some(denominator)) = (check.implied_denominator, check.denominator) {
        line.push_str(&format!(
            "; the published figure implies a denominator of about {}, {}% of the {} used",
            format_en(implied, 0),
            format_en(implied / denominator * 100.0, 1),
            format_en(denominator, 0)
        ));
    }
    if !check.agrees
        && let Some(note) = &check.note
    {
        line.push_str(&format!("; note: {note}"));
    }
    line
}

/// The decimals a figure needs to be printed as it is (at most 4).
fn decimals_of(value: f64) -> u8 {
    (0..4)
        .find(|&d| crate::text::round_to(value, d) == value)
        .unwrap_or(4)
}
