//! The command line: parse arguments, call the library, say what happened and map the outcome
//! to an exit code.

mod history;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::clock::RunTime;
use crate::error::{Error, exit_code};
use crate::fetch::FetchOptions;
use crate::fields;
use crate::indicator::check::{Language, Named};
use crate::log::{LogFormat, Logger};
use crate::publish::release;
use crate::report::{Report, ReportStatus};
use crate::run::explain::Question;
use crate::run::init::{InitRequest, NewTerritory, SharedFile};
use crate::run::{self, Outcome, Pipeline, RunOptions};

const EXIT_CODES: &str = "\
Exit codes:
  0  published, or nothing to do
  1  data findings: validation failed, nothing was published
  2  configuration or usage error (the pipeline file, the command line), a damaged
     history file, or a tool error
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
    /// Write a new pipeline file for a union or a single comune, ready to run: its comuni
    /// looked up in ISTAT's list, the public files by URL, the fields only you know marked.
    #[command(after_help = EXIT_CODES)]
    Init {
        /// The union's name, e.g. "Unione Terre d'Acqua"; its comuni with --comuni.
        #[arg(long, requires = "comuni", conflicts_with = "comune")]
        unione: Option<String>,
        /// The union's comuni by ISTAT code or name, separated by commas: 037001,037009,...
        #[arg(long, value_delimiter = ',', requires = "unione")]
        comuni: Vec<String>,
        /// A single comune, by ISTAT code or name.
        #[arg(long, required_unless_present = "unione")]
        comune: Option<String>,
        /// The administration's IPA code (www.indicepa.gov.it); without it, a placeholder.
        #[arg(long)]
        ipa: Option<String>,
        /// The folder the pipeline file is written to.
        #[arg(long, default_value = "pipelines")]
        dir: PathBuf,
        /// The pipeline's id, which names its file and its output folder; default from the
        /// name.
        #[arg(long)]
        id: Option<String>,
        /// Replace a pipeline file that exists.
        #[arg(long)]
        force: bool,
        /// ISTAT's list of comuni to look codes and names up in: a file or a URL; default
        /// ISTAT's own URL, through the cache.
        #[arg(long, value_name = "FILE|URL")]
        elenco: Option<String>,
        /// Read the publishers' files from a copy of them, served as <URL>/<host>/<path>.
        #[arg(long, value_name = "URL")]
        mirror: Option<String>,
        #[command(flatten)]
        data: DataOptions,
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
    /// Say how one value is computed: the formula, each term with the observations it is
    /// read or summed from (and their files), the rounding, the benchmarks and the check
    /// against a published figure.
    #[command(after_help = EXIT_CODES)]
    Explain {
        /// The pipeline file, e.g. pipelines/val-d-enza.toml.
        pipeline: PathBuf,
        /// The indicator, by its name in the pipeline.
        indicator: String,
        /// The territory: an ISTAT code, a union's code, or a name.
        territory: String,
        /// The period; default the latest with a value.
        #[arg(long)]
        period: Option<String>,
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
    /// Print the series the history of the pipeline's releases holds: every period of every
    /// indicator and territory, with the release that published it and any revision.
    #[command(after_help = EXIT_CODES)]
    History {
        /// The pipeline file, e.g. pipelines/val-d-enza.toml.
        pipeline: PathBuf,
        /// Only this indicator (its name in the pipeline).
        #[arg(long)]
        indicator: Option<String>,
        /// Only this territory (an ISTAT code, or a union's name).
        #[arg(long)]
        territory: Option<String>,
        #[arg(long, default_value = "output")]
        output_dir: PathBuf,
    },
    /// Print what changed between two releases: values new, changed, removed and revised, and
    /// records (projects, funded applications) new, changed or gone. Default: from the release
    /// before the current one to the current one; with one release, from it to the current.
    #[command(after_help = EXIT_CODES)]
    Diff {
        /// The pipeline file, e.g. pipelines/val-d-enza.toml.
        pipeline: PathBuf,
        /// The earlier release, as `releases` lists it.
        from: Option<String>,
        /// The later release.
        to: Option<String>,
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

/// The command line, from its arguments to its exit code.
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
        crate::log::LogLevel::Error,
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
        let named = Named {
            indicator: &check.indicator,
            territory: &check.territory,
        };
        logger.info(
            "check",
            &check.sentence(Language::English, &named),
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
        Command::Check { pipeline } => check(&pipeline),
        Command::Init {
            unione,
            comuni,
            comune,
            ipa,
            dir,
            id,
            force,
            elenco,
            mirror,
            data,
        } => {
            let territory = match (unione, comune) {
                (Some(name), _) => NewTerritory::Union {
                    name,
                    members: comuni,
                },
                (None, Some(comune)) => NewTerritory::Comune(comune),
                (None, None) => {
                    return Err(Error::Usage(
                        "say whose pipeline it is: --unione NAME --comuni CODES, or --comune CODE"
                            .to_owned(),
                    ));
                }
            };
            let request = InitRequest {
                territory,
                ipa,
                dir,
                id,
                force,
                list: elenco,
                mirror,
                fetch: data.fetch(false),
                date: run_time(None)?.date(),
            };
            init(&request)
        }
        Command::Plan {
            pipeline,
            data,
            force,
        } => plan(&pipeline, &data, force),
        Command::Validate { pipeline, data } => validate(&pipeline, &data, logger),
        Command::Explain {
            pipeline,
            indicator,
            territory,
            period,
            data,
        } => {
            let question = Question {
                indicator: &indicator,
                territory: &territory,
                period: period.as_deref(),
            };
            explain(&pipeline, &data, &question, logger)
        }
        Command::Releases {
            pipeline,
            output_dir,
        } => releases(&pipeline, &output_dir),
        Command::Rollback {
            pipeline,
            run_id,
            output_dir,
        } => rollback(&pipeline, run_id.as_deref(), &output_dir, logger),
        Command::History {
            pipeline,
            indicator,
            territory,
            output_dir,
        } => {
            let filter = history::SeriesFilter {
                indicator: indicator.as_deref(),
                territory: territory.as_deref(),
            };
            history::history(&pipeline, &output_dir, &filter, logger.format)
        }
        Command::Diff {
            pipeline,
            from,
            to,
            output_dir,
        } => history::diff(
            &pipeline,
            &output_dir,
            from.as_deref(),
            to.as_deref(),
            logger.format,
        ),
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

fn init(request: &InitRequest) -> Result<u8, Error> {
    let done = run::init::init(request)?;
    println!("wrote {}: {}", done.file.display(), done.territory);
    for (path, state) in &done.shared {
        match state {
            SharedFile::Written => println!("wrote {}", path.display()),
            SharedFile::Present => {}
            SharedFile::KeptOwn => println!(
                "kept {}: it differs from the tool's own, and is yours",
                path.display()
            ),
        }
    }
    print_to_fill(&done.to_fill);
    let file = done.file.display();
    println!("next: datavalley check {file}, then datavalley run {file}");
    Ok(exit_code::OK)
}

/// The fields that still hold a placeholder of `init`, each at its line.
fn print_to_fill(to_fill: &[crate::error::ConfigProblem]) {
    if !to_fill.is_empty() {
        println!(
            "{} fields still hold the placeholder `datavalley init` wrote; fill them before publishing:",
            to_fill.len()
        );
        for unfilled in to_fill {
            println!("  {unfilled}");
        }
    }
}

fn check(pipeline: &Path) -> Result<u8, Error> {
    let loaded = run::load(pipeline)?;
    println!(
        "{}: ok ({} sources, {} indicators, {} datasets)",
        pipeline.display(),
        loaded.sources.len(),
        loaded.indicators.len(),
        loaded.plan.datasets.len()
    );
    print_to_fill(&loaded.plan.to_fill);
    Ok(exit_code::OK)
}

fn plan(pipeline: &Path, data: &DataOptions, force: bool) -> Result<u8, Error> {
    let loaded = run::load(pipeline)?;
    print!("{}", loaded.describe());
    print_stages(&loaded, data, force)?;
    Ok(exit_code::OK)
}

fn validate(pipeline: &Path, data: &DataOptions, logger: &Logger) -> Result<u8, Error> {
    let loaded = run::load(pipeline)?;
    let options = data.run_options(run_time(None)?, false, logger);
    let report = run::validate(&loaded, &options)?;
    log_report(logger, &report);
    println!(
        "{}: {} observations, {} indicator rows, {} errors, {} warnings",
        pipeline.display(),
        report.observations,
        report.indicator_rows,
        report.errors(),
        report.warnings()
    );
    Ok(match report.status {
        ReportStatus::Published => exit_code::OK,
        ReportStatus::Blocked => exit_code::DATA_FINDINGS,
    })
}

fn explain(
    pipeline: &Path,
    data: &DataOptions,
    question: &Question,
    logger: &Logger,
) -> Result<u8, Error> {
    let loaded = run::load(pipeline)?;
    let options = data.run_options(run_time(None)?, false, logger);
    let explained = run::explain::explain(&loaded, &options, question)?;
    match logger.format {
        LogFormat::Json => {
            let text = serde_json::to_string_pretty(&explained)
                .map_err(|e| Error::json("writing the explanation", e))?;
            println!("{text}");
        }
        LogFormat::Human => {
            for line in explained.explanation.lines_it() {
                println!("{line}");
            }
            for source in &explained.sources {
                println!("Fonte {}: {}", source.name, source.label);
                for (location, rows) in &source.files {
                    println!("  {location} ({rows} righe)");
                }
            }
        }
    }
    Ok(exit_code::OK)
}

fn releases(pipeline: &Path, output_dir: &Path) -> Result<u8, Error> {
    let loaded = run::load(pipeline)?;
    let root = output_dir.join(&loaded.plan.id);
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

fn rollback(
    pipeline: &Path,
    run_id: Option<&str>,
    output_dir: &Path,
    logger: &Logger,
) -> Result<u8, Error> {
    let loaded = run::load(pipeline)?;
    let root = output_dir.join(&loaded.plan.id);
    let target = run::rollback(&root, run_id)?;
    logger.info(
        "rollback",
        &format!("current release is now {target}"),
        fields! { "release" => target },
    );
    println!("current release: {}", root.join(release::CURRENT).display());
    Ok(exit_code::OK)
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
    let loaded = run::load(&request.pipeline)?;
    let options = request
        .data
        .run_options(run_time(request.run_time)?, request.force, logger);
    match request.stage.as_deref().filter(|s| *s != "publish") {
        Some(stage) => ingest_stage(&loaded, &options, stage, logger),
        None => {
            let outcome = run::run(&loaded, &options)?;
            Ok(report_outcome(&loaded, &request.data, outcome, logger))
        }
    }
}

/// `--stage source.NAME`: one source ingested, its findings logged.
fn ingest_stage(
    loaded: &Pipeline,
    options: &RunOptions,
    stage: &str,
    logger: &Logger,
) -> Result<u8, Error> {
    let Some(source) = stage.strip_prefix("source.") else {
        return Err(Error::Usage(format!(
            "--stage {stage:?}: the stages are `source.NAME` and `publish`"
        )));
    };
    let (runs, summary) = run::ingest_stage(loaded, options, source)?;
    let mut blocked = false;
    for run in &runs {
        for finding in &run.ingested.findings {
            logger.finding(finding);
        }
        blocked |= run.ingested.has_errors();
    }
    Ok(if blocked {
        log_summary(logger, "blocked", &summary);
        exit_code::DATA_FINDINGS
    } else {
        log_summary(logger, "ingested", &summary);
        exit_code::OK
    })
}

/// Says how a run ended, and gives its exit code.
fn report_outcome(loaded: &Pipeline, data: &DataOptions, outcome: Outcome, logger: &Logger) -> u8 {
    match outcome {
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
                    .join(&loaded.plan.id)
                    .join(release::CURRENT)
                    .display()
            );
            exit_code::OK
        }
        Outcome::NothingToDo { current, summary } => {
            log_summary(logger, "nothing to do", &summary);
            println!("nothing to do: {} is up to date", current.display());
            exit_code::OK
        }
        Outcome::Blocked { report, summary } => {
            log_report(logger, &report);
            logger.event(
                crate::log::LogLevel::Error,
                "publish",
                &format!(
                    "nothing published: {} errors, {} warnings",
                    report.errors(),
                    report.warnings()
                ),
                fields! { "errors" => report.errors(), "warnings" => report.warnings() },
            );
            log_summary(logger, "blocked", &summary);
            exit_code::DATA_FINDINGS
        }
    }
}

/// The stages a run would run, and why; URLs are looked up in the cache, not fetched.
fn print_stages(loaded: &Pipeline, data: &DataOptions, force: bool) -> Result<(), Error> {
    let (stages, publish) = run::foresee(loaded, &data.output_dir, data.fetch(true), force)?;
    println!("stages:");
    for stage in &stages {
        println!("  source.{}: {}", stage.source, stage.foreseen.describe());
    }
    println!("  publish: {}", publish.describe());
    Ok(())
}
