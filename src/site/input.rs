//! What the site is told: the input every page kind reads (the indicators computed, the
//! territories, the projects, the tables and files published, the sources), and the helpers
//! the page kinds share to read it.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::clock::RunTime;
use crate::history::diff::Change;
use crate::history::records::RecordChange;
use crate::history::{ReleaseChanges, Replay};
use crate::indicator::rows::IndicatorRow;
use crate::indicator::{Check, Indicator};
use crate::plan::catalog::{self, License};
use crate::plan::site::SiteSettings;
use crate::plan::{Challenge, Dataset, Plan};
use crate::publish::Format;
use crate::publish::provenance::SourceProvenance;
use crate::report::{OutputFile, SourceSummary};
use crate::source::project::ProjectRecord;
use crate::source::shape::ShapeSet;
use crate::table::{Table, TableName};
use crate::territory::Territories;

/// Everything the pages are made of.
pub(crate) struct SiteInput<'a> {
    pub(crate) about: About<'a>,
    pub(crate) indicators: &'a [Indicator],
    pub(crate) run_time: RunTime,
    pub(crate) rows: &'a [IndicatorRow],
    /// The pipeline's history with this release's values: series over time.
    pub(crate) history: &'a Replay,
    /// What changed since the release before.
    pub(crate) news: News<'a>,
    pub(crate) territories: &'a Territories,
    pub(crate) projects: &'a [ProjectRecord],
    /// The boundaries the maps are drawn from, one set per file.
    pub(crate) shapes: &'a [ShapeSet],
    /// The tables the datasets publish, with the columns they carry through the run.
    pub(crate) tables: &'a [Table],
    pub(crate) datasets: Vec<DatasetInput<'a>>,
    /// Recomputed figures compared with the published ones.
    pub(crate) checks: &'a [Check],
    /// What the report says of each source.
    pub(crate) summaries: &'a [SourceSummary],
    /// Where each source's bytes came from, and the tables it feeds.
    pub(crate) sources: Vec<SourceInput<'a>>,
    /// The catalog files of the release (paths inside it).
    pub(crate) catalog_files: Vec<String>,
}

/// What changed since the release before, for the page "Novità".
pub(crate) struct News<'a> {
    pub(crate) changes: &'a [Change],
    pub(crate) records: &'a [RecordChange],
    /// The releases of the history, oldest first, this one last.
    pub(crate) timeline: &'a [ReleaseChanges],
}

/// What the site says of itself and of who publishes it.
pub(crate) struct About<'a> {
    pub(crate) title: &'a str,
    pub(crate) description: Option<&'a str>,
    pub(crate) publisher: String,
    /// The territory the site is about.
    pub(crate) focus: Option<&'a str>,
    /// The default licence of the datasets.
    pub(crate) license: License,
    pub(crate) settings: &'a SiteSettings,
    pub(crate) challenges: &'a BTreeMap<u8, Challenge>,
    /// Where the release is served (`[catalog] base_url`, with its final `/`): the pages name
    /// their canonical address from it.
    pub(crate) base_url: Option<&'a str>,
}

impl<'a> About<'a> {
    pub(crate) fn of(plan: &'a Plan) -> Self {
        About {
            title: &plan.title,
            description: plan.description.as_deref(),
            publisher: plan
                .publisher
                .clone()
                .or_else(|| plan.catalog.as_ref().map(|c| c.publisher.name.clone()))
                .unwrap_or_default(),
            focus: plan.focus.as_deref(),
            license: plan.catalog.as_ref().map_or(License::CcBy40, |c| c.license),
            settings: &plan.site,
            challenges: &plan.challenges,
            base_url: plan.catalog.as_ref().map(|c| c.base_url.as_str()),
        }
    }
}

/// A published dataset: its table and its files, in the order of [`Format::ALL`].
pub(crate) struct DatasetInput<'a> {
    pub(crate) dataset: &'a Dataset,
    pub(crate) table: &'a Table,
    pub(crate) files: &'a [(Format, OutputFile)],
    /// Its identifier in the catalog, when there is one.
    pub(crate) identifier: Option<String>,
}

/// A source, as the dataset pages list the files it read.
pub(crate) struct SourceInput<'a> {
    pub(crate) provenance: &'a SourceProvenance,
    pub(crate) feeds: Feeds,
}

/// The tables a source's data reach.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Feeds {
    /// The list of comuni: every table is about its territories.
    Every,
    /// Its observations, and these tables of its own.
    Tables(&'static [TableName]),
    /// No table: the maps of the pages (boundaries).
    Maps,
}

impl Feeds {
    pub(crate) fn reaches(self, table: TableName) -> bool {
        match self {
            Feeds::Every => true,
            Feeds::Maps => false,
            Feeds::Tables(own) => {
                matches!(
                    table,
                    TableName::Indicators | TableName::IndicatorsHistory | TableName::Observations
                ) || own.contains(&table)
            }
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct TerritoryLink {
    pub(crate) code: String,
    pub(crate) name: String,
}

/// Challenge numbers with their titles and descriptions.
pub(crate) type Challenges = BTreeMap<u8, (String, Option<String>)>;

/// The funded applications table, when a dataset publishes it.
pub(crate) fn applications<'a>(input: &SiteInput<'a>) -> Option<&'a Table> {
    input
        .tables
        .iter()
        .find(|t| t.name == TableName::PnrrProjects)
}

pub(crate) fn links(territories: &Territories, codes: &[String]) -> Vec<TerritoryLink> {
    codes
        .iter()
        .filter_map(|code| territories.get(code))
        .map(|t| TerritoryLink {
            code: t.code.clone(),
            name: t.name.clone(),
        })
        .collect()
}

/// Challenge numbers with their titles: the declared ones, and any an indicator names.
pub(crate) fn challenge_titles(input: &SiteInput) -> Challenges {
    let mut titles: Challenges = input
        .about
        .challenges
        .values()
        .map(|c| (c.number, (c.title.clone(), c.description.clone())))
        .collect();
    for row in input.rows {
        titles
            .entry(row.challenge)
            .or_insert_with(|| (format!("Sfida {}", row.challenge), None));
    }
    titles
}

/// The latest row of each indicator of a territory, in challenge and indicator order.
pub(crate) fn latest_rows<'a>(rows: &[&'a IndicatorRow], territory: &str) -> Vec<&'a IndicatorRow> {
    let mut latest: BTreeMap<(u8, &str), &IndicatorRow> = BTreeMap::new();
    for row in rows.iter().filter(|r| &*r.territory == territory) {
        let slot = latest.entry((row.challenge, &row.indicator)).or_insert(row);
        if row.period > slot.period {
            *slot = row;
        }
    }
    latest.into_values().collect()
}

/// The next run, as the home page announces it.
pub(crate) fn next_update(run_time: RunTime, frequency: Option<&str>) -> String {
    let next = match frequency {
        Some("DAILY") => Some(run_time.plus_days(1)),
        Some("WEEKLY") => Some(run_time.plus_days(7)),
        Some("BIWEEKLY") => Some(run_time.plus_days(14)),
        Some("MONTHLY") => Some(run_time.plus_months(1)),
        Some("BIMONTHLY") => Some(run_time.plus_months(2)),
        Some("QUARTERLY") => Some(run_time.plus_months(3)),
        Some("ANNUAL_2") => Some(run_time.plus_months(6)),
        Some("ANNUAL") => Some(run_time.plus_months(12)),
        _ => None,
    };
    match (next, frequency) {
        (Some(next), Some(code)) => format!(
            "{} (aggiornamento {})",
            next.date_it(),
            catalog::frequency_label(code)
        ),
        (None, Some(code)) => format!("aggiornamento {}", catalog::frequency_label(code)),
        (None, None) | (Some(_), None) => "non programmato".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn announces_the_next_update() {
        let time = RunTime::parse("2026-11-23T02:00:00Z").unwrap();
        assert_eq!(
            next_update(time, Some("DAILY")),
            "24 novembre 2026 (aggiornamento giornaliero)"
        );
        assert_eq!(next_update(time, None), "non programmato");
    }
}
