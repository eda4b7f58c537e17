//! A segment of the history as a Parquet file: one row per value a release set (territory,
//! indicator, period, value, numerator, denominator, unit) or stopped publishing (`removed`).

use std::path::Path;

use crate::error::Result;
use std::sync::Arc;

use crate::history::value::{Key, Value, Version};
use crate::observation::Shared;
use crate::table::{Table, TableName};

/// What a release changed in the history, value by value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Delta {
    /// A value new to the history, or different from its current one.
    Set(Key, Value),
    /// A value the release before published and this one does not (it stays in the history).
    Remove(Key),
    /// A version of a value as an earlier release published it, carried by a segment that
    /// folds older segments together (`[history] keep`).
    Keep(Key, Version),
}

/// The Parquet bytes of a segment.
pub(crate) fn write(deltas: &[Delta]) -> Result<Vec<u8>> {
    let key = |delta: &Delta| match delta {
        Delta::Set(key, _) | Delta::Remove(key) | Delta::Keep(key, _) => key.clone(),
    };
    let value = |delta: &Delta| match delta {
        Delta::Set(_, value) => Some(value.clone()),
        Delta::Keep(_, version) => Some(version.value.clone()),
        Delta::Remove(_) => None,
    };
    let release = |delta: &Delta| match delta {
        Delta::Keep(_, version) => Some(Arc::clone(&version.release)),
        Delta::Set(..) | Delta::Remove(_) => None,
    };
    let keys: Vec<Key> = deltas.iter().map(key).collect();
    let values: Vec<Option<Value>> = deltas.iter().map(value).collect();
    let releases: Vec<Option<Arc<str>>> = deltas.iter().map(release).collect();
    Table::new(TableName::IndicatorsHistory)
        .repeated_text("indicator", keys.iter().map(|k| Some(&*k.indicator)))
        .text("territory", keys.iter().map(|k| Some(&*k.territory)))
        .repeated_text("period", keys.iter().map(|k| Some(&*k.period)))
        .number("value", values.iter().map(|v| v.as_ref().map(|v| v.value)))
        .number("numerator", values.iter().map(|v| v.as_ref()?.numerator))
        .number(
            "denominator",
            values.iter().map(|v| v.as_ref()?.denominator),
        )
        .repeated_text("unit", values.iter().map(|v| v.as_ref().map(|v| &*v.unit)))
        .flag("removed", values.iter().map(Option::is_none))
        .repeated_text("release", releases.iter().map(|r| r.as_deref()))
        .to_parquet()
}

/// The deltas of a segment's Parquet bytes, their texts shared through `shared` (one copy of a
/// text across the segments of a history); `path` names it in errors.
pub(crate) fn read(bytes: Vec<u8>, path: &Path, shared: &mut Shared) -> Result<Vec<Delta>> {
    let label = path.display().to_string();
    let table = Table::read_parquet(TableName::IndicatorsHistory, bytes, &label)?;
    let (indicator, territory, period) = (
        table.texts("indicator")?,
        table.texts("territory")?,
        table.texts("period")?,
    );
    let (value, numerator, denominator) = (
        table.numbers("value")?,
        table.numbers("numerator")?,
        table.numbers("denominator")?,
    );
    let (unit, removed) = (table.texts("unit")?, table.flags("removed")?);
    let release = table.texts("release")?;
    let mut deltas = Vec::with_capacity(table.row_count());
    for at in 0..table.row_count() {
        let key = Key {
            indicator: shared.get(indicator.get(at).unwrap_or_default()),
            territory: shared.territory(territory.get(at).unwrap_or_default()),
            period: shared.get(period.get(at).unwrap_or_default()),
        };
        let unit = shared.get(unit.get(at).unwrap_or_default());
        let valued = |number| Value {
            value: number,
            numerator: numerator.get(at),
            denominator: denominator.get(at),
            unit,
        };
        deltas.push(match (removed.get(at), value.get(at), release.get(at)) {
            (Some(false), Some(number), Some(release)) => Delta::Keep(
                key,
                Version {
                    value: valued(number),
                    release: shared.get(release),
                },
            ),
            (Some(false), Some(number), None) => Delta::Set(key, valued(number)),
            _ => Delta::Remove(key),
        });
    }
    Ok(deltas)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_read_back_as_written() {
        let key = |territory: &str, period: &str| Key {
            indicator: Arc::from("pnrr_funding"),
            territory: Arc::from(territory),
            period: Arc::from(period),
        };
        let deltas = vec![
            Delta::Set(
                key("035004", "2026-08"),
                Value {
                    value: 12.5,
                    numerator: Some(25.0),
                    denominator: None,
                    unit: Arc::from("euro"),
                },
            ),
            Delta::Remove(key("035010", "2026-07")),
            Delta::Keep(
                key("035010", "2026-06"),
                Version {
                    value: Value {
                        value: 3.0,
                        numerator: None,
                        denominator: None,
                        unit: Arc::from("euro"),
                    },
                    release: Arc::from("20260701T031500Z"),
                },
            ),
        ];
        let bytes = write(&deltas).unwrap();
        let mut shared = Shared::default();
        let read_back = read(bytes, Path::new("segment.parquet"), &mut shared).unwrap();
        assert_eq!(read_back, deltas);
    }
}
