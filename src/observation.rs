//! The long table of observations that every source normalizes into: territory, measure,
//! period, value, unit, source. Indicator code never knows which source a measure came from.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

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
    /// snake_case measure name, e.g. `population_total`.
    pub measure: String,
    /// Reference period as text: "2021", "2021-01-01", "2022-S1".
    pub period: String,
    pub value: f64,
    pub unit: String,
    /// Who published the figure, as citizens read it.
    pub source: String,
    pub origin: Origin,
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
    let text = |get: fn(&Observation) -> &str| {
        observations
            .iter()
            .map(|o| Some(get(o).to_owned()))
            .collect()
    };
    Table::new(TableName::Observations)
        .text("territory", text(|o| &o.territory))
        .text("measure", text(|o| &o.measure))
        .text("period", text(|o| &o.period))
        .number(
            "value",
            observations.iter().map(|o| Some(o.value)).collect(),
        )
        .text("unit", text(|o| &o.unit))
        .text("source", text(|o| &o.source))
}
