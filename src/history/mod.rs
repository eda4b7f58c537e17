//! The history of a pipeline's published indicator values, kept beside its releases
//! (`output/<id>/history/`) and only ever added to. Every published release adds a segment: the
//! values it published that are new or differ from the history's (a revision keeps both), and
//! the values of the release before it that it no longer publishes. A manifest lists the
//! segments in order with their checksums; it is written aside and renamed, and names a segment
//! as pending until the release it belongs to is complete, so that a run killed at any instant
//! leaves the history as it was or complete with the new release. A damaged segment or manifest
//! is an error that names the file, never a shorter history.

pub(crate) mod diff;
pub(crate) mod records;
pub(crate) mod segment;
pub(crate) mod value;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::digest;
use crate::error::{Error, Result};
use crate::files;
use crate::indicator::rows::IndicatorRow;
use crate::message::Argument;
use crate::msg;
use crate::observation::Shared;
use crate::table::{Table, TableName};
use diff::Changes;
use segment::Delta;
pub(crate) use value::{Key, Value, Version};

/// The folder of a pipeline's history, beside its releases.
pub(crate) const FOLDER: &str = "history";
const MANIFEST: &str = "manifest.json";

/// The history read back: every value ever published, and what the last release read published.
#[derive(Debug, Default)]
pub(crate) struct Replay {
    /// Every key ever published, with its versions in order: the last is current, any other is
    /// a value a later release revised.
    pub(crate) values: BTreeMap<Key, Vec<Version>>,
    /// The values the last release read published.
    pub(crate) state: BTreeMap<Key, Value>,
    /// The release whose state it is.
    pub(crate) release: Option<String>,
}

/// One segment of the history, as the manifest lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Entry {
    pub(crate) release: String,
    pub(crate) run_time: String,
    /// The segment's file, in the history folder.
    pub(crate) file: String,
    pub(crate) sha256: String,
    pub(crate) rows: usize,
    /// What the release changed, against the one before it.
    pub(crate) changes: Changes,
    /// The release whose values this segment follows on from: the current one when it was
    /// written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) after: Option<String>,
    /// Written, and its release not known to be complete yet.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) pending: bool,
    /// A later rollback made an earlier release current: the next release follows on from that
    /// one, and this segment is kept, marked.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) rolled_back: bool,
}

/// A release of the history, with what it changed against the one before it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct ReleaseChanges {
    pub(crate) release: String,
    pub(crate) run_time: String,
    pub(crate) changes: Changes,
}

impl From<&Entry> for ReleaseChanges {
    fn from(entry: &Entry) -> ReleaseChanges {
        ReleaseChanges {
            release: entry.release.clone(),
            run_time: entry.run_time.clone(),
            changes: entry.changes,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Manifest {
    segments: Vec<Entry>,
}

/// A pipeline's history, opened.
#[derive(Debug)]
pub(crate) struct Store {
    dir: PathBuf,
    manifest: Manifest,
}

impl Store {
    /// Opens the history in `root` (the pipeline's output folder); none yet is an empty one.
    pub(crate) fn open(root: &Path) -> Result<Store> {
        let dir = root.join(FOLDER);
        let path = dir.join(MANIFEST);
        let manifest = match fs_err::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text).map_err(|e| damaged(&path, e.to_string()))?,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Manifest::default(),
            Err(error) => return Err(error.into()),
        };
        Ok(Store { dir, manifest })
    }

    /// The segments in order, with those of releases a rollback left behind.
    pub(crate) fn entries(&self) -> &[Entry] {
        &self.manifest.segments
    }

    /// The segments that make up the history as at release `head` (the current one, for a
    /// run), oldest first: that release's segment and those it follows on from. Without a
    /// segment of its own (a release made before the history began) it is the latest segment
    /// not rolled back.
    pub(crate) fn chain(&self, head: Option<&str>) -> Vec<&Entry> {
        let segments = &self.manifest.segments;
        let by_release = |name: &str| segments.iter().rev().find(|e| e.release == name);
        let mut at = head
            .and_then(by_release)
            .or_else(|| segments.iter().rev().find(|e| !e.rolled_back && !e.pending));
        let mut chain = Vec::new();
        while let Some(entry) = at {
            if chain.iter().any(|e: &&Entry| e.release == entry.release) {
                break;
            }
            chain.push(entry);
            at = entry.after.as_deref().and_then(by_release);
        }
        chain.reverse();
        chain
    }

    /// Settles what a killed run left: a pending segment whose release is complete is kept, any
    /// other is removed with its file, as are files no segment names.
    pub(crate) fn reconcile(&mut self, releases: &Path) -> Result<()> {
        let before = self.manifest.segments.clone();
        self.manifest
            .segments
            .retain(|entry| !entry.pending || releases.join(&entry.release).is_dir());
        for entry in &mut self.manifest.segments {
            entry.pending = false;
        }
        if self.manifest.segments != before {
            self.write_manifest()?;
        }
        self.remove_unlisted()
    }

    fn remove_unlisted(&self) -> Result<()> {
        let Ok(listing) = fs_err::read_dir(&self.dir) else {
            return Ok(());
        };
        for file in listing {
            let path = file?.path();
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            let listed = self.manifest.segments.iter().any(|e| e.file == name);
            if name.ends_with(".parquet") && !listed {
                files::remove_if_present(&path)?;
            }
        }
        Ok(())
    }

    /// Reads the segments of the history as at release `head`, in order, each checked
    /// against its checksum; the first damaged one is the error.
    pub(crate) fn replay(&self, head: Option<&str>) -> Result<Replay> {
        self.replay_of(&self.chain(head))
    }

    fn replay_of(&self, entries: &[&Entry]) -> Result<Replay> {
        // The segments read on both cores, each half sharing its texts.
        let halves: Vec<&[&Entry]> = entries.chunks(entries.len().div_ceil(2).max(1)).collect();
        let read = crate::parallel::map(&halves, true, |half| {
            let mut shared = Shared::default();
            half.iter()
                .map(|entry| self.read_segment(entry, &mut shared))
                .collect::<Result<Vec<_>>>()
        });
        let mut segments = Vec::with_capacity(entries.len());
        for half in read {
            segments.extend(half?);
        }
        Ok(Replay::of(segments))
    }

    /// A segment's deltas, checked against the manifest's checksum and row count.
    fn read_segment(&self, entry: &Entry, shared: &mut Shared) -> Result<(Arc<str>, Vec<Delta>)> {
        let path = self.dir.join(&entry.file);
        let bytes = fs_err::read(&path)?;
        if digest::sha256(&bytes) != entry.sha256 {
            return Err(damaged(&path, msg!("history_checksum_differs")));
        }
        let deltas = segment::read(bytes, &path, shared)?;
        if deltas.len() != entry.rows {
            return Err(damaged(&path, msg!("history_rows_differ")));
        }
        Ok((Arc::from(entry.release.as_str()), deltas))
    }

    /// Writes the segment of a release that is being written, as pending; [`Store::confirm`]
    /// settles it once the release is complete.
    pub(crate) fn append(
        &mut self,
        release: &str,
        run_time: &str,
        after: Option<&str>,
        deltas: &[Delta],
        changes: Changes,
    ) -> Result<()> {
        fs_err::create_dir_all(&self.dir)?;
        let file = format!("{release}.parquet");
        let bytes = segment::write(deltas)?;
        files::write_atomic(&self.dir.join(&file), &bytes)?;
        self.manifest.segments.retain(|e| e.release != release);
        self.manifest.segments.push(Entry {
            release: release.to_owned(),
            run_time: run_time.to_owned(),
            file,
            sha256: digest::sha256(&bytes),
            rows: deltas.len(),
            changes,
            after: after.map(str::to_owned),
            pending: true,
            rolled_back: false,
        });
        self.write_manifest()
    }

    /// The release of a pending segment is complete.
    pub(crate) fn confirm(&mut self, release: &str) -> Result<()> {
        for entry in &mut self.manifest.segments {
            if entry.release == release {
                entry.pending = false;
            }
        }
        self.write_manifest()
    }

    /// Folds the oldest segments of the history as at `head` into one when it has more than
    /// `keep` releases: every value stays, with its first and its current version as they
    /// stood at the last release folded; the revisions in between are dropped. The folded
    /// segment is written before the manifest names it, and the files it replaces are removed
    /// after, so a kill leaves one history or the other. Segments left behind by a rollback or
    /// a killed run that follow on from a folded release go too: their history is gone.
    pub(crate) fn fold(&mut self, head: Option<&str>, keep: usize) -> Result<()> {
        let chain: Vec<Entry> = self.chain(head).into_iter().cloned().collect();
        if keep == 0 || chain.len() <= keep {
            return Ok(());
        }
        let folded = &chain[..chain.len() - keep];
        let Some(last) = folded.last() else {
            return Ok(());
        };
        let deltas = self.replay_of(&folded.iter().collect::<Vec<_>>())?.folded();
        let file = format!("{}.folded.parquet", last.release);
        let bytes = segment::write(&deltas)?;
        files::write_atomic(&self.dir.join(&file), &bytes)?;
        let base = Entry {
            file,
            sha256: digest::sha256(&bytes),
            rows: deltas.len(),
            after: None,
            ..last.clone()
        };
        let gone: Vec<&str> = folded.iter().map(|e| e.release.as_str()).collect();
        let segments = std::mem::take(&mut self.manifest.segments);
        self.manifest.segments = std::iter::once(base)
            .chain(segments.into_iter().filter(|e| {
                let follows_folded = e.after.as_deref().is_some_and(|a| gone.contains(&a))
                    && e.after.as_deref() != Some(last.release.as_str());
                !gone.contains(&e.release.as_str()) && !follows_folded
            }))
            .collect();
        self.write_manifest()?;
        self.remove_unlisted()
    }

    /// A rollback made `current` the current release: every segment outside its history is
    /// marked (kept, not lost), and any a rollback forward brings back is unmarked.
    pub(crate) fn mark_rollback(&mut self, current: &str) -> Result<()> {
        let kept: Vec<String> = self
            .chain(Some(current))
            .iter()
            .map(|e| e.release.clone())
            .collect();
        for entry in &mut self.manifest.segments {
            entry.rolled_back = !kept.contains(&entry.release);
        }
        self.write_manifest()
    }

    fn write_manifest(&self) -> Result<()> {
        fs_err::create_dir_all(&self.dir)?;
        let text = serde_json::to_string_pretty(&self.manifest)
            .map_err(|e| Error::json(msg!("writing_history_manifest"), e))?;
        files::write_atomic(&self.dir.join(MANIFEST), (text + "\n").as_bytes())?;
        Ok(())
    }
}

/// A history file that does not read back as written; `why` is a message, or the JSON
/// library's own text.
fn damaged(path: &Path, why: impl Into<Argument>) -> Error {
    let why: Argument = why.into();
    Error::Damaged {
        file: path.to_path_buf(),
        message: msg!("history_damaged", why = why),
    }
}

impl Replay {
    /// The history the segments give, oldest first. Their deltas are put in key order once,
    /// a key's deltas staying in the segments' order, and the maps built from sorted entries:
    /// inserting a year's million deltas one by one into maps keyed by text costs a descent of
    /// a tree each.
    fn of(segments: Vec<(Arc<str>, Vec<Delta>)>) -> Replay {
        let release = segments.last().map(|(release, _)| release.to_string());
        let mut releases = Vec::with_capacity(segments.len());
        let count = segments.iter().map(|(_, segment)| segment.len()).sum();
        let mut deltas: Vec<(usize, Delta)> = Vec::with_capacity(count);
        for (at, (release, segment)) in segments.into_iter().enumerate() {
            releases.push(release);
            deltas.extend(segment.into_iter().map(|delta| (at, delta)));
        }
        sort_by_key_texts(&mut deltas, |(_, delta)| delta_key(delta));
        let mut values = Vec::new();
        let mut state = Vec::new();
        let mut deltas = deltas.into_iter().peekable();
        while let Some((release, first)) = deltas.next() {
            let key = delta_key(&first).clone();
            let mut versions = Vec::new();
            // The value is current unless the key's last delta removed it.
            let mut removed = false;
            let mut apply = |release: usize, delta: Delta| {
                removed = matches!(delta, Delta::Remove(_));
                match delta {
                    Delta::Set(_, value) => versions.push(Version {
                        value,
                        release: Arc::clone(&releases[release]),
                    }),
                    Delta::Keep(_, version) => versions.push(version),
                    Delta::Remove(_) => {}
                }
            };
            apply(release, first);
            while let Some((release, delta)) = deltas.next_if(|(_, d)| *delta_key(d) == key) {
                apply(release, delta);
            }
            if let Some(current) = versions.last().filter(|_| !removed) {
                state.push((key.clone(), current.value.clone()));
            }
            if !versions.is_empty() {
                values.push((key, versions));
            }
        }
        Replay {
            values: values.into_iter().collect(),
            state: state.into_iter().collect(),
            release,
        }
    }

    /// The deltas a release publishing `published` (its values by key, [`state_of`] its rows)
    /// adds: values new to the history or different from its current one, and values of the
    /// last release that this one does not publish. With them applied, the state is `published`.
    pub(crate) fn deltas(&self, published: &BTreeMap<Key, Value>) -> Vec<Delta> {
        let mut versions = self.values.iter().peekable();
        let mut state = self.state.iter().peekable();
        let mut deltas: Vec<Delta> = published
            .iter()
            .filter(|(key, value)| {
                let current = value::seek(&mut versions, *key).and_then(|v| v.last());
                let in_state = value::seek(&mut state, *key).is_some();
                current.is_none_or(|current| current.value != **value) || !in_state
            })
            .map(|(key, value)| Delta::Set(key.clone(), value.clone()))
            .collect();
        let mut published = published.iter().peekable();
        deltas.extend(
            self.state
                .keys()
                .filter(|key| value::seek(&mut published, *key).is_none())
                .map(|key| Delta::Remove(key.clone())),
        );
        deltas
    }

    /// The history folded into one segment's deltas: for every value its first and its
    /// current version (so that `revised` stays true), then the values the last release no
    /// longer published.
    fn folded(&self) -> Vec<Delta> {
        let mut deltas = Vec::with_capacity(self.values.len());
        for (key, versions) in &self.values {
            let (Some(first), Some(current)) = (versions.first(), versions.last()) else {
                continue;
            };
            if first.value != current.value {
                deltas.push(Delta::Keep(key.clone(), first.clone()));
            }
            deltas.push(Delta::Keep(key.clone(), current.clone()));
        }
        deltas.extend(
            self.values
                .keys()
                .filter(|key| !self.state.contains_key(*key))
                .map(|key| Delta::Remove(key.clone())),
        );
        deltas
    }

    /// The history with a release's deltas added: `published` and the deltas
    /// [`Replay::deltas`] gave for it (its values in key order, then the values it no longer
    /// publishes), so that its state is `published` itself.
    pub(crate) fn with(
        mut self,
        release: &str,
        published: BTreeMap<Key, Value>,
        deltas: &[Delta],
    ) -> Replay {
        let release: Arc<str> = Arc::from(release);
        let version = |value: &Value| Version {
            value: value.clone(),
            release: Arc::clone(&release),
        };
        let sets = || {
            deltas.iter().filter_map(|delta| match delta {
                Delta::Set(key, value) => Some((key, value)),
                Delta::Remove(_) | Delta::Keep(..) => None,
            })
        };
        // A release that adds many values (the first one adds them all) has its versions
        // merged in key order into a map built at once; a few are inserted one by one.
        if sets().count() > self.values.len() / 8 {
            let mut sets = sets().peekable();
            let mut merged = Vec::with_capacity(self.values.len());
            for (key, mut versions) in std::mem::take(&mut self.values) {
                while let Some((new, value)) = sets.next_if(|(new, _)| **new < key) {
                    merged.push((new.clone(), vec![version(value)]));
                }
                if let Some((_, value)) = sets.next_if(|(new, _)| **new == key) {
                    versions.push(version(value));
                }
                merged.push((key, versions));
            }
            merged.extend(sets.map(|(key, value)| (key.clone(), vec![version(value)])));
            self.values = merged.into_iter().collect();
        } else {
            for (key, value) in sets() {
                self.values
                    .entry(key.clone())
                    .or_default()
                    .push(version(value));
            }
        }
        self.state = published;
        self.release = Some(release.to_string());
        self
    }
}

fn delta_key(delta: &Delta) -> &Key {
    match delta {
        Delta::Set(key, _) | Delta::Remove(key) | Delta::Keep(key, _) => key,
    }
}

/// Puts items in the order of their keys by the ranks of the keys' texts, keeping the order of
/// items with equal keys: comparing millions of keys as text at every step of a sort misses
/// the cache.
fn sort_by_key_texts<T: Sync>(items: &mut [T], key_of: impl Fn(&T) -> &Key + Sync) {
    let fields: [crate::order::TextField<T>; 3] = [
        &|item| &key_of(item).indicator,
        &|item| &key_of(item).territory,
        &|item| &key_of(item).period,
    ];
    let parts = crate::order::ranks_by_field(items, &fields);
    crate::order::sort_by_parts(items, &parts);
}

/// The values a release publishes, by key, put in key order first so that the map is built
/// from sorted entries.
pub(crate) fn state_of(rows: &[IndicatorRow]) -> BTreeMap<Key, Value> {
    let mut entries: Vec<(Key, Value)> = rows
        .iter()
        .map(|row| {
            (
                Key {
                    indicator: Arc::clone(&row.indicator),
                    territory: Arc::clone(&row.territory),
                    period: Arc::clone(&row.period),
                },
                Value {
                    value: row.value,
                    numerator: row.numerator,
                    denominator: row.denominator,
                    unit: Arc::clone(&row.unit),
                },
            )
        })
        .collect();
    sort_by_key_texts(&mut entries, |(key, _)| key);
    entries.into_iter().collect()
}

impl Replay {
    /// The published history: the current value of every key, the release that published it
    /// and whether it revised an earlier, different one.
    pub(crate) fn table(&self) -> Table {
        let rows: Vec<(&Key, &Version, bool)> = self
            .values
            .iter()
            .filter_map(|(key, versions)| {
                let current = versions.last()?;
                let revised = versions.iter().any(|v| v.value != current.value);
                Some((key, current, revised))
            })
            .collect();
        let keys = || rows.iter().map(|r| r.0);
        let versions = || rows.iter().map(|r| r.1);
        Table::new(TableName::IndicatorsHistory)
            .repeated_text("indicator", keys().map(|k| Some(&*k.indicator)))
            .text("territory", keys().map(|k| Some(&*k.territory)))
            .repeated_text("period", keys().map(|k| Some(&*k.period)))
            .number("value", versions().map(|v| Some(v.value.value)))
            .repeated_text("unit", versions().map(|v| Some(&*v.value.unit)))
            .number("numerator", versions().map(|v| v.value.numerator))
            .number("denominator", versions().map(|v| v.value.denominator))
            .repeated_text("release", versions().map(|v| Some(&*v.release)))
            .integer("revised", rows.iter().map(|r| Some(i64::from(r.2))))
    }

    /// The periods and current values of one series, in period order.
    pub(crate) fn series(&self, indicator: &str, territory: &str) -> Vec<(Arc<str>, f64)> {
        let first = Key {
            indicator: Arc::from(indicator),
            territory: Arc::from(territory),
            period: Arc::from(""),
        };
        self.values
            .range(first..)
            .take_while(|(key, _)| &*key.indicator == indicator && &*key.territory == territory)
            .filter_map(|(key, versions)| {
                Some((Arc::clone(&key.period), versions.last()?.value.value))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(territory: &str, period: &str, value: f64) -> IndicatorRow {
        let mut row = IndicatorRow::example();
        row.territory = Arc::from(territory);
        row.period = Arc::from(period);
        row.value = value;
        row
    }

    /// Adds a release publishing `rows` as a run does: recorded, its folder made, confirmed.
    fn publish(root: &Path, release: &str, rows: &[IndicatorRow]) -> Store {
        let mut store = Store::open(root).unwrap();
        let head = store.chain(None).last().map(|e| e.release.clone());
        let replay = store.replay(head.as_deref()).unwrap();
        let published = state_of(rows);
        let deltas = replay.deltas(&published);
        let changes = diff::count(&diff::between(&replay.state, &published));
        let after = replay.with(release, published, &deltas);
        store
            .append(
                release,
                "2026-01-01T00:00:00Z",
                head.as_deref(),
                &deltas,
                changes,
            )
            .unwrap();
        fs_err::create_dir_all(root.join("releases").join(release)).unwrap();
        store.confirm(release).unwrap();
        let read_back = store.replay(Some(release)).unwrap();
        assert!(read_back.state == after.state && read_back.values == after.values);
        store
    }

    #[test]
    fn a_release_added_in_memory_is_the_one_its_segment_replays() {
        let rows = |count: usize, value: f64| -> Vec<IndicatorRow> {
            (0..count)
                .map(|at| row(&format!("{:06}", 35000 + at * 3), "2024", value))
                .collect()
        };
        let first = rows(40, 1.0);
        // A few values changed (added one by one), then many (merged in key order), with
        // keys before, among and after the history's.
        let mut few = first.clone();
        few[7].value = 2.0;
        few.push(row("000001", "2024", 5.0));
        let mut many: Vec<IndicatorRow> = rows(60, 3.0).into_iter().skip(5).collect();
        many.push(row("035001", "2025", 4.0));
        let mut in_memory = Replay::default();
        let mut segments = Vec::new();
        for (release, rows) in [("r1", &first), ("r2", &few), ("r3", &many)] {
            let published = state_of(rows);
            let deltas = in_memory.deltas(&published);
            in_memory = in_memory.with(release, published, &deltas);
            segments.push((Arc::from(release), deltas));
            let replayed = Replay::of(segments.clone());
            assert!(in_memory.state == replayed.state, "state after {release}");
            assert!(
                in_memory.values == replayed.values,
                "values after {release}"
            );
        }
        assert_eq!(in_memory.values.len(), 62);
    }

    fn current_values(store: &Store, head: &str) -> Vec<(String, String, f64)> {
        let replay = store.replay(Some(head)).unwrap();
        replay
            .state
            .iter()
            .map(|(k, v)| (k.territory.to_string(), k.period.to_string(), v.value))
            .collect()
    }

    #[test]
    fn a_revision_keeps_both_values_and_the_latest_is_current() {
        let root = tempfile::tempdir().unwrap();
        publish(root.path(), "r1", &[row("035004", "2023-12", 1.0)]);
        let store = publish(
            root.path(),
            "r2",
            &[row("035004", "2023-12", 2.0), row("035004", "2026-08", 3.0)],
        );
        let replay = store.replay(Some("r2")).unwrap();
        let versions = replay.values.values().next().unwrap();
        let values: Vec<f64> = versions.iter().map(|v| v.value.value).collect();
        assert_eq!(values, [1.0, 2.0]);
        let table = replay.table();
        assert_eq!(table.numbers("value").unwrap().get(0), Some(2.0));
        assert_eq!(table.integers("revised").unwrap().get(0), Some(1));
        assert_eq!(table.integers("revised").unwrap().get(1), Some(0));
        let series = replay.series("pnrr_funding", "035004");
        assert_eq!(series.len(), 2);
    }

    #[test]
    fn folding_keeps_every_value_its_current_version_and_whether_it_was_revised() {
        let root = tempfile::tempdir().unwrap();
        publish(root.path(), "r1", &[row("035004", "2026-01", 1.0)]);
        publish(root.path(), "r2", &[row("035004", "2026-01", 2.0)]);
        publish(root.path(), "r3", &[row("035004", "2026-01", 3.0)]);
        let mut store = publish(
            root.path(),
            "r4",
            &[row("035004", "2026-01", 3.0), row("035004", "2026-02", 4.0)],
        );
        let before = store.replay(Some("r4")).unwrap().table();
        store.fold(Some("r4"), 1).unwrap();

        let releases: Vec<&str> = store.entries().iter().map(|e| e.release.as_str()).collect();
        assert_eq!(releases, ["r3", "r4"]);
        let files = fs_err::read_dir(root.path().join(FOLDER)).unwrap().count();
        assert_eq!(
            files, 3,
            "the manifest, the folded segment and the one kept whole"
        );
        let reopened = Store::open(root.path()).unwrap();
        let replay = reopened.replay(Some("r4")).unwrap();
        let after = replay.table();
        for column in ["value", "revised"] {
            let read = |t: &Table| -> Vec<Option<f64>> {
                (0..t.row_count())
                    .map(|i| match column {
                        "value" => t.numbers(column).unwrap().get(i),
                        _ => t.integers(column).unwrap().get(i).map(|v| v as f64),
                    })
                    .collect()
            };
            assert_eq!(read(&after), read(&before), "{column}");
        }
        // The revision to 2 is folded away; the first and the current value stay.
        let versions: Vec<f64> = replay
            .values
            .values()
            .next()
            .unwrap()
            .iter()
            .map(|v| v.value.value)
            .collect();
        assert_eq!(versions, [1.0, 3.0]);
        assert_eq!(after.texts("release").unwrap().get(0), Some("r3"));
    }

    #[test]
    fn a_rollback_marks_the_later_releases_and_the_next_follows_the_current_one() {
        let root = tempfile::tempdir().unwrap();
        publish(root.path(), "r1", &[row("035004", "2023", 1.0)]);
        let mut store = publish(root.path(), "r2", &[row("035004", "2023", 5.0)]);
        store.mark_rollback("r1").unwrap();
        let store = Store::open(root.path()).unwrap();
        let marked: Vec<bool> = store.entries().iter().map(|e| e.rolled_back).collect();
        assert_eq!(marked, [false, true]);
        assert_eq!(
            current_values(&store, "r1"),
            [("035004".into(), "2023".into(), 1.0)]
        );
        let store = publish(root.path(), "r3", &[row("035004", "2023", 7.0)]);
        assert_eq!(store.entries().len(), 3, "no segment is lost");
        let replay = store.replay(Some("r3")).unwrap();
        let versions = &replay.values.values().next().unwrap();
        let releases: Vec<&str> = versions.iter().map(|v| &*v.release).collect();
        assert_eq!(releases, ["r1", "r3"], "r3 follows on from r1, not from r2");
    }

    #[test]
    fn a_pending_segment_counts_only_once_its_release_exists() {
        let root = tempfile::tempdir().unwrap();
        publish(root.path(), "r1", &[row("035004", "2023", 1.0)]);
        let mut store = Store::open(root.path()).unwrap();
        let deltas = vec![Delta::Remove(
            state_of(&[row("035004", "2023", 1.0)])
                .into_keys()
                .next()
                .unwrap(),
        )];
        store
            .append("r2", "t", Some("r1"), &deltas, Changes::default())
            .unwrap();
        let mut store = Store::open(root.path()).unwrap();
        store.reconcile(&root.path().join("releases")).unwrap();
        assert_eq!(store.entries().len(), 1, "the killed run's segment is gone");
        assert!(!root.path().join(FOLDER).join("r2.parquet").exists());
    }

    #[test]
    fn a_truncated_segment_is_reported_with_its_path() {
        let root = tempfile::tempdir().unwrap();
        publish(root.path(), "r1", &[row("035004", "2023", 1.0)]);
        let path = root.path().join(FOLDER).join("r1.parquet");
        let bytes = fs_err::read(&path).unwrap();
        fs_err::write(&path, &bytes[..bytes.len() / 2]).unwrap();
        let store = Store::open(root.path()).unwrap();
        let error = store.replay(Some("r1")).unwrap_err();
        assert!(
            matches!(error, Error::Damaged { ref file, .. } if *file == path),
            "{error}"
        );
        fs_err::write(root.path().join(FOLDER).join(MANIFEST), "{\"segm").unwrap();
        assert!(matches!(
            Store::open(root.path()),
            Err(Error::Damaged { .. })
        ));
    }
}
