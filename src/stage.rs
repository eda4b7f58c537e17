//! Stages and their fingerprints. Each source is a stage whose fingerprint hashes the tool
//! version, the source's part of the pipeline file and the bytes it reads; its result is kept
//! beside the outputs and reused while the fingerprint holds. The `publish` stage's fingerprint
//! hashes the whole pipeline and every source's; when it matches the current release's, there
//! is nothing to do.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::fetch::{Fetcher, ShrinkCheck};
use crate::fields;
use crate::log::Logger;
use crate::observation;
use crate::plan::{Plan, PlannedSource};
use crate::source::padigitale::Projects;
use crate::source::{IngestContext, Ingested, Loaded, Location, Source};
use crate::table::{Table, TableName};
use crate::validate::{Finding, Severity};

/// The tool and its version: part of every fingerprint.
pub const TOOL: &str = concat!("datavalley ", env!("CARGO_PKG_VERSION"));

/// Why a stage runs, or that it does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// Nothing of it was kept from an earlier run.
    New,
    ChangedInput,
    ChangedSpec,
    ChangedTool,
    Forced,
    /// Skipped: its fingerprint is the one of its kept result.
    Unchanged,
}

impl Reason {
    pub fn describe(self) -> &'static str {
        match self {
            Reason::New => "runs: no earlier result",
            Reason::ChangedInput => "runs: its input changed",
            Reason::ChangedSpec => "runs: its part of the pipeline file changed",
            Reason::ChangedTool => "runs: the tool's version changed",
            Reason::Forced => "runs: --force",
            Reason::Unchanged => "skipped: unchanged",
        }
    }
}

/// A source stage's outcome.
#[derive(Debug)]
pub struct SourceRun {
    pub name: String,
    pub kind: &'static str,
    pub label: &'static str,
    pub location: String,
    pub fingerprint: String,
    pub reason: Reason,
    pub ingested: Ingested,
    /// The writer keeping its result for the next run, while it runs.
    keeping: Option<std::thread::JoinHandle<Result<()>>>,
}

/// What a source stage keeps for the next run.
#[derive(Debug, Deserialize)]
struct Kept {
    tool: String,
    spec: String,
    inputs: String,
    ingested: Ingested,
    /// The tables kept beside as Parquet files, by name, with their SHA-256.
    tables: BTreeMap<String, String>,
    /// The series the kept observations name.
    series: Vec<observation::Series>,
}

/// The same, as written.
#[derive(Serialize)]
struct Keep {
    tool: &'static str,
    spec: String,
    inputs: String,
    fingerprint: String,
    ingested: serde_json::Value,
    tables: BTreeMap<&'static str, String>,
    series: Vec<observation::Series>,
}

/// Source results being kept in the background while the run goes on: kept results only
/// speed up the next run, so the run waits for them only before its release becomes current
/// (or, dropped, when it ends).
#[derive(Default)]
pub struct Keeping {
    writers: Vec<std::thread::JoinHandle<Result<()>>>,
}

impl Keeping {
    /// Waits for every result to be kept; the first failure is the error.
    pub fn finish(mut self) -> Result<()> {
        self.writers.drain(..).try_for_each(crate::parallel::join)
    }
}

impl Drop for Keeping {
    fn drop(&mut self) {
        // A half-kept result is never read (its JSON, renamed last, names the checksums of
        // its tables), but a run should not end with files half-written.
        for writer in self.writers.drain(..) {
            let _ = writer.join();
        }
    }
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn sha256(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    }
    hex(&hasher.finalize())
}

fn state_dir(output_root: &Path, plan: &Plan) -> PathBuf {
    output_root.join(&plan.id).join("state").join("sources")
}

/// The locations a source reads: its files or URLs; a folder of records, file by file.
fn inputs(source: &Source) -> Result<Vec<Location>> {
    Ok(match source {
        Source::Csv(s) => vec![s.location.clone()],
        Source::IstatPopulation(s) => vec![s.location.clone()],
        Source::IstatSdmx(s) => vec![s.location.clone()],
        Source::Territories(s) => vec![s.location.clone()],
        Source::Padigitale(s) => s.locations.clone(),
        Source::ProjectRecords(s) => {
            let mut files: Vec<PathBuf> = fs_err::read_dir(&s.dir)?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file())
                .collect();
            files.sort();
            files.into_iter().map(Location::File).collect()
        }
    })
}

/// Hashes the bytes a source reads (URLs through the cache, revalidated with the server
/// unless offline).
/// Returns the files too, so that a source that runs does not read them again.
fn inputs_hash(
    context: &IngestContext,
    plan: &Plan,
    source: &PlannedSource,
) -> Result<(String, Vec<Loaded>)> {
    let base = plan.pipeline_file.parent().unwrap_or(Path::new(""));
    let mut parts = Vec::new();
    let mut loads = Vec::new();
    for location in inputs(&source.source)? {
        let loaded = context.load(&source.name, &location)?;
        // Named from the pipeline's folder, whatever folder the tool runs from.
        parts.push(match &location {
            Location::File(path) => path
                .strip_prefix(base)
                .unwrap_or(path)
                .display()
                .to_string(),
            Location::Url(_) => location.label(),
        });
        parts.push(loaded.read.sha256.clone());
        loads.push(loaded);
    }
    let borrowed: Vec<&str> = parts.iter().map(String::as_str).collect();
    Ok((sha256(&borrowed), loads))
}

fn spec_hash(source: &PlannedSource) -> String {
    sha256(&[&source.name, &source.written])
}

fn ignore_missing(error: std::io::Error) -> std::io::Result<()> {
    match error.kind() {
        std::io::ErrorKind::NotFound => Ok(()),
        _ => Err(error),
    }
}

/// The tables of a result kept as Parquet files beside its JSON: the long ones, which JSON
/// would make ten times larger and slower to write and read.
const OBSERVATIONS: &str = "observations";
const PNRR_PROJECTS: &str = "pnrr_projects";
const KEPT_TABLES: [&str; 2] = [OBSERVATIONS, PNRR_PROJECTS];

/// The bytes of a kept result's tables, by name, checked against the checksums its JSON
/// recorded.
type KeptTables = Vec<(String, Vec<u8>)>;

/// Whether a source runs and why, from its kept result; the result comes back only when it
/// is reused. Its tables are read, and checked against the checksums its JSON recorded, only
/// then: a result whose tables do not match is as if nothing had been kept. Parsing them is
/// for a run that uses the result ([`restore`]).
fn decide_kept(
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
        if hex(&Sha256::digest(&bytes)) != *checksum {
            return None;
        }
        tables.push((name.clone(), bytes));
    }
    Some(tables)
}

/// The result a kept JSON and its tables hold; None when a table does not read back.
fn restore(path: &Path, kept: Kept, tables: KeptTables) -> Option<Ingested> {
    let Kept {
        mut ingested,
        series,
        ..
    } = kept;
    for (name, bytes) in tables {
        let label = table_path(path, &name).display().to_string();
        match name.as_str() {
            OBSERVATIONS => {
                let table = Table::read_parquet(TableName::Observations, bytes, &label).ok()?;
                ingested.observations = observation::from_kept(&table, &series).ok()??;
            }
            PNRR_PROJECTS => {
                ingested.pnrr_projects = Projects::read(bytes, &label).ok()?;
            }
            _ => return None,
        }
    }
    Some(ingested)
}

/// Where a table of a source's result is kept, beside its JSON.
fn table_path(path: &Path, name: &str) -> PathBuf {
    path.with_extension(format!("{name}.parquet"))
}

/// Keeps a source's result in the background: its tables first (Parquet files whose
/// checksums the JSON records), then the JSON, each written aside and renamed into place.
/// The tables and the JSON value are made here, so that the writer owns what it writes.
fn keep(
    path: &Path,
    spec: &str,
    inputs: &str,
    fingerprint: &str,
    ingested: &Ingested,
) -> Result<std::thread::JoinHandle<Result<()>>> {
    let (observations, series) = if ingested.observations.is_empty() {
        (None, Vec::new())
    } else {
        let (table, series) = observation::to_kept(&ingested.observations);
        (Some(table), series)
    };
    let mut keep = Keep {
        tool: TOOL,
        spec: spec.to_owned(),
        inputs: inputs.to_owned(),
        fingerprint: fingerprint.to_owned(),
        ingested: serde_json::to_value(ingested)
            .map_err(|e| Error::table("keeping a source's result", e))?,
        tables: BTreeMap::new(),
        series,
    };
    let tables = [
        (OBSERVATIONS, observations),
        (
            PNRR_PROJECTS,
            (!ingested.pnrr_projects.is_empty()).then(|| ingested.pnrr_projects.kept_table()),
        ),
    ];
    let path = path.to_owned();
    Ok(std::thread::spawn(move || {
        if let Some(parent) = path.parent() {
            fs_err::create_dir_all(parent)?;
        }
        for (name, table) in tables {
            let final_path = table_path(&path, name);
            let Some(table) = table else {
                fs_err::remove_file(&final_path).or_else(ignore_missing)?;
                continue;
            };
            let bytes = table.to_parquet()?;
            keep.tables.insert(name, hex(&Sha256::digest(&bytes)));
            let tmp = final_path.with_extension(format!("parquet.tmp-{}", std::process::id()));
            fs_err::write(&tmp, bytes)?;
            fs_err::rename(&tmp, &final_path)?;
        }
        let tmp = path.with_extension(format!("json.tmp-{}", std::process::id()));
        let mut writer = std::io::BufWriter::new(fs_err::File::create(&tmp)?);
        serde_json::to_writer(&mut writer, &keep)
            .map_err(|e| Error::table("keeping a source's result", e))?;
        std::io::Write::flush(&mut writer)?;
        drop(writer);
        fs_err::rename(&tmp, &path)?;
        Ok(())
    }))
}

/// Decides, for one source, whether it runs and why.
fn decide(kept: Option<&Kept>, spec: &str, inputs: &str, force: bool) -> Reason {
    match kept {
        _ if force => Reason::Forced,
        None => Reason::New,
        Some(kept) if kept.tool != TOOL => Reason::ChangedTool,
        Some(kept) if kept.spec != spec => Reason::ChangedSpec,
        Some(kept) if kept.inputs != inputs => Reason::ChangedInput,
        Some(_) => Reason::Unchanged,
    }
}

/// Runs the source stages (all, or the one named), reusing kept results while their
/// fingerprints hold. Sources that read local files run side by side; when any reads a URL
/// they run one after the other, so that a host is asked one request at a time.
pub fn ingest(
    plan: &Plan,
    output_root: &Path,
    fetcher: &Fetcher,
    logger: &Logger,
    force: bool,
    only: Option<&str>,
) -> Result<(Vec<SourceRun>, Keeping)> {
    let context = IngestContext::new(fetcher, plan.max_input_bytes);
    let state = state_dir(output_root, plan);
    let selected: Vec<&PlannedSource> = plan
        .sources
        .iter()
        .filter(|planned| only.is_none_or(|name| name == planned.name))
        .collect();
    if let Some(name) = only
        && selected.is_empty()
    {
        return Err(Error::Usage(format!(
            "no source `{name}` in the pipeline; its sources are: {}",
            plan.sources
                .iter()
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let progress = crate::progress::bar(selected.len() as u64, "fonti");
    let run_one = |planned: &PlannedSource| -> Result<SourceRun> {
        let run = run_source(plan, planned, &context, &state, force)?;
        progress.inc(1);
        Ok(run)
    };
    let reads_urls = selected.iter().any(|planned| {
        inputs(&planned.source)
            .map(|locations| locations.iter().any(|l| matches!(l, Location::Url(_))))
            .unwrap_or(true)
    });
    let mut results = crate::parallel::map(&selected, !reads_urls, |planned| run_one(planned));
    progress.finish_and_clear();
    // Taken first, so that whatever happens next the writers are waited for.
    let keeping = Keeping {
        writers: results
            .iter_mut()
            .filter_map(|result| result.as_mut().ok()?.keeping.take())
            .collect(),
    };
    let mut runs = Vec::new();
    for result in results {
        let run = result?;
        let rows: usize = run.ingested.read.iter().map(|r| r.rows).sum();
        logger.info(
            &format!("source.{}", run.name),
            &format!(
                "{}, {} rows, {} observations",
                run.reason.describe(),
                rows,
                run.ingested.observations.len()
            ),
            fields! {
                "reason" => run.reason,
                "rows" => rows,
                "observations" => run.ingested.observations.len(),
                "fingerprint" => run.fingerprint,
            },
        );
        runs.push(run);
    }
    Ok((runs, keeping))
}

/// One source stage: its fingerprint, and its result, kept or read again.
fn run_source(
    plan: &Plan,
    planned: &PlannedSource,
    context: &IngestContext,
    state: &Path,
    force: bool,
) -> Result<SourceRun> {
    let stage = format!("source.{}", planned.name);
    let spec = spec_hash(planned);
    let (inputs, loads) = inputs_hash(context, plan, planned)?;
    let fingerprint = sha256(&[TOOL, &spec, &inputs]);
    let path = state.join(format!("{}.json", planned.name));
    let (mut reason, kept) = decide_kept(&path, &spec, &inputs, force);
    let reused = kept.and_then(|(kept, tables)| restore(&path, kept, tables));
    if reason == Reason::Unchanged && reused.is_none() {
        // Its tables did not read back: as if nothing had been kept.
        reason = Reason::New;
    }
    let mut keeping = None;
    let ingested = match reused {
        Some(ingested) => ingested,
        None => {
            let context = context.with_preloaded(loads);
            let mut ingested = planned.source.ingest(&planned.name, &context)?;
            ingested
                .findings
                .extend(shrink_guard(context.fetcher, &ingested)?);
            // A result that blocks publishing is not kept: the next run reads the source
            // again, so that a fix elsewhere (or --accept-shrink) is seen.
            let blocking = ingested
                .findings
                .iter()
                .any(|f| f.severity == Severity::Error);
            if blocking {
                fs_err::remove_file(&path).or_else(ignore_missing)?;
                for name in KEPT_TABLES {
                    fs_err::remove_file(table_path(&path, name)).or_else(ignore_missing)?;
                }
            } else {
                keeping = Some(keep(&path, &spec, &inputs, &fingerprint, &ingested)?);
            }
            crate::pause::point(&stage);
            ingested
        }
    };
    Ok(SourceRun {
        name: planned.name.clone(),
        kind: planned.source.kind(),
        label: planned.source.label_it(),
        location: planned.source.describe_location(),
        fingerprint,
        reason,
        ingested,
        keeping,
    })
}

/// A source read from a URL that has far fewer rows than its last accepted version.
fn shrink_guard(fetcher: &Fetcher, ingested: &Ingested) -> Result<Vec<Finding>> {
    let mut findings = Vec::new();
    for read in &ingested.read {
        let Some(remote) = &read.remote else { continue };
        if let ShrinkCheck::Shrank { previous, now } = fetcher.check_rows(remote, read.rows)? {
            findings.push(
                Finding::error(
                    "source_shrank",
                    format!(
                        "{now} rows now against {previous} in the last accepted version, more than {}% fewer; \
                         if the publisher really removed them, run again with --accept-shrink",
                        (remote.max_shrink * 100.0).round()
                    ),
                )
                .in_file(&read.location),
            );
        }
    }
    Ok(findings)
}

/// The publish stage's fingerprint: the tool, the whole pipeline (its files and their
/// includes, the code changes it applies) and every source's fingerprint.
pub fn publish_fingerprint(plan: &Plan, sources: &[(String, String)]) -> Result<String> {
    let code_changes = match &plan.code_changes {
        Some(path) => hex(&Sha256::digest(fs_err::read(path)?)),
        None => String::new(),
    };
    let mut parts: Vec<&str> = vec![TOOL, &plan.config_sha256, &code_changes];
    for (name, fingerprint) in sources {
        parts.push(name);
        parts.push(fingerprint);
    }
    Ok(sha256(&parts))
}

/// A source stage as `datavalley plan` sees it.
#[derive(Debug)]
pub struct Explained {
    pub stage: String,
    pub source: String,
    pub explanation: String,
    /// Unknown when a URL is not in the cache yet.
    pub fingerprint: Option<String>,
}

/// What `datavalley plan` says of each source stage, without reading data (URLs are looked
/// up in the cache only).
pub fn explain(
    plan: &Plan,
    output_root: &Path,
    fetcher: &Fetcher,
    force: bool,
) -> Result<Vec<Explained>> {
    let context = IngestContext::new(fetcher, plan.max_input_bytes);
    let state = state_dir(output_root, plan);
    let mut lines: Vec<Explained> = Vec::new();
    for planned in &plan.sources {
        let stage = format!("source.{}", planned.name);
        let spec = spec_hash(planned);
        let path = state.join(format!("{}.json", planned.name));
        let (explanation, fingerprint) = match inputs_hash(&context, plan, planned) {
            Ok((inputs, _)) => (
                decide_kept(&path, &spec, &inputs, force)
                    .0
                    .describe()
                    .to_owned(),
                Some(sha256(&[TOOL, &spec, &inputs])),
            ),
            Err(Error::Source { .. }) => ("runs: its URL is not downloaded yet".to_owned(), None),
            Err(error) => return Err(error),
        };
        lines.push(Explained {
            stage,
            source: planned.name.clone(),
            explanation,
            fingerprint,
        });
    }
    Ok(lines)
}
