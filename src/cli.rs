//! The command line: parse arguments, call the library, say what happened and map the outcome
//! to an exit code.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::clock::RunTime;
use crate::error::{Error, exit_code};
use crate::fetch::{FetchOptions, Fetcher};
use crate::fields;
use crate::log::{LogFormat, Logger};
use crate::plan::{self, Plan};
use crate::publish::release;
use crate::report::{Report, Status, render_check};
use crate::run::{self, Outcome, RunOptions};
use crate::stage;

const EXIT_CODES: &str = "\
Exit codes:
  0  published, or nothing to do
  1  data findings: validation failed, nothing was published
  2  configuration or usage error (the pipeline file, the command line) or a tool error
  3  a source could not be fetched or read
  4  another run holds the lock of the output folder";

#[derive(Debug, Parser)]
#[command(
    name = "datavalley",
    version,
    about = "Declarative open-data pipelines for Italian local public administrations",
    after_help = EXIT_CODES
)]
struct Cli {
    /// How log lines are written to stderr: `human`, or `json` (one object per line).
    #[arg(long, value_enum, default_value = "human", global = true)]
    log_format: LogFormatArg,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum LogFormatArg {
    Human,
    Json,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Ingest, compute, validate and publish a release (nothing when nothing changed).
    #[command(after_help = EXIT_CODES)]
    Run {
        /// The pipeline file, e.g. pipelines/val-d-enza.toml.
        pipeline: PathBuf,
        #[command(flatten)]
        data: DataOptions,
        /// The run time written into the outputs (YYYY-MM-DDTHH:MM:SSZ); default now, or
        /// SOURCE_DATE_EPOCH when set.
        #[arg(long)]
        run_time: Option<String>,
        /// Run every stage, whatever its fingerprint, and publish a new release.
        #[arg(long)]
        force: bool,
        /// Run one stage only: `source.NAME` (ingest that source and keep its result) or
        /// `publish` (the whole run).
        #[arg(long, value_name = "NAME")]
        stage: Option<String>,
    },
    /// Parse and cross-check the pipeline file only; read no data.
    #[command(after_help = EXIT_CODES)]
    Check { pipeline: PathBuf },
    /// Say which stages a run would run and why.
    #[command(after_help = EXIT_CODES)]
    Plan {
        pipeline: PathBuf,
        #[command(flatten)]
        data: DataOptions,
        /// As `run --force` would.
        #[arg(long)]
        force: bool,
    },
    /// Ingest and validate the data, compute the indicators, publish nothing.
    #[command(after_help = EXIT_CODES)]
    Validate {
        pipeline: PathBuf,
        #[command(flatten)]
        data: DataOptions,
    },
    /// List the releases of a pipeline and which one is current.
    #[command(after_help = EXIT_CODES)]
    Releases {
        pipeline: PathBuf,
        #[arg(long, default_value = "output")]
        output_dir: PathBuf,
    },
    /// Make an earlier release current again, atomically (default: the one before the
    /// current).
    #[command(after_help = EXIT_CODES)]
    Rollback {
        pipeline: PathBuf,
        /// The release to make current, as `releases` lists it.
        run_id: Option<String>,
        #[arg(long, default_value = "output")]
        output_dir: PathBuf,
    },
}

/// Where outputs and downloads go, and how sources over HTTP are treated.
#[derive(Debug, Args)]
struct DataOptions {
    /// Where releases are published: <DIR>/<pipeline id>/current.
    #[arg(long, default_value = "output")]
    output_dir: PathBuf,
    /// Where downloaded sources are cached; default <output dir>/.cache.
    #[arg(long)]
    cache_dir: Option<PathBuf>,
    /// Read sources with a `url` from the cache only; fail when one is not cached.
    #[arg(long)]
    offline: bool,
    /// Accept a source that has far fewer rows than its last accepted version.
    #[arg(long)]
    accept_shrink: bool,
}

impl DataOptions {
    fn fetch(&self, offline: bool) -> FetchOptions {
        FetchOptions {
            cache_dir: self
                .cache_dir
                .clone()
                .unwrap_or_else(|| self.output_dir.join(".cache")),
            offline: self.offline || offline,
            accept_shrink: self.accept_shrink,
        }
    }

    fn run_options(&self, run_time: RunTime, force: bool, logger: &Logger) -> RunOptions {
        RunOptions {
            output_root: self.output_dir.clone(),
            run_time,
            fetch: self.fetch(false),
            force,
            logger: logger.clone(),
        }
    }
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() {
                exit_code::CONFIG
            } else {
                exit_code::OK
            });
        }
    };
    let logger = Logger::new(match cli.log_format {
        LogFormatArg::Human => LogFormat::Human,
        LogFormatArg::Json => LogFormat::Json,
    });
    match execute(cli.command, &logger) {
        Ok(code) => ExitCode::from(code),
        Err(error) => ExitCode::from(log_error(&logger, &error)),
    }
}

/// Logs an error that ends a command, and gives its exit code.
fn log_error(logger: &Logger, error: &Error) -> u8 {
    logger.event(
        crate::log::Level::Error,
        "",
        &error.to_string(),
        fields! { "exit_code" => error.exit_code() },
    );
    error.exit_code()
}

fn run_time(argument: Option<String>) -> Result<RunTime, Error> {
    if let Some(text) = argument {
        return RunTime::parse(&text).ok_or_else(|| {
            Error::Usage(format!(
                "--run-time {text:?} is not of the form 2026-11-23T09:17:11Z"
            ))
        });
    }
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(text) => text
            .trim()
            .parse::<i64>()
            .map(RunTime::from_epoch)
            .map_err(|_| {
                Error::Usage(format!(
                    "SOURCE_DATE_EPOCH={text:?} is not a number of seconds"
                ))
            }),
        Err(_) => Ok(RunTime::now()),
    }
}

fn log_report(logger: &Logger, report: &Report) {
    for finding in &report.findings {
        logger.finding(finding);
    }
    for check in &report.checks {
        logger.info(
            "check",
            &render_check(check),
            fields! {
                "indicator" => check.indicator,
                "territory" => check.territory,
                "period" => check.period,
                "computed" => check.computed,
                "published" => check.published,
                "agrees" => check.agrees,
            },
        );
    }
}

/// The line every run ends with, whatever its outcome: `published`, `nothing to do`,
/// `blocked` or `failed`.
fn log_summary(logger: &Logger, outcome: &str, summary: &run::Summary) {
    let mut fields = match serde_json::to_value(summary) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    fields.insert("outcome".into(), outcome.into());
    logger.info("summary", &format!("{outcome}; {}", summary.line()), fields);
}

fn execute(command: Command, logger: &Logger) -> Result<u8, Error> {
    match command {
        Command::Check { pipeline } => {
            let plan = plan::load(&pipeline)?;
            println!(
                "{}: ok ({} sources, {} indicators, {} datasets)",
                pipeline.display(),
                plan.sources.len(),
                plan.indicators.len(),
                plan.datasets.len()
            );
            Ok(exit_code::OK)
        }
        Command::Plan {
            pipeline,
            data,
            force,
        } => {
            let plan = plan::load(&pipeline)?;
            print!("{}", plan.describe());
            print_stages(&plan, &data, force)?;
            Ok(exit_code::OK)
        }
        Command::Validate { pipeline, data } => {
            let plan = plan::load(&pipeline)?;
            let options = data.run_options(run_time(None)?, false, logger);
            let fetcher = Fetcher::new(options.fetch.clone());
            let (runs, keeping) =
                stage::ingest(&plan, &options.output_root, &fetcher, logger, false, None)?;
            let computed = run::compute(&plan, options.run_time, runs)?;
            keeping.finish()?;
            let report = &computed.report;
            log_report(logger, report);
            println!(
                "{}: {} observations, {} indicator rows, {} errors, {} warnings",
                pipeline.display(),
                report.observations,
                report.indicator_rows,
                report.errors(),
                report.warnings()
            );
            Ok(match report.status {
                Status::Published => exit_code::OK,
                Status::Blocked => exit_code::DATA_FINDINGS,
            })
        }
        Command::Releases {
            pipeline,
            output_dir,
        } => {
            let plan = plan::load(&pipeline)?;
            let root = output_dir.join(&plan.id);
            let releases = release::list(&root)?;
            if releases.is_empty() {
                println!("no releases in {}", root.display());
            }
            for release in releases {
                let marker = if release.current { "  (current)" } else { "" };
                println!("{}{marker}", release.name);
            }
            Ok(exit_code::OK)
        }
        Command::Rollback {
            pipeline,
            run_id,
            output_dir,
        } => {
            let plan = plan::load(&pipeline)?;
            let root = output_dir.join(&plan.id);
            let _lock = crate::lock::acquire(&root)?;
            let target = release::rollback(&root, run_id.as_deref())?;
            logger.info(
                "rollback",
                &format!("current release is now {target}"),
                fields! { "release" => target },
            );
            println!("current release: {}", root.join(release::CURRENT).display());
            Ok(exit_code::OK)
        }
        Command::Run {
            pipeline,
            data,
            run_time: time,
            force,
            stage: only,
        } => {
            let request = RunRequest {
                pipeline,
                data,
                run_time: time,
                force,
                stage: only,
            };
            // A run always ends with its summary line, also when it fails.
            match run_command(request, logger) {
                Ok(code) => Ok(code),
                Err(error) => {
                    let code = log_error(logger, &error);
                    let summary = run::Summary {
                        seconds: logger.elapsed(),
                        ..run::Summary::default()
                    };
                    log_summary(logger, "failed", &summary);
                    Ok(code)
                }
            }
        }
    }
}

/// What `datavalley run` was asked for.
struct RunRequest {
    pipeline: PathBuf,
    data: DataOptions,
    run_time: Option<String>,
    force: bool,
    stage: Option<String>,
}

fn run_command(request: RunRequest, logger: &Logger) -> Result<u8, Error> {
    let RunRequest {
        pipeline,
        data,
        run_time: time,
        force,
        stage: only,
    } = request;
    let plan = plan::load(&pipeline)?;
    let options = data.run_options(run_time(time)?, force, logger);
    if let Some(stage_name) = only.as_deref().filter(|s| *s != "publish") {
        let Some(source) = stage_name.strip_prefix("source.") else {
            return Err(Error::Usage(format!(
                "--stage {stage_name:?}: the stages are `source.NAME` and `publish`"
            )));
        };
        let root = options.output_root.join(&plan.id);
        let _lock = crate::lock::acquire(&root)?;
        let fetcher = Fetcher::new(options.fetch.clone());
        let (runs, keeping) = stage::ingest(
            &plan,
            &options.output_root,
            &fetcher,
            logger,
            force,
            Some(source),
        )?;
        keeping.finish()?;
        let mut errors = 0;
        for run in &runs {
            for finding in &run.ingested.findings {
                logger.finding(finding);
            }
            errors += run
                .ingested
                .findings
                .iter()
                .filter(|f| f.severity == crate::validate::Severity::Error)
                .count();
        }
        let mut summary = run::Summary::from_runs(&runs);
        summary.seconds = logger.elapsed();
        return Ok(if errors > 0 {
            log_summary(logger, "blocked", &summary);
            exit_code::DATA_FINDINGS
        } else {
            log_summary(logger, "ingested", &summary);
            exit_code::OK
        });
    }
    match run::run(&plan, &options)? {
        Outcome::Published {
            release,
            report,
            summary,
        } => {
            log_report(logger, &report);
            log_summary(logger, "published", &summary);
            println!("published {}", release.display());
            println!(
                "current release: {}",
                data.output_dir
                    .join(&plan.id)
                    .join(release::CURRENT)
                    .display()
            );
            Ok(exit_code::OK)
        }
        Outcome::NothingToDo { current, summary } => {
            log_summary(logger, "nothing to do", &summary);
            println!("nothing to do: {} is up to date", current.display());
            Ok(exit_code::OK)
        }
        Outcome::Blocked { report, summary } => {
            log_report(logger, &report);
            logger.event(
                crate::log::Level::Error,
                "publish",
                &format!(
                    "nothing published: {} errors, {} warnings",
                    report.errors(),
                    report.warnings()
                ),
                fields! { "errors" => report.errors(), "warnings" => report.warnings() },
            );
            log_summary(logger, "blocked", &summary);
            Ok(exit_code::DATA_FINDINGS)
        }
    }
}

/// The stages a run would run, and why; URLs are looked up in the cache, not fetched.
fn print_stages(plan: &Plan, data: &DataOptions, force: bool) -> Result<(), Error> {
    let fetcher = Fetcher::new(data.fetch(true));
    let stages = stage::explain(plan, &data.output_dir, &fetcher, force)?;
    println!("stages:");
    for explained in &stages {
        println!("  {}: {}", explained.stage, explained.explanation);
    }
    let root = data.output_dir.join(&plan.id);
    let current = run::Provenance::fingerprint_of(&root.join(release::CURRENT));
    let fingerprints: Option<Vec<(String, String)>> = stages
        .iter()
        .map(|e| e.fingerprint.clone().map(|f| (e.source.clone(), f)))
        .collect();
    let publish = match (force, current, fingerprints) {
        (true, _, _) => "runs: --force".to_owned(),
        (false, None, _) => "runs: no release yet".to_owned(),
        (false, Some(_), None) => {
            "runs unless the URLs not downloaded yet are unchanged".to_owned()
        }
        (false, Some(current), Some(fingerprints)) => {
            if stage::publish_fingerprint(plan, &fingerprints)? == current {
                "skipped: unchanged, nothing to do".to_owned()
            } else if stages.iter().any(|e| !e.explanation.starts_with("skipped")) {
                "runs: a source changed since the current release".to_owned()
            } else {
                "runs: the pipeline file or the tool changed since the current release".to_owned()
            }
        }
    };
    println!("  publish: {publish}");
    Ok(())
}
