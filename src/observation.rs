//! The long table: every source's observations together, in one shape (territory, measure,
//! period, value, unit, source), sorted into their published order, checked against the
//! territories, published as a table and kept between runs. Indicator code reads it from here
//! and never knows which source a measure came from.

use std::sync::Arc;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::finding::Finding;
use crate::message::Message;
use crate::msg;
use crate::order;
use crate::table::{Table, TableName};
use crate::territory::Territories;

pub(crate) use crate::source::rows::{ComuneDefault, Observation, Origin, Place, Shared};

/// Sorts observations into their published order: territory, measure, period, source (and
/// their place, so that the order is the stable one).
pub(crate) fn sort(observations: &mut [Observation]) {
    let fields: [fn(&Observation) -> &Arc<str>; 4] = [
        |o| &o.territory,
        |o| &o.measure,
        |o| &o.period,
        |o| &o.source,
    ];
    let parts = order::ranks_by_field(observations, &fields);
    order::sort_by_parts(observations, &parts);
}

/// The observations as the published table.
pub(crate) fn to_table(observations: &[Observation]) -> Table {
    let text = |get: fn(&Observation) -> &str| observations.iter().map(move |o| Some(get(o)));
    Table::new(TableName::Observations)
        .text("territory", text(|o| &o.territory))
        .repeated_text("measure", text(|o| &o.measure))
        .repeated_text("period", text(|o| &o.period))
        .number("value", observations.iter().map(|o| Some(o.value)))
        .repeated_text("unit", text(|o| &o.unit))
        .repeated_text("source", text(|o| &o.source))
}

/// What observations of a source share: measure, period, unit, source, file and column.
/// Kept between runs as a list, and each kept observation names its series by index: a grown
/// national source has millions of observations and a few dozen series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Series {
    measure: String,
    period: String,
    unit: String,
    source: String,
    file: String,
    territory_column: String,
}

/// The observations as kept between runs: a table of territory, value, origin row and series,
/// and the series it names.
pub(crate) fn to_kept(observations: &[Observation]) -> (Table, Vec<Series>) {
    // Series are told apart by their shared texts, so equal series shared apart are listed
    // twice: harmless, and quicker than comparing the texts.
    type SeriesKey = (*const u8, *const u8, *const u8, *const u8, *const Place);
    let mut index: FxHashMap<SeriesKey, i64> = FxHashMap::default();
    let mut series: Vec<Series> = Vec::new();
    let mut of_observation = Vec::with_capacity(observations.len());
    for o in observations {
        let key = (
            o.measure.as_ptr(),
            o.period.as_ptr(),
            o.unit.as_ptr(),
            o.source.as_ptr(),
            Arc::as_ptr(o.origin.place()),
        );
        let at = *index.entry(key).or_insert_with(|| {
            series.push(Series {
                measure: o.measure.to_string(),
                period: o.period.to_string(),
                unit: o.unit.to_string(),
                source: o.source.to_string(),
                file: o.origin.file().to_owned(),
                territory_column: o.origin.territory_column().to_owned(),
            });
            series.len() as i64 - 1
        });
        of_observation.push(Some(at));
    }
    let table = Table::new(TableName::Observations)
        .text(
            "territory",
            observations.iter().map(|o| Some(&*o.territory)),
        )
        .number("value", observations.iter().map(|o| Some(o.value)))
        .integer(
            "origin_row",
            observations.iter().map(|o| Some(o.origin.row() as i64)),
        )
        .integer("series", of_observation);
    (table, series)
}

/// Reads back what [`to_kept`] made; None when a row names a series the list does not have.
pub(crate) fn from_kept(table: &Table, series: &[Series]) -> Result<Option<Vec<Observation>>> {
    let territory = table.texts("territory")?;
    let (value, row, of_observation) = (
        table.numbers("value")?,
        table.integers("origin_row")?,
        table.integers("series")?,
    );
    let mut shared = Shared::default();
    // Measure, period, unit, source and place.
    type Shares = (Arc<str>, Arc<str>, Arc<str>, Arc<str>, Arc<Place>);
    let series: Vec<Shares> = series
        .iter()
        .map(|s| {
            (
                shared.get(&s.measure),
                shared.get(&s.period),
                shared.get(&s.unit),
                shared.get(&s.source),
                shared.place(&s.file, &s.territory_column),
            )
        })
        .collect();
    let mut observations = Vec::with_capacity(table.row_count());
    for at in 0..table.row_count() {
        let Some((measure, period, unit, source, place)) = of_observation
            .get(at)
            .and_then(|index| series.get(usize::try_from(index).ok()?))
        else {
            return Ok(None);
        };
        observations.push(Observation {
            territory: shared.territory(territory.get(at).unwrap_or_default()),
            measure: Arc::clone(measure),
            period: Arc::clone(period),
            value: value.get(at).unwrap_or(f64::NAN),
            unit: Arc::clone(unit),
            source: Arc::clone(source),
            origin: Origin::new(
                place,
                usize::try_from(row.get(at).unwrap_or_default()).unwrap_or_default(),
            ),
        });
    }
    Ok(Some(observations))
}

/// Every observation must be about a known territory, and a territory, measure and period
/// must not have two values. The observations come sorted by territory, measure and period
/// ([`sort`]), so that two values of one key are next to each other.
pub(crate) fn check_observations<'a>(
    observations: &'a [Observation],
    territories: &Territories,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    // Observations of one code come together: whether it is known, and what it may have meant
    // when it is not, are looked up once per code. The message is `None` for a known code.
    let mut code_message: Option<(&str, Option<Message>)> = None;
    let mut first: Option<&Observation> = None;
    for observation in observations {
        let territory = &*observation.territory;
        if code_message
            .as_ref()
            .is_none_or(|(code, _)| *code != territory)
        {
            let message = (!territories.contains(territory))
                .then(|| unknown_territory(territory, territories));
            code_message = Some((territory, message));
        }
        if let Some((_, Some(message))) = &code_message {
            findings.push(
                Finding::error("unknown_territory", message.clone())
                    .in_file(observation.origin.file())
                    .at_row(observation.origin.row())
                    .in_column(observation.origin.territory_column())
                    .with_value(territory),
            );
        }
        let key = |o: &'a Observation| (&*o.territory, &*o.measure, &*o.period);
        match first {
            Some(seen) if key(seen) == key(observation) => {
                findings.push(
                    Finding::error(
                        "duplicate_observation",
                        msg!(
                            "duplicate_observation",
                            territory = territory,
                            measure = &*observation.measure,
                            period = &*observation.period,
                            file = seen.origin.file(),
                            row = seen.origin.row().to_string()
                        ),
                    )
                    .in_file(observation.origin.file())
                    .at_row(observation.origin.row())
                    .with_value(observation.value.to_string()),
                );
            }
            _ => first = Some(observation),
        }
    }
    findings
}

/// What is said of a code that is not a known territory, with what it may have meant.
fn unknown_territory(code: &str, territories: &Territories) -> Message {
    match territories.hint(code) {
        Some(hint) => msg!("unknown_territory_hint", territory = code, hint = hint),
        None => msg!("unknown_territory", territory = code),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn observation(territory: &str, measure: &str, period: &str, value: f64) -> Observation {
        let place = Place::new(&Arc::from("file.csv"), &Arc::from("code"));
        Observation {
            territory: Arc::from(territory),
            measure: Arc::from(measure),
            period: Arc::from(period),
            value,
            unit: Arc::from("unit"),
            source: Arc::from("source"),
            origin: Origin::new(&place, 1),
        }
    }

    #[test]
    fn sorts_by_the_texts_and_keeps_the_order_of_equal_keys() {
        let mut observations = vec![
            observation("035004", "b", "2021", 1.0),
            observation("035004", "a", "2022", 2.0),
            observation("008", "z", "2021", 3.0),
            observation("035004", "a", "2021", 4.0),
            // Same key as the second, in texts of their own: stays after it.
            observation("035004", "a", "2022", 5.0),
            observation("IT", "a", "2021", 6.0),
        ];
        sort(&mut observations);
        let values: Vec<f64> = observations.iter().map(|o| o.value).collect();
        assert_eq!(values, vec![3.0, 4.0, 2.0, 5.0, 1.0, 6.0]);
    }
}
