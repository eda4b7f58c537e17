//! The raw sections of a pipeline file: `[pipeline]`, `[territories]`, `[dataset.NAME]`,
//! `[site]`, `[catalog]`, `[history]` and `[challenge.N]`, as plain serde types.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use crate::istat::Level;
use crate::table::TableName;

/// `[pipeline]`: what the pipeline is called and what it pulls in.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct PipelineSpec {
    /// Lower-case letters, digits and dashes: the output folder's name.
    pub(crate) id: String,
    /// Italian title shown to citizens.
    pub(crate) title: String,
    pub(crate) description: Option<String>,
    /// The publishing administration, as citizens read it.
    pub(crate) publisher: Option<String>,
    /// The territory the site is about (an ISTAT code or a declared union).
    pub(crate) focus: Option<Spanned<String>>,
    /// Catalog files with shared challenges and indicators, relative to this file.
    #[serde(default)]
    pub(crate) include: Vec<Spanned<String>>,
    /// Releases kept for rollback, the current one included (default 5).
    pub(crate) keep_releases: Option<Spanned<usize>>,
    /// Largest local input file a source may read, in bytes (default 1 GiB): a file far
    /// larger than expected is stopped before it is read.
    pub(crate) max_input_bytes: Option<Spanned<u64>>,
    /// Let paths in this file lead outside its folder (absolute paths, `..`); off by default.
    #[serde(default)]
    pub(crate) allow_outside_paths: bool,
}

/// `[history]`: how much of the history of published values is kept.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct HistorySpec {
    /// Releases whose segments are kept whole; older ones are folded into one segment of the
    /// values as they stood (default: every release).
    pub(crate) keep: Option<Spanned<usize>>,
}

/// `[territories]`: declared unions and the levels at which member values are summed.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct TerritoriesSpec {
    /// Levels whose values may be computed by summing their comuni. Only list a level whose
    /// comuni are all in the territories source: a partial list would give a partial sum.
    #[serde(default)]
    pub(crate) aggregate: Vec<Spanned<Level>>,
    #[serde(default)]
    pub(crate) union: BTreeMap<String, UnionSpec>,
    /// A CSV of ISTAT code changes (`old_code,new_code,date`), relative to this file, applied
    /// to the data before aggregation.
    pub(crate) code_changes: Option<Spanned<String>>,
    /// What a data row with a territory code that is not known is: `error` (the default:
    /// nothing is published) or `warning` (the row is left out and reported).
    pub(crate) unknown_codes: Option<UnknownCodes>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum UnknownCodes {
    Error,
    Warning,
}

/// `[territories.union.NAME]`.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct UnionSpec {
    pub(crate) name: String,
    pub(crate) members: Vec<Spanned<String>>,
}

/// `[dataset.NAME]`: a published table.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct DatasetSpec {
    /// Italian title.
    pub(crate) title: String,
    pub(crate) description: Option<String>,
    pub(crate) table: Spanned<TableName>,
    /// English title and description, for the catalog (optional).
    pub(crate) title_en: Option<String>,
    pub(crate) description_en: Option<String>,
    /// EU data themes: codes (`GOVE`, `TECH`, ...) or their publications.europa.eu URIs.
    #[serde(default)]
    pub(crate) themes: Vec<Spanned<String>>,
    /// EuroVoc subthemes, as URIs (`http://eurovoc.europa.eu/100210`).
    #[serde(default)]
    pub(crate) subthemes: Vec<Spanned<String>>,
    #[serde(default)]
    pub(crate) keywords: Vec<String>,
    /// Update frequency: an EU frequency code (`ANNUAL`, `MONTHLY`, `IRREG`, ...) or its URI.
    pub(crate) frequency: Option<Spanned<String>>,
    /// `CC-BY-4.0` (the catalog's default) or `IODL-2.0`.
    pub(crate) license: Option<Spanned<String>>,
    /// Standards the data conform to, as URIs.
    #[serde(default)]
    pub(crate) conforms_to: Vec<Spanned<String>>,
}

/// `[site]`: what the citizens' pages say beyond the data.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct SiteSpec {
    /// The administration's accessibility statement ("Dichiarazione di accessibilità"),
    /// linked from every page's footer; its absence is a warning.
    pub(crate) accessibility_statement: Option<Spanned<String>>,
    /// Where citizens send comments: an e-mail address or a URL.
    pub(crate) feedback: Option<Spanned<String>>,
    /// How often the pipeline runs (an EU frequency code: DAILY, WEEKLY, MONTHLY, ANNUAL,
    /// ...), for the next update the home page announces.
    pub(crate) update_frequency: Option<Spanned<String>>,
    /// Whether the release has pages and their Atom feed (default true); `false` publishes
    /// the data files, the catalog and the data package only.
    pub(crate) pages: Option<bool>,
}

/// `[catalog]`: the DCAT-AP_IT catalog a release publishes, for dati.gov.it.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct CatalogSpec {
    /// The absolute URL where the release's folder is served (`output/<id>/current/`).
    pub(crate) base_url: Spanned<String>,
    /// The publisher's site; default `base_url`.
    pub(crate) homepage: Option<Spanned<String>>,
    /// Italian title and description; default the pipeline's.
    pub(crate) title: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) title_en: Option<String>,
    pub(crate) description_en: Option<String>,
    /// First publication of the catalog (YYYY-MM-DD).
    pub(crate) issued: Option<Spanned<String>>,
    /// Default licence of the datasets: `CC-BY-4.0` (default) or `IODL-2.0`.
    pub(crate) license: Option<Spanned<String>>,
    pub(crate) publisher: AgentSpec,
    /// Default the publisher.
    pub(crate) rights_holder: Option<AgentSpec>,
    pub(crate) contact: ContactSpec,
}

/// An administration, with its code in the Indice delle Pubbliche Amministrazioni.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct AgentSpec {
    pub(crate) name: String,
    pub(crate) ipa: Spanned<String>,
}

/// The office that answers questions about the data.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct ContactSpec {
    pub(crate) name: String,
    pub(crate) email: Spanned<String>,
    pub(crate) url: Option<Spanned<String>>,
}

/// `[challenge.N]`: one of the eight challenges of the regional digital agenda.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct ChallengeSpec {
    pub(crate) title: String,
    pub(crate) description: Option<String>,
}
