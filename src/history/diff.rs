//! What changed between two releases' values: series that appeared or went, series whose
//! latest value moved to another (a newer snapshot, a new year), and values of the same period
//! that a later release gives differently (revisions). The Novità page, the feed and
//! `datavalley diff` all say it from here.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::history::value::{self, Key, Value};

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

/// The latest period of each series of a release's values, in series order: the keys come
/// in period order within a series, so the last of each run of keys is the latest.
fn latest(state: &BTreeMap<Key, Value>) -> Vec<(&Key, &Value)> {
    let mut latest: Vec<(&Key, &Value)> = Vec::new();
    for entry in state {
        match latest.last_mut() {
            Some(last) if same_series(last.0, entry.0) => *last = entry,
            _ => latest.push(entry),
        }
    }
    latest
}

fn same_series(a: &Key, b: &Key) -> bool {
    series_order(a, b) == Ordering::Equal
}

fn series_order(a: &Key, b: &Key) -> Ordering {
    (&a.indicator, &a.territory).cmp(&(&b.indicator, &b.territory))
}

fn series_of(key: &Key) -> Series {
    Series {
        indicator: Arc::clone(&key.indicator),
        territory: Arc::clone(&key.territory),
    }
}

fn dated((key, value): (&Key, &Value)) -> Dated {
    Dated {
        period: Arc::clone(&key.period),
        value: value.clone(),
    }
}

/// The changes from the values `before` to the values `now`, series by series, in order. Both
/// are walked side by side in key order: a national release has millions of values.
pub(crate) fn between(before: &BTreeMap<Key, Value>, now: &BTreeMap<Key, Value>) -> Vec<Change> {
    let (old, new) = (latest(before), latest(now));
    let (mut moved, mut removed) = (Vec::new(), Vec::new());
    let mut earlier = old.into_iter().peekable();
    for entry in new {
        while let Some(gone) = earlier.next_if(|e| series_order(e.0, entry.0).is_lt()) {
            removed.push(Change::Removed {
                series: series_of(gone.0),
                before: dated(gone),
            });
        }
        match earlier.next_if(|e| same_series(e.0, entry.0)) {
            None => moved.push(Change::New {
                series: series_of(entry.0),
                now: dated(entry),
            }),
            Some(last) if last.0.period != entry.0.period && last.1 != entry.1 => {
                moved.push(Change::Changed {
                    series: series_of(entry.0),
                    before: dated(last),
                    now: dated(entry),
                })
            }
            Some(_) => {}
        }
    }
    removed.extend(earlier.map(|gone| Change::Removed {
        series: series_of(gone.0),
        before: dated(gone),
    }));
    let mut changes = moved;
    changes.append(&mut removed);
    let mut earlier = before.iter().peekable();
    changes.extend(now.iter().filter_map(|(key, value)| {
        let earlier = value::seek(&mut earlier, key)?;
        (earlier != value).then(|| Change::Revised {
            series: series_of(key),
            before: dated((key, earlier)),
            now: dated((key, value)),
        })
    }));
    // Stable: within a series, a move comes before a removal and a revision, as listed.
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
