//! `provenance.json`: where every input of a release came from (file or URL, retrieval time,
//! size, SHA-256) and what every output is, by checksum; and the publish stage's fingerprint,
//! by which a run knows that the current release is up to date.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::clock::RunTime;
use crate::error::{Error, Result};
use crate::plan::Plan;
use crate::publish::Files;
use crate::report::{OutputFile, Report};
use crate::source::freshness::SourceDates;

/// The tool and its version: part of the provenance and of every fingerprint.
pub(crate) const TOOL: &str = concat!("datavalley ", env!("CARGO_PKG_VERSION"));

/// `provenance.json`: where every input came from and what every output is, by checksum.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Provenance {
    pub(crate) tool: String,
    pub(crate) run_time: String,
    pub(crate) pipeline: PipelineProvenance,
    /// The publish stage's fingerprint: a run with the same one has nothing to do.
    pub(crate) fingerprint: String,
    pub(crate) sources: Vec<SourceProvenance>,
    pub(crate) outputs: Vec<OutputFile>,
}

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct PipelineProvenance {
    pub(crate) file: String,
    pub(crate) sha256: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct SourceProvenance {
    pub(crate) name: String,
    pub(crate) kind: String,
    /// What the source is, in Italian.
    pub(crate) label: String,
    pub(crate) fingerprint: String,
    #[serde(flatten)]
    pub(crate) dates: SourceDates,
    pub(crate) files: Vec<FileProvenance>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct FileProvenance {
    pub(crate) location: String,
    /// When the bytes were downloaded (URLs) or read (files).
    pub(crate) retrieved_at: String,
    pub(crate) bytes: u64,
    pub(crate) sha256: String,
    pub(crate) rows: usize,
}

pub(crate) const PROVENANCE_FILE: &str = "provenance.json";

impl Provenance {
    /// The provenance of a release, when it has a readable one.
    pub(crate) fn read(release: &Path) -> Option<Provenance> {
        let text = fs_err::read_to_string(release.join(PROVENANCE_FILE)).ok()?;
        serde_json::from_str::<Provenance>(&text).ok()
    }

    /// Writes the provenance into the release.
    pub(crate) fn write(&self, files: &Files) -> Result<()> {
        let text = serde_json::to_string_pretty(self)
            .map_err(|e| Error::json(crate::msg!("writing_provenance"), e))?;
        files.write(PROVENANCE_FILE, (text + "\n").as_bytes())?;
        Ok(())
    }

    pub(crate) fn of(
        plan: &Plan,
        sources: Vec<SourceProvenance>,
        report: &Report,
        fingerprint: &str,
        run_time: RunTime,
    ) -> Provenance {
        Provenance {
            tool: TOOL.to_owned(),
            run_time: run_time.iso(),
            pipeline: PipelineProvenance {
                file: plan.pipeline_file.display().to_string(),
                sha256: plan.config_sha256.clone(),
            },
            fingerprint: fingerprint.to_owned(),
            sources,
            outputs: report.outputs.clone(),
        }
    }

    /// Where each source's bytes came from; a local file's time is the run's.
    pub(crate) fn sources(report: &Report, run_time: RunTime) -> Vec<SourceProvenance> {
        report
            .sources
            .iter()
            .map(|source| SourceProvenance {
                name: source.name.clone(),
                kind: source.kind.clone(),
                label: source.label.clone(),
                fingerprint: source.fingerprint.clone(),
                dates: source.dates.clone(),
                files: source
                    .files
                    .iter()
                    .map(|file| FileProvenance {
                        location: file.location.clone(),
                        retrieved_at: file.retrieved_at.clone().unwrap_or_else(|| run_time.iso()),
                        bytes: file.bytes,
                        sha256: file.sha256.clone(),
                        rows: file.rows,
                    })
                    .collect(),
            })
            .collect()
    }
}
