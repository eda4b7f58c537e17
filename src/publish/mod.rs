//! Publishing: one file per output format (CSV and Parquet data files, the DCAT-AP_IT
//! catalog, the data package, the provenance, the Atom feed of changes), all written through
//! one writer into a fresh release folder that becomes current in one step.

pub(crate) mod csv;
pub(crate) mod datapackage;
pub(crate) mod dcat;
pub(crate) mod feed;
pub(crate) mod parquet;
pub(crate) mod provenance;
pub(crate) mod release;
pub(crate) mod writeback;

use std::collections::BTreeSet;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::digest::{self, DigestingWriter};
use crate::error::{Error, Result};
use crate::report::OutputFile;
use crate::table::Table;

/// The formats every dataset is published in. The enum is the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Format {
    Csv,
    Parquet,
}

impl Format {
    pub(crate) const ALL: [Format; 2] = [Format::Csv, Format::Parquet];

    pub(crate) fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Parquet => "parquet",
        }
    }

    /// The name citizens read next to a download link.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Format::Csv => "CSV",
            Format::Parquet => "Parquet",
        }
    }

    /// The EU file-type authority code.
    pub(crate) fn eu_file_type(self) -> &'static str {
        match self {
            Format::Csv => "CSV",
            Format::Parquet => "PARQUET",
        }
    }

    /// What the file is, for the catalog.
    pub(crate) fn description_it(self) -> &'static str {
        match self {
            Format::Csv => {
                "File CSV in UTF-8, separatore virgola, punto decimale, una riga di intestazione."
            }
            Format::Parquet => {
                "File Apache Parquet con le stesse colonne, gli stessi tipi e le stesse righe del CSV."
            }
        }
    }

    pub(crate) fn media_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv",
            Format::Parquet => "application/vnd.apache.parquet",
        }
    }

    /// Writes `table` in this format to `writer`; `path` names the file in errors.
    pub(crate) fn write(self, table: &Table, writer: &mut dyn Write, path: &Path) -> Result<()> {
        match self {
            Format::Csv => csv::write(table, writer, path),
            Format::Parquet => parquet::write(table, writer, path),
        }
    }
}

/// Writes the files of a release under its folder, each described by its size and SHA-256 for
/// the report, the provenance and the download links: the one place a release's files are
/// written from.
pub(crate) struct Files<'a> {
    dir: &'a Path,
    /// Folders already created: a national site has tens of thousands of files in a handful
    /// of folders, and asking the file system each time costs more than the writes.
    folders: Mutex<BTreeSet<PathBuf>>,
}

impl<'a> Files<'a> {
    pub(crate) fn new(dir: &'a Path) -> Self {
        Files {
            dir,
            folders: Mutex::new(BTreeSet::new()),
        }
    }

    /// Where a file of the release is; its folder is made first.
    fn path(&self, relative: &str) -> Result<PathBuf> {
        let path = self.dir.join(relative);
        if let Some(parent) = path.parent() {
            let mut folders = self
                .folders
                .lock()
                .map_err(|_| Error::Internal("the release's folder list was poisoned".into()))?;
            if !folders.contains(parent) {
                fs_err::create_dir_all(parent)?;
                folders.insert(parent.to_owned());
            }
        }
        Ok(path)
    }

    /// Writes a file from bytes in memory and describes it without reading it back.
    pub(crate) fn write(&self, relative: &str, bytes: &[u8]) -> Result<OutputFile> {
        fs_err::write(self.path(relative)?, bytes)?;
        Ok(OutputFile {
            path: relative.to_owned(),
            bytes: bytes.len() as u64,
            sha256: digest::sha256(bytes),
        })
    }

    /// Writes a file with a writer that streams it (polars' CSV and Parquet writers) and
    /// describes it from the bytes as they went by: a grown national data file is gigabytes.
    pub(crate) fn stream(
        &self,
        relative: &str,
        write: impl FnOnce(&mut dyn Write, &Path) -> Result<()>,
    ) -> Result<OutputFile> {
        let path = self.path(relative)?;
        let file = fs_err::File::create(&path)?;
        let mut writer = BufWriter::with_capacity(1 << 16, DigestingWriter::new(file));
        write(&mut writer, &path)?;
        let (_, bytes, sha256) = writer.into_inner().map_err(|e| e.into_error())?.finish();
        Ok(OutputFile {
            path: relative.to_owned(),
            bytes,
            sha256,
        })
    }
}
