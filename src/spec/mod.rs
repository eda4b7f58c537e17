//! The raw pipeline file: TOML parsed into plain serde types, every problem collected with its
//! file, line, column and key. Nothing here resolves paths or cross-checks references; that is
//! the plan's job.

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::error::{ConfigProblem, Error};

pub(crate) mod indicator;
pub(crate) mod item;
pub(crate) mod parse;
pub(crate) mod pipeline;
pub(crate) mod source;

pub(crate) use indicator::IndicatorSpec;
pub(crate) use pipeline::{
    AgentSpec, CatalogSpec, ChallengeSpec, ContactSpec, DatasetSpec, HistorySpec, PipelineSpec,
    SiteSpec, TerritoriesSpec, UnionSpec, UnknownCodes,
};
pub(crate) use source::{HttpSpec, SourceSpec};

pub(crate) use item::{Item, SourceFile};
use parse::ItemParser;

/// Everything one pipeline file (and its includes) says, parsed but not checked.
#[derive(Debug, Default)]
pub(crate) struct Spec {
    pub(crate) pipeline_file: PathBuf,
    pub(crate) pipeline: Option<Item<PipelineSpec>>,
    pub(crate) catalog: Option<Item<CatalogSpec>>,
    pub(crate) site: Option<Item<SiteSpec>>,
    pub(crate) territories: Option<Item<TerritoriesSpec>>,
    pub(crate) history: Option<Item<HistorySpec>>,
    pub(crate) sources: Vec<Item<SourceSpec>>,
    pub(crate) indicators: Vec<Item<IndicatorSpec>>,
    pub(crate) datasets: Vec<Item<DatasetSpec>>,
    pub(crate) challenges: Vec<Item<ChallengeSpec>>,
    /// Entries that failed to parse: later checks do not report references to them again.
    pub(crate) broken: BTreeSet<String>,
    /// The pipeline file and its includes, for the fingerprint of the whole pipeline.
    pub(crate) files: Vec<Arc<SourceFile>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Pipeline,
    /// An included catalog of indicators: challenges and indicators only.
    Include,
}

impl Spec {
    /// A problem about the pipeline file as a whole.
    pub(crate) fn file_problem(&self, message: &str) -> ConfigProblem {
        ConfigProblem {
            file: self.pipeline_file.clone(),
            line: None,
            column: None,
            key: String::new(),
            message: message.to_owned(),
        }
    }
}

impl Role {
    fn unknown_section(self, name: &str) -> String {
        let expected = self.sections().join(", ");
        match self {
            Role::Pipeline => format!("unknown section `{name}`; expected one of: {expected}"),
            Role::Include => format!(
                "an included catalog may only hold {expected}; `{name}` belongs in the pipeline file"
            ),
        }
    }

    fn sections(self) -> &'static [&'static str] {
        match self {
            Role::Pipeline => &[
                "pipeline",
                "catalog",
                "site",
                "territories",
                "history",
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
pub(crate) fn load(path: &Path) -> Result<(Spec, Vec<ConfigProblem>), Error> {
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
        let name = section_key.get_ref().as_ref();
        if !role.sections().contains(&name) {
            problems.push(file.problem(section_key.span(), name, role.unknown_section(name)));
            continue;
        }
        let mut parser = ItemParser { file, problems };
        parse_section(&mut parser, name, section_key.span(), section, spec);
    }
}

/// One top-level section: a single table (`[pipeline]`, `[site]`, ...) or a table of named
/// entries (`[source.NAME.KIND]`, `[dataset.NAME]`, ...).
fn parse_section(
    parser: &mut ItemParser,
    name: &str,
    span: Range<usize>,
    section: &Spanned<DeValue<'_>>,
    spec: &mut Spec,
) {
    match name {
        "pipeline" => spec.pipeline = parser.single(name, span, section),
        "site" => spec.site = parser.single(name, span, section),
        "territories" => spec.territories = parser.single(name, span, section),
        "history" => spec.history = parser.single(name, span, section),
        "catalog" => {
            spec.catalog = parser.single(name, span, section);
            if spec.catalog.is_none() {
                // The datasets' catalog fields are still checked, against the defaults.
                spec.broken.insert(name.to_owned());
            }
        }
        "source" => {
            for (entry, key_span, value) in parser.entries(name, section) {
                let key = format!("source.{entry}");
                match parser.source(&key, value) {
                    Some(parsed) => spec
                        .sources
                        .push(parser.item(&entry, &key, key_span, parsed)),
                    None => {
                        spec.broken.insert(entry);
                    }
                }
            }
        }
        "indicator" => {
            for (entry, key_span, value) in parser.entries(name, section) {
                let key = format!("indicator.{entry}");
                match parser.indicator(&key, value) {
                    Some(parsed) => spec
                        .indicators
                        .push(parser.item(&entry, &key, key_span, parsed)),
                    None => {
                        spec.broken.insert(entry);
                    }
                }
            }
        }
        "dataset" => {
            let entries = parser.entries(name, section);
            let (datasets, broken) = parser.named(name, entries);
            spec.datasets.extend(datasets);
            spec.broken.extend(broken);
        }
        "challenge" => {
            // Challenges are numbered, not named; one that does not parse is reported only.
            let entries = parser.entries_any_name(name, section);
            spec.challenges.extend(parser.named(name, entries).0);
        }
        _ => {}
    }
}
