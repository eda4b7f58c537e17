//! The history step: the values of the release being written are compared with the history
//! (what is new, what changed, what the release before published and this one does not), the
//! history as it will be with them is made for the release's pages and tables, and the release's
//! segment is written as pending before the switch and confirmed after it.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::history::diff::{self, Change, Changes};
use crate::history::records::{self, RecordChange};
use crate::history::segment::Delta;
use crate::history::{self, ReleaseChanges, Replay, Store};
use crate::publish::Format;
use crate::publish::release::RELEASES;
use crate::run::compute::Computed;
use crate::run::pipeline::Pipeline;
use crate::table::{Table, TableName};

/// The history with a release's values, before they are written.
pub(crate) struct Recorded {
    store: Store,
    deltas: Vec<Delta>,
    /// The history as it is with the release.
    pub(crate) replay: Replay,
    /// What the release changed against the one before it.
    pub(crate) changes: Vec<Change>,
    /// The records (projects, funded applications) new, gone or changed since then.
    pub(crate) records: Vec<RecordChange>,
    /// The release before it, when there is one.
    pub(crate) previous: Option<String>,
    /// The releases of the history, oldest first, this one last.
    pub(crate) timeline: Vec<ReleaseChanges>,
}

impl Recorded {
    /// How many values of each kind the release changed, as counted when it was recorded.
    fn counts(&self) -> Changes {
        self.timeline
            .last()
            .map_or_else(Changes::default, |release| release.changes)
    }

    /// Frees what the release's pages and tables were made from (the changes, the history as
    /// it is with the release): a national history has millions of values, and only the
    /// deltas are still to be written.
    pub(crate) fn free_published(&mut self) {
        self.changes = Vec::new();
        self.replay = Replay::default();
    }
}

fn releases_of(root: &Path) -> PathBuf {
    root.join(RELEASES)
}

/// Reads the history of `root` (settling what a killed run left) and adds the values of the
/// release `name` being written, with its tables.
pub(crate) fn record(
    pipeline: &Pipeline,
    root: &Path,
    name: &str,
    computed: &Computed,
    run_time: &str,
) -> Result<Recorded> {
    let releases = releases_of(root);
    let mut store = Store::open(root)?;
    store.reconcile(&releases)?;
    let current = crate::publish::release::current(root);
    let replay = store.replay(current.as_deref())?;
    let previous = replay.release.clone();
    // The state after this release is what it publishes, so the changes are computed against
    // that, without a copy of the state before.
    let published = history::state_of(&computed.rows);
    let deltas = replay.deltas(&published);
    let changes = diff::between(&replay.state, &published);
    let replay = replay.with(name, published, &deltas);
    let mut timeline: Vec<ReleaseChanges> = store
        .chain(previous.as_deref())
        .into_iter()
        .map(ReleaseChanges::from)
        .collect();
    timeline.push(ReleaseChanges {
        release: name.to_owned(),
        run_time: run_time.to_owned(),
        changes: diff::count(&changes),
    });
    let records = match &previous {
        Some(previous) => record_changes(pipeline, &releases.join(previous), &computed.tables)?,
        None => Vec::new(),
    };
    Ok(Recorded {
        store,
        deltas,
        replay,
        changes,
        records,
        previous,
        timeline,
    })
}

/// What changed in the tables of records since the release before, read from the Parquet
/// files it published; a table it did not publish (a new dataset) has nothing to compare.
fn record_changes(
    pipeline: &Pipeline,
    previous: &Path,
    tables: &[Table],
) -> Result<Vec<RecordChange>> {
    let mut changes = Vec::new();
    let mut seen = Vec::new();
    for dataset in &pipeline.plan.datasets {
        let Some(table) = tables.iter().find(|t| t.name == dataset.table) else {
            continue;
        };
        if table.name.record_key().is_none() || seen.contains(&table.name) {
            continue;
        }
        seen.push(table.name);
        let Some(before) = read_published(previous, &dataset.name, table.name)? else {
            continue;
        };
        changes.extend(records::between(&before, &table.published()));
    }
    Ok(changes)
}

/// Writes the release's segment, pending until [`confirm`].
pub(crate) fn write(recorded: &mut Recorded, name: &str, run_time: &str) -> Result<()> {
    let counts = recorded.counts();
    recorded.store.append(
        name,
        run_time,
        recorded.previous.as_deref(),
        &recorded.deltas,
        counts,
    )
}

/// The release is current: its segment is no longer pending, and with `[history] keep` the
/// oldest segments are folded into one.
pub(crate) fn confirm(recorded: &mut Recorded, name: &str, keep: Option<usize>) -> Result<()> {
    recorded.store.confirm(name)?;
    match keep {
        Some(keep) => recorded.store.fold(Some(name), keep),
        None => Ok(()),
    }
}

/// The table a release published as dataset `name`, from its Parquet file; `None` when it did
/// not publish it.
fn read_published(release: &Path, name: &str, table: TableName) -> Result<Option<Table>> {
    let path = release.join(format!("data/{name}.{}", Format::Parquet.extension()));
    let bytes = match fs_err::read(&path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(error.into()),
    };
    Table::read_parquet(table, bytes, &path.display().to_string()).map(Some)
}

/// The history of a pipeline's output folder as at its current release, read without
/// settling anything (no lock is taken): for `datavalley history` and `diff`.
pub(crate) fn read(root: &Path) -> Result<(Store, Replay)> {
    let store = Store::open(root)?;
    let current = crate::publish::release::current(root);
    let replay = store.replay(current.as_deref())?;
    Ok((store, replay))
}

/// What changed between two releases of the history.
pub(crate) struct Comparison {
    pub(crate) from: ReleaseChanges,
    pub(crate) to: ReleaseChanges,
    pub(crate) changes: Vec<Change>,
    pub(crate) records: Vec<RecordChange>,
}

/// The changes from release `from` to release `to`: by default from the one before the
/// current to the current, or from `from` to the current.
pub(crate) fn compare(
    pipeline: &Pipeline,
    root: &Path,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<Comparison> {
    let store = Store::open(root)?;
    let current = crate::publish::release::current(root);
    let chain: Vec<ReleaseChanges> = store
        .chain(current.as_deref())
        .into_iter()
        .map(ReleaseChanges::from)
        .collect();
    let known = |name: &str| -> Result<ReleaseChanges> {
        let entry = store.entries().iter().rev().find(|e| e.release == name);
        entry.map(ReleaseChanges::from).ok_or_else(|| {
            Error::Usage(crate::msg!(
                "release_not_in_history",
                release = name,
                folder = root.display()
            ))
        })
    };
    let to = match to {
        Some(name) => known(name)?,
        None => chain
            .last()
            .cloned()
            .ok_or_else(|| Error::Usage(crate::msg!("no_history_yet", folder = root.display())))?,
    };
    let from = match from {
        Some(name) => known(name)?,
        None => {
            let at = chain
                .iter()
                .position(|r| r.release == to.release)
                .unwrap_or(0);
            chain.get(at.wrapping_sub(1)).cloned().ok_or_else(|| {
                Error::Usage(crate::msg!(
                    "first_release_in_history",
                    release = &to.release
                ))
            })?
        }
    };
    let before = store.replay(Some(&from.release))?.state;
    let now = store.replay(Some(&to.release))?.state;
    let releases = releases_of(root);
    let records = records_between(
        pipeline,
        &releases.join(&from.release),
        &releases.join(&to.release),
    )?;
    Ok(Comparison {
        changes: diff::between(&before, &now),
        records,
        from,
        to,
    })
}

/// The record changes between two published releases, when both are still kept.
fn records_between(pipeline: &Pipeline, from: &Path, to: &Path) -> Result<Vec<RecordChange>> {
    let mut tables = Vec::new();
    for dataset in &pipeline.plan.datasets {
        if dataset.table.record_key().is_none() {
            continue;
        }
        if let Some(table) = read_published(to, &dataset.name, dataset.table)? {
            tables.push(table);
        }
    }
    record_changes(pipeline, from, &tables)
}
