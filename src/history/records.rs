//! What changed in a table of records (projects, their results, funded applications) between
//! two releases: records new, gone, or with other values, matched by the table's record key
//! (`TableName::record_key`). The Novità page and the feed say it from here.

use std::collections::BTreeMap;

use crate::table::{Table, TableName};

/// A record that changed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RecordChange {
    pub(crate) table: TableName,
    /// The record's key values, joined with " · ".
    pub(crate) key: String,
    /// What names it for a reader (a title, a body's name).
    pub(crate) label: String,
    pub(crate) kind: RecordChangeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum RecordChangeKind {
    New,
    Removed,
    /// The columns whose value is another, with the value before and now.
    Changed(Vec<FieldChange>),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FieldChange {
    pub(crate) column: String,
    pub(crate) before: Option<String>,
    pub(crate) now: Option<String>,
}

/// A table's rows by record key, each row as its column values.
type Records = BTreeMap<Vec<Option<String>>, Vec<Option<String>>>;

fn records(table: &Table, key: &[&str]) -> Records {
    let key_columns: Vec<usize> = key
        .iter()
        .filter_map(|name| table.columns.iter().position(|c| c.name == *name))
        .collect();
    (0..table.row_count())
        .map(|row| {
            let cells: Vec<Option<String>> = table
                .columns
                .iter()
                .map(|c| c.values.display(row))
                .collect();
            let key = key_columns.iter().map(|at| cells[*at].clone()).collect();
            (key, cells)
        })
        .collect()
}

/// The records of `now` that are new, gone or changed since `before` (the same table of the
/// release before), in key order. Columns only one of them has are not compared.
pub(crate) fn between(before: &Table, now: &Table) -> Vec<RecordChange> {
    let Some(key) = now.name.record_key() else {
        return Vec::new();
    };
    let (label_column, ignored) = now.name.record_words();
    let (old, new) = (records(before, key), records(now, key));
    let names =
        |table: &Table| -> Vec<String> { table.columns.iter().map(|c| c.name.clone()).collect() };
    let (old_names, new_names) = (names(before), names(now));
    let label_of = |names: &[String], cells: &[Option<String>]| {
        names
            .iter()
            .position(|n| n == label_column)
            .and_then(|at| cells[at].clone())
            .unwrap_or_default()
    };
    let change = |key: &[Option<String>], label: String, kind| RecordChange {
        table: now.name,
        key: key
            .iter()
            .map(|k| k.as_deref().unwrap_or(""))
            .collect::<Vec<_>>()
            .join(" · "),
        label,
        kind,
    };
    let mut changes = Vec::new();
    for (record, cells) in &new {
        let label = label_of(&new_names, cells);
        let Some(earlier) = old.get(record) else {
            changes.push(change(record, label, RecordChangeKind::New));
            continue;
        };
        let fields = changed_fields((&old_names, earlier), (&new_names, cells), ignored);
        if !fields.is_empty() {
            changes.push(change(record, label, RecordChangeKind::Changed(fields)));
        }
    }
    for (record, cells) in &old {
        if !new.contains_key(record) {
            changes.push(change(
                record,
                label_of(&old_names, cells),
                RecordChangeKind::Removed,
            ));
        }
    }
    changes.sort_by(|a, b| a.key.cmp(&b.key));
    changes
}

/// The fields of a record whose value differs between its two versions (names and cells),
/// leaving out the `ignored` columns.
fn changed_fields(
    (old_names, earlier): (&[String], &[Option<String>]),
    (new_names, cells): (&[String], &[Option<String>]),
    ignored: &[&str],
) -> Vec<FieldChange> {
    new_names
        .iter()
        .zip(cells)
        .filter(|(name, _)| !ignored.contains(&name.as_str()))
        .filter_map(|(name, value)| {
            let at = old_names.iter().position(|n| n == name)?;
            (earlier[at] != *value).then(|| FieldChange {
                column: name.clone(),
                before: earlier[at].clone(),
                now: value.clone(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn applications(rows: &[(&str, &str, &str)]) -> Table {
        Table::new(TableName::PnrrProjects)
            .text("ipa_code", rows.iter().map(|r| Some(r.0)))
            .text("call", rows.iter().map(|_| Some("1.4.5 Settembre 2022")))
            .text("cup", rows.iter().map(|r| Some(r.1)))
            .text("body", rows.iter().map(|_| Some("Comune di Bibbiano")))
            .text("status", rows.iter().map(|r| Some(r.2)))
            .integer(
                "source_row",
                rows.iter().enumerate().map(|(i, _)| Some(i as i64)),
            )
    }

    #[test]
    fn applications_that_changed_status_are_told_apart_from_new_and_gone_ones() {
        let before = applications(&[("c_a850", "C61", "A"), ("c_b893", "D22", "A")]);
        let now = applications(&[("c_e772", "E33", "A"), ("c_a850", "C61", "R")]);
        let changes = between(&before, &now);
        assert_eq!(changes.len(), 3);
        let changed = changes
            .iter()
            .find(|c| c.key.starts_with("c_a850"))
            .unwrap();
        assert_eq!(
            changed.kind,
            RecordChangeKind::Changed(vec![FieldChange {
                column: "status".into(),
                before: Some("A".into()),
                now: Some("R".into()),
            }]),
            "the row's place in the file is not a change"
        );
        assert_eq!(changed.label, "Comune di Bibbiano");
        assert!(
            changes
                .iter()
                .any(|c| c.key.starts_with("c_b893") && c.kind == RecordChangeKind::Removed)
        );
        assert!(
            changes
                .iter()
                .any(|c| c.key.starts_with("c_e772") && c.kind == RecordChangeKind::New)
        );
    }
}
