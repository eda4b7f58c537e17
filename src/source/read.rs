//! Reading a source's input: files and URLs loaded through the run's context (size limit, the
//! download cache, files a stage already read), decoded with their declared encoding, and parsed
//! as delimited tables; every problem on the way is a finding at its file, row and column.

use std::collections::BTreeMap;
use std::sync::Mutex;

use crate::digest;
use crate::error::{Error, Result};
use crate::fetch::Fetcher;
use crate::finding::Finding;
use crate::message::Message;
use crate::msg;
use crate::plan::Location;
use crate::source::result::{Ingested, ReadFile};
use crate::table::{Delimited, TextTable};
use crate::text::{self, DecodeFailure, DecodeProblem, Encoding};

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
                let unreadable = |message: Message| Error::Source {
                    source_name: source_name.to_owned(),
                    file: path.clone(),
                    message,
                };
                // Checked before reading, so that a runaway export is stopped at once
                // rather than after filling the memory.
                let size = fs_err::metadata(path)
                    .map_err(|error| unreadable(io_problem(&error)))?
                    .len();
                if size > self.max_input_bytes {
                    return Err(unreadable(msg!(
                        "input_too_large",
                        size = size.to_string(),
                        limit = self.max_input_bytes.to_string()
                    )));
                }
                let bytes = fs_err::read(path).map_err(|error| unreadable(io_problem(&error)))?;
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

/// A file that could not be read, in the words of the system.
pub(crate) fn io_problem(error: &std::io::Error) -> Message {
    msg!("source_unreadable", detail = error.to_string())
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
                Finding::error("encoding", decode_message(&problem))
                    .in_file(&loaded.label)
                    .at_row(problem.line),
            );
            None
        }
    }
}

/// What the officer is told of bytes that are not text in the declared encoding, and what to
/// declare instead.
fn decode_message(problem: &DecodeProblem) -> Message {
    let line = problem.line.to_string();
    match problem.failure {
        DecodeFailure::NotUtf8 { offset } => {
            msg!("decode_not_utf8", offset = offset.to_string(), line = line)
        }
        DecodeFailure::ByteOrderMark => msg!("decode_bom_declared_windows_1252"),
        DecodeFailure::Utf8 => msg!("decode_utf8_declared_windows_1252", line = line),
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
        findings.push(Finding::error("empty_file", msg!("empty_file")).in_file(label));
        return None;
    }
    let ragged = TextTable::ragged_rows(text, layout);
    if !ragged.is_empty() {
        findings.extend(ragged.iter().take(RAGGED_SHOWN).map(|row| {
            Finding::error(
                "ragged_row",
                msg!(
                    "ragged_row",
                    line = row.line.to_string(),
                    fields = row.fields,
                    expected = row.expected
                ),
            )
            .in_file(label)
            .at_row(row.row)
        }));
        if ragged.len() > RAGGED_SHOWN {
            findings.push(
                Finding::error(
                    "ragged_row",
                    msg!("ragged_row_more", count = ragged.len() - RAGGED_SHOWN),
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
                    msg!("unreadable_table", detail = message),
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
                    msg!("missing_column", column = name, headers = &headers),
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
            Finding::warning("unused_column", msg!("unused_column"))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::Language;

    #[test]
    fn bytes_in_another_encoding_are_told_in_both_languages_with_what_to_declare() {
        let problem = text::decode(b"a;b\nForl\xEC;1\n", Encoding::Utf8).unwrap_err();
        let message = decode_message(&problem);
        assert_eq!(
            message.render(Language::English),
            "not valid UTF-8 at byte 8 (line 2); if the file comes from ISTAT or Excel it is \
             probably windows-1252: declare encoding = \"windows-1252\""
        );
        assert_eq!(
            message.render(Language::Italian),
            "UTF-8 non valido al byte 8 (riga 2); se il file viene dall'ISTAT o da Excel è \
             probabilmente windows-1252: indicate encoding = \"windows-1252\""
        );
        let problem = text::decode("a\nForlì\n".as_bytes(), Encoding::Windows1252).unwrap_err();
        for language in Language::ALL {
            let text = decode_message(&problem).render(language);
            assert!(text.contains("encoding = \"utf-8\""), "{text}");
            assert!(text.contains(" 2)"), "{text}");
        }
        let bom = text::decode(b"\xEF\xBB\xBFa", Encoding::Windows1252).unwrap_err();
        assert_eq!(
            decode_message(&bom).render(Language::English),
            "declared windows-1252 but the file starts with a UTF-8 byte order mark: \
             declare encoding = \"utf-8\""
        );
    }

    #[test]
    fn a_ragged_row_is_told_in_both_languages() {
        let layout = Delimited {
            separator: b',',
            skip_lines: 0,
            footer_lines: 0,
        };
        let mut findings = Vec::new();
        assert!(parse_table("f.csv", "a,b,c\n1,2,3\n4\n", layout, &mut findings).is_none());
        let [finding] = &findings[..] else {
            panic!("{findings:#?}");
        };
        assert_eq!(
            finding.message.render(Language::English),
            "line 3 has 1 fields where the header has 3; a separator too many or too few, or a \
             quote left open"
        );
        assert_eq!(
            finding.message.render(Language::Italian),
            "la riga 3 del file ha un campo mentre l'intestazione ne ha 3; un separatore di \
             troppo o di meno, o una virgoletta non chiusa"
        );
        let more = msg!("ragged_row_more", count = 2usize);
        assert_eq!(
            more.render(Language::English),
            "2 more rows with the wrong number of fields are not listed"
        );
        assert_eq!(
            more.render(Language::Italian),
            "altre 2 righe con il numero sbagliato di campi non sono elencate"
        );
    }
}
