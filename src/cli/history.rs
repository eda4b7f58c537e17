//! `datavalley history` and `datavalley diff`: the series the history holds and what changed
//! between two releases, as lines for a terminal or, with `--log-format json`, as one JSON
//! document on standard output.

use std::path::Path;

use serde_json::{Value, json};

use crate::error::{Error, exit_code};
use crate::history::diff::{self, Change, Dated};
use crate::history::records::{RecordChange, RecordChangeKind};
use crate::history::{Entry, Key, Version};
use crate::log::LogFormat;
use crate::msg;
use crate::run;

/// Which series `history` prints.
pub(crate) struct SeriesFilter<'a> {
    pub(crate) indicator: Option<&'a str>,
    pub(crate) territory: Option<&'a str>,
}

pub(crate) fn history(
    pipeline: &Path,
    output_dir: &Path,
    filter: &SeriesFilter,
    format: LogFormat,
) -> Result<u8, Error> {
    let loaded = run::load(pipeline)?;
    let root = output_dir.join(&loaded.plan.id);
    let (store, replay) = run::history::read(&root)?;
    let selected: Vec<(&Key, &Vec<Version>)> = replay
        .values
        .iter()
        .filter(|(key, _)| filter.indicator.is_none_or(|i| *key.indicator == *i))
        .filter(|(key, _)| filter.territory.is_none_or(|t| *key.territory == *t))
        .collect();
    // The releases the history as at the current one is made of, and apart those a rollback
    // or a killed run left behind, which it keeps but does not read.
    let chain = store.chain(replay.release.as_deref());
    let entry_json = |e: &Entry| json!({"release": e.release, "run_time": e.run_time, "rolled_back": e.rolled_back, "changes": e.changes});
    let left_behind: Vec<&Entry> = store
        .entries()
        .iter()
        .filter(|e| !chain.iter().any(|c| c.release == e.release))
        .collect();
    match format {
        LogFormat::Json => {
            let values: Vec<Value> = selected
                .iter()
                .map(|(key, versions)| value_json(key, versions))
                .collect();
            let releases: Vec<Value> = chain.iter().map(|e| entry_json(e)).collect();
            let left: Vec<Value> = left_behind.iter().map(|e| entry_json(e)).collect();
            println!(
                "{}",
                json!({"releases": releases, "left_behind": left, "values": values})
            );
        }
        LogFormat::Human => {
            for entry in &chain {
                let line = msg!(
                    "history_release",
                    release = &entry.release,
                    run_time = &entry.run_time
                );
                println!("{line}");
            }
            for entry in &left_behind {
                let why = match entry.rolled_back {
                    true => msg!("history_rolled_back"),
                    false => msg!("history_never_current"),
                };
                let line = msg!(
                    "history_left_behind",
                    release = &entry.release,
                    run_time = &entry.run_time,
                    why = why
                );
                println!("{line}");
            }
            for (key, versions) in &selected {
                println!("{}", value_line(key, versions));
            }
            if selected.is_empty() {
                println!("{}", msg!("history_no_match", folder = root.display()));
            }
        }
    }
    Ok(exit_code::OK)
}

fn value_json(key: &Key, versions: &[Version]) -> Value {
    let current = versions.last();
    json!({
        "indicator": &*key.indicator,
        "territory": &*key.territory,
        "period": &*key.period,
        "value": current.map(|v| v.value.value),
        "unit": current.map(|v| &*v.value.unit),
        "numerator": current.and_then(|v| v.value.numerator),
        "denominator": current.and_then(|v| v.value.denominator),
        "release": current.map(|v| &*v.release),
        "versions": versions.iter().map(|v| json!({"release": &*v.release, "value": v.value.value})).collect::<Vec<_>>(),
    })
}

fn value_line(key: &Key, versions: &[Version]) -> String {
    let Some(current) = versions.last() else {
        return String::new();
    };
    let earlier: Vec<String> = versions[..versions.len() - 1]
        .iter()
        .filter(|v| v.value != current.value)
        .map(|v| {
            msg!(
                "history_value_in",
                value = v.value.value,
                release = &v.release
            )
            .to_string()
        })
        .collect();
    let revised = match earlier.is_empty() {
        true => String::new(),
        false => format!("  {}", msg!("history_revised", before = earlier.join(", "))),
    };
    let line = msg!(
        "history_value",
        indicator = &*key.indicator,
        territory = &*key.territory,
        period = &*key.period,
        value = current.value.value,
        unit = &*current.value.unit,
        release = &current.release
    );
    format!("{line}{revised}")
}

pub(crate) fn diff(
    pipeline: &Path,
    output_dir: &Path,
    from: Option<&str>,
    to: Option<&str>,
    format: LogFormat,
) -> Result<u8, Error> {
    let loaded = run::load(pipeline)?;
    let root = output_dir.join(&loaded.plan.id);
    let comparison = run::history::compare(&loaded, &root, from, to)?;
    let counts = diff::count(&comparison.changes);
    match format {
        LogFormat::Json => {
            let document = json!({
                "from": comparison.from,
                "to": comparison.to,
                "counts": counts,
                "changes": comparison.changes.iter().map(change_json).collect::<Vec<_>>(),
                "records": comparison.records.iter().map(record_json).collect::<Vec<_>>(),
            });
            println!("{document}");
        }
        LogFormat::Human => {
            let heading = msg!(
                "diff_heading",
                from = &comparison.from.release,
                from_time = &comparison.from.run_time,
                to = &comparison.to.release,
                to_time = &comparison.to.run_time,
                new = counts.new,
                changed = counts.changed,
                removed = counts.removed,
                revised = counts.revised,
                records = comparison.records.len()
            );
            println!("{heading}");
            for change in &comparison.changes {
                println!("{}", change_line(change));
            }
            for record in &comparison.records {
                println!("{}", record_line(record));
            }
        }
    }
    Ok(exit_code::OK)
}

fn kind_of(change: &Change) -> (&'static str, Option<&Dated>, Option<&Dated>) {
    match change {
        Change::New { now, .. } => ("new", None, Some(now)),
        Change::Changed { before, now, .. } => ("changed", Some(before), Some(now)),
        Change::Removed { before, .. } => ("removed", Some(before), None),
        Change::Revised { before, now, .. } => ("revised", Some(before), Some(now)),
    }
}

fn dated_json(dated: Option<&Dated>) -> Value {
    dated.map_or(
        Value::Null,
        |d| json!({"period": &*d.period, "value": d.value.value, "unit": &*d.value.unit}),
    )
}

fn change_json(change: &Change) -> Value {
    let (kind, before, now) = kind_of(change);
    let series = change.series();
    json!({
        "kind": kind,
        "indicator": &*series.indicator,
        "territory": &*series.territory,
        "before": dated_json(before),
        "now": dated_json(now),
    })
}

/// The word of a kind of change, for the human lines; the JSON keeps the English code.
fn kind_word(kind: &str) -> String {
    let word = match kind {
        "new" => msg!("change_new"),
        "changed" => msg!("change_changed"),
        "removed" => msg!("change_removed"),
        _ => msg!("change_revised"),
    };
    format!("{word:<8}")
}

fn change_line(change: &Change) -> String {
    let (kind, before, now) = kind_of(change);
    let kind = kind_word(kind);
    let shown = |dated: Option<&Dated>| {
        dated.map_or_else(
            || "-".to_owned(),
            |d| {
                let dated = msg!(
                    "diff_dated",
                    value = d.value.value,
                    unit = &*d.value.unit,
                    period = &*d.period
                );
                dated.to_string()
            },
        )
    };
    let series = change.series();
    format!(
        "{kind} {}  {}  {} -> {}",
        series.indicator,
        series.territory,
        shown(before),
        shown(now)
    )
}

fn record_kind(record: &RecordChange) -> &'static str {
    match record.kind {
        RecordChangeKind::New => "new",
        RecordChangeKind::Removed => "removed",
        RecordChangeKind::Changed(_) => "changed",
    }
}

fn record_json(record: &RecordChange) -> Value {
    let fields: Vec<Value> = match &record.kind {
        RecordChangeKind::Changed(fields) => fields
            .iter()
            .map(|f| json!({"column": f.column, "before": f.before, "now": f.now}))
            .collect(),
        RecordChangeKind::New | RecordChangeKind::Removed => Vec::new(),
    };
    json!({
        "table": record.table.as_str(),
        "kind": record_kind(record),
        "key": record.key,
        "label": record.label,
        "fields": fields,
    })
}

fn record_line(record: &RecordChange) -> String {
    let fields = match &record.kind {
        RecordChangeKind::Changed(fields) => fields
            .iter()
            .map(|f| {
                let shown = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
                format!("{}: {} -> {}", f.column, shown(&f.before), shown(&f.now))
            })
            .collect::<Vec<_>>()
            .join("; "),
        RecordChangeKind::New | RecordChangeKind::Removed => String::new(),
    };
    let line = msg!(
        "diff_record",
        kind = kind_word(record_kind(record)),
        table = record.table.as_str(),
        label = &record.label,
        key = &record.key,
        fields = fields
    );
    line.to_string()
}
