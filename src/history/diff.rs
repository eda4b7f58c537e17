//! What changed between two releases' values: series that appeared or went, series whose
//! latest value moved to another (a newer snapshot, a new year), and values of the same period
//! that a later release gives differently (revisions). The Novità page, the feed and
//! `datavalley diff` all say it from here.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::history::value::{Key, Value};

/// How many values of each kind a release changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Changes {
    pub(crate) new: usize,
    pub(crate) changed: usize,
    pub(crate) removed: usize,
    pub(crate) revised: usize,
}

/// A series: one indicator for one territory.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Series {
    pub(crate) indicator: Arc<str>,
    pub(crate) territory: Arc<str>,
}

/// A value with its period.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Dated {
    pub(crate) period: Arc<str>,
    pub(crate) value: Value,
}

/// One change between two releases.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Change {
    /// A series the earlier release did not publish.
    New { series: Series, now: Dated },
    /// A series whose latest value is another, of another period.
    Changed {
        series: Series,
        before: Dated,
        now: Dated,
    },
    /// A series the later release no longer publishes.
    Removed { series: Series, before: Dated },
    /// A value of the same period that the later release gives differently.
    Revised {
        series: Series,
        before: Dated,
        now: Dated,
    },
}

impl Change {
    pub(crate) fn series(&self) -> &Series {
        match self {
            Change::New { series, .. }
            | Change::Changed { series, .. }
            | Change::Removed { series, .. }
            | Change::Revised { series, .. } => series,
        }
    }
}

/// The latest period of each series of a release's values.
fn latest(state: &BTreeMap<Key, Value>) -> BTreeMap<Series, Dated> {
    let mut latest: BTreeMap<Series, Dated> = BTreeMap::new();
    for (key, value) in state {
        let series = Series {
            indicator: Arc::clone(&key.indicator),
            territory: Arc::clone(&key.territory),
        };
        // Keys come in period order within a series: the last one is the latest.
        latest.insert(
            series,
            Dated {
                period: Arc::clone(&key.period),
                value: value.clone(),
            },
        );
    }
    latest
}

/// The changes from the values `before` to the values `now`, series by series, in order.
pub(crate) fn between(before: &BTreeMap<Key, Value>, now: &BTreeMap<Key, Value>) -> Vec<Change> {
    let (old, new) = (latest(before), latest(now));
    let mut changes = Vec::new();
    for (series, dated) in &new {
        match old.get(series) {
            None => changes.push(Change::New {
                series: series.clone(),
                now: dated.clone(),
            }),
            Some(earlier) if earlier.period != dated.period && earlier.value != dated.value => {
                changes.push(Change::Changed {
                    series: series.clone(),
                    before: earlier.clone(),
                    now: dated.clone(),
                })
            }
            Some(_) => {}
        }
    }
    changes.extend(
        old.iter()
            .filter(|(series, _)| !new.contains_key(*series))
            .map(|(series, dated)| Change::Removed {
                series: series.clone(),
                before: dated.clone(),
            }),
    );
    changes.extend(now.iter().filter_map(|(key, value)| {
        let earlier = before.get(key)?;
        (earlier != value).then(|| Change::Revised {
            series: Series {
                indicator: Arc::clone(&key.indicator),
                territory: Arc::clone(&key.territory),
            },
            before: Dated {
                period: Arc::clone(&key.period),
                value: earlier.clone(),
            },
            now: Dated {
                period: Arc::clone(&key.period),
                value: value.clone(),
            },
        })
    }));
    changes.sort_by(|a, b| a.series().cmp(b.series()));
    changes
}

/// How many changes of each kind.
pub(crate) fn count(changes: &[Change]) -> Changes {
    let mut counts = Changes::default();
    for change in changes {
        match change {
            Change::New { .. } => counts.new += 1,
            Change::Changed { .. } => counts.changed += 1,
            Change::Removed { .. } => counts.removed += 1,
            Change::Revised { .. } => counts.revised += 1,
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(v: f64) -> Value {
        Value {
            value: v,
            numerator: None,
            denominator: None,
            unit: Arc::from("progetti"),
        }
    }

    fn key(territory: &str, period: &str) -> Key {
        Key {
            indicator: Arc::from("pnrr_projects"),
            territory: Arc::from(territory),
            period: Arc::from(period),
        }
    }

    #[test]
    fn tells_new_changed_removed_and_revised_values_apart() {
        let before = BTreeMap::from([
            (key("035004", "2023-12"), value(1.0)),
            (key("035010", "2023-12"), value(1.0)),
            (key("035017", "2023-12"), value(4.0)),
            (key("035018", "2021"), value(7.0)),
        ]);
        let now = BTreeMap::from([
            (key("035004", "2026-08"), value(2.0)),
            (key("035010", "2026-08"), value(1.0)),
            (key("035018", "2021"), value(8.0)),
            (key("035022", "2026-08"), value(3.0)),
        ]);
        let changes = between(&before, &now);
        assert_eq!(
            count(&changes),
            Changes {
                new: 1,
                changed: 1,
                removed: 1,
                revised: 1
            }
        );
        assert!(matches!(&changes[0], Change::Changed { before, now, .. }
            if before.value.value == 1.0 && now.value.value == 2.0));
    }
}
