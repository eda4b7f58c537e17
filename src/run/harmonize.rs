//! Code harmonization: every territory code of the data brought to the list of comuni's
//! (NUTS codes to ISTAT codes, codes of comuni that changed to the codes the list has, through
//! the pipeline's file of code changes), in the observations and in the tables sources give;
//! then the values of comuni merged into one summed, with one warning that says where.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::error::Result;
use crate::finding::Finding;
use crate::istat::{Level, level_of_istat_code};
use crate::message;
use crate::msg;
use crate::observation::Observation;
use crate::source::Ingested;
use crate::source::read::{find_columns, parse_table};
use crate::table::Delimited;
use crate::territory::{CodeChange, CodeChanges, Resolved, Territories};

/// Reads a file of code changes: `old_code,new_code,date` (comuni merged, renamed, moved).
pub(crate) fn read_code_changes(path: &Path, findings: &mut Vec<Finding>) -> Result<CodeChanges> {
    let label = path.display().to_string();
    let text = fs_err::read_to_string(path)?;
    let layout = Delimited {
        separator: b',',
        skip_lines: 0,
        footer_lines: 0,
    };
    let Some(table) = parse_table(&label, &text, layout, findings) else {
        return Ok(CodeChanges::default());
    };
    let columns = match find_columns(&label, &table, &["old_code", "new_code", "date"]) {
        Ok(columns) => columns,
        Err(missing) => {
            findings.extend(missing);
            return Ok(CodeChanges::default());
        }
    };
    let mut changes = Vec::new();
    for row in 0..table.row_count() {
        let cell = |column: usize| {
            table
                .cell(columns[column], row)
                .unwrap_or_default()
                .to_owned()
        };
        let change = CodeChange {
            old: cell(0),
            new: cell(1),
            date: cell(2),
        };
        let valid = [&change.old, &change.new]
            .iter()
            .all(|code| level_of_istat_code(code) == Some(Level::Comune));
        if !valid {
            findings.push(
                Finding::error("not_a_comune_code", msg!("code_change_not_a_comune"))
                    .in_file(&label)
                    .at_row(row + 1),
            );
            continue;
        }
        changes.push(change);
    }
    Ok(CodeChanges::new(changes))
}

/// The codes of the data brought to the registry's, each resolved once: resolving a changed
/// code scans the list of changes, and a national file repeats the same codes thousands of
/// times.
pub(crate) struct Renaming<'a> {
    territories: &'a Territories,
    changes: &'a CodeChanges,
    resolved: FxHashMap<String, Option<Arc<str>>>,
    /// The codes something was renamed to: only their values can meet another of the same
    /// territory, measure and period.
    touched: FxHashSet<Arc<str>>,
}

impl<'a> Renaming<'a> {
    pub(crate) fn new(territories: &'a Territories, changes: &'a CodeChanges) -> Self {
        Renaming {
            territories,
            changes,
            resolved: FxHashMap::default(),
            touched: FxHashSet::default(),
        }
    }

    /// The registry's code for a code of the data, when it is another.
    fn target(&mut self, code: &str) -> Option<Arc<str>> {
        if let Some(known) = self.resolved.get(code) {
            return known.clone();
        }
        let target = match self.territories.resolve(code, self.changes) {
            Resolved::Renamed { to, .. } => Some(Arc::from(to)),
            Resolved::Known | Resolved::Unknown => None,
        };
        self.resolved.insert(code.to_owned(), target.clone());
        target
    }

    /// Renames the codes of a source's observations and of its tables' `territory` column.
    /// Says, for each observation, whether its comune's code changed (a NUTS code brought to
    /// its ISTAT code is the same territory, and is never summed with another).
    pub(crate) fn apply(&mut self, ingested: &mut Ingested) -> Result<Vec<bool>> {
        let mut changed = vec![false; ingested.observations.len()];
        // Sources give a territory's values one after the other, with one shared code.
        let mut last: Option<(Arc<str>, Option<Arc<str>>)> = None;
        for (observation, changed) in ingested.observations.iter_mut().zip(changed.iter_mut()) {
            let to = match &last {
                Some((code, to)) if Arc::ptr_eq(code, &observation.territory) => to.clone(),
                _ => {
                    let to = self.target(&observation.territory);
                    last = Some((Arc::clone(&observation.territory), to.clone()));
                    to
                }
            };
            if let Some(to) = to {
                *changed = !self.territories.is_alias(&observation.territory);
                observation.territory = to;
                self.touched.insert(Arc::clone(&observation.territory));
            }
        }
        for table in &mut ingested.tables {
            let Ok(codes) = table.texts("territory") else {
                continue;
            };
            // The column's arrays are shared, not copied: the column is replaced below.
            let codes = codes.clone();
            let targets: Vec<Option<Arc<str>>> = codes
                .iter()
                .map(|code| code.and_then(|code| self.target(code)))
                .collect();
            if targets.iter().all(Option::is_none) {
                continue;
            }
            let values = codes
                .iter()
                .zip(&targets)
                .map(|(code, target)| target.as_deref().or(code));
            table.replace_text("territory", values)?;
        }
        Ok(changed)
    }

    /// Sums the values of comuni whose codes changed into one comune of the list, in place:
    /// the observations of a grown run are gigabytes, a second list as much. Only a value
    /// renamed by a code change merges with another of the same territory, measure and
    /// period; one warning lists where, since a national file has thousands of merges.
    pub(crate) fn merge(
        &self,
        observations: &mut Vec<Observation>,
        changed: &[bool],
        findings: &mut Vec<Finding>,
    ) {
        type Key = (Arc<str>, Arc<str>, Arc<str>);
        let mut renamed: FxHashSet<Key> = FxHashSet::default();
        let mut index: FxHashMap<Key, usize> = FxHashMap::default();
        let mut summed_into: BTreeMap<String, usize> = BTreeMap::new();
        let mut kept = 0;
        for at in 0..observations.len() {
            if !self.touched.contains(&observations[at].territory) {
                observations.swap(kept, at);
                kept += 1;
                continue;
            }
            let observation = &observations[at];
            let key = (
                Arc::clone(&observation.territory),
                Arc::clone(&observation.measure),
                Arc::clone(&observation.period),
            );
            if changed[at] {
                renamed.insert(key.clone());
            }
            match index.get(&key) {
                Some(&into)
                    if renamed.contains(&key) && observations[into].unit == observation.unit =>
                {
                    let value = observation.value;
                    observations[into].value += value;
                    *summed_into.entry(key.0.to_string()).or_default() += 1;
                }
                _ => {
                    index.insert(key, kept);
                    observations.swap(kept, at);
                    kept += 1;
                }
            }
        }
        observations.truncate(kept);
        findings.extend(merged_warning(&summed_into));
    }
}

/// One warning for all merges of comuni, with the first of them by code.
fn merged_warning(summed_into: &BTreeMap<String, usize>) -> Option<Finding> {
    const LISTED: usize = 20;
    if summed_into.is_empty() {
        return None;
    }
    let values: usize = summed_into.values().sum();
    let listed: Vec<String> = summed_into
        .iter()
        .map(|(code, count)| format!("{code} ({count})"))
        .collect();
    Some(Finding::warning(
        "merged_codes",
        msg!(
            "merged_codes",
            values = values,
            comuni = summed_into.len(),
            listed = message::first_of(&listed, LISTED)
        ),
    ))
}
