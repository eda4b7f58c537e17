//! The pipeline checked whole: the plan of the pipeline file, and every source and indicator
//! checked by its own kind; every problem of the three is reported at once.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{ConfigProblem, Error, Result};
use crate::indicator::Indicator;
use crate::message::Message;
use crate::msg;
use crate::plan::{self, Plan};
use crate::source::Source;
use crate::source::freshness::UpdateRule;
use crate::spec::{self, Spec};

/// A pipeline checked whole: the plan, and every source and indicator checked by its kind.
#[derive(Debug, Clone)]
pub(crate) struct Pipeline {
    pub(crate) plan: Plan,
    pub(crate) sources: Vec<PlannedSource>,
    pub(crate) indicators: Vec<Indicator>,
}

#[derive(Debug, Clone)]
pub(crate) struct PlannedSource {
    pub(crate) name: String,
    pub(crate) source: Source,
    /// How often its data should change, when the source says it.
    pub(crate) update: Option<UpdateRule>,
    /// The source's kind entry as written (JSON), for its fingerprint: paths stay as written,
    /// so the fingerprint does not depend on the folder the tool is run from; the fields of
    /// every kind (how often it should change) do not change what is read.
    pub(crate) written: String,
}

/// Parses and checks a pipeline file: the pipeline, or every problem found, at once.
pub(crate) fn load(path: &Path) -> Result<Pipeline> {
    let (spec, mut problems) = spec::load(path)?;
    let plan = plan::build(&spec, &mut problems);
    let sources = check_sources(&spec, plan.as_ref(), &mut problems);
    let indicators = check_indicators(&spec, &mut problems);
    match plan {
        Some(plan) if problems.is_empty() => Ok(Pipeline {
            plan,
            sources,
            indicators,
        }),
        _ => {
            problems.sort();
            problems.dedup();
            Err(Error::Config(problems))
        }
    }
}

/// Each source checked by its kind.
fn check_sources(
    spec: &Spec,
    plan: Option<&Plan>,
    problems: &mut Vec<ConfigProblem>,
) -> Vec<PlannedSource> {
    let paths = plan.map_or_else(|| plan::paths_of(spec), |plan| plan.paths.clone());
    let mut sources = Vec::new();
    for item in &spec.sources {
        match Source::check(item, &paths) {
            Ok(source) => sources.push(PlannedSource {
                name: item.name.clone(),
                source,
                update: UpdateRule::of(&item.spec.common),
                written: serde_json::to_string(&item.spec.kind).unwrap_or_default(),
            }),
            Err(source_problems) => problems.extend(source_problems),
        }
    }
    sources
}

/// Each indicator checked by its kind, once across the pipeline and its catalogs.
fn check_indicators(spec: &Spec, problems: &mut Vec<ConfigProblem>) -> Vec<Indicator> {
    let declared = plan::declared_challenges(spec);
    let mut first_of = BTreeMap::new();
    let mut indicators = Vec::new();
    for item in &spec.indicators {
        if let Some(first) = first_of.insert(item.name.clone(), item) {
            problems.push(item.problem(msg!(
                "indicator_declared_twice",
                indicator = &item.name,
                file = first.file.path.display()
            )));
            continue;
        }
        match Indicator::check(item, &declared) {
            Ok(indicator) => indicators.push(indicator),
            Err(indicator_problems) => problems.extend(indicator_problems),
        }
    }
    indicators
}

impl Pipeline {
    /// A plain description of what a run would do, for `datavalley plan`: one message a
    /// line.
    pub(crate) fn describe(&self) -> Vec<Message> {
        let plan = &self.plan;
        let mut lines = vec![
            msg!("plan_pipeline", id = &plan.id, title = &plan.title),
            msg!("plan_sources", count = self.sources.len()),
        ];
        lines.extend(self.sources.iter().map(|source| {
            msg!(
                "plan_source",
                name = &source.name,
                kind = source.source.kind(),
                location = source.source.describe_location()
            )
        }));
        if !plan.unions.is_empty() {
            lines.push(msg!("plan_unions"));
            lines.extend(plan.unions.iter().map(|union| {
                msg!(
                    "plan_union",
                    code = &union.code,
                    name = &union.name,
                    comuni = union.members.len()
                )
            }));
        }
        let levels: Vec<&str> = plan.aggregate.iter().map(|l| l.as_str()).collect();
        lines.push(match levels.is_empty() {
            true => msg!("plan_no_sums"),
            false => msg!("plan_sums", levels = levels.join(", ")),
        });
        lines.push(msg!("plan_indicators", count = self.indicators.len()));
        lines.extend(self.indicators.iter().map(|indicator| {
            msg!(
                "plan_indicator",
                challenge = indicator.challenge.to_string(),
                name = &indicator.name,
                kind = indicator.kind.name(),
                label = &indicator.label
            )
        }));
        lines.push(msg!("plan_datasets", count = plan.datasets.len()));
        lines.extend(plan.datasets.iter().map(|dataset| {
            msg!(
                "plan_dataset",
                name = &dataset.name,
                table = dataset.table.as_str(),
                title = &dataset.title
            )
        }));
        lines
    }

    /// The pipeline's folder under the output folder.
    pub(crate) fn root(&self, output_root: &Path) -> PathBuf {
        output_root.join(&self.plan.id)
    }
}
