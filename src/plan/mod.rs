//! The checked plan: what a pipeline file says as a whole, with its paths resolved and the
//! references between territories, challenges and datasets cross-checked. It is built by a
//! list of named checks, each collecting its problems, so that every problem is reported at
//! once. Each source and indicator kind checks its own options in its own file (`source/`,
//! `indicator/`); `run::load` puts the three together. Nothing here reads data.

pub(crate) mod catalog;
pub(crate) mod paths;
pub(crate) mod placeholders;
pub(crate) mod site;
pub(crate) mod territories;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::digest::Hasher;
use crate::error::ConfigProblem;
use crate::msg;
use crate::spec::{Item, PipelineSpec, Spec, UnknownCodes};
use crate::table::TableName;

use catalog::{Catalog, DatasetMetadata};
pub(crate) use paths::{Location, Paths};
use site::SiteSettings;
pub(crate) use territories::UnionEntry;

#[derive(Debug, Clone)]
pub(crate) struct Challenge {
    pub(crate) number: u8,
    pub(crate) title: String,
    pub(crate) description: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct Dataset {
    pub(crate) name: String,
    pub(crate) title: String,
    pub(crate) description: Option<String>,
    pub(crate) table: TableName,
    /// Present when the pipeline publishes a catalog.
    pub(crate) metadata: Option<DatasetMetadata>,
}

#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub(crate) pipeline_file: PathBuf,
    /// SHA-256 of the pipeline file and its includes.
    pub(crate) config_sha256: String,
    /// How many releases to keep (the current one included).
    pub(crate) keep_releases: usize,
    /// Releases whose history segments are kept whole (`[history] keep`); `None`, every one.
    pub(crate) keep_history: Option<usize>,
    /// Largest local input file accepted, in bytes.
    pub(crate) max_input_bytes: u64,
    /// Where the pipeline file's paths lead from.
    pub(crate) paths: Paths,
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) description: Option<String>,
    pub(crate) publisher: Option<String>,
    pub(crate) focus: Option<String>,
    pub(crate) catalog: Option<Catalog>,
    pub(crate) site: SiteSettings,
    pub(crate) unions: Vec<UnionEntry>,
    pub(crate) aggregate: BTreeSet<crate::istat::Level>,
    pub(crate) code_changes: Option<PathBuf>,
    pub(crate) unknown_codes: UnknownCodes,
    pub(crate) challenges: BTreeMap<u8, Challenge>,
    pub(crate) datasets: Vec<Dataset>,
    /// Fields still holding the placeholder `datavalley init` wrote: reported, not blocking.
    pub(crate) to_fill: Vec<ConfigProblem>,
}

/// The plan of a spec, or nothing when a check found a problem; every check runs, and every
/// problem is added to `problems`.
pub(crate) fn build(spec: &Spec, problems: &mut Vec<ConfigProblem>) -> Option<Plan> {
    let found_before = problems.len();
    let paths = paths_of(spec);
    check_pipeline(spec, problems);
    check_history(spec, problems);
    territories::check_source_count(spec, problems);
    let territories = territories::check(spec, &paths, problems);
    territories::check_focus(spec, &territories.unions, problems);
    let challenges = check_challenges(spec, problems);
    let site = check_site(spec, problems);
    let catalog = check_catalog(spec, problems);
    let datasets = check_datasets(spec, catalog.as_ref(), problems);
    check_something_to_publish(spec, problems);
    let pipeline = spec.pipeline.as_ref()?;
    if problems.len() > found_before {
        return None;
    }
    Some(Plan {
        pipeline_file: spec.pipeline_file.clone(),
        config_sha256: config_sha256(spec),
        keep_releases: pipeline
            .spec
            .keep_releases
            .as_ref()
            .map_or(5, |k| *k.get_ref()),
        keep_history: spec
            .history
            .as_ref()
            .and_then(|h| h.spec.keep.as_ref())
            .map(|k| *k.get_ref()),
        max_input_bytes: pipeline
            .spec
            .max_input_bytes
            .as_ref()
            .map_or(1 << 30, |m| *m.get_ref()),
        paths,
        id: pipeline.spec.id.clone(),
        title: pipeline.spec.title.clone(),
        description: pipeline.spec.description.clone(),
        publisher: pipeline.spec.publisher.clone(),
        focus: pipeline.spec.focus.as_ref().map(|f| f.get_ref().clone()),
        catalog,
        site,
        unions: territories.unions,
        aggregate: territories.aggregate,
        code_changes: territories.code_changes,
        unknown_codes: spec
            .territories
            .as_ref()
            .and_then(|t| t.spec.unknown_codes)
            .unwrap_or(UnknownCodes::Error),
        challenges,
        datasets,
        to_fill: placeholders::unfilled(spec),
    })
}

pub(crate) fn paths_of(spec: &Spec) -> Paths {
    Paths {
        base: spec
            .pipeline_file
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from(".")),
        allow_outside: spec
            .pipeline
            .as_ref()
            .is_some_and(|p| p.spec.allow_outside_paths),
    }
}

/// `[pipeline]`: there, with an id that can name a folder, a title and sensible limits.
fn check_pipeline(spec: &Spec, problems: &mut Vec<ConfigProblem>) {
    let Some(item) = &spec.pipeline else {
        if !spec.broken.contains("pipeline") {
            problems.push(spec.file_problem(msg!("pipeline_table_missing")));
        }
        return;
    };
    if !is_folder_name(&item.spec.id) {
        let id = format!("{:?}", item.spec.id);
        problems.push(item.problem(msg!("pipeline_id_not_a_folder_name", id = id)));
    }
    if item.spec.title.trim().is_empty() {
        problems.push(item.problem(msg!("entry_title_empty")));
    }
    check_limits(item, problems);
}

pub(crate) fn is_folder_name(id: &str) -> bool {
    id.chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// `[history] keep` keeps at least the releases `rollback` can go back to, whose history the
/// rollback needs whole.
fn check_history(spec: &Spec, problems: &mut Vec<ConfigProblem>) {
    let Some(history) = &spec.history else {
        return;
    };
    let Some(keep) = &history.spec.keep else {
        return;
    };
    let releases = spec
        .pipeline
        .as_ref()
        .and_then(|p| p.spec.keep_releases.as_ref())
        .map_or(5, |k| *k.get_ref());
    if *keep.get_ref() < releases {
        problems.push(history.problem_at(
            keep.span(),
            "keep",
            msg!("history_keep_below_releases", releases = releases),
        ));
    }
}

fn check_limits(item: &Item<PipelineSpec>, problems: &mut Vec<ConfigProblem>) {
    if let Some(keep) = item
        .spec
        .keep_releases
        .as_ref()
        .filter(|k| *k.get_ref() == 0)
    {
        problems.push(item.problem_at(keep.span(), "keep_releases", msg!("keep_releases_zero")));
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
            msg!("max_input_bytes_zero"),
        ));
    }
}

/// The numbers of the challenges a spec declares, for the indicators that name them.
pub(crate) fn declared_challenges(spec: &Spec) -> BTreeSet<u8> {
    spec.challenges
        .iter()
        .filter_map(|item| item.name.parse::<u8>().ok())
        .filter(|number| (1..=8).contains(number))
        .collect()
}

/// `[challenge.1]` to `[challenge.8]`, each declared once.
fn check_challenges(spec: &Spec, problems: &mut Vec<ConfigProblem>) -> BTreeMap<u8, Challenge> {
    let mut challenges = BTreeMap::new();
    for item in &spec.challenges {
        match item.name.parse::<u8>() {
            Ok(number) if (1..=8).contains(&number) => {
                let challenge = Challenge {
                    number,
                    title: item.spec.title.clone(),
                    description: item.spec.description.clone(),
                };
                if challenges.insert(number, challenge).is_some() {
                    let number = number.to_string();
                    problems.push(item.problem(msg!("challenge_twice", number = number)));
                }
            }
            _ => problems.push(item.problem(msg!("challenge_not_numbered"))),
        }
    }
    challenges
}

fn check_site(spec: &Spec, problems: &mut Vec<ConfigProblem>) -> SiteSettings {
    match &spec.site {
        Some(item) => site::check(item).unwrap_or_else(|site_problems| {
            problems.extend(site_problems);
            SiteSettings::default()
        }),
        None => SiteSettings::default(),
    }
}

/// `[catalog]`, for a pipeline that publishes one.
fn check_catalog(spec: &Spec, problems: &mut Vec<ConfigProblem>) -> Option<Catalog> {
    let (item, pipeline) = (spec.catalog.as_ref()?, spec.pipeline.as_ref()?);
    let description = pipeline.spec.description.as_deref();
    catalog::check_catalog(item, &pipeline.spec.title, description)
        .map_err(|catalog_problems| problems.extend(catalog_problems))
        .ok()
}

/// `[dataset.NAME]`: a title, and the catalog fields when there is a catalog. Datasets are
/// checked even when the catalog has problems, so that all are reported.
fn check_datasets(
    spec: &Spec,
    catalog: Option<&Catalog>,
    problems: &mut Vec<ConfigProblem>,
) -> Vec<Dataset> {
    let license = catalog.map_or(catalog::License::CcBy40, |c| c.license);
    let mut datasets = Vec::new();
    for item in &spec.datasets {
        if item.spec.title.trim().is_empty() {
            problems.push(item.problem(msg!("entry_title_empty")));
        }
        let metadata = spec.catalog.as_ref().and_then(|_| {
            catalog::check_dataset(item, license)
                .map_err(|dataset_problems| problems.extend(dataset_problems))
                .ok()
        });
        datasets.push(Dataset {
            name: item.name.clone(),
            title: item.spec.title.clone(),
            description: item.spec.description.clone(),
            table: *item.spec.table.get_ref(),
            metadata,
        });
    }
    datasets
}

fn check_something_to_publish(spec: &Spec, problems: &mut Vec<ConfigProblem>) {
    if spec.datasets.is_empty() && spec.broken.is_empty() && spec.pipeline.is_some() {
        problems.push(spec.file_problem(msg!("nothing_to_publish")));
    }
}

/// The digest of the pipeline file and its includes, by name and text: the same files read
/// from another folder are the same pipeline.
fn config_sha256(spec: &Spec) -> String {
    let mut hasher = Hasher::new();
    for file in &spec.files {
        let name = file.path.file_name().unwrap_or_default();
        hasher.update(name.as_encoded_bytes());
        hasher.update(&[0]);
        hasher.update(file.text().as_bytes());
        hasher.update(&[0]);
    }
    hasher.finish()
}
