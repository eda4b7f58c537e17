//! The long table of observations that every source normalizes into: territory, measure,
//! period, value, unit, source. Indicator code never knows which source a measure came from.

use std::collections::HashSet;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::table::{Table, TableName};

/// Where an observation was read, so that findings can point at it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Origin {
    pub file: Arc<str>,
    /// 1-based data row.
    pub row: usize,
    /// The column the territory code was read from.
    pub territory_column: Arc<str>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    /// ISTAT code as text ("035004", "035", "08", "IT") or a declared union's name.
    pub territory: String,
    /// snake_case measure name, e.g. `population_total`. Measure, period, unit and source
    /// are shared between the observations of a source rather than copied into each.
    pub measure: Arc<str>,
    /// Reference period as text: "2021", "2021-01-01", "2022-S1".
    pub period: Arc<str>,
    pub value: f64,
    pub unit: Arc<str>,
    /// Who published the figure, as citizens read it.
    pub source: Arc<str>,
    pub origin: Origin,
}

/// Texts that many observations repeat (measures, periods, units, sources, files), kept once
/// each: a national source gives a hundred thousand observations of a few dozen measures.
#[derive(Debug, Default)]
pub struct Shared {
    texts: HashSet<Arc<str>>,
}

impl Shared {
    /// The shared copy of a text.
    pub fn get(&mut self, text: &str) -> Arc<str> {
        if let Some(known) = self.texts.get(text) {
            return Arc::clone(known);
        }
        let new: Arc<str> = Arc::from(text);
        self.texts.insert(Arc::clone(&new));
        new
    }
}

/// Sorts observations into their published order: territory, measure, period, source.
pub fn sort(observations: &mut [Observation]) {
    observations.sort_by(|a, b| {
        (&a.territory, &a.measure, &a.period, &a.source).cmp(&(
            &b.territory,
            &b.measure,
            &b.period,
            &b.source,
        ))
    });
}

/// The observations as the published table.
pub fn to_table(observations: &[Observation]) -> Table {
    let text = |get: fn(&Observation) -> &str| observations.iter().map(move |o| Some(get(o)));
    Table::new(TableName::Observations)
        .text("territory", text(|o| &o.territory))
        .text("measure", text(|o| &o.measure))
        .text("period", text(|o| &o.period))
        .number("value", observations.iter().map(|o| Some(o.value)))
        .text("unit", text(|o| &o.unit))
        .text("source", text(|o| &o.source))
}

/// The observations with where each was read, as a table kept between runs (the published
/// table leaves the origin out).
pub fn to_kept_table(observations: &[Observation]) -> Table {
    let text = |get: fn(&Observation) -> &str| observations.iter().map(move |o| Some(get(o)));
    to_table(observations)
        .text("origin_file", text(|o| &o.origin.file))
        .integer(
            "origin_row",
            observations.iter().map(|o| Some(o.origin.row as i64)),
        )
        .text("origin_column", text(|o| &o.origin.territory_column))
}

/// Reads back what [`to_kept_table`] made.
pub fn from_kept_table(table: &Table) -> Result<Vec<Observation>> {
    let text = |name| table.texts(name);
    let (territory, measure, period, unit, source) = (
        text("territory")?,
        text("measure")?,
        text("period")?,
        text("unit")?,
        text("source")?,
    );
    let (file, column) = (text("origin_file")?, text("origin_column")?);
    let (value, row) = (table.numbers("value")?, table.integers("origin_row")?);
    let mut shared = Shared::default();
    let mut share = |text: Option<&str>| shared.get(text.unwrap_or_default());
    Ok((0..table.row_count())
        .map(|at| Observation {
            territory: territory.get(at).unwrap_or_default().to_owned(),
            measure: share(measure.get(at)),
            period: share(period.get(at)),
            value: value.get(at).unwrap_or(f64::NAN),
            unit: share(unit.get(at)),
            source: share(source.get(at)),
            origin: Origin {
                file: share(file.get(at)),
                row: usize::try_from(row.get(at).unwrap_or_default()).unwrap_or_default(),
                territory_column: share(column.get(at)),
            },
        })
        .collect())
}
