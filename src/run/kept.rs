//! Kept source results: what a source stage gave, kept beside the outputs
//! (`output/<id>/state/sources/NAME.json`) with the fingerprint it was made under, so that the
//! next run reuses it while the fingerprint holds. Its long tables (the observations, and the
//! tables a source gives besides) are Parquet files beside the JSON, whose checksums the JSON
//! records: a result whose files do not match is as if nothing had been kept.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::digest;
use crate::error::{Error, Result};
use crate::files;
use crate::observation::{self, Series};
use crate::publish::provenance::TOOL;
use crate::report::Reason;
use crate::source::Ingested;
use crate::table::{Table, TableName, schema};

/// The name the observations are kept under, beside the names of the source's own tables.
const OBSERVATIONS: &str = "observations";

/// What a source stage keeps for the next run.
#[derive(Debug, Deserialize)]
pub(crate) struct Kept {
    tool: String,
    spec: String,
    inputs: String,
    ingested: Ingested,
    /// The tables kept beside as Parquet files, by name, with their SHA-256.
    tables: BTreeMap<String, String>,
    /// The series the kept observations name.
    series: Vec<Series>,
}

/// The same, as written.
#[derive(Serialize)]
struct Keep {
    tool: &'static str,
    spec: String,
    inputs: String,
    fingerprint: String,
    ingested: serde_json::Value,
    tables: BTreeMap<String, String>,
    series: Vec<Series>,
}

/// The bytes of a kept result's tables, by name, checked against the checksums its JSON
/// recorded.
pub(crate) type KeptTables = Vec<(String, Vec<u8>)>;

/// Where a source's result is kept.
pub(crate) fn path(state: &Path, source: &str) -> PathBuf {
    state.join(format!("{source}.json"))
}

/// Where a table of a source's result is kept, beside its JSON.
fn table_path(path: &Path, name: &str) -> PathBuf {
    path.with_extension(format!("{name}.parquet"))
}

/// Decides, for one source, whether it runs and why.
pub(crate) fn decide(kept: Option<&Kept>, spec: &str, inputs: &str, force: bool) -> Reason {
    match kept {
        _ if force => Reason::Forced,
        None => Reason::New,
        Some(kept) if kept.tool != TOOL => Reason::ChangedTool,
        Some(kept) if kept.spec != spec => Reason::ChangedSpec,
        Some(kept) if kept.inputs != inputs => Reason::ChangedInput,
        Some(_) => Reason::Unchanged,
    }
}

/// Whether a source runs and why, from its kept result; the result comes back only when it
/// is reused. Its tables are read, and checked against the checksums its JSON recorded, only
/// then: a result whose tables do not match is as if nothing had been kept. Parsing them is
/// for a run that uses the result ([`restore`]).
pub(crate) fn decide_kept(
    path: &Path,
    spec: &str,
    inputs: &str,
    force: bool,
) -> (Reason, Option<(Kept, KeptTables)>) {
    // Forced, a kept result is not looked at: reading it costs as much as the source.
    let kept = if force {
        None
    } else {
        fs_err::read_to_string(path)
            .ok()
            .and_then(|text| serde_json::from_str::<Kept>(&text).ok())
    };
    let reason = decide(kept.as_ref(), spec, inputs, force);
    match kept {
        Some(kept) if reason == Reason::Unchanged => match kept_tables(path, &kept) {
            Some(tables) => (reason, Some((kept, tables))),
            None => (Reason::New, None),
        },
        _ => (reason, None),
    }
}

fn kept_tables(path: &Path, kept: &Kept) -> Option<KeptTables> {
    let mut tables = Vec::new();
    for (name, checksum) in &kept.tables {
        let bytes = fs_err::read(table_path(path, name)).ok()?;
        if digest::sha256(&bytes) != *checksum {
            return None;
        }
        tables.push((name.clone(), bytes));
    }
    Some(tables)
}

/// The result a kept JSON and its tables hold; None when a table does not read back as the
/// table it names.
pub(crate) fn restore(path: &Path, kept: Kept, tables: KeptTables) -> Option<Ingested> {
    let Kept {
        mut ingested,
        series,
        ..
    } = kept;
    for (name, bytes) in tables {
        let label = table_path(path, &name).display().to_string();
        if name == OBSERVATIONS {
            let table = Table::read_parquet(TableName::Observations, bytes, &label).ok()?;
            ingested.observations = observation::from_kept(&table, &series).ok()??;
            continue;
        }
        let table_name = TableName::ALL.into_iter().find(|t| t.as_str() == name)?;
        let table = Table::read_parquet(table_name, bytes, &label).ok()?;
        if !has_its_columns(&table) {
            return None;
        }
        ingested.tables.push(table);
    }
    Some(ingested)
}

/// A kept table has the columns of its schema and its internal ones.
fn has_its_columns(table: &Table) -> bool {
    let Ok(schema) = schema::schema_of(table.name) else {
        return false;
    };
    let expected = schema
        .fields
        .iter()
        .map(|f| f.name.as_str())
        .chain(table.name.internal_columns().iter().copied());
    expected
        .into_iter()
        .all(|name| table.column(name).is_some())
}

/// Removes a kept result and its tables (a result that blocks publishing is not kept: the
/// next run reads the source again, so that a fix elsewhere is seen).
pub(crate) fn remove(path: &Path) -> Result<()> {
    files::remove_if_present(path)?;
    remove_tables(path, &[])
}

/// Removes the kept tables of a source other than those named.
fn remove_tables(path: &Path, keeping: &[String]) -> Result<()> {
    let (Some(dir), Some(stem)) = (path.parent(), path.file_stem()) else {
        return Ok(());
    };
    let prefix = format!("{}.", stem.to_string_lossy());
    let Ok(entries) = fs_err::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries {
        let file = entry?.path();
        let name = file.file_name().unwrap_or_default().to_string_lossy();
        let Some(table) = name
            .strip_prefix(&prefix)
            .and_then(|rest| rest.strip_suffix(".parquet"))
        else {
            continue;
        };
        if !keeping.iter().any(|kept| kept == table) {
            files::remove_if_present(&file)?;
        }
    }
    Ok(())
}

/// Keeps a source's result in the background: its tables first (Parquet files whose
/// checksums the JSON records), then the JSON, each written aside and renamed into place.
/// The tables and the JSON value are made here, so that the writer owns what it writes.
pub(crate) fn keep(
    path: &Path,
    spec: &str,
    inputs: &str,
    fingerprint: &str,
    ingested: &Ingested,
) -> Result<std::thread::JoinHandle<Result<()>>> {
    let mut tables: Vec<(String, Table)> = Vec::new();
    let mut series = Vec::new();
    if !ingested.observations.is_empty() {
        let (table, kept_series) = observation::to_kept(&ingested.observations);
        tables.push((OBSERVATIONS.to_owned(), table));
        series = kept_series;
    }
    tables.extend(
        ingested
            .tables
            .iter()
            .map(|t| (t.name.as_str().to_owned(), t.clone())),
    );
    let mut keep = Keep {
        tool: TOOL,
        spec: spec.to_owned(),
        inputs: inputs.to_owned(),
        fingerprint: fingerprint.to_owned(),
        ingested: serde_json::to_value(ingested)
            .map_err(|e| Error::json(crate::msg!("keeping_source_result"), e))?,
        tables: BTreeMap::new(),
        series,
    };
    let path = path.to_owned();
    Ok(std::thread::spawn(move || {
        if let Some(parent) = path.parent() {
            fs_err::create_dir_all(parent)?;
        }
        let names: Vec<String> = tables.iter().map(|(name, _)| name.clone()).collect();
        remove_tables(&path, &names)?;
        for (name, table) in tables {
            let bytes = table.to_parquet()?;
            keep.tables.insert(name.clone(), digest::sha256(&bytes));
            files::write_atomic(&table_path(&path, &name), &bytes)?;
        }
        files::write_atomic_with(&path, |writer| {
            serde_json::to_writer(writer, &keep)
                .map_err(|e| Error::json(crate::msg!("keeping_source_result"), e))
        })
    }))
}
