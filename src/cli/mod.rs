//! The command line: parse arguments, call the library, say what happened and map the outcome
//! to an exit code.

mod help;
mod history;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::clock::RunTime;
use crate::error::{Error, exit_code};
use crate::fetch::FetchOptions;
use crate::fields;
use crate::indicator::check::Named;
use crate::log::{LogFormat, Logger};
use crate::message::{self, Language, Message};
use crate::msg;
use crate::publish::release;
use crate::report::{Report, ReportStatus};
use crate::run::explain::Question;
use crate::run::init::{InitRequest, NewTerritory, SharedFile};
use crate::run::{self, Outcome, Pipeline, RunOptions};

// What `--help` says of each command and argument is in the catalogue (`locales/*/help.ftl`),
// by the command's name and the argument's id; `help::localized` puts it in.
#[derive(Debug, Parser)]
#[command(name = "datavalley", version)]
struct Cli {
    #[arg(long, value_enum, default_value = "human", global = true)]
    log_format: LogFormatArg,
    #[arg(long, value_enum, global = true)]
    lang: Option<LanguageArg>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum LanguageArg {
    It,
    En,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum LogFormatArg {
    Human,
    Json,
}

#[derive(Debug, Subcommand)]
enum Command {
    Run {
        pipeline: PathBuf,
        #[command(flatten)]
        data: DataOptions,
        #[arg(long)]
        run_time: Option<String>,
        #[arg(long)]
        force: bool,
        #[arg(long, value_name = "NAME")]
        stage: Option<String>,
    },
    Init {
        #[arg(long, requires = "comuni", conflicts_with = "comune")]
        unione: Option<String>,
        #[arg(long, value_delimiter = ',', requires = "unione")]
        comuni: Vec<String>,
        #[arg(long, required_unless_present = "unione")]
        comune: Option<String>,
        #[arg(long)]
        ipa: Option<String>,
        #[arg(long, default_value = "pipelines")]
        dir: PathBuf,
        #[arg(long)]
        id: Option<String>,
        #[arg(long)]
        force: bool,
        #[arg(long, value_name = "FILE|URL")]
        elenco: Option<String>,
        #[arg(long, value_name = "URL")]
        mirror: Option<String>,
        #[command(flatten)]
        data: DataOptions,
    },
    Check {
        pipeline: PathBuf,
    },
    Plan {
        pipeline: PathBuf,
        #[command(flatten)]
        data: DataOptions,
        #[arg(long)]
        force: bool,
    },
    Validate {
        pipeline: PathBuf,
        #[command(flatten)]
        data: DataOptions,
    },
    Explain {
        pipeline: PathBuf,
        indicator: String,
        territory: String,
        #[arg(long)]
        period: Option<String>,
        #[command(flatten)]
        data: DataOptions,
    },
    Releases {
        pipeline: PathBuf,
        #[arg(long, default_value = "output")]
        output_dir: PathBuf,
    },
    History {
        pipeline: PathBuf,
        #[arg(long)]
        indicator: Option<String>,
        #[arg(long)]
        territory: Option<String>,
        #[arg(long, default_value = "output")]
        output_dir: PathBuf,
    },
    Diff {
        pipeline: PathBuf,
        from: Option<String>,
        to: Option<String>,
        #[arg(long, default_value = "output")]
        output_dir: PathBuf,
    },
    Rollback {
        pipeline: PathBuf,
        run_id: Option<String>,
        #[arg(long, default_value = "output")]
        output_dir: PathBuf,
    },
}

/// Where outputs and downloads go, and how sources over HTTP are treated.
#[derive(Debug, Args)]
struct DataOptions {
    #[arg(long, default_value = "output")]
    output_dir: PathBuf,
    #[arg(long)]
    cache_dir: Option<PathBuf>,
    #[arg(long)]
    offline: bool,
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
    message::set_language(chosen_language(std::env::args()));
    let parsed = help::localized(Cli::command())
        .try_get_matches()
        .and_then(|matches| Cli::from_arg_matches(&matches));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(error) => return ExitCode::from(parse_failed(&error)),
    };
    if let Some(language) = cli.lang {
        message::set_language(match language {
            LanguageArg::It => Language::Italian,
            LanguageArg::En => Language::English,
        });
    }
    let logger = Logger::new(match cli.log_format {
        LogFormatArg::Human => LogFormat::Human,
        LogFormatArg::Json => LogFormat::Json,
    });
    match execute(cli.command, &logger) {
        Ok(code) => ExitCode::from(code),
        Err(error) => ExitCode::from(log_error(&logger, &error)),
    }
}

/// The language asked for by `--lang` (read before the arguments are parsed, so that the
/// parser's own messages and `--help` speak it too), else by the locale.
fn chosen_language(mut args: impl Iterator<Item = String>) -> Language {
    let mut asked = None;
    while let Some(arg) = args.next() {
        if arg == "--" {
            break;
        }
        if let Some(value) = arg.strip_prefix("--lang=") {
            asked = Language::from_tag(value);
        } else if arg == "--lang" {
            asked = args.next().as_deref().and_then(Language::from_tag);
        }
    }
    asked.unwrap_or_else(|| Language::from_environment(|name| std::env::var(name).ok()))
}

/// Says what is wrong with the command line (or prints the help asked for), and gives the
/// exit code.
fn parse_failed(error: &clap::Error) -> u8 {
    match help::parse_error(error) {
        Some(text) => {
            eprintln!("{text}");
            exit_code::CONFIG
        }
        None => {
            let _ = error.print();
            match error.use_stderr() {
                true => exit_code::CONFIG,
                false => exit_code::OK,
            }
        }
    }
}

/// Logs an error that ends a command, and gives its exit code.
fn log_error(logger: &Logger, error: &Error) -> u8 {
    // In JSON each problem of a pipeline file is a line of its own, with its message's id as
    // the code, for a collector to count and match; a person reads them in the error below.
    if let (LogFormat::Json, Error::Config(problems)) = (logger.format, error) {
        for problem in problems {
            logger.event(
                crate::log::LogLevel::Error,
                "check",
                &problem.message,
                fields! {
                    "file" => problem.file.display().to_string(),
                    "line" => problem.line,
                    "column" => problem.column,
                    "key" => problem.key,
                },
            );
        }
    }
    logger.line(
        crate::log::LogLevel::Error,
        "",
        error.code(),
        &error.to_string(),
        fields! { "exit_code" => error.exit_code() },
    );
    error.exit_code()
}

fn run_time(argument: Option<String>) -> Result<RunTime, Error> {
    if let Some(text) = argument {
        return RunTime::parse(&text)
            .ok_or_else(|| Error::Usage(msg!("usage_run_time", value = format!("{text:?}"))));
    }
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(text) => text
            .trim()
            .parse::<i64>()
            .map(RunTime::from_epoch)
            .map_err(|_| {
                Error::Usage(msg!("usage_source_date_epoch", value = format!("{text:?}")))
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
            &check.message(&named),
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

/// How a run ended, as its summary line says.
#[derive(Debug, Clone, Copy)]
enum Ending {
    Published,
    NothingToDo,
    Blocked,
    Failed,
    Ingested,
}

impl Ending {
    /// The stable English word of the JSON summary's `outcome` field.
    fn code(self) -> &'static str {
        match self {
            Ending::Published => "published",
            Ending::NothingToDo => "nothing to do",
            Ending::Blocked => "blocked",
            Ending::Failed => "failed",
            Ending::Ingested => "ingested",
        }
    }

    fn message(self) -> Message {
        match self {
            Ending::Published => msg!("outcome_published"),
            Ending::NothingToDo => msg!("outcome_nothing_to_do"),
            Ending::Blocked => msg!("outcome_blocked"),
            Ending::Failed => msg!("outcome_failed"),
            Ending::Ingested => msg!("outcome_ingested"),
        }
    }
}

/// The line every run ends with, whatever its outcome.
fn log_summary(logger: &Logger, outcome: Ending, summary: &run::Summary) {
    let mut fields = match serde_json::to_value(summary) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    fields.insert("outcome".into(), outcome.code().into());
    let line = msg!(
        "summary",
        outcome = outcome.message(),
        line = summary.line()
    );
    logger.info("summary", &line, fields);
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
                    return Err(Error::Usage(msg!("usage_init_whose")));
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
                    log_summary(logger, Ending::Failed, &summary);
                    Ok(code)
                }
            }
        }
    }
}

fn init(request: &InitRequest) -> Result<u8, Error> {
    let done = run::init::init(request)?;
    let file = done.file.display().to_string();
    println!(
        "{}",
        msg!(
            "init_wrote_pipeline",
            file = &file,
            territory = &done.territory
        )
    );
    for (path, state) in &done.shared {
        let path = path.display();
        match state {
            SharedFile::Written => println!("{}", msg!("init_wrote", file = path)),
            SharedFile::Present => {}
            SharedFile::KeptOwn => println!("{}", msg!("init_kept_own", file = path)),
        }
    }
    print_to_fill(&done.to_fill);
    println!("{}", msg!("init_next", file = file));
    Ok(exit_code::OK)
}

/// The fields that still hold a placeholder of `init`, each at its line.
fn print_to_fill(to_fill: &[crate::error::ConfigProblem]) {
    if !to_fill.is_empty() {
        println!("{}", msg!("to_fill", count = to_fill.len()));
        for unfilled in to_fill {
            println!("  {unfilled}");
        }
    }
}

fn check(pipeline: &Path) -> Result<u8, Error> {
    let loaded = run::load(pipeline)?;
    let checked = msg!(
        "check_ok",
        file = pipeline.display(),
        sources = loaded.sources.len(),
        indicators = loaded.indicators.len(),
        datasets = loaded.plan.datasets.len()
    );
    println!("{checked}");
    print_to_fill(&loaded.plan.to_fill);
    Ok(exit_code::OK)
}

fn plan(pipeline: &Path, data: &DataOptions, force: bool) -> Result<u8, Error> {
    let loaded = run::load(pipeline)?;
    for line in loaded.describe() {
        println!("{line}");
    }
    print_stages(&loaded, data, force)?;
    Ok(exit_code::OK)
}

fn validate(pipeline: &Path, data: &DataOptions, logger: &Logger) -> Result<u8, Error> {
    let loaded = run::load(pipeline)?;
    let options = data.run_options(run_time(None)?, false, logger);
    let report = run::validate(&loaded, &options)?;
    log_report(logger, &report);
    let validated = msg!(
        "validate_counts",
        file = pipeline.display(),
        observations = report.observations,
        rows = report.indicator_rows,
        errors = report.errors(),
        warnings = report.warnings()
    );
    println!("{validated}");
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
                .map_err(|e| Error::json(msg!("writing_explanation"), e))?;
            println!("{text}");
        }
        LogFormat::Human => {
            for line in explained.explanation.lines(crate::message::language()) {
                println!("{line}");
            }
            for source in &explained.sources {
                let label = msg!("explain_source", name = &source.name, label = &source.label);
                println!("{label}");
                for (location, rows) in &source.files {
                    let file = msg!("explain_source_file", location = location, rows = *rows);
                    println!("  {file}");
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
        println!("{}", msg!("no_releases", folder = root.display()));
    }
    for release in releases {
        match release.current {
            true => println!("{}", msg!("release_current", release = &release.name)),
            false => println!("{}", release.name),
        }
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
        &msg!("rollback_done", release = &target),
        fields! { "release" => target },
    );
    let current = root.join(release::CURRENT);
    println!("{}", msg!("current_release", path = current.display()));
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
        return Err(Error::Usage(msg!(
            "usage_stage",
            stage = format!("{stage:?}")
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
        log_summary(logger, Ending::Blocked, &summary);
        exit_code::DATA_FINDINGS
    } else {
        log_summary(logger, Ending::Ingested, &summary);
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
            log_summary(logger, Ending::Published, &summary);
            println!("{}", msg!("published", path = release.display()));
            let current = data.output_dir.join(&loaded.plan.id).join(release::CURRENT);
            println!("{}", msg!("current_release", path = current.display()));
            exit_code::OK
        }
        Outcome::NothingToDo { current, summary } => {
            log_summary(logger, Ending::NothingToDo, &summary);
            println!("{}", msg!("nothing_to_do", path = current.display()));
            exit_code::OK
        }
        Outcome::Blocked { report, summary } => {
            log_report(logger, &report);
            logger.event(
                crate::log::LogLevel::Error,
                "publish",
                &msg!(
                    "nothing_published",
                    errors = report.errors(),
                    warnings = report.warnings()
                ),
                fields! { "errors" => report.errors(), "warnings" => report.warnings() },
            );
            log_summary(logger, Ending::Blocked, &summary);
            exit_code::DATA_FINDINGS
        }
    }
}

/// The stages a run would run, and why; URLs are looked up in the cache, not fetched.
fn print_stages(loaded: &Pipeline, data: &DataOptions, force: bool) -> Result<(), Error> {
    let (stages, publish) = run::foresee(loaded, &data.output_dir, data.fetch(true), force)?;
    println!("{}", msg!("stages"));
    for stage in &stages {
        println!("  source.{}: {}", stage.source, stage.foreseen.describe());
    }
    println!("  publish: {}", publish.describe());
    Ok(())
}
