//! The `project_records` source kind: a folder of project records, one TOML or JSON file per
//! project (title, period, territories, challenges, partners, funders, KPIs with targets and
//! results by year). KPI values become observations `kpi.<project>.<kpi>.target|actual`.

use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::error::{ConfigProblem, Error, Result};
use crate::observation::{Observation, Origin};
use crate::source::{self, Ingested, Paths, SourceSpec};
use crate::spec::Item;
use crate::validate::Finding;

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct ProjectRecordsSpec {
    /// Folder of `*.toml` and `*.json` records, relative to the pipeline file's folder.
    pub dir: Spanned<String>,
}

#[derive(Debug, Clone)]
pub struct ProjectRecordsSource {
    pub dir: PathBuf,
}

/// One project, as its record file says it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectRecord {
    /// snake_case identifier, unique across records.
    pub id: String,
    pub title: String,
    pub summary: Option<String>,
    /// Year or date of start, as the document gives it; absent when it does not say.
    pub start: Option<String>,
    pub end: Option<String>,
    pub status: ProjectStatus,
    /// ISTAT codes or declared unions.
    pub territories: Vec<String>,
    /// Challenges of the digital agenda (1-8) the project serves.
    pub challenges: Vec<u8>,
    #[serde(default)]
    pub partners: Vec<String>,
    #[serde(default)]
    pub funders: Vec<String>,
    /// The document the record was written from.
    pub source: String,
    #[serde(default)]
    pub kpi: Vec<KpiRecord>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProjectStatus {
    #[serde(rename = "previsto")]
    Planned,
    #[serde(rename = "in corso")]
    Running,
    #[serde(rename = "concluso")]
    Completed,
}

impl ProjectStatus {
    pub fn label_it(self) -> &'static str {
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
pub struct KpiRecord {
    pub id: String,
    pub label: String,
    pub unit: String,
    /// How the target reads: at least, at most, exactly.
    pub comparator: Option<Comparator>,
    /// The territory results are counted in; needed when the project has several.
    pub territory: Option<String>,
    pub values: Vec<KpiValue>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Comparator {
    AtLeast,
    AtMost,
    Exactly,
}

impl Comparator {
    pub fn as_str(self) -> &'static str {
        match self {
            Comparator::AtLeast => "at_least",
            Comparator::AtMost => "at_most",
            Comparator::Exactly => "exactly",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KpiValue {
    pub year: i32,
    pub target: Option<f64>,
    pub actual: Option<f64>,
}

/// The measure a KPI's target or actual is published under.
pub fn kpi_measure(project: &str, kpi: &str, part: &str) -> String {
    format!("kpi.{project}.{kpi}.{part}")
}

impl ProjectRecordsSource {
    pub fn check(
        item: &Item<SourceSpec>,
        spec: &ProjectRecordsSpec,
        base: &Paths,
    ) -> std::result::Result<Self, Vec<ConfigProblem>> {
        let dir = source::resolve_path(item, "project_records.dir", &spec.dir, base, true)
            .map_err(|p| vec![p])?;
        Ok(ProjectRecordsSource { dir })
    }

    pub fn ingest(&self, name: &str) -> Result<Ingested> {
        let mut ingested = Ingested::default();
        let read_error = |error: std::io::Error| Error::Source {
            source_name: name.to_owned(),
            file: self.dir.clone(),
            message: error.to_string(),
        };
        let mut files: Vec<PathBuf> = fs_err::read_dir(&self.dir)
            .map_err(read_error)?
            .map(|entry| entry.map(|e| e.path()))
            .collect::<std::io::Result<_>>()
            .map_err(read_error)?;
        files.retain(|path| {
            matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("toml" | "json")
            )
        });
        files.sort();
        if files.is_empty() {
            ingested.findings.push(
                Finding::error(
                    "empty_folder",
                    "no project records (*.toml, *.json) in the folder",
                )
                .in_file(self.dir.display().to_string()),
            );
        }
        let mut seen_ids = std::collections::BTreeMap::new();
        for path in files {
            let label = path.display().to_string();
            let text = match fs_err::read_to_string(&path) {
                Ok(text) => text,
                Err(error) if error.kind() == std::io::ErrorKind::InvalidData => {
                    ingested.findings.push(
                        Finding::error("encoding", "a project record must be UTF-8")
                            .in_file(&label),
                    );
                    continue;
                }
                Err(error) => {
                    return Err(Error::Source {
                        source_name: name.to_owned(),
                        file: path.clone(),
                        message: error.to_string(),
                    });
                }
            };
            let parsed: std::result::Result<ProjectRecord, String> =
                if path.extension().and_then(|e| e.to_str()) == Some("json") {
                    serde_json::from_str(&text).map_err(|e| e.to_string())
                } else {
                    toml::from_str(&text).map_err(|e| e.to_string())
                };
            let record = match parsed {
                Ok(record) => record,
                Err(message) => {
                    ingested.findings.push(
                        Finding::error("invalid_record", message.trim().replace('\n', " "))
                            .in_file(&label),
                    );
                    continue;
                }
            };
            let before = ingested.findings.len();
            check_record(&record, &label, &mut ingested.findings);
            if let Some(first) = seen_ids.insert(record.id.clone(), label.clone()) {
                ingested.findings.push(
                    Finding::error(
                        "duplicate_project",
                        format!("project id `{}` is also used by {first}", record.id),
                    )
                    .in_file(&label),
                );
            }
            if ingested.findings.len() > before {
                continue;
            }
            push_kpi_observations(&record, &label, &mut ingested.observations);
            ingested.projects.push(record);
        }
        Ok(ingested)
    }
}

fn check_record(record: &ProjectRecord, label: &str, findings: &mut Vec<Finding>) {
    let mut problem = |column: &str, message: String| {
        findings.push(
            Finding::error("invalid_record", message)
                .in_file(label)
                .in_column(column),
        );
    };
    if !crate::text::is_snake_case(&record.id) {
        problem("id", format!("`{}` is not snake_case", record.id));
    }
    if record.territories.is_empty() {
        problem(
            "territories",
            "a project names at least one territory".into(),
        );
    }
    if record.challenges.is_empty() || record.challenges.iter().any(|c| !(1..=8).contains(c)) {
        problem(
            "challenges",
            "challenges are numbers from 1 to 8, at least one".into(),
        );
    }
    for kpi in &record.kpi {
        if !crate::text::is_snake_case(&kpi.id) {
            problem("kpi.id", format!("`{}` is not snake_case", kpi.id));
        }
        if kpi.territory.is_none() && record.territories.len() > 1 {
            problem(
                "kpi.territory",
                format!(
                    "KPI `{}`: the project has several territories; say which one its results are counted in",
                    kpi.id
                ),
            );
        }
        if let Some(territory) = &kpi.territory
            && !record.territories.contains(territory)
        {
            problem(
                "kpi.territory",
                format!(
                    "KPI `{}`: {territory} is not among the project's territories",
                    kpi.id
                ),
            );
        }
        if kpi
            .values
            .iter()
            .any(|v| v.target.is_none() && v.actual.is_none())
        {
            problem(
                "kpi.values",
                format!(
                    "KPI `{}`: each year has a target, an actual value, or both",
                    kpi.id
                ),
            );
        }
        let mut years: Vec<i32> = kpi.values.iter().map(|v| v.year).collect();
        years.sort_unstable();
        if years.windows(2).any(|w| w[0] == w[1]) {
            problem(
                "kpi.values",
                format!("KPI `{}`: a year is given twice", kpi.id),
            );
        }
    }
}

fn push_kpi_observations(record: &ProjectRecord, label: &str, observations: &mut Vec<Observation>) {
    let place = crate::observation::Place::new(&Arc::from(label), &Arc::from("territories"));
    for kpi in &record.kpi {
        let territory = kpi
            .territory
            .clone()
            .unwrap_or_else(|| record.territories[0].clone());
        for value in &kpi.values {
            for (part, number) in [("target", value.target), ("actual", value.actual)] {
                if let Some(number) = number {
                    observations.push(Observation {
                        territory: territory.as_str().into(),
                        measure: kpi_measure(&record.id, &kpi.id, part).into(),
                        period: value.year.to_string().into(),
                        value: number,
                        unit: kpi.unit.as_str().into(),
                        source: record.title.as_str().into(),
                        origin: Origin::new(&place, 1),
                    });
                }
            }
        }
    }
}

/// The records as the published `projects` table, in id order.
pub fn projects_table(records: &[ProjectRecord]) -> crate::table::Table {
    let mut sorted: Vec<&ProjectRecord> = records.iter().collect();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));
    let text = |get: &dyn Fn(&ProjectRecord) -> Option<String>| {
        sorted.iter().map(|r| get(r)).collect::<Vec<_>>()
    };
    let joined = |items: &[String]| (!items.is_empty()).then(|| items.join("; "));
    crate::table::Table::new(crate::table::TableName::Projects)
        .text("project", text(&|r| Some(r.id.clone())))
        .text("title", text(&|r| Some(r.title.clone())))
        .text("summary", text(&|r| r.summary.clone()))
        .text("start", text(&|r| r.start.clone()))
        .text("end", text(&|r| r.end.clone()))
        .text("status", text(&|r| Some(r.status.label_it().to_owned())))
        .text("territories", text(&|r| joined(&r.territories)))
        .text(
            "challenges",
            text(&|r| {
                Some(
                    r.challenges
                        .iter()
                        .map(u8::to_string)
                        .collect::<Vec<_>>()
                        .join("; "),
                )
            }),
        )
        .text("partners", text(&|r| joined(&r.partners)))
        .text("funders", text(&|r| joined(&r.funders)))
        .text("source", text(&|r| Some(r.source.clone())))
}

/// Every KPI year of every record as the published `project_kpis` table.
pub fn kpis_table(records: &[ProjectRecord]) -> crate::table::Table {
    let mut rows: Vec<(&ProjectRecord, &KpiRecord, &KpiValue)> = records
        .iter()
        .flat_map(|r| {
            r.kpi
                .iter()
                .flat_map(move |k| k.values.iter().map(move |v| (r, k, v)))
        })
        .collect();
    rows.sort_by(|a, b| (&a.0.id, &a.1.id, a.2.year).cmp(&(&b.0.id, &b.1.id, b.2.year)));
    crate::table::Table::new(crate::table::TableName::ProjectKpis)
        .text("project", rows.iter().map(|(r, _, _)| Some(r.id.as_str())))
        .text("kpi", rows.iter().map(|(_, k, _)| Some(k.id.as_str())))
        .text("label", rows.iter().map(|(_, k, _)| Some(k.label.as_str())))
        .text("unit", rows.iter().map(|(_, k, _)| Some(k.unit.as_str())))
        .integer("year", rows.iter().map(|(_, _, v)| Some(i64::from(v.year))))
        .text(
            "comparator",
            rows.iter()
                .map(|(_, k, v)| v.target.and(k.comparator).map(|c| c.as_str())),
        )
        .number("target", rows.iter().map(|(_, _, v)| v.target))
        .number("actual", rows.iter().map(|(_, _, v)| v.actual))
}
