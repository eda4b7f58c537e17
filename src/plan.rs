//! The checked plan: the spec with paths resolved, kinds checked and references between
//! sources, territories, challenges, indicators and datasets cross-checked, every problem
//! collected and reported together. Nothing here reads data.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::error::{ConfigProblem, Error, Result};
use crate::indicator::Indicator;
use crate::metadata::{self, Catalog, DatasetMetadata};
use crate::source::{Source, SourceSpec};
use crate::spec::{self, Spec};
use crate::table::TableName;
use crate::territory::{Level, UnionEntry, level_of_istat_code};
use crate::text;

#[derive(Debug, Clone)]
pub struct PlannedSource {
    pub name: String,
    pub source: Source,
    /// The source's entry as written (JSON), for its fingerprint: paths stay as written, so
    /// the fingerprint does not depend on the folder the tool is run from.
    pub written: String,
}

#[derive(Debug, Clone)]
pub struct Challenge {
    pub number: u8,
    pub title: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Dataset {
    pub name: String,
    pub title: String,
    pub description: Option<String>,
    pub table: TableName,
    /// Present when the pipeline publishes a catalog.
    pub metadata: Option<DatasetMetadata>,
}

#[derive(Debug, Clone)]
pub struct Plan {
    pub pipeline_file: PathBuf,
    /// SHA-256 of the pipeline file and its includes.
    pub config_sha256: String,
    /// How many releases to keep (the current one included).
    pub keep_releases: usize,
    /// Largest local input file accepted, in bytes.
    pub max_input_bytes: u64,
    /// Whether paths may lead outside the pipeline file's folder.
    pub allow_outside_paths: bool,
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub publisher: Option<String>,
    pub focus: Option<String>,
    pub catalog: Option<Catalog>,
    pub site: crate::site::SiteSettings,
    pub sources: Vec<PlannedSource>,
    pub unions: Vec<UnionEntry>,
    pub aggregate: BTreeSet<Level>,
    pub code_changes: Option<PathBuf>,
    pub unknown_codes: crate::spec::UnknownCodes,
    pub challenges: BTreeMap<u8, Challenge>,
    pub indicators: Vec<Indicator>,
    pub datasets: Vec<Dataset>,
}

/// Parses and checks a pipeline file: a plan, or every problem found.
pub fn load(path: &Path) -> Result<Plan> {
    let (spec, problems) = spec::load(path)?;
    build(spec, problems)
}

pub fn build(spec: Spec, mut problems: Vec<ConfigProblem>) -> Result<Plan> {
    let file_problem = |message: &str| ConfigProblem {
        file: spec.pipeline_file.clone(),
        line: None,
        column: None,
        key: String::new(),
        message: message.to_owned(),
    };
    let base = crate::source::Paths {
        base: spec
            .pipeline_file
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from(".")),
        allow_outside: spec
            .pipeline
            .as_ref()
            .is_some_and(|p| p.spec.allow_outside_paths),
    };

    let pipeline = spec.pipeline.as_ref();
    if pipeline.is_none() && !spec.broken.contains("pipeline") {
        problems.push(file_problem(
            "the [pipeline] table is missing: give at least `id` and `title`",
        ));
    }
    if let Some(item) = pipeline {
        let id = &item.spec.id;
        let valid = id
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            && id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !valid {
            problems.push(item.problem(format!(
                "`id` = {id:?}: use lower-case letters, digits and dashes (it names the output folder)"
            )));
        }
        if item.spec.title.trim().is_empty() {
            problems.push(item.problem("`title` is empty"));
        }
        if let Some(keep) = item
            .spec
            .keep_releases
            .as_ref()
            .filter(|k| *k.get_ref() == 0)
        {
            problems.push(item.problem_at(
                keep.span(),
                "keep_releases",
                "keep at least 1 release: the current one",
            ));
        }
        if let Some(limit) = item
            .spec
            .max_input_bytes
            .as_ref()
            .filter(|m| *m.get_ref() == 0)
        {
            problems.push(item.problem_at(
                limit.span(),
                "max_input_bytes",
                "0 bytes would refuse every file; write the largest size expected, in bytes",
            ));
        }
    }

    // Sources.
    let mut sources = Vec::new();
    for item in &spec.sources {
        match SourceSpec::check(item, &base) {
            Ok(source) => sources.push(PlannedSource {
                name: item.name.clone(),
                source,
                written: serde_json::to_string(&item.spec).unwrap_or_default(),
            }),
            Err(source_problems) => problems.extend(source_problems),
        }
    }
    let territory_sources: Vec<_> = spec
        .sources
        .iter()
        .filter(|item| matches!(item.spec, SourceSpec::Territories(_)))
        .collect();
    match territory_sources.len() {
        0 => problems.push(file_problem(
            "a pipeline needs one `territories` source (ISTAT's list of comuni): add [source.comuni.territories] with its `file`",
        )),
        1 => {}
        _ => {
            for item in &territory_sources[1..] {
                problems.push(item.problem("a pipeline has one `territories` source; this is a second one"));
            }
        }
    }

    // Territories: unions and aggregation levels.
    let mut unions = Vec::new();
    let mut aggregate = BTreeSet::new();
    let mut code_changes = None;
    if let Some(item) = &spec.territories {
        if let Some(written) = &item.spec.code_changes {
            match crate::source::resolve_path(item, "code_changes", written, &base, false) {
                Ok(path) => code_changes = Some(path),
                Err(problem) => problems.push(problem),
            }
        }
        for level in &item.spec.aggregate {
            match level.get_ref() {
                Level::Comune => problems.push(item.problem_at(
                    level.span(),
                    "aggregate",
                    "comuni are not aggregates; list union, province, region or italy",
                )),
                other => {
                    aggregate.insert(*other);
                }
            }
        }
        for (name, union) in &item.spec.union {
            let key = format!("territories.union.{name}");
            if !text::is_snake_case(name) {
                problems.push(item.file.problem(
                    item.span.clone(),
                    &key,
                    "union names are snake_case, e.g. `val_d_enza`: they are its code in the outputs",
                ));
            }
            if union.members.is_empty() {
                problems.push(item.file.problem(
                    item.span.clone(),
                    &key,
                    "a union has at least one member",
                ));
            }
            let mut seen = BTreeSet::new();
            for member in &union.members {
                if level_of_istat_code(member.get_ref()) != Some(Level::Comune) {
                    problems.push(item.file.problem(
                        member.span(),
                        &format!("{key}.members"),
                        format!(
                            "{:?} is not a six-digit ISTAT comune code (write \"035004\", as text)",
                            member.get_ref()
                        ),
                    ));
                } else if !seen.insert(member.get_ref().clone()) {
                    problems.push(item.file.problem(
                        member.span(),
                        &format!("{key}.members"),
                        format!("{} is listed twice", member.get_ref()),
                    ));
                }
            }
            unions.push(UnionEntry {
                code: name.clone(),
                name: union.name.clone(),
                members: union.members.iter().map(|m| m.get_ref().clone()).collect(),
            });
        }
    }

    let focus = pipeline.and_then(|item| item.spec.focus.clone());
    if let (Some(item), Some(focus)) = (pipeline, &focus) {
        let declared = unions.iter().any(|u| &u.code == focus.get_ref());
        if !declared && level_of_istat_code(focus.get_ref()).is_none() {
            problems.push(item.problem_at(
                focus.span(),
                "focus",
                format!(
                    "{:?} is neither an ISTAT code nor a union declared under [territories.union]",
                    focus.get_ref()
                ),
            ));
        }
    }

    // Challenges.
    let mut challenges = BTreeMap::new();
    for item in &spec.challenges {
        match item.name.parse::<u8>() {
            Ok(number) if (1..=8).contains(&number) => {
                if challenges
                    .insert(
                        number,
                        Challenge {
                            number,
                            title: item.spec.title.clone(),
                            description: item.spec.description.clone(),
                        },
                    )
                    .is_some()
                {
                    problems.push(item.problem(format!("challenge {number} is declared twice")));
                }
            }
            _ => problems.push(item.problem("challenges are [challenge.1] to [challenge.8]")),
        }
    }
    let declared: BTreeSet<u8> = challenges.keys().copied().collect();

    // Indicators, from the pipeline and its catalogs.
    let mut indicators = Vec::new();
    let mut indicator_names = BTreeMap::new();
    for item in &spec.indicators {
        if let Some(first) = indicator_names.insert(item.name.clone(), item) {
            problems.push(item.problem(format!(
                "indicator `{}` is also declared in {}",
                item.name,
                first.file.path.display()
            )));
            continue;
        }
        match Indicator::check(item, &declared) {
            Ok(indicator) => indicators.push(indicator),
            Err(indicator_problems) => problems.extend(indicator_problems),
        }
    }

    let site = match &spec.site {
        Some(item) => crate::site::check_settings(item).unwrap_or_else(|site_problems| {
            problems.extend(site_problems);
            crate::site::SiteSettings::default()
        }),
        None => crate::site::SiteSettings::default(),
    };

    // The catalog and the datasets it describes.
    let catalog = match (&spec.catalog, pipeline) {
        (Some(item), Some(pipeline)) => {
            match metadata::check_catalog(
                item,
                &pipeline.spec.title,
                pipeline.spec.description.as_deref(),
            ) {
                Ok(catalog) => Some(catalog),
                Err(catalog_problems) => {
                    problems.extend(catalog_problems);
                    None
                }
            }
        }
        _ => None,
    };
    let mut datasets = Vec::new();
    for item in &spec.datasets {
        if item.spec.title.trim().is_empty() {
            problems.push(item.problem("`title` is empty"));
        }
        // Datasets are checked even when the catalog has problems, so that all are reported.
        let metadata = match &spec.catalog {
            Some(_) => match metadata::check_dataset(
                item,
                catalog
                    .as_ref()
                    .map_or(metadata::License::CcBy40, |c| c.license),
            ) {
                Ok(metadata) => Some(metadata),
                Err(dataset_problems) => {
                    problems.extend(dataset_problems);
                    None
                }
            },
            None => None,
        };
        datasets.push(Dataset {
            name: item.name.clone(),
            title: item.spec.title.clone(),
            description: item.spec.description.clone(),
            table: *item.spec.table.get_ref(),
            metadata,
        });
    }
    if spec.datasets.is_empty() && spec.broken.is_empty() && pipeline.is_some() {
        problems.push(file_problem(
            "nothing to publish: declare at least one [dataset.NAME] with `title` and `table`",
        ));
    }

    if !problems.is_empty() {
        problems.sort();
        problems.dedup();
        return Err(Error::Config(problems));
    }
    let Some(pipeline) = pipeline else {
        return Err(Error::Config(vec![file_problem(
            "the [pipeline] table is missing",
        )]));
    };
    let config_sha256 = {
        use sha2::Digest;
        let mut hasher = sha2::Sha256::new();
        for file in &spec.files {
            // The name, not the path: the same files read from another folder are the same
            // pipeline.
            let name = file.path.file_name().unwrap_or_default();
            hasher.update(name.as_encoded_bytes());
            hasher.update([0]);
            hasher.update(file.text().as_bytes());
            hasher.update([0]);
        }
        crate::stage::hex(&hasher.finalize())
    };
    Ok(Plan {
        pipeline_file: spec.pipeline_file.clone(),
        config_sha256,
        keep_releases: pipeline
            .spec
            .keep_releases
            .as_ref()
            .map_or(5, |k| *k.get_ref()),
        max_input_bytes: pipeline
            .spec
            .max_input_bytes
            .as_ref()
            .map_or(1 << 30, |m| *m.get_ref()),
        allow_outside_paths: pipeline.spec.allow_outside_paths,
        id: pipeline.spec.id.clone(),
        title: pipeline.spec.title.clone(),
        description: pipeline.spec.description.clone(),
        publisher: pipeline.spec.publisher.clone(),
        focus: focus.map(|f| f.into_inner()),
        catalog,
        site,
        sources,
        unions,
        aggregate,
        code_changes,
        unknown_codes: spec
            .territories
            .as_ref()
            .and_then(|t| t.spec.unknown_codes)
            .unwrap_or(crate::spec::UnknownCodes::Error),
        challenges,
        indicators,
        datasets,
    })
}

impl Plan {
    /// A plain description of what a run would do, for `datavalley plan`.
    pub fn describe(&self) -> String {
        let mut text = format!("pipeline `{}`: {}\n", self.id, self.title);
        text.push_str(&format!("sources ({}):\n", self.sources.len()));
        for source in &self.sources {
            text.push_str(&format!(
                "  {} ({}): {}\n",
                source.name,
                source.source.kind(),
                source.source.describe_location()
            ));
        }
        if !self.unions.is_empty() {
            text.push_str("unions:\n");
            for union in &self.unions {
                text.push_str(&format!(
                    "  {} ({}): {} comuni\n",
                    union.code,
                    union.name,
                    union.members.len()
                ));
            }
        }
        let levels: Vec<&str> = self.aggregate.iter().map(|l| l.as_str()).collect();
        text.push_str(&format!(
            "sums over comuni at: {}\n",
            if levels.is_empty() {
                "none".to_owned()
            } else {
                levels.join(", ")
            }
        ));
        text.push_str(&format!("indicators ({}):\n", self.indicators.len()));
        for indicator in &self.indicators {
            text.push_str(&format!(
                "  challenge {} {} ({}): {}\n",
                indicator.challenge,
                indicator.name,
                indicator.kind.name(),
                indicator.label
            ));
        }
        text.push_str(&format!("datasets ({}):\n", self.datasets.len()));
        for dataset in &self.datasets {
            text.push_str(&format!(
                "  {} ({}): {}\n",
                dataset.name,
                dataset.table.as_str(),
                dataset.title
            ));
        }
        text
    }
}
