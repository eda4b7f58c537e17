//! The source stages and their fingerprints. Each source is a stage whose fingerprint hashes
//! the tool version, the source's part of the pipeline file and the bytes it reads; its result
//! is kept beside the outputs and reused while the fingerprint holds. The `publish` stage's
//! fingerprint hashes the whole pipeline and every source's; when it matches the current
//! release's, there is nothing to do. `run` and `datavalley plan` decide both the same way.

use std::path::{Path, PathBuf};

use crate::digest;
use crate::error::{Error, Result};
use crate::fetch::{Fetcher, ShrinkCheck};
use crate::fields;
use crate::finding::Finding;
use crate::log::Logger;
use crate::message::Message;
use crate::msg;
use crate::plan::Location;
use crate::publish::provenance::{Provenance, TOOL};
use crate::report::Reason;
use crate::run::kept::{self, Kept, KeptTables};
use crate::run::pipeline::{Pipeline, PlannedSource};
use crate::source::freshness::{self, UpdateRule};
use crate::source::read::Loaded;
use crate::source::{IngestContext, Ingested, Source};

/// A source stage's outcome.
#[derive(Debug)]
pub(crate) struct SourceRun {
    pub(crate) name: String,
    pub(crate) source: Source,
    pub(crate) update: Option<UpdateRule>,
    pub(crate) fingerprint: String,
    pub(crate) reason: Reason,
    pub(crate) ingested: Ingested,
    /// The writer keeping its result for the next run, while it runs.
    keeping: Option<std::thread::JoinHandle<Result<()>>>,
}

/// Source results being kept in the background while the run goes on: kept results only
/// speed up the next run, so the run waits for them only before its release becomes current
/// (or, dropped, when it ends).
#[derive(Default)]
pub(crate) struct Keeping {
    writers: Vec<std::thread::JoinHandle<Result<()>>>,
}

impl Keeping {
    /// Waits for every result to be kept; the first failure is the error.
    pub(crate) fn finish(mut self) -> Result<()> {
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

/// Where the pipeline's kept source results are.
fn state_dir(output_root: &Path, pipeline: &Pipeline) -> PathBuf {
    output_root
        .join(&pipeline.plan.id)
        .join("state")
        .join("sources")
}

/// Hashes the bytes a source reads (URLs through the cache, revalidated with the server
/// unless offline). Returns the files too, so that a source that runs does not read them again.
fn inputs_hash(
    context: &IngestContext,
    pipeline: &Pipeline,
    source: &PlannedSource,
) -> Result<(String, Vec<Loaded>)> {
    let base = pipeline
        .plan
        .pipeline_file
        .parent()
        .unwrap_or(Path::new(""));
    let mut parts = Vec::new();
    let mut loads = Vec::new();
    for location in source.source.inputs()? {
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
    Ok((digest::sha256_of_parts(&borrowed), loads))
}

fn spec_hash(source: &PlannedSource) -> String {
    digest::sha256_of_parts(&[&source.name, &source.written])
}

/// Runs the source stages (all, or the one named), reusing kept results while their
/// fingerprints hold. Sources that read local files run side by side; when any reads a URL
/// they run one after the other, so that a host is asked one request at a time.
pub(crate) fn ingest(
    pipeline: &Pipeline,
    output_root: &Path,
    fetcher: &Fetcher,
    logger: &Logger,
    force: bool,
    only: Option<&str>,
) -> Result<(Vec<SourceRun>, Keeping)> {
    let context = IngestContext::new(fetcher, pipeline.plan.max_input_bytes);
    let state = state_dir(output_root, pipeline);
    let selected = selected(pipeline, only)?;
    let progress = crate::progress::bar(selected.len() as u64, &msg!("progress_sources"));
    let run_one = |planned: &&PlannedSource| -> Result<SourceRun> {
        let run = run_source(pipeline, planned, &context, &state, force)?;
        progress.inc(1);
        Ok(run)
    };
    let reads_urls = selected.iter().any(|planned| {
        planned
            .source
            .inputs()
            .map(|locations| locations.iter().any(|l| matches!(l, Location::Url(_))))
            .unwrap_or(true)
    });
    let mut results = crate::parallel::map(&selected, !reads_urls, run_one);
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
        log_stage(logger, &run);
        runs.push(run);
    }
    Ok((runs, keeping))
}

/// The sources a run ingests: all, or the one `--stage` names.
fn selected<'a>(pipeline: &'a Pipeline, only: Option<&str>) -> Result<Vec<&'a PlannedSource>> {
    let selected: Vec<&PlannedSource> = pipeline
        .sources
        .iter()
        .filter(|planned| only.is_none_or(|name| name == planned.name))
        .collect();
    match only {
        Some(name) if selected.is_empty() => Err(Error::Usage(msg!(
            "unknown_stage_source",
            source = name,
            sources = pipeline
                .sources
                .iter()
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
        _ => Ok(selected),
    }
}

fn log_stage(logger: &Logger, run: &SourceRun) {
    let rows = run.ingested.rows();
    logger.info(
        &format!("source.{}", run.name),
        &msg!(
            "source_stage_done",
            reason = run.reason.describe(),
            rows = rows,
            observations = run.ingested.observations.len()
        ),
        fields! {
            "reason" => run.reason,
            "rows" => rows,
            "observations" => run.ingested.observations.len(),
            "fingerprint" => run.fingerprint,
        },
    );
}

/// One source stage: its fingerprint, and its result, kept or read again.
fn run_source(
    pipeline: &Pipeline,
    planned: &PlannedSource,
    context: &IngestContext,
    state: &Path,
    force: bool,
) -> Result<SourceRun> {
    let spec = spec_hash(planned);
    let (inputs, loads) = inputs_hash(context, pipeline, planned)?;
    let fingerprint = digest::sha256_of_parts(&[TOOL, &spec, &inputs]);
    let path = kept::path(state, &planned.name);
    let (mut reason, kept) = kept::decide_kept(&path, &spec, &inputs, force);
    let reused =
        kept.and_then(|(kept, tables): (Kept, KeptTables)| kept::restore(&path, kept, tables));
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
            if ingested.has_errors() {
                kept::remove(&path)?;
            } else {
                keeping = Some(kept::keep(&path, &spec, &inputs, &fingerprint, &ingested)?);
            }
            crate::pause::point(&format!("source.{}", planned.name));
            ingested
        }
    };
    Ok(SourceRun {
        name: planned.name.clone(),
        source: planned.source.clone(),
        update: planned.update,
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
                    msg!(
                        "source_shrank",
                        now = now.to_string(),
                        previous = previous.to_string(),
                        percent = (remote.max_shrink * 100.0).round()
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
pub(crate) fn publish_fingerprint(
    pipeline: &Pipeline,
    sources: &[(String, String)],
) -> Result<String> {
    let code_changes = match &pipeline.plan.code_changes {
        Some(path) => digest::sha256(&fs_err::read(path)?),
        None => String::new(),
    };
    let mut parts: Vec<&str> = vec![TOOL, &pipeline.plan.config_sha256, &code_changes];
    for (name, fingerprint) in sources {
        parts.push(name);
        parts.push(fingerprint);
    }
    Ok(digest::sha256_of_parts(&parts))
}

/// Why the publish stage runs, or that it does not: the run logs it, `datavalley plan` says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PublishReason {
    Forced,
    /// There is no current release.
    NoRelease,
    /// A source stage ran because its input changed.
    SourceChanged,
    /// No source changed: the pipeline file, its includes or the code changes it applies
    /// did (its part of the pipeline file is all of it).
    PipelineChanged,
    /// Its fingerprint is the current release's, and a source's data has become older than
    /// its expected update allows since: the pages must say so.
    BecameStale,
    /// Its fingerprint is the current release's: nothing to do.
    Unchanged,
    /// `plan` only: a URL is not downloaded yet, so the fingerprint is not known.
    NotDownloaded,
}

impl PublishReason {
    pub(crate) fn runs(self) -> bool {
        self != PublishReason::Unchanged
    }

    pub(crate) fn describe(self) -> Message {
        match self {
            PublishReason::Forced => msg!("publish_forced"),
            PublishReason::NoRelease => msg!("publish_no_release"),
            PublishReason::SourceChanged => msg!("publish_source_changed"),
            PublishReason::PipelineChanged => msg!("publish_pipeline_changed"),
            PublishReason::BecameStale => msg!("publish_became_stale"),
            PublishReason::Unchanged => msg!("publish_unchanged"),
            PublishReason::NotDownloaded => msg!("publish_not_downloaded"),
        }
    }
}

/// Whether the publish stage runs and why, against the current release's provenance.
pub(crate) fn decide_publish(
    force: bool,
    current: Option<&Provenance>,
    fingerprint: Option<&str>,
    a_source_changed: bool,
    became_stale: bool,
) -> PublishReason {
    match (force, current, fingerprint) {
        (true, _, _) => PublishReason::Forced,
        (false, None, _) => PublishReason::NoRelease,
        (false, Some(_), None) => PublishReason::NotDownloaded,
        (false, Some(current), Some(fingerprint)) if current.fingerprint == fingerprint => {
            match became_stale {
                true => PublishReason::BecameStale,
                false => PublishReason::Unchanged,
            }
        }
        (false, Some(_), Some(_)) if a_source_changed => PublishReason::SourceChanged,
        (false, Some(_), Some(_)) => PublishReason::PipelineChanged,
    }
}

/// Whether a source whose data the current release published as on time is now older than
/// its expected update allows, on `run_date`.
pub(crate) fn became_stale(
    pipeline: &Pipeline,
    current: Option<&Provenance>,
    run_date: &str,
) -> bool {
    let Some(current) = current else {
        return false;
    };
    pipeline.sources.iter().any(|planned| {
        let Some(rule) = planned.update else {
            return false;
        };
        current.sources.iter().any(|published| {
            published.name == planned.name
                && published.dates.stale.is_none()
                && published
                    .dates
                    .data_date
                    .as_ref()
                    .is_some_and(|data| freshness::stale_since(rule, data, run_date).is_some())
        })
    })
}

/// The sources whose data the current release published as stale, on a night with nothing to
/// do: the warning is said again every night until the data changes.
pub(crate) fn still_stale(pipeline: &Pipeline, current: Option<&Provenance>) -> Vec<Finding> {
    let Some(current) = current else {
        return Vec::new();
    };
    let mut findings = Vec::new();
    for planned in &pipeline.sources {
        let Some(rule) = planned.update else {
            continue;
        };
        let published = current.sources.iter().find(|s| s.name == planned.name);
        if let Some((data, stale)) =
            published.and_then(|s| Some((s.dates.data_date.as_ref()?, s.dates.stale.as_ref()?)))
        {
            findings.push(
                freshness::finding(&planned.name, rule, data, &stale.since)
                    .in_file(pipeline.plan.pipeline_file.display().to_string()),
            );
        }
    }
    findings
}

/// What `datavalley plan` foresees for a source stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Foreseen {
    Decided(Reason),
    /// Its URL is not in the cache yet: the fingerprint is not known.
    NotDownloaded,
}

impl Foreseen {
    pub(crate) fn describe(self) -> Message {
        match self {
            Foreseen::Decided(reason) => reason.describe(),
            Foreseen::NotDownloaded => msg!("stage_not_downloaded"),
        }
    }
}

/// A source stage as `datavalley plan` sees it.
#[derive(Debug)]
pub(crate) struct ForeseenStage {
    pub(crate) source: String,
    pub(crate) foreseen: Foreseen,
    /// Unknown when a URL is not in the cache yet.
    pub(crate) fingerprint: Option<String>,
}

/// What `datavalley plan` says of each source stage, without reading data (URLs are looked
/// up in the cache only).
pub(crate) fn foresee(
    pipeline: &Pipeline,
    output_root: &Path,
    fetcher: &Fetcher,
    force: bool,
) -> Result<Vec<ForeseenStage>> {
    let context = IngestContext::new(fetcher, pipeline.plan.max_input_bytes);
    let state = state_dir(output_root, pipeline);
    let mut stages = Vec::new();
    for planned in &pipeline.sources {
        let spec = spec_hash(planned);
        let path = kept::path(&state, &planned.name);
        let (foreseen, fingerprint) = match inputs_hash(&context, pipeline, planned) {
            Ok((inputs, _)) => (
                Foreseen::Decided(kept::decide_kept(&path, &spec, &inputs, force).0),
                Some(digest::sha256_of_parts(&[TOOL, &spec, &inputs])),
            ),
            Err(Error::Source { .. }) => (Foreseen::NotDownloaded, None),
            Err(error) => return Err(error),
        };
        stages.push(ForeseenStage {
            source: planned.name.clone(),
            foreseen,
            fingerprint,
        });
    }
    Ok(stages)
}
