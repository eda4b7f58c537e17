//! Reading a source's input: files and URLs loaded through the run's context (size limit, the
//! download cache, files a stage already read), decoded with their declared encoding, and parsed
//! as delimited tables; every problem on the way is a finding at its file, row and column.

use std::collections::BTreeMap;
use std::sync::Mutex;

use crate::digest;
use crate::error::{Error, Result};
use crate::fetch::Fetcher;
use crate::finding::Finding;
use crate::plan::Location;
use crate::source::result::{Ingested, ReadFile};
use crate::table::{Delimited, TextTable};
use crate::text::{self, Encoding};

/// What sources need from the run: the fetcher for URLs.
pub(crate) struct IngestContext<'a> {
    pub(crate) fetcher: &'a Fetcher,
    /// A local file larger than this is refused before it is read (`max_input_bytes`).
    pub(crate) max_input_bytes: u64,
    /// Files a stage already read to fingerprint them, by label: the source takes them instead
    /// of reading and hashing them again.
    preloaded: Mutex<BTreeMap<String, Loaded>>,
}

/// Bytes loaded from a location, with what the report needs to know of them.
pub(crate) struct Loaded {
    pub(crate) label: String,
    pub(crate) bytes: Vec<u8>,
    pub(crate) read: ReadFile,
}

impl<'a> IngestContext<'a> {
    pub(crate) fn new(fetcher: &'a Fetcher, max_input_bytes: u64) -> Self {
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
        let (bytes, retrieved_at, freshness, last_modified, remote) = match location {
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
                (bytes, None, None, None, None)
            }
            Location::Url(remote) => {
                let fetched = self.fetcher.fetch(source_name, remote)?;
                let bytes = fs_err::read(&fetched.path)?;
                (
                    bytes,
                    Some(fetched.retrieved_at),
                    Some(fetched.freshness),
                    fetched.last_modified,
                    Some(remote.clone()),
                )
            }
        };
        let read = ReadFile {
            location: label.clone(),
            bytes: bytes.len() as u64,
            sha256: digest::sha256(&bytes),
            rows: 0,
            retrieved_at,
            freshness,
            last_modified,
            remote,
        };
        Ok(Loaded { label, bytes, read })
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
    let found = header_positions(table, wanted, |header, name| {
        header == text::normalize_header(name)
    });
    found.map_err(|missing| {
        let headers = table
            .headers()
            .iter()
            .map(|h| format!("`{}`", h.trim()))
            .collect::<Vec<_>>()
            .join(", ");
        missing
            .into_iter()
            .map(|name| {
                Finding::error(
                    "missing_column",
                    format!("column `{name}` is missing; the header has: {headers}"),
                )
                .in_file(label)
                .in_column(name)
            })
            .collect()
    })
}

/// The position of the first header (normalized) that `matches` each wanted name, in order;
/// or the names no header matches.
pub(crate) fn header_positions<'w>(
    table: &TextTable,
    wanted: &[&'w str],
    matches: impl Fn(&str, &str) -> bool,
) -> std::result::Result<Vec<usize>, Vec<&'w str>> {
    let headers: Vec<String> = table
        .headers()
        .iter()
        .map(|h| text::normalize_header(h))
        .collect();
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for name in wanted {
        match headers.iter().position(|header| matches(header, name)) {
            Some(index) => found.push(index),
            None => missing.push(*name),
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

/// For the kinds' tests on the real public files: where they are, and a context that reads
/// local files only.
#[cfg(test)]
pub(crate) mod testing {
    use std::path::Path;

    use crate::fetch::{FetchOptions, Fetcher};
    use crate::plan::Location;
    use crate::source::read::IngestContext;
    use crate::source::result::Ingested;

    pub(crate) use crate::shared_data::shared_data;

    /// Reads with a fetcher that is never asked for a URL.
    pub(crate) fn ingest(
        read: impl FnOnce(&IngestContext) -> crate::error::Result<Ingested>,
    ) -> Ingested {
        let cache = tempfile::tempdir().unwrap();
        let fetcher = Fetcher::new(FetchOptions {
            cache_dir: cache.path().to_path_buf(),
            offline: true,
            accept_shrink: false,
        });
        read(&IngestContext::new(&fetcher, u64::MAX)).unwrap()
    }

    pub(crate) fn file(data: &Path, relative: &str) -> Location {
        Location::File(data.join(relative))
    }
}
