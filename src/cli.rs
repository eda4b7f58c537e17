//! The command line: parse arguments, call the library, print what happened and map the
//! outcome to an exit code.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::clock::RunTime;
use crate::error::{Error, exit_code};
use crate::fetch::FetchOptions;
use crate::plan;
use crate::report::{Report, Status};
use crate::run::{self, Outcome, RunOptions};

const EXIT_CODES: &str = "\
Exit codes:
  0  published, or nothing to do
  1  data findings: validation failed, nothing was published
  2  configuration or usage error (the pipeline file, the command line) or a tool error
  3  a source could not be fetched or read";

#[derive(Debug, Parser)]
#[command(name = "datavalley", version, about = "Declarative open-data pipelines for Italian local public administrations", after_help = EXIT_CODES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Ingest, compute, validate and publish a release.
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
    },
    /// Parse and cross-check the pipeline file only; read no data.
    #[command(after_help = EXIT_CODES)]
    Check { pipeline: PathBuf },
    /// Say what a run would read, compute and publish.
    #[command(after_help = EXIT_CODES)]
    Plan { pipeline: PathBuf },
    /// Ingest and validate the data, compute the indicators, publish nothing.
    #[command(after_help = EXIT_CODES)]
    Validate {
        pipeline: PathBuf,
        #[command(flatten)]
        data: DataOptions,
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
    fn run_options(&self, run_time: RunTime) -> RunOptions {
        RunOptions {
            output_root: self.output_dir.clone(),
            run_time,
            fetch: FetchOptions {
                cache_dir: self
                    .cache_dir
                    .clone()
                    .unwrap_or_else(|| self.output_dir.join(".cache")),
                offline: self.offline,
                accept_shrink: self.accept_shrink,
            },
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
    match execute(cli.command) {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(error.exit_code())
        }
    }
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

fn print_report(report: &Report) {
    let text = report.render_text();
    if !text.is_empty() {
        eprint!("{text}");
    }
}

fn execute(command: Command) -> Result<u8, Error> {
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
        Command::Plan { pipeline } => {
            let plan = plan::load(&pipeline)?;
            print!("{}", plan.describe());
            Ok(exit_code::OK)
        }
        Command::Validate { pipeline, data } => {
            let plan = plan::load(&pipeline)?;
            let computed = run::compute(&plan, &data.run_options(run_time(None)?))?;
            let report = &computed.report;
            print_report(report);
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
        Command::Run {
            pipeline,
            data,
            run_time: time,
        } => {
            let plan = plan::load(&pipeline)?;
            let options = data.run_options(run_time(time)?);
            let output_dir = data.output_dir.clone();
            match run::run(&plan, &options)? {
                Outcome::Published { release, report } => {
                    print_report(&report);
                    println!(
                        "published {} ({} observations, {} indicator rows, {} files, {} warnings)",
                        release.display(),
                        report.observations,
                        report.indicator_rows,
                        report.outputs.len(),
                        report.warnings()
                    );
                    println!(
                        "current release: {}",
                        output_dir
                            .join(&plan.id)
                            .join(crate::publish::release::CURRENT)
                            .display()
                    );
                    Ok(exit_code::OK)
                }
                Outcome::Blocked { report } => {
                    print_report(&report);
                    eprintln!(
                        "nothing published: {} errors, {} warnings",
                        report.errors(),
                        report.warnings()
                    );
                    Ok(exit_code::DATA_FINDINGS)
                }
            }
        }
    }
}
