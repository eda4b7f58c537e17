//! A run, as a flat list of steps: load the pipeline (spec, plan and every kind's own check),
//! take the lock, ingest the sources (reusing kept results), decide whether there is anything
//! to publish, compute (harmonize codes, the long table, the indicators, the tables), write the
//! release, and make it current. `validate`, `--stage` and `plan` are the same steps, fewer.

pub(crate) mod compute;
pub(crate) mod explain;
pub(crate) mod harmonize;
pub(crate) mod history;
pub(crate) mod ingest;
pub(crate) mod init;
pub(crate) mod kept;
pub(crate) mod pipeline;
pub(crate) mod release;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::clock::RunTime;
use crate::error::Result;
use crate::fetch::{FetchOptions, Fetcher};
use crate::fields;
use crate::indicator::wording::fixed;
use crate::log::Logger;
use crate::message::Message;
use crate::msg;
use crate::publish::dcat::CatalogState;
use crate::publish::provenance::Provenance;
use crate::publish::release::{self as releases, Release};
use crate::report::{Reason, Report, ReportStatus};
use crate::table::{Table, TableName, schema};
use ingest::{ForeseenStage, Keeping, PublishReason, SourceRun};
pub(crate) use pipeline::{Pipeline, load};

pub(crate) struct RunOptions {
    /// The folder under which `<pipeline-id>/` is published.
    pub(crate) output_root: PathBuf,
    pub(crate) run_time: RunTime,
    pub(crate) fetch: FetchOptions,
    /// Run every stage, whatever its fingerprint.
    pub(crate) force: bool,
    pub(crate) logger: Logger,
}

#[derive(Debug)]
pub(crate) enum Outcome {
    Published {
        release: PathBuf,
        report: Report,
        summary: Summary,
    },
    /// Findings blocked publishing; nothing was written.
    Blocked { report: Report, summary: Summary },
    /// The inputs, the pipeline and the tool are those of the current release.
    NothingToDo { current: PathBuf, summary: Summary },
}

/// The one line a run ends with.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct Summary {
    pub(crate) stages_run: Vec<String>,
    pub(crate) stages_skipped: Vec<String>,
    pub(crate) rows_in: usize,
    pub(crate) rows_out: usize,
    pub(crate) files_published: usize,
    pub(crate) seconds: f64,
    /// Where the time went, for operators and benchmarks: seconds since the start of the run
    /// at the end of `ingest`, `compute` (indicators and validation), `data` (CSV, Parquet,
    /// catalog and data package), `pages` and `switch` (the release made current).
    pub(crate) seconds_at: BTreeMap<&'static str, f64>,
}

impl Summary {
    pub(crate) fn of_stages(runs: &[SourceRun]) -> Summary {
        let mut summary = Summary::default();
        for run in runs {
            let stage = format!("source.{}", run.name);
            if run.reason == Reason::Unchanged {
                summary.stages_skipped.push(stage);
            } else {
                summary.stages_run.push(stage);
            }
            summary.rows_in += run.ingested.rows();
        }
        summary
    }

    pub(crate) fn line(&self) -> Message {
        msg!(
            "run_summary",
            run = self.stages_run.len(),
            skipped = self.stages_skipped.len(),
            rows_in = self.rows_in,
            rows_out = self.rows_out,
            files = self.files_published,
            seconds = fixed(self.seconds, 2)
        )
    }
}

/// Runs the pipeline and publishes a release when no finding blocks it.
pub(crate) fn run(pipeline: &Pipeline, options: &RunOptions) -> Result<Outcome> {
    let logger = &options.logger;
    let root = pipeline.root(&options.output_root);
    let _lock = crate::lock::acquire(&root)?;
    let (runs, keeping) = ingest(pipeline, options, options.force, None)?;
    let mut summary = Summary::of_stages(&runs);
    summary.seconds_at.insert("ingest", logger.elapsed());
    let current_dir = root.join(releases::CURRENT);
    let current = Provenance::read(&current_dir);
    let fingerprint = publish_fingerprint(pipeline, &runs)?;
    let reason = publish_reason(pipeline, options, current.as_ref(), &fingerprint, &runs);
    logger.info(
        "publish",
        &reason.describe(),
        fields! { "fingerprint" => fingerprint },
    );
    if !reason.runs() {
        for finding in ingest::still_stale(pipeline, current.as_ref()) {
            logger.finding(&finding);
        }
        summary.stages_skipped.push("publish".into());
        summary.seconds = logger.elapsed();
        return Ok(Outcome::NothingToDo {
            current: current_dir,
            summary,
        });
    }
    summary.stages_run.push("publish".into());
    let (mut report, computed) = compute::compute(pipeline, options.run_time, runs)?;
    summary.seconds_at.insert("compute", logger.elapsed());
    if report.status == ReportStatus::Blocked {
        summary.seconds = logger.elapsed();
        return Ok(Outcome::Blocked { report, summary });
    }
    let previous = CatalogState::read(&current_dir);
    let release = Release::begin(&root, &options.run_time.run_id())?;
    let name = release.name().to_owned();
    let mut recorded = history::record(pipeline, &root, &name, &computed, &options.run_time.iso())?;
    let mut computed = computed;
    if let Err(error) = history_table(pipeline, &recorded, &mut computed, &mut report) {
        let _ = release.abandon();
        return Err(error);
    }
    if report.status == ReportStatus::Blocked {
        let _ = release.abandon();
        summary.seconds = logger.elapsed();
        return Ok(Outcome::Blocked { report, summary });
    }
    let contents = release::Contents {
        computed: &computed,
        previous: &previous,
        fingerprint: &fingerprint,
        run_time: options.run_time,
        history: &recorded,
    };
    let marks = release::write(pipeline, &contents, &mut report, release.dir(), &mut || {
        logger.elapsed()
    });
    summary.rows_out = computed.tables.iter().map(Table::row_count).sum();
    // Everything the release's files were made from is written: freed before the history's
    // segment is made, which at scale is the last large allocation of the run.
    drop(computed);
    recorded.free_published();
    let marks = marks.and_then(|marks| {
        history::write(&mut recorded, &name, &options.run_time.iso())?;
        crate::pause::point("history.write");
        Ok(marks)
    });
    let release_dir = switch(release, marks, keeping, &mut summary, logger)?;
    history::confirm(&mut recorded, &name, pipeline.plan.keep_history)?;
    prune(pipeline, &root, logger)?;
    summary.files_published = report.outputs.len();
    summary.seconds = logger.elapsed();
    Ok(Outcome::Published {
        release: release_dir,
        report,
        summary,
    })
}

/// The published history, when a dataset asks for it, checked against its schema.
fn history_table(
    pipeline: &Pipeline,
    recorded: &history::Recorded,
    computed: &mut compute::Computed,
    report: &mut Report,
) -> Result<()> {
    let wanted = pipeline
        .plan
        .datasets
        .iter()
        .any(|d| d.table == TableName::IndicatorsHistory);
    if !wanted {
        return Ok(());
    }
    let table = recorded.replay.table();
    let schema = schema::schema_of(table.name)?;
    let label = msg!(
        "output_table",
        table = TableName::IndicatorsHistory.as_str()
    );
    let findings = schema::validate(&table, &schema, &label.to_string())?;
    if findings.iter().any(crate::finding::Finding::is_error) {
        report.status = ReportStatus::Blocked;
    }
    report.findings.extend(findings);
    // The computing step gave the table empty, as it gives every table no source fills.
    computed
        .tables
        .retain(|t| t.name != TableName::IndicatorsHistory);
    computed.tables.push(table);
    computed.tables.sort_by_key(|t| t.name);
    Ok(())
}

/// The source stages, with the fetcher of the run.
fn ingest(
    pipeline: &Pipeline,
    options: &RunOptions,
    force: bool,
    only: Option<&str>,
) -> Result<(Vec<SourceRun>, Keeping)> {
    let fetcher = Fetcher::new(options.fetch.clone());
    ingest::ingest(
        pipeline,
        &options.output_root,
        &fetcher,
        &options.logger,
        force,
        only,
    )
}

fn publish_fingerprint(pipeline: &Pipeline, runs: &[SourceRun]) -> Result<String> {
    let fingerprints: Vec<(String, String)> = runs
        .iter()
        .map(|r| (r.name.clone(), r.fingerprint.clone()))
        .collect();
    ingest::publish_fingerprint(pipeline, &fingerprints)
}

fn publish_reason(
    pipeline: &Pipeline,
    options: &RunOptions,
    current: Option<&Provenance>,
    fingerprint: &str,
    runs: &[SourceRun],
) -> PublishReason {
    let a_source_changed = runs.iter().any(|r| r.reason != Reason::Unchanged);
    let run_date = options.run_time.date();
    ingest::decide_publish(
        options.force,
        current,
        Some(fingerprint),
        a_source_changed,
        ingest::became_stale(pipeline, current, &run_date),
    )
}

/// Makes a written release current, once the sources' results it was made from are kept:
/// the partial folder is never current, and removing it on failure is tidiness, not safety.
fn switch(
    release: Release,
    written: Result<[(&'static str, f64); 2]>,
    keeping: Keeping,
    summary: &mut Summary,
    logger: &Logger,
) -> Result<PathBuf> {
    let marks = match written.and_then(|marks| keeping.finish().map(|()| marks)) {
        Ok(marks) => marks,
        Err(error) => {
            let _ = release.abandon();
            return Err(error);
        }
    };
    summary.seconds_at.extend(marks);
    let release_dir = release.commit()?;
    summary.seconds_at.insert("switch", logger.elapsed());
    Ok(release_dir)
}

/// The oldest releases beyond `keep_releases`, removed once the new one is current.
fn prune(pipeline: &Pipeline, root: &Path, logger: &Logger) -> Result<()> {
    for pruned in releases::prune(root, pipeline.plan.keep_releases)? {
        logger.info(
            "publish",
            &msg!("release_pruned", release = &pruned),
            fields! { "release" => pruned },
        );
    }
    Ok(())
}

/// Ingests and checks the data and computes the indicators, publishing nothing; the kept
/// results are written under the lock, as a run writes them.
pub(crate) fn validate(pipeline: &Pipeline, options: &RunOptions) -> Result<Report> {
    let _lock = crate::lock::acquire(&pipeline.root(&options.output_root))?;
    let (runs, keeping) = ingest(pipeline, options, false, None)?;
    let (report, _) = compute::compute(pipeline, options.run_time, runs)?;
    keeping.finish()?;
    Ok(report)
}

/// Ingests one source (`--stage source.NAME`) and keeps its result for the next run.
pub(crate) fn ingest_stage(
    pipeline: &Pipeline,
    options: &RunOptions,
    source: &str,
) -> Result<(Vec<SourceRun>, Summary)> {
    let _lock = crate::lock::acquire(&pipeline.root(&options.output_root))?;
    let (runs, keeping) = ingest(pipeline, options, options.force, Some(source))?;
    keeping.finish()?;
    let mut summary = Summary::of_stages(&runs);
    summary.seconds = options.logger.elapsed();
    Ok((runs, summary))
}

/// What `datavalley plan` says of the stages: URLs are looked up in the cache, not fetched.
pub(crate) fn foresee(
    pipeline: &Pipeline,
    output_root: &Path,
    fetch: FetchOptions,
    force: bool,
) -> Result<(Vec<ForeseenStage>, PublishReason)> {
    let fetcher = Fetcher::new(fetch);
    let stages = ingest::foresee(pipeline, output_root, &fetcher, force)?;
    let current = Provenance::read(&pipeline.root(output_root).join(releases::CURRENT));
    let fingerprints: Option<Vec<(String, String)>> = stages
        .iter()
        .map(|s| s.fingerprint.clone().map(|f| (s.source.clone(), f)))
        .collect();
    let fingerprint = fingerprints
        .map(|fingerprints| ingest::publish_fingerprint(pipeline, &fingerprints))
        .transpose()?;
    let a_source_changed = stages
        .iter()
        .any(|s| s.foreseen != ingest::Foreseen::Decided(Reason::Unchanged));
    let today = RunTime::now().date();
    let reason = ingest::decide_publish(
        force,
        current.as_ref(),
        fingerprint.as_deref(),
        a_source_changed,
        ingest::became_stale(pipeline, current.as_ref(), &today),
    );
    Ok((stages, reason))
}

/// Makes an earlier release current again, atomically and under the lock: the one named, or
/// the one before the current.
pub(crate) fn rollback(root: &Path, run_id: Option<&str>) -> Result<String> {
    let _lock = crate::lock::acquire(root)?;
    let target = releases::rollback(root, run_id)?;
    let mut store = crate::history::Store::open(root)?;
    store.mark_rollback(&target)?;
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::Language;

    #[test]
    fn the_summary_line_in_each_language() {
        let summary = Summary {
            stages_run: vec!["source.dati".into()],
            stages_skipped: vec!["source.comuni".into(), "publish".into()],
            rows_in: 93352,
            rows_out: 7,
            files_published: 1,
            seconds: 2.5,
            ..Summary::default()
        };
        assert_eq!(
            summary.line().render(Language::English),
            "1 stages run, 2 skipped; 93,352 rows in, 7 rows out; 1 files published; 2.50 s"
        );
        assert_eq!(
            summary.line().render(Language::Italian),
            "1 fase eseguita, 2 saltate; 93.352 righe in ingresso, 7 righe in uscita; 1 file \
             pubblicato; 2,50 s"
        );
    }
}
