//! The raw pipeline file: TOML parsed into plain serde types, every problem collected with its
//! file, line, column and key. Nothing here resolves paths or cross-checks references; that is
//! the plan's job.

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::error::{ConfigProblem, Error, io_reason};
use crate::message::Message;
use crate::msg;

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
    pub(crate) fn file_problem(&self, message: impl Into<Message>) -> ConfigProblem {
        ConfigProblem {
            file: self.pipeline_file.clone(),
            line: None,
            column: None,
            key: String::new(),
            message: message.into(),
        }
    }
}

impl Role {
    fn unknown_section(self, name: &str) -> Message {
        let expected = self.sections().join(", ");
        match self {
            Role::Pipeline => msg!("unknown_section", name = name, expected = expected),
            Role::Include => msg!("section_not_in_include", name = name, expected = expected),
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
    let text = std::fs::read_to_string(path).map_err(|error| {
        Error::Config(vec![ConfigProblem {
            file: path.to_path_buf(),
            line: None,
            column: None,
            key: String::new(),
            message: msg!("pipeline_unreadable", reason = io_reason(&error)),
        }])
    })?;
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
                msg!("included_twice", file = include.get_ref()),
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
                msg!(
                    "include_unreadable",
                    file = include_path.display(),
                    reason = io_reason(&error)
                ),
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
                msg!("not_valid_toml", detail = error.message().trim()),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::Language::{English, Italian};

    #[test]
    fn an_unknown_key_names_the_closest_known_one_in_both_languages() {
        let text = "[pipeline]\nid = \"x\"\ntitel = \"X\"\n";
        let file = Arc::new(SourceFile::new("p.toml".into(), text.to_owned()));
        let mut spec = Spec::default();
        let mut problems = Vec::new();
        parse_file(&file, Role::Pipeline, &mut spec, &mut problems);
        let said = |language| -> Vec<String> {
            problems
                .iter()
                .map(|problem| problem.message.render(language))
                .collect()
        };
        assert_eq!(
            said(English),
            [
                "missing field `title`",
                "unknown key `titel`; did you mean `title`?"
            ]
        );
        assert_eq!(
            said(Italian),
            [
                "manca il campo `title`",
                "chiave `titel` sconosciuta; forse `title`?"
            ]
        );
        assert_eq!(problems[1].key, "pipeline.titel");
        assert_eq!(problems[1].line, Some(3));
    }
}
