//! One page per project (`progetto/<id>.html`; the id is snake_case, checked when the record
//! is read, so it is a safe file name): its summary, period, status, territories, challenges,
//! partners, funders and source, and each KPI's target against its actual year by year.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::clock::period_it;
use crate::error::Result;
use crate::site::chart::{self, Chart};
use crate::site::input::{Challenges, SiteInput};
use crate::site::progress::{KpiReading, YearValues};
use crate::site::render::{Writer, v};
use crate::source::project::{Comparator, KpiRecord, ProjectRecord};
use crate::text::format_it;

/// A territory a project names: linked to its page when it has one, and to the list of its
/// projects when the registry knows it (its code is then a safe file name).
#[derive(Debug, Serialize)]
pub(crate) struct PlaceRef {
    pub(crate) code: String,
    pub(crate) name: String,
    pub(crate) has_page: bool,
    pub(crate) listed: bool,
}

/// A challenge a project serves: linked to its page when the site has one.
#[derive(Debug, Serialize)]
pub(crate) struct ChallengeRef {
    pub(crate) number: u8,
    pub(crate) title: Option<String>,
}

/// A KPI: a chart of its years, or, for a lone result without a target, the number in words.
#[derive(Serialize)]
struct Kpi {
    label: String,
    chart: Option<Chart>,
    single: Option<String>,
}

#[derive(Serialize)]
struct ProjectPage {
    id: String,
    title: String,
    summary: Option<String>,
    period: String,
    status: &'static str,
    territories: Vec<PlaceRef>,
    challenges: Vec<ChallengeRef>,
    partners: Vec<String>,
    funders: Vec<String>,
    source: String,
    kpis: Vec<Kpi>,
}

/// Writes the page of every project.
pub(crate) fn write(
    writer: &mut Writer,
    input: &SiteInput,
    challenges: &Challenges,
    with_pages: &BTreeSet<&str>,
) -> Result<()> {
    for record in input.projects {
        let mut kpis: Vec<Kpi> = record
            .kpi
            .iter()
            .map(|kpi| Kpi {
                label: kpi.label.clone(),
                chart: kpi_chart(record, kpi),
                single: single(kpi),
            })
            .filter(|kpi| kpi.chart.is_some() || kpi.single.is_some())
            .collect();
        for chart in kpis.iter_mut().filter_map(|kpi| kpi.chart.as_mut()) {
            writer.render_chart(chart);
        }
        let page = ProjectPage {
            id: record.id.clone(),
            title: record.title.clone(),
            summary: record.summary.clone(),
            period: period(record),
            status: record.status.label_it(),
            territories: places(input, record, with_pages),
            challenges: challenge_refs(record, challenges),
            partners: record.partners.clone(),
            funders: record.funders.clone(),
            source: record.source.clone(),
            kpis,
        };
        writer.page(
            &format!("progetto/{}.html", record.id),
            "project.html",
            &record.title,
            "projects",
            &[("Progetti", "progetti.html")],
            minijinja::context! { project => v(&page) },
        )?;
    }
    Ok(())
}

/// The project's period in words: "2023–2025", "dal 2026", "entro il 10 agosto 2026".
pub(crate) fn period(record: &ProjectRecord) -> String {
    let (start, end) = (
        record.start.as_deref().map(period_it),
        record.end.as_deref().map(period_it),
    );
    match (start, end) {
        (Some(start), Some(end)) => format!("{start}–{end}"),
        (Some(start), None) => format!("dal {start}"),
        (None, Some(end)) => format!("entro il {end}"),
        (None, None) => "non indicato".to_owned(),
    }
}

pub(crate) fn places(
    input: &SiteInput,
    record: &ProjectRecord,
    with_pages: &BTreeSet<&str>,
) -> Vec<PlaceRef> {
    record
        .territories
        .iter()
        .map(|code| {
            let known = input.territories.get(code);
            PlaceRef {
                code: code.clone(),
                name: known.map_or_else(|| code.clone(), |t| t.name.clone()),
                has_page: with_pages.contains(code.as_str()),
                listed: known.is_some(),
            }
        })
        .collect()
}

pub(crate) fn challenge_refs(record: &ProjectRecord, challenges: &Challenges) -> Vec<ChallengeRef> {
    record
        .challenges
        .iter()
        .map(|&number| ChallengeRef {
            number,
            title: challenges.get(&number).map(|(title, _)| title.clone()),
        })
        .collect()
}

/// A lone result without a target: "357,5 ore nel 2022".
fn single(kpi: &KpiRecord) -> Option<String> {
    match kpi.values.as_slice() {
        [only] if only.target.is_none() => {
            let actual = only.actual?;
            let decimals = u8::from(actual.fract() != 0.0);
            Some(format!(
                "{} {} nel {}",
                format_it(actual, decimals),
                kpi.unit,
                only.year
            ))
        }
        _ => None,
    }
}

/// A KPI's target against its actual, year by year: with a target, or results of several
/// years (a lone result is a number, not a chart of one bar).
fn kpi_chart(record: &ProjectRecord, kpi: &KpiRecord) -> Option<Chart> {
    let targets = kpi.values.iter().filter(|v| v.target.is_some()).count();
    let actuals = kpi.values.iter().filter(|v| v.actual.is_some()).count();
    if targets == 0 && actuals < 2 {
        return None;
    }
    let decimals = u8::from(
        kpi.values
            .iter()
            .flat_map(|v| [v.target, v.actual])
            .flatten()
            .any(|v| v.fract() != 0.0),
    );
    let reading = KpiReading {
        unit: &kpi.unit,
        target_prefix: match kpi.comparator {
            Some(Comparator::AtLeast) => "almeno ",
            Some(Comparator::AtMost) => "al massimo ",
            Some(Comparator::Exactly) | None => "",
        },
        decimals,
    };
    let measured = kpi
        .values
        .iter()
        .rev()
        .find_map(|v| Some((v.year, v.actual?, v.target)));
    let key = match measured {
        Some((year, actual, target)) => format!(
            "nel {year} {} {}{}",
            format_it(actual, decimals),
            kpi.unit,
            target.map_or_else(String::new, |t| format!(
                " contro un obiettivo di {}{}",
                reading.target_prefix,
                format_it(t, decimals)
            ))
        ),
        None => "nessun risultato ancora rilevato".to_owned(),
    };
    let years: Vec<YearValues> = kpi
        .values
        .iter()
        .map(|v| YearValues {
            year: v.year,
            target: v.target,
            actual: v.actual,
        })
        .collect();
    Some(chart::progress(
        &format!("progetto-{}-{}", record.id, kpi.id),
        format!("{}: obiettivo e risultato per anno, {key}", kpi.label),
        format!(
            "Barre orizzontali per anno di «{}» ({}): il contorno tratteggiato è l'obiettivo, la barra piena il risultato rilevato; accanto, i due valori.",
            kpi.label, kpi.unit
        ),
        &years,
        &reading,
    ))
}
