//! The raw `[source.NAME.KIND]` tables: one plain serde type per source kind, and the enum of
//! kinds whose variant names are the keys written in the pipeline file. Checking them (paths,
//! separators, layouts) is each kind's job, in `source/`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::text::{DecimalMark, Encoding};

/// A source as written in the pipeline file: the fields every kind has, and its kind.
#[derive(Debug, Clone)]
pub(crate) struct SourceSpec {
    pub(crate) common: SourceCommonSpec,
    pub(crate) kind: SourceKindSpec,
}

/// The fields every source kind has, written in the kind's table.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct SourceCommonSpec {
    /// How often the source's data should change: `DAILY`, `WEEKLY`, `MONTHLY`, `QUARTERLY`
    /// or `ANNUAL`. Older data is stale.
    pub(crate) expected_update: Option<Spanned<UpdateFrequency>>,
    /// What stale data is: `warning` (the default; the run publishes) or `error`.
    pub(crate) stale: Option<StaleSeverity>,
}

/// How often a source's data should change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub(crate) enum UpdateFrequency {
    Daily,
    Weekly,
    Monthly,
    Quarterly,
    Annual,
}

/// What stale data is for the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum StaleSeverity {
    #[default]
    Warning,
    Error,
}

/// The kind of a source as written: `[source.NAME.KIND]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum SourceKindSpec {
    Csv(Box<CsvSpec>),
    IstatPopulation(IstatPopulationSpec),
    IstatSdmx(IstatSdmxSpec),
    Territories(TerritoriesSourceSpec),
    ProjectRecords(ProjectRecordsSpec),
    Padigitale(PadigitaleSpec),
    Boundaries(BoundariesSpec),
}

impl SourceKindSpec {
    /// Whether the source is ISTAT's list of comuni, which every territory code is checked
    /// against: a pipeline has exactly one.
    pub(crate) fn gives_territory_list(&self) -> bool {
        matches!(self, SourceKindSpec::Territories(_))
    }
}

/// `[source.NAME.KIND.http]`: how a `url` is fetched.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub(crate) struct HttpSpec {
    /// Expected SHA-256 of the body (hex); a different body is refused.
    pub(crate) sha256: Option<String>,
    /// Seconds to establish a connection (default 10).
    pub(crate) connect_timeout_seconds: Option<f64>,
    /// Seconds for a whole request, body included (default 300).
    pub(crate) timeout_seconds: Option<f64>,
    /// Retries after a timeout or a 408, 425, 429 or 5xx answer (default 3).
    pub(crate) retries: Option<u32>,
    /// Seconds between two requests to the same host (default 1; 12 for ISTAT hosts).
    pub(crate) min_interval_seconds: Option<f64>,
    /// Largest body accepted, in bytes (default 512 MiB).
    pub(crate) max_bytes: Option<u64>,
    /// Largest accepted drop in rows against the previous accepted version (default 0.2).
    pub(crate) max_shrink: Option<f64>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub(crate) struct CsvSpec {
    /// Path relative to the pipeline file's folder; or give `url`.
    pub(crate) file: Option<Spanned<String>>,
    /// Where to download the data from, through the cache; or give `file`.
    pub(crate) url: Option<Spanned<String>>,
    /// How the `url` is fetched: timeouts, retries, checksum, size and shrink limits.
    pub(crate) http: Option<HttpSpec>,
    /// Who published the data, as citizens read it; used when there is no source column.
    pub(crate) title: Option<String>,
    /// `utf-8`, `windows-1252` or `auto` (the default: UTF-8 when valid, else Windows-1252).
    pub(crate) encoding: Option<Encoding>,
    /// `,` (default), `;`, `\t` or `|`.
    pub(crate) separator: Option<Spanned<String>>,
    /// `.` (default) or `,`.
    pub(crate) decimal: Option<DecimalMark>,
    /// Lines before the header row.
    pub(crate) skip_lines: Option<usize>,
    /// Rows at the end that are notes, not data.
    pub(crate) footer_lines: Option<usize>,
    pub(crate) columns: CsvColumnsSpec,
    /// The period of every row, when the file has no period column.
    pub(crate) period: Option<String>,
    /// The unit of every row, when a long file has no unit column.
    pub(crate) unit: Option<String>,
    /// Wide layout: header of a value column -> the measure it holds.
    pub(crate) measures: Option<BTreeMap<String, WideMeasureSpec>>,
    /// Columns that are known and deliberately not read (notes, say): no warning for them.
    #[serde(default)]
    pub(crate) ignore_columns: Vec<String>,
    /// Measures that may be negative (a balance, a change). Every other value is a count,
    /// an amount or a rate, and a negative one is refused.
    #[serde(default)]
    pub(crate) signed_measures: Vec<String>,
}

/// `[source.NAME.csv.columns]`: which header holds what.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub(crate) struct CsvColumnsSpec {
    pub(crate) territory: String,
    pub(crate) measure: Option<String>,
    pub(crate) value: Option<String>,
    pub(crate) period: Option<String>,
    pub(crate) unit: Option<String>,
    pub(crate) source: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub(crate) struct WideMeasureSpec {
    pub(crate) measure: String,
    pub(crate) unit: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub(crate) struct IstatPopulationSpec {
    /// Path relative to the pipeline file's folder; or give `url`.
    pub(crate) file: Option<Spanned<String>>,
    /// Where to download the data from, through the cache; or give `file`.
    pub(crate) url: Option<Spanned<String>>,
    /// How the `url` is fetched: timeouts, retries, checksum, size and shrink limits.
    pub(crate) http: Option<HttpSpec>,
    pub(crate) title: Option<String>,
    /// Default `auto`: ISTAT alternates Windows-1252 and UTF-8 across years.
    pub(crate) encoding: Option<Encoding>,
    /// The reference year. Required for layouts that do not say it (`pro_com_t,...`); for
    /// POSAS it is read from the title line ("al 1° gennaio 2025") when not given.
    pub(crate) period: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub(crate) struct IstatSdmxSpec {
    /// A saved response, relative to the pipeline file's folder.
    pub(crate) file: Option<Spanned<String>>,
    /// A full REST URL; or give `dataflow` (and `key`).
    pub(crate) url: Option<Spanned<String>>,
    /// Dataflow id, e.g. "22_289".
    pub(crate) dataflow: Option<Spanned<String>>,
    /// Series key, dots between dimensions, empty for all: "A.IT.JAN.9.TOTAL.99".
    pub(crate) key: Option<String>,
    /// Default ISTAT's esploradati service.
    pub(crate) endpoint: Option<String>,
    pub(crate) http: Option<HttpSpec>,
    /// The measure name of the observations; `split_by` dimensions are appended to it.
    pub(crate) measure: String,
    pub(crate) unit: String,
    pub(crate) title: Option<String>,
    /// Dimensions whose values become part of the measure name: `["SEX"]` gives
    /// `population_sex_1`, `population_sex_2`, ...
    #[serde(default)]
    pub(crate) split_by: Vec<String>,
    /// The dimension with the territory; default REF_AREA, or ITTER107 in older dataflows.
    pub(crate) area_dimension: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub(crate) struct TerritoriesSourceSpec {
    /// Path relative to the pipeline file's folder; or give `url`.
    pub(crate) file: Option<Spanned<String>>,
    /// Where to download the data from, through the cache; or give `file`.
    pub(crate) url: Option<Spanned<String>>,
    /// How the `url` is fetched: timeouts, retries, checksum, size and shrink limits.
    pub(crate) http: Option<HttpSpec>,
    /// Default `auto`: the 2023 list is Windows-1252, the 2020 list UTF-8.
    pub(crate) encoding: Option<Encoding>,
    /// Default `;`, as ISTAT publishes it.
    pub(crate) separator: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub(crate) struct ProjectRecordsSpec {
    /// Folder of `*.toml` and `*.json` records, relative to the pipeline file's folder.
    pub(crate) dir: Spanned<String>,
}

/// The period a snapshot's values are dated by: its reference date's day or month.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Snapshot {
    #[default]
    Day,
    Month,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub(crate) struct PadigitaleSpec {
    /// Files relative to the pipeline file's folder.
    #[serde(default)]
    pub(crate) files: Vec<Spanned<String>>,
    /// URLs of the files, fetched through the cache.
    #[serde(default)]
    pub(crate) urls: Vec<Spanned<String>>,
    pub(crate) http: Option<HttpSpec>,
    /// The date the data are as of (`2026-08-22`); default the latest date in the files.
    pub(crate) period: Option<String>,
    /// The files are a snapshot of a register the publisher replaces: each run's values are
    /// dated by the snapshot's day (default) or month, so that runs build a series.
    pub(crate) snapshot: Option<Snapshot>,
    pub(crate) title: Option<String>,
    /// The comuni (or unions) whose rows the files hold completely, when the files are an
    /// excerpt; by default they are the publisher's whole files, and a comune without rows
    /// had no funding.
    pub(crate) complete_for: Option<Vec<String>>,
}

/// `[source.NAME.boundaries]`: TopoJSON or GeoJSON files of administrative boundaries.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub(crate) struct BoundariesSpec {
    /// Files relative to the pipeline file's folder; or give `dir`.
    #[serde(default)]
    pub(crate) files: Vec<Spanned<String>>,
    /// A folder whose `*.topo.json`, `*.topojson` and `*.geojson` files are read, in name
    /// order; or give `files`.
    pub(crate) dir: Option<Spanned<String>>,
    /// The level of every shape (`comune`, `province` or `region`); by default each shape's
    /// is read from the code property it carries (`com_istat_code`, `prov_istat_code`,
    /// `reg_istat_code`).
    pub(crate) level: Option<Spanned<String>>,
    /// Who made the boundaries, shown under every map.
    pub(crate) attribution: Option<String>,
}
