//! The `project_records` source kind: a folder of project records, one TOML or JSON file per
//! project (title, period, territories, challenges, partners, funders, KPIs with targets and
//! results by year). KPI values become observations `kpi.<project>.<kpi>.target|actual`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::{ConfigProblem, Error, Result};
use crate::finding::Finding;
use crate::message::Message;
use crate::msg;
use crate::plan::{Paths, paths};
use crate::source::project::{KpiRecord, KpiValue, ProjectRecord};
use crate::source::read::io_problem;
use crate::source::result::Harmonized;
use crate::source::result::Ingested;
use crate::source::rows::{Observation, Origin};
use crate::spec::Item;
use crate::spec::SourceSpec;
use crate::spec::indicator::kpi_measure;
use crate::spec::source::ProjectRecordsSpec;
use crate::table::{Table, TableName};

#[derive(Debug, Clone)]
pub(crate) struct ProjectRecordsSource {
    pub(crate) dir: PathBuf,
}

/// The published tables this kind gives rows of: the projects and their KPIs by year.
pub(crate) const TABLES: &[TableName] = &[TableName::Projects, TableName::ProjectKpis];

impl ProjectRecordsSource {
    pub(crate) fn check(
        item: &Item<SourceSpec>,
        spec: &ProjectRecordsSpec,
        base: &Paths,
    ) -> std::result::Result<Self, Vec<ConfigProblem>> {
        let dir = paths::resolve_path(item, "project_records.dir", &spec.dir, base, true)
            .map_err(|p| vec![p])?;
        Ok(ProjectRecordsSource { dir })
    }

    pub(crate) fn ingest(&self, name: &str) -> Result<Ingested> {
        let mut ingested = Ingested::default();
        let read_error = |error: std::io::Error| Error::Source {
            source_name: name.to_owned(),
            file: self.dir.clone(),
            message: io_problem(&error),
        };
        let mut files: Vec<PathBuf> =
            crate::source::result::files_in(&self.dir).map_err(read_error)?;
        files.retain(|path| {
            matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("toml" | "json")
            )
        });
        files.sort();
        if files.is_empty() {
            ingested.findings.push(
                Finding::error("empty_folder", msg!("empty_folder"))
                    .in_file(self.dir.display().to_string()),
            );
        }
        let mut seen_ids = std::collections::BTreeMap::new();
        for path in files {
            let label = path.display().to_string();
            let Some(record) = read_record(name, &path, &label, &mut ingested.findings)? else {
                continue;
            };
            let before = ingested.findings.len();
            check_record(&record, &label, &mut ingested.findings);
            if let Some(first) = seen_ids.insert(record.id.clone(), label.clone()) {
                ingested.findings.push(
                    Finding::error(
                        "duplicate_project",
                        msg!("duplicate_project", id = &record.id, first = first),
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
        ingested.records = ingested.projects.len();
        ingested.tables = vec![
            projects_table(&ingested.projects),
            kpis_table(&ingested.projects),
        ];
        Ok(ingested)
    }
}

/// One record file, parsed as TOML or JSON; a file that is not UTF-8 or does not parse is a
/// finding, a file that cannot be read an error.
fn read_record(
    source: &str,
    path: &Path,
    label: &str,
    findings: &mut Vec<Finding>,
) -> Result<Option<ProjectRecord>> {
    let text = match fs_err::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::InvalidData => {
            findings.push(Finding::error("encoding", msg!("record_not_utf8")).in_file(label));
            return Ok(None);
        }
        Err(error) => {
            return Err(Error::Source {
                source_name: source.to_owned(),
                file: path.to_path_buf(),
                message: io_problem(&error),
            });
        }
    };
    let parsed: std::result::Result<ProjectRecord, String> =
        if path.extension().and_then(|e| e.to_str()) == Some("json") {
            serde_json::from_str(&text).map_err(|e| e.to_string())
        } else {
            toml::from_str(&text).map_err(|e| e.to_string())
        };
    match parsed {
        Ok(record) => Ok(Some(record)),
        Err(message) => {
            let detail = message.trim().replace('\n', " ");
            let message = msg!("invalid_record", detail = detail);
            findings.push(Finding::error("invalid_record", message).in_file(label));
            Ok(None)
        }
    }
}

fn check_record(record: &ProjectRecord, label: &str, findings: &mut Vec<Finding>) {
    let mut problem = |column: &str, message: Message| {
        findings.push(
            Finding::error("invalid_record", message)
                .in_file(label)
                .in_column(column),
        );
    };
    if !crate::text::is_snake_case(&record.id) {
        problem("id", msg!("record_not_snake_case", id = &record.id));
    }
    if record.territories.is_empty() {
        problem("territories", msg!("record_without_territories"));
    }
    if record.challenges.is_empty() || record.challenges.iter().any(|c| !(1..=8).contains(c)) {
        problem("challenges", msg!("record_challenges"));
    }
    for kpi in &record.kpi {
        if !crate::text::is_snake_case(&kpi.id) {
            problem("kpi.id", msg!("record_not_snake_case", id = &kpi.id));
        }
        if kpi.territory.is_none() && record.territories.len() > 1 {
            problem("kpi.territory", msg!("kpi_territory_needed", kpi = &kpi.id));
        }
        if let Some(territory) = &kpi.territory
            && !record.territories.contains(territory)
        {
            problem(
                "kpi.territory",
                msg!(
                    "kpi_territory_not_in_project",
                    kpi = &kpi.id,
                    territory = territory
                ),
            );
        }
        if kpi
            .values
            .iter()
            .any(|v| v.target.is_none() && v.actual.is_none())
        {
            problem("kpi.values", msg!("kpi_year_without_values", kpi = &kpi.id));
        }
        let mut years: Vec<i32> = kpi.values.iter().map(|v| v.year).collect();
        years.sort_unstable();
        if years.windows(2).any(|w| w[0] == w[1]) {
            problem("kpi.values", msg!("kpi_year_twice", kpi = &kpi.id));
        }
    }
}

fn push_kpi_observations(record: &ProjectRecord, label: &str, observations: &mut Vec<Observation>) {
    let place = crate::source::rows::Place::new(&Arc::from(label), &Arc::from("territories"));
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
fn projects_table(records: &[ProjectRecord]) -> Table {
    let mut sorted: Vec<&ProjectRecord> = records.iter().collect();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));
    let text = |get: &dyn Fn(&ProjectRecord) -> Option<String>| {
        sorted.iter().map(|r| get(r)).collect::<Vec<_>>()
    };
    let joined = |items: &[String]| (!items.is_empty()).then(|| items.join("; "));
    Table::new(TableName::Projects)
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
fn kpis_table(records: &[ProjectRecord]) -> Table {
    let mut rows: Vec<(&ProjectRecord, &KpiRecord, &KpiValue)> = records
        .iter()
        .flat_map(|r| {
            r.kpi
                .iter()
                .flat_map(move |k| k.values.iter().map(move |v| (r, k, v)))
        })
        .collect();
    rows.sort_by(|a, b| (&a.0.id, &a.1.id, a.2.year).cmp(&(&b.0.id, &b.1.id, b.2.year)));
    Table::new(TableName::ProjectKpis)
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

/// Project records must name known territories and declared challenges.
pub(crate) fn check_references(ingested: &mut Ingested, harmonized: &Harmonized) {
    let mut findings = Vec::new();
    for project in &ingested.projects {
        for territory in &project.territories {
            if !(harmonized.is_known)(territory) {
                let message = match (harmonized.suggestion)(territory) {
                    Some(hint) => msg!(
                        "project_unknown_territory_hint",
                        project = &project.id,
                        territory = territory,
                        hint = hint
                    ),
                    None => msg!(
                        "project_unknown_territory",
                        project = &project.id,
                        territory = territory
                    ),
                };
                findings.push(
                    Finding::error("unknown_territory", message)
                        .in_column("territories")
                        .with_value(territory.as_str()),
                );
            }
        }
        let challenges = harmonized.challenges;
        for challenge in &project.challenges {
            if !challenges.is_empty() && !challenges.contains_key(challenge) {
                findings.push(
                    Finding::error(
                        "unknown_challenge",
                        msg!(
                            "unknown_challenge",
                            project = &project.id,
                            challenge = challenge.to_string()
                        ),
                    )
                    .in_column("challenges"),
                );
            }
        }
    }
    ingested.findings.extend(findings);
}
