//! The page "Novità" (`novita.html`): what changed since the release before, value by value
//! (new, changed, no longer published, revised) and record by record (projects, funded
//! applications), and the releases of the history with their counts.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::clock::{self, period_it};
use crate::error::Result;
use crate::history::ReleaseChanges;
use crate::history::diff::{Change, Dated};
use crate::history::records::{RecordChange, RecordChangeKind};
use crate::site::input::SiteInput;
use crate::site::render::{Writer, v};
use crate::table::{TableName, schema};
use crate::text::with_unit_it;

/// Rows a section lists at most; the rest are counted, and are all in the historical dataset
/// and in `datavalley diff`.
const SHOWN: usize = 200;

#[derive(Debug, Serialize)]
struct ValueSection {
    title: &'static str,
    caption: &'static str,
    rows: Vec<ValueRow>,
    more: usize,
}

#[derive(Debug, Serialize)]
struct ValueRow {
    indicator: String,
    territory: String,
    territory_code: String,
    before: Option<String>,
    now: Option<String>,
}

#[derive(Debug, Serialize)]
struct RecordSection {
    title: String,
    href: Option<String>,
    rows: Vec<RecordRow>,
    more: usize,
}

#[derive(Debug, Serialize)]
struct RecordRow {
    label: String,
    key: String,
    what: &'static str,
    fields: Vec<String>,
}

#[derive(Debug, Serialize)]
struct ReleaseRow {
    date: String,
    release: String,
    new: usize,
    changed: usize,
    removed: usize,
    revised: usize,
}

pub(crate) fn write(writer: &mut Writer, input: &SiteInput) -> Result<()> {
    let news = &input.news;
    let labels = Labels::of(input);
    let sections: Vec<ValueSection> = value_sections(news.changes, &labels);
    let records = record_sections(input)?;
    let releases: Vec<ReleaseRow> = news.timeline.iter().rev().map(release_row).collect();
    let previous = news
        .timeline
        .iter()
        .rev()
        .nth(1)
        .map(|r| clock::date_it(&r.run_time));
    writer.page(
        "novita.html",
        "news.html",
        "Novità",
        "news",
        &[],
        minijinja::context! {
            previous => previous,
            sections => v(&sections),
            records => v(&records),
            releases => v(&releases),
        },
    )
}

/// Indicator labels and decimals, and territory names, for the values the page lists.
struct Labels<'a> {
    indicators: BTreeMap<&'a str, (&'a str, u8)>,
    input: &'a SiteInput<'a>,
}

impl<'a> Labels<'a> {
    fn of(input: &'a SiteInput<'a>) -> Labels<'a> {
        let indicators = input
            .indicators
            .iter()
            .map(|i| (i.name.as_str(), (i.label.as_str(), i.decimals)))
            .collect();
        Labels { indicators, input }
    }

    fn row(
        &self,
        indicator: &str,
        territory: &str,
        before: Option<&Dated>,
        now: Option<&Dated>,
    ) -> ValueRow {
        let (label, decimals) = self
            .indicators
            .get(indicator)
            .copied()
            .unwrap_or((indicator, 2));
        let shown = |dated: &Dated| {
            format!(
                "{} ({})",
                with_unit_it(dated.value.value, decimals, &dated.value.unit),
                period_it(&dated.period)
            )
        };
        ValueRow {
            indicator: label.to_owned(),
            territory: self
                .input
                .territories
                .get(territory)
                .map_or_else(|| territory.to_owned(), |t| t.name.clone()),
            territory_code: territory.to_owned(),
            before: before.map(shown),
            now: now.map(shown),
        }
    }
}

fn value_sections(changes: &[Change], labels: &Labels) -> Vec<ValueSection> {
    let mut sections = [
        (
            "Valori cambiati",
            "Indicatori con un valore nuovo, diverso dal precedente",
        ),
        (
            "Revisioni",
            "Valori dello stesso periodo che questo rilascio dà diversi",
        ),
        (
            "Valori nuovi",
            "Indicatori e territori pubblicati per la prima volta",
        ),
        (
            "Valori non più pubblicati",
            "Indicatori e territori che questo rilascio non pubblica più",
        ),
    ]
    .map(|(title, caption)| ValueSection {
        title,
        caption,
        rows: Vec::new(),
        more: 0,
    });
    for change in changes {
        let series = change.series();
        let (at, before, now) = match change {
            Change::Changed { before, now, .. } => (0, Some(before), Some(now)),
            Change::Revised { before, now, .. } => (1, Some(before), Some(now)),
            Change::New { now, .. } => (2, None, Some(now)),
            Change::Removed { before, .. } => (3, Some(before), None),
        };
        let section = &mut sections[at];
        if section.rows.len() < SHOWN {
            let row = labels.row(&series.indicator, &series.territory, before, now);
            section.rows.push(row);
        } else {
            section.more += 1;
        }
    }
    sections
        .into_iter()
        .filter(|s| !s.rows.is_empty())
        .collect()
}

/// The records that changed, table by table, with the column titles of the table's schema.
fn record_sections(input: &SiteInput) -> Result<Vec<RecordSection>> {
    let mut by_table: BTreeMap<TableName, Vec<&RecordChange>> = BTreeMap::new();
    for change in input.news.records {
        by_table.entry(change.table).or_default().push(change);
    }
    by_table
        .into_iter()
        .map(|(table, changes)| {
            let schema = schema::schema_of(table)?;
            let title_of = |column: &str| {
                schema
                    .fields
                    .iter()
                    .find(|f| f.name == column)
                    .map_or_else(|| column.to_owned(), |f| f.title.clone())
            };
            let dataset = input.datasets.iter().find(|d| d.dataset.table == table);
            let rows = changes
                .iter()
                .take(SHOWN)
                .map(|change| record_row(change, &title_of))
                .collect();
            Ok(RecordSection {
                title: dataset
                    .map_or_else(|| table.as_str().to_owned(), |d| d.dataset.title.clone()),
                href: dataset.map(|d| format!("dataset/{}.html", d.dataset.name)),
                rows,
                more: changes.len().saturating_sub(SHOWN),
            })
        })
        .collect()
}

fn record_row(change: &RecordChange, title_of: &dyn Fn(&str) -> String) -> RecordRow {
    let missing = |value: &Option<String>| value.clone().unwrap_or_else(|| "—".to_owned());
    let (what, fields) = match &change.kind {
        RecordChangeKind::New => ("nuovo", Vec::new()),
        RecordChangeKind::Removed => ("non più presente", Vec::new()),
        RecordChangeKind::Changed(fields) => (
            "cambiato",
            fields
                .iter()
                .map(|f| {
                    format!(
                        "{}: {} → {}",
                        title_of(&f.column),
                        missing(&f.before),
                        missing(&f.now)
                    )
                })
                .collect(),
        ),
    };
    RecordRow {
        label: change.label.clone(),
        key: change.key.clone(),
        what,
        fields,
    }
}

fn release_row(release: &ReleaseChanges) -> ReleaseRow {
    let changes = release.changes;
    ReleaseRow {
        date: clock::date_it(&release.run_time),
        release: release.release.clone(),
        new: changes.new,
        changed: changes.changed,
        removed: changes.removed,
        revised: changes.revised,
    }
}
