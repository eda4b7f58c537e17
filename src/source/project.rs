//! A project record as its file says it: title, period, status, territories, challenges,
//! partners, funders, source, and KPIs with targets and results by year.

use serde::{Deserialize, Serialize};

/// One project, as its record file says it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ProjectRecord {
    /// snake_case identifier, unique across records.
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) summary: Option<String>,
    /// Year or date of start, as the document gives it; absent when it does not say.
    pub(crate) start: Option<String>,
    pub(crate) end: Option<String>,
    pub(crate) status: ProjectStatus,
    /// ISTAT codes or declared unions.
    pub(crate) territories: Vec<String>,
    /// Challenges of the digital agenda (1-8) the project serves.
    pub(crate) challenges: Vec<u8>,
    #[serde(default)]
    pub(crate) partners: Vec<String>,
    #[serde(default)]
    pub(crate) funders: Vec<String>,
    /// The document the record was written from.
    pub(crate) source: String,
    #[serde(default)]
    pub(crate) kpi: Vec<KpiRecord>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum ProjectStatus {
    #[serde(rename = "previsto")]
    Planned,
    #[serde(rename = "in corso")]
    Running,
    #[serde(rename = "concluso")]
    Completed,
}

impl ProjectStatus {
    pub(crate) fn label_it(self) -> &'static str {
        match self {
            ProjectStatus::Planned => "previsto",
            ProjectStatus::Running => "in corso",
            ProjectStatus::Completed => "concluso",
        }
    }
}

/// A key performance indicator of a project: targets and results by year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct KpiRecord {
    pub(crate) id: String,
    pub(crate) label: String,
    pub(crate) unit: String,
    /// How the target reads: at least, at most, exactly.
    pub(crate) comparator: Option<Comparator>,
    /// The territory results are counted in; needed when the project has several.
    pub(crate) territory: Option<String>,
    pub(crate) values: Vec<KpiValue>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Comparator {
    AtLeast,
    AtMost,
    Exactly,
}

impl Comparator {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Comparator::AtLeast => "at_least",
            Comparator::AtMost => "at_most",
            Comparator::Exactly => "exactly",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct KpiValue {
    pub(crate) year: i32,
    pub(crate) target: Option<f64>,
    pub(crate) actual: Option<f64>,
}
