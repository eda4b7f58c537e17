//! What reading one source gives, and what a kind's own step after code harmonization may
//! know of the run.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::fetch::{Freshness, Remote};
use crate::finding::Finding;
use crate::plan::Challenge;
use crate::source::project::ProjectRecord;
use crate::source::rows::{Comune, ComuneDefault, Observation};
use crate::source::shape::ShapeSet;
use crate::table::Table;

/// What reading one source gave.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct Ingested {
    /// Kept beside the rest as a Parquet file, not in the kept JSON.
    #[serde(skip)]
    pub(crate) observations: Vec<Observation>,
    /// The list of comuni, from the source that gives it.
    pub(crate) comuni: Vec<Comune>,
    /// Project records: the projects page describes them.
    pub(crate) projects: Vec<ProjectRecord>,
    /// Tables the source gives besides its observations, published by the datasets that name
    /// them; kept beside the rest as Parquet files, not in the kept JSON.
    #[serde(skip)]
    pub(crate) tables: Vec<Table>,
    /// Boundaries, one set per file read: the maps of the pages are drawn from them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) shapes: Vec<ShapeSet>,
    /// How many records (projects, funded applications) the source read, for the report.
    pub(crate) records: usize,
    /// Values a comune without a row has (a census of funded projects: a comune that is not
    /// there has none).
    pub(crate) comune_defaults: Vec<ComuneDefault>,
    /// Every file or URL read, with its size, checksum and rows, for the report.
    pub(crate) read: Vec<ReadFile>,
    pub(crate) findings: Vec<Finding>,
    /// How the values are dated, in Italian, when the kind says it (a snapshot's reference
    /// date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) dated: Option<String>,
    /// The date (`YYYY-MM-DD`) the data is as of, when the data says it (a snapshot's latest
    /// date, or the period the pipeline gives it): what its freshness is judged by.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) reference_date: Option<String>,
}

impl Ingested {
    pub(crate) fn has_errors(&self) -> bool {
        self.findings.iter().any(Finding::is_error)
    }

    /// Data rows read from every file.
    pub(crate) fn rows(&self) -> usize {
        self.read.iter().map(|r| r.rows).sum()
    }
}

/// A file or URL a source read.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ReadFile {
    pub(crate) location: String,
    pub(crate) bytes: u64,
    pub(crate) sha256: String,
    /// Data rows read from it.
    pub(crate) rows: usize,
    /// For URLs: when the body was downloaded, and whether this run downloaded it.
    pub(crate) retrieved_at: Option<String>,
    pub(crate) freshness: Option<Freshness>,
    /// For URLs: the server's `Last-Modified` header, when it sent one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) last_modified: Option<String>,
    #[serde(skip)]
    pub(crate) remote: Option<Remote>,
}

/// What a kind's own step after code harmonization may know of the run: which territory codes
/// are known (and what an unknown one may have meant), which challenges are declared and the
/// day of the run.
pub(crate) struct Harmonized<'a> {
    pub(crate) is_known: &'a dyn Fn(&str) -> bool,
    /// What an unknown code may have meant, as a message for its finding
    /// ([`crate::territory::Territories::hint`]).
    pub(crate) suggestion: &'a dyn Fn(&str) -> Option<crate::message::Message>,
    /// The day of the run (`2026-08-22`): the date a snapshot without dates of its own was
    /// read on.
    pub(crate) run_date: &'a str,
    /// The codes and names of the listed territories of a level.
    pub(crate) listed: &'a dyn Fn(crate::istat::Level) -> Vec<(String, String)>,
    pub(crate) challenges: &'a BTreeMap<u8, Challenge>,
}

/// The files of a folder, in name order.
pub(crate) fn files_in(dir: &std::path::Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = fs_err::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    Ok(files)
}
