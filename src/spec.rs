//! The raw pipeline file: TOML parsed into plain serde types, every problem collected with its
//! file, line, column and key. Nothing here resolves paths or cross-checks references; that is
//! the plan's job.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use crate::error::{ConfigProblem, Error};
use crate::indicator::{IndicatorCommonSpec, IndicatorKindSpec};
use crate::source::SourceSpec;
use crate::table::TableName;
use crate::territory::Level;

/// `[pipeline]`: what the pipeline is called and what it pulls in.
#[derive(Debug, Clone, Deserialize)]
pub struct PipelineSpec {
    /// Lower-case letters, digits and dashes: the output folder's name.
    pub id: String,
    /// Italian title shown to citizens.
    pub title: String,
    pub description: Option<String>,
    /// The publishing administration, as citizens read it.
    pub publisher: Option<String>,
    /// The territory the site is about (an ISTAT code or a declared union).
    pub focus: Option<Spanned<String>>,
    /// Catalog files with shared challenges and indicators, relative to this file.
    #[serde(default)]
    pub include: Vec<Spanned<String>>,
    /// Releases kept for rollback, the current one included (default 5).
    pub keep_releases: Option<Spanned<usize>>,
    /// Largest local input file a source may read, in bytes (default 1 GiB): a file far
    /// larger than expected is stopped before it is read.
    pub max_input_bytes: Option<Spanned<u64>>,
    /// Let paths in this file lead outside its folder (absolute paths, `..`); off by default.
    #[serde(default)]
    pub allow_outside_paths: bool,
}

/// `[territories]`: declared unions and the levels at which member values are summed.
#[derive(Debug, Clone, Deserialize)]
pub struct TerritoriesSpec {
    /// Levels whose values may be computed by summing their comuni. Only list a level whose
    /// comuni are all in the territories source: a partial list would give a partial sum.
    #[serde(default)]
    pub aggregate: Vec<Spanned<Level>>,
    #[serde(default)]
    pub union: BTreeMap<String, UnionSpec>,
    /// A CSV of ISTAT code changes (`old_code,new_code,date`), relative to this file, applied
    /// to the data before aggregation.
    pub code_changes: Option<Spanned<String>>,
    /// What a data row with a territory code that is not known is: `error` (the default:
    /// nothing is published) or `warning` (the row is left out and reported).
    pub unknown_codes: Option<UnknownCodes>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnknownCodes {
    Error,
    Warning,
}

/// `[territories.union.NAME]`.
#[derive(Debug, Clone, Deserialize)]
pub struct UnionSpec {
    pub name: String,
    pub members: Vec<Spanned<String>>,
}

/// `[dataset.NAME]`: a published table.
#[derive(Debug, Clone, Deserialize)]
pub struct DatasetSpec {
    /// Italian title.
    pub title: String,
    pub description: Option<String>,
    pub table: Spanned<TableName>,
    /// English title and description, for the catalog (optional).
    pub title_en: Option<String>,
    pub description_en: Option<String>,
    /// EU data themes: codes (`GOVE`, `TECH`, ...) or their publications.europa.eu URIs.
    #[serde(default)]
    pub themes: Vec<Spanned<String>>,
    /// EuroVoc subthemes, as URIs (`http://eurovoc.europa.eu/100210`).
    #[serde(default)]
    pub subthemes: Vec<Spanned<String>>,
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Update frequency: an EU frequency code (`ANNUAL`, `MONTHLY`, `IRREG`, ...) or its URI.
    pub frequency: Option<Spanned<String>>,
    /// `CC-BY-4.0` (the catalog's default) or `IODL-2.0`.
    pub license: Option<Spanned<String>>,
    /// Standards the data conform to, as URIs.
    #[serde(default)]
    pub conforms_to: Vec<Spanned<String>>,
}

/// `[site]`: what the citizens' pages say beyond the data.
#[derive(Debug, Clone, Deserialize)]
pub struct SiteSpec {
    /// The administration's accessibility statement ("Dichiarazione di accessibilità"),
    /// linked from every page's footer; its absence is a warning.
    pub accessibility_statement: Option<Spanned<String>>,
    /// Where citizens send comments: an e-mail address or a URL.
    pub feedback: Option<Spanned<String>>,
    /// How often the pipeline runs (an EU frequency code: DAILY, WEEKLY, MONTHLY, ANNUAL,
    /// ...), for the next update the home page announces.
    pub update_frequency: Option<Spanned<String>>,
}

/// `[catalog]`: the DCAT-AP_IT catalog a release publishes, for dati.gov.it.
#[derive(Debug, Clone, Deserialize)]
pub struct CatalogSpec {
    /// The absolute URL where the release's folder is served (`output/<id>/current/`).
    pub base_url: Spanned<String>,
    /// The publisher's site; default `base_url`.
    pub homepage: Option<Spanned<String>>,
    /// Italian title and description; default the pipeline's.
    pub title: Option<String>,
    pub description: Option<String>,
    pub title_en: Option<String>,
    pub description_en: Option<String>,
    /// First publication of the catalog (YYYY-MM-DD).
    pub issued: Option<Spanned<String>>,
    /// Default licence of the datasets: `CC-BY-4.0` (default) or `IODL-2.0`.
    pub license: Option<Spanned<String>>,
    pub publisher: AgentSpec,
    /// Default the publisher.
    pub rights_holder: Option<AgentSpec>,
    pub contact: ContactSpec,
}

/// An administration, with its code in the Indice delle Pubbliche Amministrazioni.
#[derive(Debug, Clone, Deserialize)]
pub struct AgentSpec {
    pub name: String,
    pub ipa: Spanned<String>,
}

/// The office that answers questions about the data.
#[derive(Debug, Clone, Deserialize)]
pub struct ContactSpec {
    pub name: String,
    pub email: Spanned<String>,
    pub url: Option<Spanned<String>>,
}

/// `[challenge.N]`: one of the eight challenges of the regional digital agenda.
#[derive(Debug, Clone, Deserialize)]
pub struct ChallengeSpec {
    pub title: String,
    pub description: Option<String>,
}

/// An indicator as written: the fields every kind has, and its kind.
#[derive(Debug, Clone)]
pub struct IndicatorSpec {
    pub common: IndicatorCommonSpec,
    pub kind: IndicatorKindSpec,
}

/// Maps byte offsets of one file to lines and columns.
#[derive(Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    fn new(path: PathBuf, text: String) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile {
            path,
            text,
            line_starts,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line_index = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line_index];
        let column = self.text[start..offset].chars().count() + 1;
        (line_index + 1, column)
    }

    pub fn problem(
        &self,
        span: Range<usize>,
        key: &str,
        message: impl Into<String>,
    ) -> ConfigProblem {
        let (line, column) = self.line_column(span.start);
        ConfigProblem {
            file: self.path.clone(),
            line: Some(line),
            column: Some(column),
            key: key.to_owned(),
            message: message.into(),
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }
}

/// A named entry of a pipeline file (`[source.NAME.KIND]`, `[dataset.NAME]`, ...), with where
/// it was written, so that later checks can point at it.
#[derive(Debug, Clone)]
pub struct Item<T> {
    pub name: String,
    /// Dotted key of the entry, e.g. `source.population`.
    pub key: String,
    pub span: Range<usize>,
    pub file: Arc<SourceFile>,
    pub spec: T,
}

impl<T> Item<T> {
    pub fn problem(&self, message: impl Into<String>) -> ConfigProblem {
        self.file.problem(self.span.clone(), &self.key, message)
    }

    /// A problem at one field of the entry, e.g. its `file`.
    pub fn problem_at(
        &self,
        span: Range<usize>,
        field: &str,
        message: impl Into<String>,
    ) -> ConfigProblem {
        self.file
            .problem(span, &format!("{}.{field}", self.key), message)
    }
}

/// Everything one pipeline file (and its includes) says, parsed but not checked.
#[derive(Debug, Default)]
pub struct Spec {
    pub pipeline_file: PathBuf,
    pub pipeline: Option<Item<PipelineSpec>>,
    pub catalog: Option<Item<CatalogSpec>>,
    pub site: Option<Item<SiteSpec>>,
    pub territories: Option<Item<TerritoriesSpec>>,
    pub sources: Vec<Item<SourceSpec>>,
    pub indicators: Vec<Item<IndicatorSpec>>,
    pub datasets: Vec<Item<DatasetSpec>>,
    pub challenges: Vec<Item<ChallengeSpec>>,
    /// Entries that failed to parse: later checks do not report references to them again.
    pub broken: BTreeSet<String>,
    /// The pipeline file and its includes, for the fingerprint of the whole pipeline.
    pub files: Vec<Arc<SourceFile>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Pipeline,
    /// An included catalog of indicators: challenges and indicators only.
    Include,
}

impl Role {
    fn sections(self) -> &'static [&'static str] {
        match self {
            Role::Pipeline => &[
                "pipeline",
                "catalog",
                "site",
                "territories",
                "source",
                "indicator",
                "dataset",
                "challenge",
            ],
            Role::Include => &["indicator", "challenge"],
        }
    }
}

/// Reads and parses a pipeline file and the catalogs it includes. Problems are collected, not
/// returned at the first one; the caller decides what to do with a partial spec.
pub fn load(path: &Path) -> Result<(Spec, Vec<ConfigProblem>), Error> {
    let text = fs_err::read_to_string(path)?;
    let mut spec = Spec {
        pipeline_file: path.to_path_buf(),
        ..Spec::default()
    };
    let mut problems = Vec::new();
    let main = Arc::new(SourceFile::new(path.to_path_buf(), text));
    parse_file(&main, Role::Pipeline, &mut spec, &mut problems);
    spec.files.push(Arc::clone(&main));

    let includes: Vec<Spanned<String>> = spec
        .pipeline
        .as_ref()
        .map(|item| item.spec.include.clone())
        .unwrap_or_default();
    let base = path.parent().unwrap_or(Path::new("."));
    let mut seen = BTreeSet::new();
    for include in includes {
        let include_path = base.join(include.get_ref());
        if !seen.insert(include_path.clone()) {
            problems.push(main.problem(
                include.span(),
                "pipeline.include",
                format!("`{}` is included twice", include.get_ref()),
            ));
            continue;
        }
        match fs_err::read_to_string(&include_path) {
            Ok(text) => {
                let file = Arc::new(SourceFile::new(include_path, text));
                parse_file(&file, Role::Include, &mut spec, &mut problems);
                spec.files.push(file);
            }
            Err(error) => problems.push(main.problem(
                include.span(),
                "pipeline.include",
                format!("cannot read the included catalog: {error}"),
            )),
        }
    }
    Ok((spec, problems))
}

fn parse_file(
    file: &Arc<SourceFile>,
    role: Role,
    spec: &mut Spec,
    problems: &mut Vec<ConfigProblem>,
) {
    let root = match DeTable::parse(file.text()) {
        Ok(root) => root,
        Err(error) => {
            let span = error.span().unwrap_or(0..0);
            problems.push(file.problem(
                span,
                "",
                format!("not valid TOML: {}", error.message().trim()),
            ));
            return;
        }
    };
    for (section_key, section) in root.get_ref().iter() {
        let section_name = section_key.get_ref().as_ref();
        if !role.sections().contains(&section_name) {
            let expected = role.sections().join(", ");
            let message = match role {
                Role::Pipeline => {
                    format!("unknown section `{section_name}`; expected one of: {expected}")
                }
                Role::Include => format!(
                    "an included catalog may only hold {expected}; `{section_name}` belongs in the pipeline file"
                ),
            };
            problems.push(file.problem(section_key.span(), section_name, message));
            continue;
        }
        let mut parser = ItemParser { file, problems };
        match section_name {
            "pipeline" => {
                if let Some(parsed) = parser.deserialize::<PipelineSpec>("pipeline", section) {
                    spec.pipeline =
                        Some(parser.item("pipeline", "pipeline", section_key.span(), parsed));
                }
            }
            "site" => {
                if let Some(parsed) = parser.deserialize::<SiteSpec>("site", section) {
                    spec.site = Some(parser.item("site", "site", section_key.span(), parsed));
                }
            }
            "catalog" => {
                if let Some(parsed) = parser.deserialize::<CatalogSpec>("catalog", section) {
                    spec.catalog =
                        Some(parser.item("catalog", "catalog", section_key.span(), parsed));
                } else {
                    spec.broken.insert("catalog".to_owned());
                }
            }
            "territories" => {
                if let Some(parsed) = parser.deserialize::<TerritoriesSpec>("territories", section)
                {
                    spec.territories =
                        Some(parser.item("territories", "territories", section_key.span(), parsed));
                }
            }
            "source" => {
                for (name, key_span, value) in parser.entries("source", section) {
                    let key = format!("source.{name}");
                    match parser.source(&key, value) {
                        Some(parsed) => {
                            let item = parser.item(&name, &key, key_span, parsed);
                            spec.sources.push(item);
                        }
                        None => {
                            spec.broken.insert(name);
                        }
                    }
                }
            }
            "indicator" => {
                for (name, key_span, value) in parser.entries("indicator", section) {
                    let key = format!("indicator.{name}");
                    if let Some(parsed) = parser.indicator(&key, value) {
                        let item = parser.item(&name, &key, key_span, parsed);
                        spec.indicators.push(item);
                    } else {
                        spec.broken.insert(name);
                    }
                }
            }
            "dataset" => {
                for (name, key_span, value) in parser.entries("dataset", section) {
                    let key = format!("dataset.{name}");
                    match parser.deserialize::<DatasetSpec>(&key, value) {
                        Some(parsed) => {
                            let item = parser.item(&name, &key, key_span, parsed);
                            spec.datasets.push(item);
                        }
                        None => {
                            spec.broken.insert(name);
                        }
                    }
                }
            }
            "challenge" => {
                for (name, key_span, value) in parser.entries_any_name("challenge", section) {
                    let key = format!("challenge.{name}");
                    if let Some(parsed) = parser.deserialize::<ChallengeSpec>(&key, value) {
                        let item = parser.item(&name, &key, key_span, parsed);
                        spec.challenges.push(item);
                    }
                }
            }
            _ => {}
        }
    }
}

struct ItemParser<'a> {
    file: &'a Arc<SourceFile>,
    problems: &'a mut Vec<ConfigProblem>,
}

impl ItemParser<'_> {
    fn item<T>(&self, name: &str, key: &str, span: Range<usize>, spec: T) -> Item<T> {
        Item {
            name: name.to_owned(),
            key: key.to_owned(),
            span,
            file: Arc::clone(self.file),
            spec,
        }
    }

    /// The `NAME = { ... }` entries of a section, with names checked to be snake_case.
    fn entries<'v, 'i>(
        &mut self,
        section: &str,
        value: &'v Spanned<DeValue<'i>>,
    ) -> Vec<(String, Range<usize>, &'v Spanned<DeValue<'i>>)> {
        let entries = self.entries_any_name(section, value);
        entries
            .into_iter()
            .filter(|(name, span, _)| {
                let ok = crate::text::is_snake_case(name);
                if !ok {
                    self.problems.push(self.file.problem(
                        span.clone(),
                        &format!("{section}.{name}"),
                        "names are lower-case snake_case (letters, digits and `_`), e.g. `spid_per_100_residents`",
                    ));
                }
                ok
            })
            .collect()
    }

    fn entries_any_name<'v, 'i>(
        &mut self,
        section: &str,
        value: &'v Spanned<DeValue<'i>>,
    ) -> Vec<(String, Range<usize>, &'v Spanned<DeValue<'i>>)> {
        match value.get_ref() {
            DeValue::Table(table) => table
                .iter()
                .map(|(key, value)| (key.get_ref().to_string(), key.span(), value))
                .collect(),
            _ => {
                self.problems.push(self.file.problem(
                    value.span(),
                    section,
                    format!("`{section}` must be a table of named entries: [{section}.NAME]"),
                ));
                Vec::new()
            }
        }
    }

    /// Checks that an entry is a table with exactly one key, its kind, and returns that key.
    fn kind_entry<'v, 'i>(
        &mut self,
        key: &str,
        value: &'v Spanned<DeValue<'i>>,
    ) -> Option<(String, &'v Spanned<DeValue<'i>>)> {
        let section = key.split('.').next().unwrap_or(key);
        match value.get_ref() {
            DeValue::Table(table) if table.len() == 1 => table
                .iter()
                .next()
                .map(|(kind, inner)| (kind.get_ref().to_string(), inner)),
            DeValue::Table(table) if table.len() > 1 => {
                let kinds: Vec<String> =
                    table.keys().map(|k| format!("`{}`", k.get_ref())).collect();
                self.problems.push(self.file.problem(
                    value.span(),
                    key,
                    format!(
                        "an entry has exactly one kind, written as [{key}.KIND]; found {}",
                        kinds.join(", ")
                    ),
                ));
                None
            }
            _ => {
                self.problems.push(self.file.problem(
                    value.span(),
                    key,
                    format!("write the entry as a table with its kind: [{key}.KIND], e.g. [{section}.NAME.csv]"),
                ));
                None
            }
        }
    }

    fn indicator(&mut self, key: &str, value: &Spanned<DeValue<'_>>) -> Option<IndicatorSpec> {
        let (kind_name, inner) = self.kind_entry(key, value)?;
        let inner_key = format!("{key}.{kind_name}");
        // The fields common to every kind and the fields of the kind live in the same table:
        // each pass ignores the other's fields, and a key is unknown when both ignore it.
        let mut common_ignored = Vec::new();
        let common = self.deserialize_collecting::<IndicatorCommonSpec>(
            &inner_key,
            inner,
            &mut common_ignored,
        );
        let mut kind_ignored = Vec::new();
        let kind = self.deserialize_collecting::<IndicatorKindSpec>(key, value, &mut kind_ignored);
        let kind_ignored: BTreeSet<Vec<String>> = kind_ignored
            .into_iter()
            .map(|path| strip_kind_prefix(path, &kind_name))
            .collect();
        let mut known = fields_of::<IndicatorCommonSpec>();
        known.extend(fields_of_variant::<IndicatorKindSpec>(&kind_name));
        for path in common_ignored {
            if kind_ignored.contains(&path) {
                self.unknown_key(&inner_key, inner, &path, &known);
            }
        }
        Some(IndicatorSpec {
            common: common?,
            kind: kind?,
        })
    }

    fn source(&mut self, key: &str, value: &Spanned<DeValue<'_>>) -> Option<SourceSpec> {
        let (kind_name, inner) = self.kind_entry(key, value)?;
        let mut ignored = Vec::new();
        let parsed = self.deserialize_collecting::<SourceSpec>(key, value, &mut ignored);
        let known = fields_of_variant::<SourceSpec>(&kind_name);
        for path in ignored {
            let path = strip_kind_prefix(path, &kind_name);
            self.unknown_key(&format!("{key}.{kind_name}"), inner, &path, &known);
        }
        parsed
    }

    fn deserialize<T: DeserializeOwned>(
        &mut self,
        key: &str,
        value: &Spanned<DeValue<'_>>,
    ) -> Option<T> {
        let mut ignored = Vec::new();
        let parsed = self.deserialize_collecting::<T>(key, value, &mut ignored);
        let known = fields_of::<T>();
        for path in ignored {
            self.unknown_key(key, value, &path, &known);
        }
        parsed
    }

    fn deserialize_collecting<T: DeserializeOwned>(
        &mut self,
        key: &str,
        value: &Spanned<DeValue<'_>>,
        ignored: &mut Vec<Vec<String>>,
    ) -> Option<T> {
        let deserializer = ValueDeserializer::from(value.clone());
        let result =
            serde_ignored::deserialize(deserializer, |path| ignored.push(path_segments(&path)));
        match result {
            Ok(parsed) => Some(parsed),
            Err(error) => {
                let span = error.span().unwrap_or_else(|| value.span());
                self.problems.push(
                    self.file
                        .problem(span, key, error.message().trim().to_owned()),
                );
                None
            }
        }
    }

    fn unknown_key(
        &mut self,
        key: &str,
        value: &Spanned<DeValue<'_>>,
        path: &[String],
        known: &[&str],
    ) {
        let span = span_of_path(value, path).unwrap_or_else(|| value.span());
        let dotted = if path.is_empty() {
            key.to_owned()
        } else {
            format!("{key}.{}", path.join("."))
        };
        let last = path.last().map(String::as_str).unwrap_or_default();
        let mut message = format!("unknown key `{last}`");
        if path.len() == 1 && !known.is_empty() {
            match closest(last, known) {
                Some(suggestion) => message.push_str(&format!("; did you mean `{suggestion}`?")),
                None => message.push_str(&format!("; expected one of: {}", known.join(", "))),
            }
        }
        self.problems
            .push(self.file.problem(span, &dotted, message));
    }
}

/// serde_ignored reports paths inside an externally tagged enum either with the variant key or
/// without it, depending on how the variant was reached; bring both to the inner table's frame.
fn strip_kind_prefix(path: Vec<String>, kind: &str) -> Vec<String> {
    match path.split_first() {
        Some((first, rest)) if first == kind => rest.to_vec(),
        _ => path,
    }
}

fn path_segments(path: &serde_ignored::Path<'_>) -> Vec<String> {
    match path {
        serde_ignored::Path::Root => Vec::new(),
        serde_ignored::Path::Seq { parent, index } => {
            let mut segments = path_segments(parent);
            segments.push(index.to_string());
            segments
        }
        serde_ignored::Path::Map { parent, key } => {
            let mut segments = path_segments(parent);
            segments.push(key.clone());
            segments
        }
        serde_ignored::Path::Some { parent }
        | serde_ignored::Path::NewtypeStruct { parent }
        | serde_ignored::Path::NewtypeVariant { parent } => path_segments(parent),
    }
}

/// The span of the key at `path` inside `value`, for pointing at an unknown key.
fn span_of_path(value: &Spanned<DeValue<'_>>, path: &[String]) -> Option<Range<usize>> {
    let (first, rest) = path.split_first()?;
    match value.get_ref() {
        DeValue::Table(table) => {
            let (key, inner) = table.iter().find(|(key, _)| key.get_ref() == first)?;
            if rest.is_empty() {
                Some(key.span())
            } else {
                span_of_path(inner, rest)
            }
        }
        DeValue::Array(array) => {
            let index: usize = first.parse().ok()?;
            let inner = array.get(index)?;
            if rest.is_empty() {
                Some(inner.span())
            } else {
                span_of_path(inner, rest)
            }
        }
        _ => None,
    }
}

/// The closest known name to a misspelled one, when it is close enough to be a typo.
fn closest<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|candidate| (edit_distance(name, candidate), *candidate))
        .filter(|(distance, candidate)| *distance <= 2.max(candidate.len() / 4))
        .min()
        .map(|(_, candidate)| candidate)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

/// The field names of a struct, asked of its Deserialize implementation.
pub fn fields_of<T: DeserializeOwned>() -> Vec<&'static str> {
    match T::deserialize(FieldsProbe) {
        Err(ProbeError::Fields(fields)) => fields.to_vec(),
        _ => Vec::new(),
    }
}

struct FieldsProbe;

#[derive(Debug)]
enum ProbeError {
    Fields(&'static [&'static str]),
    Other,
}

impl std::fmt::Display for ProbeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("field probe")
    }
}

impl std::error::Error for ProbeError {}

impl serde::de::Error for ProbeError {
    fn custom<T: std::fmt::Display>(_message: T) -> Self {
        ProbeError::Other
    }
}

impl<'de> serde::Deserializer<'de> for FieldsProbe {
    type Error = ProbeError;

    fn deserialize_any<V: serde::de::Visitor<'de>>(
        self,
        _visitor: V,
    ) -> Result<V::Value, ProbeError> {
        Err(ProbeError::Other)
    }

    fn deserialize_struct<V: serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, ProbeError> {
        Err(ProbeError::Fields(fields))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}

/// The field names of one variant of an externally tagged enum of kinds.
pub fn fields_of_variant<T: DeserializeOwned>(variant: &str) -> Vec<&'static str> {
    match T::deserialize(VariantProbe(variant)) {
        Err(ProbeError::Fields(fields)) => fields.to_vec(),
        _ => Vec::new(),
    }
}

struct VariantProbe<'a>(&'a str);

impl<'de> serde::Deserializer<'de> for VariantProbe<'_> {
    type Error = ProbeError;

    fn deserialize_any<V: serde::de::Visitor<'de>>(
        self,
        _visitor: V,
    ) -> Result<V::Value, ProbeError> {
        Err(ProbeError::Other)
    }

    fn deserialize_enum<V: serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ProbeError> {
        visitor.visit_enum(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct identifier ignored_any
    }
}

impl<'de> serde::de::EnumAccess<'de> for VariantProbe<'_> {
    type Error = ProbeError;
    type Variant = FieldsProbe;

    fn variant_seed<S: serde::de::DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, FieldsProbe), ProbeError> {
        let name = serde::de::value::StrDeserializer::<ProbeError>::new(self.0);
        Ok((seed.deserialize(name)?, FieldsProbe))
    }
}

impl<'de> serde::de::VariantAccess<'de> for FieldsProbe {
    type Error = ProbeError;

    fn unit_variant(self) -> Result<(), ProbeError> {
        Err(ProbeError::Other)
    }

    fn newtype_variant_seed<S: serde::de::DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<S::Value, ProbeError> {
        seed.deserialize(FieldsProbe)
    }

    fn tuple_variant<V: serde::de::Visitor<'de>>(
        self,
        _len: usize,
        _visitor: V,
    ) -> Result<V::Value, ProbeError> {
        Err(ProbeError::Other)
    }

    fn struct_variant<V: serde::de::Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, ProbeError> {
        Err(ProbeError::Fields(fields))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_count_characters() {
        let file = SourceFile::new("p.toml".into(), "a = 1\n[città]\nb = 2\n".into());
        assert_eq!(file.line_column(0), (1, 1));
        assert_eq!(file.line_column(6), (2, 1));
        let offset = file.text().find("b =").unwrap();
        assert_eq!(file.line_column(offset), (3, 1));
    }

    #[test]
    fn suggests_close_names() {
        assert_eq!(
            closest("decimal", &["decimals", "label", "unit"]),
            Some("decimals")
        );
        assert_eq!(closest("zzz", &["decimals", "label"]), None);
    }

    #[test]
    fn probes_struct_fields() {
        let fields = fields_of::<ChallengeSpec>();
        assert_eq!(fields, vec!["title", "description"]);
    }
}
