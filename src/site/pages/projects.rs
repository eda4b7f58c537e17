//! The projects page: every project record (period, status, territories, challenges,
//! partners, funders, source, targets and results by year), the projects counted by challenge
//! and by territory, and the PA digitale 2026 applications of each comune's administration.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::error::Result;
use crate::site::chart::{self, Chart, Line};
use crate::site::input::{Challenges, SiteInput, applications};
use crate::site::render::{Writer, v};
use crate::site::timeline::Span;
use crate::source::project::{Comparator, KpiRecord, KpiValue, ProjectRecord, ProjectStatus};
use crate::table::{Table, TableName};
use crate::text::format_it;

#[derive(Serialize)]
struct Kpi {
    label: String,
    year: i32,
    target: String,
    actual: String,
}

#[derive(Serialize)]
struct ChallengeRef {
    number: u8,
}

#[derive(Serialize)]
struct Project {
    id: String,
    title: String,
    summary: Option<String>,
    period: String,
    status: &'static str,
    territories: Vec<String>,
    challenges: Vec<ChallengeRef>,
    partners: Vec<String>,
    funders: Vec<String>,
    source: String,
    kpis: Vec<Kpi>,
    /// Target against actual, year by year, for each KPI with targets in two years or more.
    charts: Vec<Chart>,
}

#[derive(Serialize)]
struct Total {
    number: u8,
    title: String,
    count: usize,
}

#[derive(Serialize)]
struct TerritoryTotal {
    code: String,
    name: String,
    link: bool,
    count: usize,
}

#[derive(Serialize)]
struct ApplicationsRow {
    code: String,
    name: String,
    funded: usize,
    amount: String,
    renounced: usize,
}

#[derive(Serialize)]
struct Applications {
    dataset: String,
    dataset_title: String,
    rows: Vec<ApplicationsRow>,
}

pub(crate) fn write(writer: &mut Writer, input: &SiteInput, challenges: &Challenges) -> Result<()> {
    let mut records: Vec<&ProjectRecord> = input.projects.iter().collect();
    records.sort_by(|a, b| a.title.cmp(&b.title));
    let mut projects: Vec<Project> = records.iter().map(|r| project(input, r)).collect();
    for project in &mut projects {
        for chart in &mut project.charts {
            writer.render_chart(chart);
        }
    }
    let mut timeline = timeline_chart(&records);
    if let Some(chart) = &mut timeline {
        writer.render_chart(chart);
    }
    writer.page(
        "progetti.html",
        "projects.html",
        "Progetti",
        "projects",
        &[],
        minijinja::context! {
            projects => v(&projects),
            timeline => v(&timeline),
            totals_by_challenge => v(totals_by_challenge(input, challenges)),
            totals_by_territory => v(totals_by_territory(input)),
            pnrr => v(applications_by_comune(input)?),
        },
    )
}

/// A territory's name, or its code when the registry does not know it.
fn name_of(input: &SiteInput, code: &str) -> String {
    input
        .territories
        .get(code)
        .map_or(code.to_owned(), |t| t.name.clone())
}

fn project(input: &SiteInput, record: &ProjectRecord) -> Project {
    Project {
        id: record.id.clone(),
        title: record.title.clone(),
        summary: record.summary.clone(),
        period: match (&record.start, &record.end) {
            (Some(start), Some(end)) => format!("{start}–{end}"),
            (Some(start), None) => format!("dal {start}"),
            (None, Some(end)) => format!("entro il {end}"),
            (None, None) => "non indicato".to_owned(),
        },
        status: record.status.label_it(),
        territories: record
            .territories
            .iter()
            .map(|c| name_of(input, c))
            .collect(),
        challenges: record
            .challenges
            .iter()
            .map(|&n| ChallengeRef { number: n })
            .collect(),
        partners: record.partners.clone(),
        funders: record.funders.clone(),
        source: record.source.clone(),
        kpis: record
            .kpi
            .iter()
            .flat_map(|kpi| kpi.values.iter().map(move |value| kpi_year(kpi, value)))
            .collect(),
        charts: record
            .kpi
            .iter()
            .filter_map(|kpi| kpi_chart(record, kpi))
            .collect(),
    }
}

/// A KPI's target and its actual year by year, as lines: the actuals drawn as they arrive.
fn kpi_chart(record: &ProjectRecord, kpi: &KpiRecord) -> Option<Chart> {
    let by_year = |pick: fn(&KpiValue) -> Option<f64>| -> Vec<(String, f64)> {
        kpi.values
            .iter()
            .filter_map(|value| Some((value.year.to_string(), pick(value)?)))
            .collect()
    };
    let (targets, actuals) = (by_year(|v| v.target), by_year(|v| v.actual));
    if targets.len() < 2 {
        return None;
    }
    let decimals = u8::from(
        kpi.values
            .iter()
            .flat_map(|v| [v.target, v.actual])
            .flatten()
            .any(|v| v.fract() != 0.0),
    );
    let measured = match actuals.last() {
        Some((year, value)) => format!(
            "ultimo risultato rilevato: {} {} nel {year}",
            format_it(*value, decimals),
            kpi.unit
        ),
        None => "nessun risultato ancora rilevato".to_owned(),
    };
    let lines = [
        Line {
            label: "Risultato".into(),
            focus: true,
            points: actuals,
        },
        Line {
            label: "Obiettivo".into(),
            focus: false,
            points: targets,
        },
    ];
    Some(chart::line(
        &format!("progetto-{}-{}", record.id, kpi.id),
        format!("{}: obiettivo e risultato per anno", kpi.label),
        format!(
            "Grafico a linee dell'obiettivo (linea tratteggiata) e del risultato di «{}» per anno, {measured}.",
            kpi.label
        ),
        &kpi.unit,
        decimals,
        &lines,
    ))
}

/// The cronoprogramma: every project with a first and a last year, by its first year.
fn timeline_chart(records: &[&ProjectRecord]) -> Option<Chart> {
    let year = |date: &Option<String>| date.as_deref()?.get(..4)?.parse::<i32>().ok();
    let mut spans: Vec<Span> = records
        .iter()
        .filter_map(|record| {
            let (first_year, last_year) = (year(&record.start), year(&record.end));
            first_year.or(last_year)?;
            Some(Span {
                label: record.title.clone(),
                first_year,
                last_year,
                status: record.status.label_it(),
                started: record.status != ProjectStatus::Planned,
            })
        })
        .collect();
    if spans.is_empty() {
        return None;
    }
    spans.sort_by(|a, b| {
        let first = |s: &Span| s.first_year.or(s.last_year);
        (first(a), &a.label).cmp(&(first(b), &b.label))
    });
    let years = spans
        .iter()
        .flat_map(|s| [s.first_year, s.last_year])
        .flatten();
    let (first, last) = (years.clone().min()?, years.max()?);
    let planned = spans.iter().filter(|s| !s.started).count();
    Some(chart::timeline(
        "cronoprogramma",
        format!("Cronoprogramma dei progetti, {first}–{last}"),
        format!(
            "Diagramma a barre orizzontali del periodo di {} progetti per anno, con il loro stato; {planned} previsti, disegnati con il solo contorno; un progetto senza anno di inizio o di fine parte dal primo anno o arriva all'ultimo.",
            spans.len()
        ),
        &spans,
    ))
}

/// A KPI's target and result for one year, as the page reads them.
fn kpi_year(kpi: &KpiRecord, value: &KpiValue) -> Kpi {
    let number = |v: f64| format_it(v, if v.fract() == 0.0 { 0 } else { 1 });
    Kpi {
        label: kpi.label.clone(),
        year: value.year,
        target: match value.target {
            Some(target) => {
                let prefix = match kpi.comparator {
                    Some(Comparator::AtLeast) => "almeno ",
                    Some(Comparator::AtMost) => "al massimo ",
                    Some(Comparator::Exactly) | None => "",
                };
                format!("{prefix}{} {}", number(target), kpi.unit)
            }
            None => "—".to_owned(),
        },
        actual: match value.actual {
            Some(actual) => format!("{} {}", number(actual), kpi.unit),
            None => "non ancora rilevato".to_owned(),
        },
    }
}

fn totals_by_challenge(input: &SiteInput, challenges: &Challenges) -> Vec<Total> {
    challenges
        .iter()
        .map(|(n, (title, _))| Total {
            number: *n,
            title: title.clone(),
            count: input
                .projects
                .iter()
                .filter(|p| p.challenges.contains(n))
                .count(),
        })
        .filter(|t| t.count > 0)
        .collect()
}

fn totals_by_territory(input: &SiteInput) -> Vec<TerritoryTotal> {
    let mut by_territory: BTreeMap<&str, usize> = BTreeMap::new();
    for project in input.projects {
        for territory in &project.territories {
            *by_territory.entry(territory).or_default() += 1;
        }
    }
    let with_pages: BTreeSet<&str> = input.rows.iter().map(|r| &*r.territory).collect();
    by_territory
        .into_iter()
        .map(|(code, count)| TerritoryTotal {
            code: code.to_owned(),
            name: name_of(input, code),
            link: with_pages.contains(code) || Some(code) == input.about.focus,
            count,
        })
        .collect()
}

/// The funded applications of each comune's own administration, from the published table:
/// how many, for how much, and how many renounced (status `R`).
fn applications_by_comune(input: &SiteInput) -> Result<Option<Applications>> {
    let dataset = input
        .datasets
        .iter()
        .find(|d| d.dataset.table == TableName::PnrrProjects);
    let (Some(dataset), Some(table)) = (dataset, applications(input)) else {
        return Ok(None);
    };
    if table.row_count() == 0 {
        return Ok(None);
    }
    let mut rows: Vec<ApplicationsRow> = by_comune(table)?
        .into_iter()
        .map(|(code, (funded, amount, renounced))| ApplicationsRow {
            name: name_of(input, code),
            code: code.to_owned(),
            funded,
            amount: format_it(amount, 0),
            renounced,
        })
        .collect();
    rows.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Some(Applications {
        dataset: dataset.dataset.name.clone(),
        dataset_title: dataset.dataset.title.clone(),
        rows,
    }))
}

/// Funded applications, their amount and renounced applications, by comune.
fn by_comune(table: &Table) -> Result<BTreeMap<&str, (usize, f64, usize)>> {
    let (comune, status, amount, comune_body) = (
        table.texts("territory")?,
        table.texts("status")?,
        table.numbers("amount_eur")?,
        table.flags(TableName::COMUNE_BODY)?,
    );
    let mut by_comune: BTreeMap<&str, (usize, f64, usize)> = BTreeMap::new();
    for at in 0..table.row_count() {
        if comune_body.get(at) != Some(true) {
            continue;
        }
        let entry = by_comune
            .entry(comune.get(at).unwrap_or_default())
            .or_default();
        if status.get(at) == Some("R") {
            entry.2 += 1;
        } else {
            entry.0 += 1;
            entry.1 += amount.get(at).unwrap_or_default();
        }
    }
    Ok(by_comune)
}
