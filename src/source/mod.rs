//! Sources: one file per kind, each turning its input into the long observations table (and,
//! for territories and project records, the registry and record tables). The enum is the
//! registry of kinds.

pub mod csv;
pub mod istat_population;
pub mod istat_sdmx;
pub mod padigitale;
pub mod project_records;
pub mod territories;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use toml::Spanned;

use crate::error::{ConfigProblem, Error, Result};
use crate::fetch::{Fetcher, Freshness, HttpSpec, Remote};
use crate::observation::Observation;
use crate::spec::Item;
use crate::table::{Delimited, TextTable};
use crate::territory::ComuneEntry;
use crate::text::{self, Encoding};
use crate::validate::Finding;

/// A source as written in the pipeline file: `[source.NAME.KIND]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceSpec {
    Csv(Box<csv::CsvSpec>),
    IstatPopulation(istat_population::IstatPopulationSpec),
    IstatSdmx(istat_sdmx::IstatSdmxSpec),
    Territories(territories::TerritoriesSourceSpec),
    ProjectRecords(project_records::ProjectRecordsSpec),
    Padigitale(padigitale::PadigitaleSpec),
}

/// A checked source, ready to read.
#[derive(Debug, Clone)]
pub enum Source {
    Csv(csv::CsvSource),
    IstatPopulation(istat_population::IstatPopulationSource),
    IstatSdmx(istat_sdmx::IstatSdmxSource),
    Territories(territories::TerritoriesSource),
    ProjectRecords(project_records::ProjectRecordsSource),
    Padigitale(padigitale::PadigitaleSource),
}

/// What reading one source gave.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Ingested {
    /// Kept beside the rest as a Parquet file (see `stage`), not in its JSON.
    #[serde(skip)]
    pub observations: Vec<Observation>,
    pub comuni: Vec<ComuneEntry>,
    pub projects: Vec<project_records::ProjectRecord>,
    /// Kept beside the rest as a Parquet file (see `stage`), not in its JSON.
    #[serde(skip)]
    pub pnrr_projects: padigitale::Projects,
    /// Values a comune without a row has (a census of funded projects: a comune that is not
    /// there has none).
    pub comune_defaults: Vec<ComuneDefault>,
    /// Every file or URL read, with its size, checksum and rows, for the report.
    pub read: Vec<ReadFile>,
    pub findings: Vec<Finding>,
}

/// The value of a measure for every comune the source has no row for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComuneDefault {
    pub measure: String,
    pub period: String,
    pub value: f64,
    pub unit: String,
    pub source: String,
    /// The comuni or unions the default holds for; all comuni when absent.
    pub scope: Option<Vec<String>>,
}

/// Where a source's bytes come from.
#[derive(Debug, Clone, PartialEq)]
pub enum Location {
    File(PathBuf),
    Url(Remote),
}

impl Location {
    /// How findings and the report name it.
    pub fn label(&self) -> String {
        match self {
            Location::File(path) => path.display().to_string(),
            Location::Url(remote) => remote.url.clone(),
        }
    }
}

/// A file or URL a source read.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReadFile {
    pub location: String,
    pub bytes: u64,
    pub sha256: String,
    /// Data rows read from it.
    pub rows: usize,
    /// For URLs: when the body was downloaded, and whether this run downloaded it.
    pub retrieved_at: Option<String>,
    pub freshness: Option<Freshness>,
    #[serde(skip)]
    pub remote: Option<Remote>,
}

/// What sources need from the run: the fetcher for URLs.
pub struct IngestContext<'a> {
    pub fetcher: &'a Fetcher,
    /// A local file larger than this is refused before it is read (`max_input_bytes`).
    pub max_input_bytes: u64,
    /// Files a stage already read to fingerprint them, by label: the source takes them instead
    /// of reading and hashing them again.
    preloaded: Mutex<BTreeMap<String, Loaded>>,
}

/// Bytes loaded from a location, with what the report needs to know of them.
pub(crate) struct Loaded {
    pub label: String,
    pub bytes: Vec<u8>,
    pub read: ReadFile,
}

impl<'a> IngestContext<'a> {
    pub fn new(fetcher: &'a Fetcher, max_input_bytes: u64) -> Self {
        IngestContext {
            fetcher,
            max_input_bytes,
            preloaded: Mutex::new(BTreeMap::new()),
        }
    }

    /// The same context holding files already read, for the one source that reads them.
    pub(crate) fn with_preloaded(&self, loads: Vec<Loaded>) -> IngestContext<'a> {
        IngestContext {
            fetcher: self.fetcher,
            max_input_bytes: self.max_input_bytes,
            preloaded: Mutex::new(loads.into_iter().map(|l| (l.label.clone(), l)).collect()),
        }
    }

    /// Reads a file, or fetches a URL through the cache. Failing is an error of the run: the
    /// source could not be read.
    pub(crate) fn load(&self, source_name: &str, location: &Location) -> Result<Loaded> {
        let label = location.label();
        if let Some(loaded) = self
            .preloaded
            .lock()
            .ok()
            .and_then(|mut preloaded| preloaded.remove(&label))
        {
            return Ok(loaded);
        }
        let (bytes, retrieved_at, freshness, remote) = match location {
            Location::File(path) => {
                let unreadable = |message: String| Error::Source {
                    source_name: source_name.to_owned(),
                    file: path.clone(),
                    message,
                };
                // Checked before reading, so that a runaway export is stopped at once
                // rather than after filling the memory.
                let size = fs_err::metadata(path)
                    .map_err(|error| unreadable(error.to_string()))?
                    .len();
                if size > self.max_input_bytes {
                    return Err(unreadable(format!(
                        "the file is {size} bytes, more than the limit of {} bytes; raise \
                         `max_input_bytes` under [pipeline] if a file this large is expected",
                        self.max_input_bytes
                    )));
                }
                let bytes = fs_err::read(path).map_err(|error| unreadable(error.to_string()))?;
                (bytes, None, None, None)
            }
            Location::Url(remote) => {
                let fetched = self.fetcher.fetch(source_name, remote)?;
                let bytes = fs_err::read(&fetched.path)?;
                (
                    bytes,
                    Some(fetched.retrieved_at),
                    Some(fetched.freshness),
                    Some(remote.clone()),
                )
            }
        };
        let read = ReadFile {
            location: label.clone(),
            bytes: bytes.len() as u64,
            sha256: crate::stage::hex(&Sha256::digest(&bytes)),
            rows: 0,
            retrieved_at,
            freshness,
            remote,
        };
        Ok(Loaded { label, bytes, read })
    }
}

/// Checks `file` / `url` and the `http` table of a source that reads one location.
pub(crate) fn locate<T>(
    item: &Item<T>,
    kind: &str,
    file: Option<&Spanned<String>>,
    url: Option<&Spanned<String>>,
    http: Option<&HttpSpec>,
    base: &Paths,
) -> std::result::Result<Location, Vec<ConfigProblem>> {
    match (file, url) {
        (Some(file), None) => {
            if http.is_some() {
                return Err(vec![item.problem(format!(
                    "`{kind}.http` sets how a `url` is fetched; this source reads a `file`"
                ))]);
            }
            resolve_path(item, &format!("{kind}.file"), file, base, false)
                .map(Location::File)
                .map_err(|p| vec![p])
        }
        (None, Some(url)) => remote(item, kind, url, http).map(Location::Url),
        (Some(_), Some(_)) => Err(vec![item.problem("give either `file` or `url`, not both")]),
        (None, None) => Err(vec![item.problem(
            "say where the data are: `file = \"...\"` (relative to the pipeline file) or `url = \"https://...\"`",
        )]),
    }
}

/// Checks a URL and the `http` table.
pub(crate) fn remote<T>(
    item: &Item<T>,
    kind: &str,
    url: &Spanned<String>,
    http: Option<&HttpSpec>,
) -> std::result::Result<Remote, Vec<ConfigProblem>> {
    http.cloned()
        .unwrap_or_default()
        .remote(url.get_ref())
        .map_err(|problems| {
            problems
                .into_iter()
                .map(|(field, message)| {
                    let field = if field == "url" {
                        "url".to_owned()
                    } else {
                        format!("http.{field}")
                    };
                    item.problem_at(url.span(), &format!("{kind}.{field}"), message)
                })
                .collect()
        })
}

impl SourceSpec {
    /// Resolves paths against the pipeline file's folder and checks the options.
    pub fn check(
        item: &Item<SourceSpec>,
        base: &Paths,
    ) -> std::result::Result<Source, Vec<ConfigProblem>> {
        match &item.spec {
            SourceSpec::Csv(spec) => csv::CsvSource::check(item, spec, base).map(Source::Csv),
            SourceSpec::IstatPopulation(spec) => {
                istat_population::IstatPopulationSource::check(item, spec, base)
                    .map(Source::IstatPopulation)
            }
            SourceSpec::IstatSdmx(spec) => {
                istat_sdmx::IstatSdmxSource::check(item, spec, base).map(Source::IstatSdmx)
            }
            SourceSpec::Padigitale(spec) => {
                padigitale::PadigitaleSource::check(item, spec, base).map(Source::Padigitale)
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
            Source::IstatSdmx(_) => "istat_sdmx",
            Source::Territories(_) => "territories",
            Source::ProjectRecords(_) => "project_records",
            Source::Padigitale(_) => "padigitale",
        }
    }

    /// What the source is, in Italian, as the dataset pages name it.
    pub fn label_it(&self) -> &'static str {
        match self {
            Source::Csv(_) => "tabella di dati",
            Source::IstatPopulation(_) => "ISTAT, popolazione residente per età e sesso",
            Source::IstatSdmx(_) => "ISTAT, servizio di dati statistici (SDMX)",
            Source::Territories(_) => "ISTAT, elenco dei comuni italiani",
            Source::ProjectRecords(_) => "schede dei progetti",
            Source::Padigitale(_) => "PA digitale 2026, candidature finanziate",
        }
    }

    /// Where the source reads, as the plan shows it.
    pub fn describe_location(&self) -> String {
        match self {
            Source::Csv(source) => source.location.label(),
            Source::IstatPopulation(source) => source.location.label(),
            Source::IstatSdmx(source) => source.location.label(),
            Source::Territories(source) => source.location.label(),
            Source::ProjectRecords(source) => source.dir.display().to_string(),
            Source::Padigitale(source) => source
                .locations
                .iter()
                .map(Location::label)
                .collect::<Vec<_>>()
                .join(", "),
        }
    }

    pub fn ingest(&self, name: &str, context: &IngestContext) -> Result<Ingested> {
        match self {
            Source::Csv(source) => source.ingest(name, context),
            Source::IstatPopulation(source) => source.ingest(name, context),
            Source::IstatSdmx(source) => source.ingest(name, context),
            Source::Territories(source) => source.ingest(name, context),
            Source::ProjectRecords(source) => source.ingest(name),
            Source::Padigitale(source) => source.ingest(name, context),
        }
    }
}

/// Where paths written in a pipeline file lead from.
#[derive(Debug, Clone)]
pub struct Paths {
    /// The pipeline file's folder.
    pub base: PathBuf,
    /// Whether a path may lead outside it (absolute, or climbing with `..`).
    pub allow_outside: bool,
}

/// Whether a path written in a pipeline file stays inside its folder: relative, and never
/// climbing above it with `..`.
fn stays_inside(written: &str) -> bool {
    let path = Path::new(written);
    if path.is_absolute() {
        return false;
    }
    let mut depth: i32 = 0;
    for component in path.components() {
        match component {
            std::path::Component::ParentDir => depth -= 1,
            std::path::Component::Normal(_) => depth += 1,
            std::path::Component::CurDir => {}
            _ => return false,
        }
        if depth < 0 {
            return false;
        }
    }
    true
}

/// Resolves a path written in the pipeline file against the pipeline's folder and checks that
/// it is there, of the expected kind, and inside the folder unless the pipeline allows
/// otherwise.
pub(crate) fn resolve_path<T>(
    item: &Item<T>,
    field: &str,
    written: &Spanned<String>,
    base: &Paths,
    want_dir: bool,
) -> std::result::Result<PathBuf, ConfigProblem> {
    if !base.allow_outside && !stays_inside(written.get_ref()) {
        return Err(item.problem_at(
            written.span(),
            field,
            format!(
                "{:?} leads outside the pipeline file's folder; write a path inside it, or set \
                 `allow_outside_paths = true` under [pipeline] if this is intended",
                written.get_ref()
            ),
        ));
    }
    let path = base.base.join(written.get_ref());
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

/// Decodes loaded bytes; bytes that cannot be trusted as text are a finding, and then there
/// is no text.
pub(crate) fn decode<'a>(
    loaded: &'a Loaded,
    encoding: Encoding,
    findings: &mut Vec<Finding>,
) -> Option<std::borrow::Cow<'a, str>> {
    match text::decode(&loaded.bytes, encoding) {
        Ok((text, _)) => Some(text),
        Err(problem) => {
            findings.push(
                Finding::error("encoding", problem.message)
                    .in_file(&loaded.label)
                    .at_row(problem.line),
            );
            None
        }
    }
}

/// Parses decoded text as a table; a file the table reader rejects is a finding.
/// Ragged rows listed one by one; beyond these, counted.
const RAGGED_SHOWN: usize = 20;

pub(crate) fn parse_table(
    label: &str,
    text: &str,
    layout: Delimited,
    findings: &mut Vec<Finding>,
) -> Option<TextTable> {
    if text.trim().is_empty() {
        findings.push(Finding::error("empty_file", "the file is empty").in_file(label));
        return None;
    }
    let ragged = TextTable::ragged_rows(text, layout);
    if !ragged.is_empty() {
        findings.extend(ragged.iter().take(RAGGED_SHOWN).map(|row| {
            Finding::error(
                "ragged_row",
                format!(
                    "line {} has {} fields where the header has {}; a separator too many or \
                     too few, or a quote left open",
                    row.line, row.fields, row.expected
                ),
            )
            .in_file(label)
            .at_row(row.row)
        }));
        if ragged.len() > RAGGED_SHOWN {
            findings.push(
                Finding::error(
                    "ragged_row",
                    format!(
                        "{} more rows with the wrong number of fields are not listed",
                        ragged.len() - RAGGED_SHOWN
                    ),
                )
                .in_file(label),
            );
        }
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
                .in_file(label),
            );
            None
        }
    }
}

/// Loads, decodes and parses a location as a table, recording what was read.
pub(crate) fn read_table(
    context: &IngestContext,
    source_name: &str,
    location: &Location,
    encoding: Encoding,
    layout: Delimited,
    ingested: &mut Ingested,
) -> Result<Option<(TextTable, String)>> {
    let mut loaded = context.load(source_name, location)?;
    let table = decode(&loaded, encoding, &mut ingested.findings)
        .and_then(|text| parse_table(&loaded.label, &text, layout, &mut ingested.findings));
    loaded.read.rows = table.as_ref().map_or(0, TextTable::row_count);
    ingested.read.push(loaded.read);
    Ok(table.map(|table| (table, loaded.label)))
}

/// Finds columns by header name (compared after normalizing spaces and case). Missing
/// columns are findings, named with the headers that are there.
pub(crate) fn find_columns(
    label: &str,
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
                .in_file(label)
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
pub(crate) fn unused_columns(label: &str, table: &TextTable, used: &[usize]) -> Vec<Finding> {
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
            .in_file(label)
            .in_column(header.trim())
        })
        .collect()
}
