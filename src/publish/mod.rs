//! Publishing: the data files of each dataset in every output format, written into a fresh
//! release folder that becomes current in one step.

pub mod csv;
pub mod datapackage;
pub mod dcat;
pub mod parquet;
pub mod release;

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::error::Result;
use crate::report::OutputFile;
use crate::table::Table;

/// The formats every dataset is published in. The enum is the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Format {
    Csv,
    Parquet,
}

impl Format {
    pub const ALL: [Format; 2] = [Format::Csv, Format::Parquet];

    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Parquet => "parquet",
        }
    }

    /// The name citizens read next to a download link.
    pub fn label(self) -> &'static str {
        match self {
            Format::Csv => "CSV",
            Format::Parquet => "Parquet",
        }
    }

    /// The EU file-type authority code.
    pub fn eu_file_type(self) -> &'static str {
        match self {
            Format::Csv => "CSV",
            Format::Parquet => "PARQUET",
        }
    }

    /// What the file is, for the catalog.
    pub fn description_it(self) -> &'static str {
        match self {
            Format::Csv => {
                "File CSV in UTF-8, separatore virgola, punto decimale, una riga di intestazione."
            }
            Format::Parquet => {
                "File Apache Parquet con le stesse colonne, gli stessi tipi e le stesse righe del CSV."
            }
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv",
            Format::Parquet => "application/vnd.apache.parquet",
        }
    }

    pub fn write(self, table: &Table, path: &Path) -> Result<()> {
        match self {
            Format::Csv => csv::write(table, path),
            Format::Parquet => parquet::write(table, path),
        }
    }
}

/// Size and SHA-256 of a file another writer (polars, the RDF serializer) wrote, for the
/// report and the download links. Read a piece at a time: a grown national data file is
/// gigabytes.
pub fn describe_file(release_dir: &Path, relative: &str) -> Result<OutputFile> {
    let mut file = fs_err::File::open(release_dir.join(relative))?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    let mut size = 0u64;
    loop {
        let read = match std::io::Read::read(&mut file, &mut buffer) {
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
            read => read?,
        };
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
        size += read as u64;
    }
    Ok(OutputFile {
        path: relative.to_owned(),
        bytes: size,
        sha256: hex(&hasher.finalize()),
    })
}

/// Writes a file of the release from bytes in memory and describes it without reading it back.
pub fn write_file(release_dir: &Path, relative: &str, bytes: &[u8]) -> Result<OutputFile> {
    fs_err::write(release_dir.join(relative), bytes)?;
    Ok(describe_bytes(relative, bytes))
}

pub fn describe_bytes(relative: &str, bytes: &[u8]) -> OutputFile {
    OutputFile {
        path: relative.to_owned(),
        bytes: bytes.len() as u64,
        sha256: hex(&Sha256::digest(bytes)),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// "12 KB", "1,2 MB", "830 byte": the size a citizen reads next to a download.
pub fn size_it(bytes: u64) -> String {
    const KB: f64 = 1024.0;
    let size = bytes as f64;
    if size < KB {
        format!("{bytes} byte")
    } else if size < KB * KB {
        format!("{} KB", crate::text::format_it((size / KB).ceil(), 0))
    } else {
        format!("{} MB", crate::text::format_it(size / KB / KB, 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_the_italian_way() {
        assert_eq!(size_it(830), "830 byte");
        assert_eq!(size_it(12 * 1024 - 100), "12 KB");
        assert_eq!(size_it(1_300_000), "1,2 MB");
    }
}
