//! Sources: one file per kind, each turning its input into the long observations table (and,
//! for territories and project records, the registry and record tables). The enum is the
//! registry of kinds.

pub mod csv;
pub mod istat_population;
pub mod project_records;
pub mod territories;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use crate::error::{ConfigProblem, Error, Result};
use crate::observation::Observation;
use crate::spec::Item;
use crate::table::{Delimited, TextTable};
use crate::territory::ComuneEntry;
use crate::text::{self, Encoding};
use crate::validate::Finding;

/// A source as written in the pipeline file: `[source.NAME.KIND]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceSpec {
    Csv(Box<csv::CsvSpec>),
    IstatPopulation(istat_population::IstatPopulationSpec),
    Territories(territories::TerritoriesSourceSpec),
    ProjectRecords(project_records::ProjectRecordsSpec),
}

/// A checked source, ready to read.
#[derive(Debug, Clone)]
pub enum Source {
    Csv(csv::CsvSource),
    IstatPopulation(istat_population::IstatPopulationSource),
    Territories(territories::TerritoriesSource),
    ProjectRecords(project_records::ProjectRecordsSource),
}

/// What reading one source gave.
#[derive(Debug, Default)]
pub struct Ingested {
    pub observations: Vec<Observation>,
    pub comuni: Vec<ComuneEntry>,
    pub projects: Vec<project_records::ProjectRecord>,
    pub findings: Vec<Finding>,
}

impl SourceSpec {
    /// Resolves paths against the pipeline file's folder and checks the options.
    pub fn check(
        item: &Item<SourceSpec>,
        base: &Path,
    ) -> std::result::Result<Source, Vec<ConfigProblem>> {
        match &item.spec {
            SourceSpec::Csv(spec) => csv::CsvSource::check(item, spec, base).map(Source::Csv),
            SourceSpec::IstatPopulation(spec) => {
                istat_population::IstatPopulationSource::check(item, spec, base)
                    .map(Source::IstatPopulation)
            }
            SourceSpec::Territories(spec) => {
                territories::TerritoriesSource::check(item, spec, base).map(Source::Territories)
            }
            SourceSpec::ProjectRecords(spec) => {
                project_records::ProjectRecordsSource::check(item, spec, base)
                    .map(Source::ProjectRecords)
            }
        }
    }
}

impl Source {
    pub fn kind(&self) -> &'static str {
        match self {
            Source::Csv(_) => "csv",
            Source::IstatPopulation(_) => "istat_population",
            Source::Territories(_) => "territories",
            Source::ProjectRecords(_) => "project_records",
        }
    }

    /// The files the source reads.
    pub fn location(&self) -> &Path {
        match self {
            Source::Csv(source) => &source.file,
            Source::IstatPopulation(source) => &source.file,
            Source::Territories(source) => &source.file,
            Source::ProjectRecords(source) => &source.dir,
        }
    }

    pub fn ingest(&self, name: &str) -> Result<Ingested> {
        match self {
            Source::Csv(source) => source.ingest(name),
            Source::IstatPopulation(source) => source.ingest(name),
            Source::Territories(source) => source.ingest(name),
            Source::ProjectRecords(source) => source.ingest(name),
        }
    }
}

/// Resolves a path written in the pipeline file against the pipeline's folder and checks that
/// it is there, of the expected kind.
pub(crate) fn resolve_path<T>(
    item: &Item<T>,
    field: &str,
    written: &Spanned<String>,
    base: &Path,
    want_dir: bool,
) -> std::result::Result<PathBuf, ConfigProblem> {
    let path = base.join(written.get_ref());
    let what = if want_dir { "folder" } else { "file" };
    match fs_err::metadata(&path) {
        Ok(meta) if meta.is_dir() == want_dir => Ok(path),
        Ok(_) => Err(item.problem_at(
            written.span(),
            field,
            format!("{} is not a {what}", path.display()),
        )),
        Err(_) => Err(item.problem_at(
            written.span(),
            field,
            format!(
                "{what} not found: {} (paths are relative to the pipeline file's folder)",
                path.display()
            ),
        )),
    }
}

/// Parses a one-character separator option.
pub(crate) fn separator<T>(
    item: &Item<T>,
    written: Option<&Spanned<String>>,
    default: u8,
) -> std::result::Result<u8, ConfigProblem> {
    match written {
        None => Ok(default),
        Some(written) => match written.get_ref().as_str() {
            "," => Ok(b','),
            ";" => Ok(b';'),
            "\t" => Ok(b'\t'),
            "|" => Ok(b'|'),
            other => Err(item.problem_at(
                written.span(),
                "separator",
                format!("separator {other:?} is not one of \",\", \";\", \"\\t\", \"|\""),
            )),
        },
    }
}

/// Reads a file and decodes it. Failing to read is an error of the run (the source could not
/// be read); bytes that cannot be trusted as text are a finding, and then there is no text.
pub(crate) fn read_text(
    source_name: &str,
    path: &Path,
    encoding: Encoding,
    findings: &mut Vec<Finding>,
) -> Result<Option<String>> {
    let bytes = fs_err::read(path).map_err(|error| Error::Source {
        source_name: source_name.to_owned(),
        file: path.to_path_buf(),
        message: error.to_string(),
    })?;
    Ok(match text::decode(&bytes, encoding) {
        Ok((text, _)) => Some(text),
        Err(problem) => {
            findings.push(
                Finding::error("encoding", problem.message)
                    .in_file(path.display().to_string())
                    .at_row(problem.line),
            );
            None
        }
    })
}

/// Parses decoded text as a table; a file the table reader rejects is a finding.
pub(crate) fn parse_table(
    path: &Path,
    text: &str,
    layout: Delimited,
    findings: &mut Vec<Finding>,
) -> Option<TextTable> {
    let file = path.display().to_string();
    if text.trim().is_empty() {
        findings.push(Finding::error("empty_file", "the file is empty").in_file(file));
        return None;
    }
    match TextTable::parse(text, layout) {
        Ok(table) => Some(table),
        Err(message) => {
            findings.push(
                Finding::error(
                    "unreadable_table",
                    format!("cannot be read as a table: {message}"),
                )
                .in_file(file),
            );
            None
        }
    }
}

/// Reads, decodes and parses a file as a table.
pub(crate) fn read_table(
    source_name: &str,
    path: &Path,
    encoding: Encoding,
    layout: Delimited,
    findings: &mut Vec<Finding>,
) -> Result<Option<TextTable>> {
    Ok(match read_text(source_name, path, encoding, findings)? {
        Some(text) => parse_table(path, &text, layout, findings),
        None => None,
    })
}

/// Finds columns by header name (compared after normalizing spaces and case). Missing
/// columns are findings, named with the headers that are there.
pub(crate) fn find_columns(
    path: &Path,
    table: &TextTable,
    wanted: &[&str],
) -> std::result::Result<Vec<usize>, Vec<Finding>> {
    let headers: Vec<String> = table
        .headers()
        .iter()
        .map(|h| text::normalize_header(h))
        .collect();
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for name in wanted {
        let normalized = text::normalize_header(name);
        match headers.iter().position(|h| *h == normalized) {
            Some(index) => found.push(index),
            None => missing.push(
                Finding::error(
                    "missing_column",
                    format!(
                        "column `{name}` is missing; the header has: {}",
                        table
                            .headers()
                            .iter()
                            .map(|h| format!("`{}`", h.trim()))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
                .in_file(path.display().to_string())
                .in_column(*name),
            ),
        }
    }
    if missing.is_empty() {
        Ok(found)
    } else {
        Err(missing)
    }
}

/// Warns about columns that no mapping uses.
pub(crate) fn unused_columns(path: &Path, table: &TextTable, used: &[usize]) -> Vec<Finding> {
    table
        .headers()
        .iter()
        .enumerate()
        .filter(|(index, _)| !used.contains(index))
        .map(|(_, header)| {
            Finding::warning(
                "unused_column",
                "the column is not mapped to anything and is ignored",
            )
            .in_file(path.display().to_string())
            .in_column(header.trim())
        })
        .collect()
}

pub(crate) fn origin(
    file: &Arc<str>,
    row: usize,
    territory_column: &Arc<str>,
) -> crate::observation::Origin {
    crate::observation::Origin {
        file: Arc::clone(file),
        row,
        territory_column: Arc::clone(territory_column),
    }
}
