//! `datavalley explain`: how one published value was computed, from the same ingest and the
//! same long table as a run (kept results are reused), with the files each source read and
//! the older codes whose rows the code changes count in a comune.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::error::{Error, Result};
use crate::finding::Finding;
use crate::indicator::data::Data;
use crate::indicator::explain::Explanation;
use crate::msg;
use crate::run::compute::{self, Prepared};
use crate::run::harmonize;
use crate::run::{Pipeline, RunOptions};
use crate::territory::{Resolved, Territories};

/// An explanation, with where its sources' observations come from.
#[derive(Debug, Serialize)]
pub(crate) struct Explained {
    pub(crate) explanation: Explanation,
    /// The sources the observations name, each with the files or URLs it read.
    pub(crate) sources: Vec<SourceFiles>,
}

#[derive(Debug, Serialize)]
pub(crate) struct SourceFiles {
    pub(crate) name: String,
    pub(crate) label: String,
    /// Each file or URL with the data rows read from it.
    pub(crate) files: Vec<(String, usize)>,
}

/// What `explain` was asked: the indicator by name, the territory by code or union name.
pub(crate) struct Question<'a> {
    pub(crate) indicator: &'a str,
    pub(crate) territory: &'a str,
    pub(crate) period: Option<&'a str>,
}

pub(crate) fn explain(
    pipeline: &Pipeline,
    options: &RunOptions,
    question: &Question,
) -> Result<Explained> {
    let indicator = pipeline
        .indicators
        .iter()
        .find(|i| i.name == question.indicator)
        .ok_or_else(|| unknown_indicator(pipeline, question.indicator))?;
    let prepared = {
        let _lock = crate::lock::acquire(&pipeline.root(&options.output_root))?;
        let (runs, keeping) = super::ingest(pipeline, options, false, None)?;
        let prepared = compute::prepare(pipeline, options.run_time, runs)?;
        keeping.finish()?;
        prepared
    };
    let territory = territory_code(&prepared.territories, question.territory)?;
    let data = Data::new(
        prepared.observations(),
        prepared.defaults(),
        &prepared.territories,
        pipeline.plan.aggregate.clone(),
    );
    let mut explanation = indicator
        .explain(&data, &territory, question.period)
        .map_err(Error::Usage)?;
    add_merged_codes(pipeline, &prepared, &mut explanation)?;
    let sources = sources_named(&prepared, &explanation);
    Ok(Explained {
        explanation,
        sources,
    })
}

fn unknown_indicator(pipeline: &Pipeline, name: &str) -> Error {
    let known: Vec<&str> = pipeline
        .indicators
        .iter()
        .map(|i| i.name.as_str())
        .collect();
    Error::Usage(match crate::text::closest(name, &known) {
        Some(closest) => msg!(
            "explain_unknown_indicator_closest",
            indicator = name,
            closest = closest
        ),
        None => msg!("explain_unknown_indicator", indicator = name),
    })
}

/// A territory's code: as given, or a union's by its name in the pipeline.
fn territory_code(territories: &Territories, given: &str) -> Result<String> {
    if territories.contains(given) {
        return Ok(given.to_owned());
    }
    let by_name: Vec<&str> = territories
        .iter()
        .filter(|t| t.name.eq_ignore_ascii_case(given))
        .map(|t| t.code.as_str())
        .collect();
    match by_name.as_slice() {
        [code] => Ok((*code).to_owned()),
        _ => Err(Error::Usage(match territories.hint(given) {
            Some(hint) => msg!(
                "explain_unknown_territory_hint",
                territory = given,
                hint = hint
            ),
            None => msg!("explain_unknown_territory", territory = given),
        })),
    }
}

/// The older codes of the file of code changes that lead to each comune contributing.
fn add_merged_codes(
    pipeline: &Pipeline,
    prepared: &Prepared,
    explanation: &mut Explanation,
) -> Result<()> {
    let Some(path) = &pipeline.plan.code_changes else {
        return Ok(());
    };
    let mut findings: Vec<Finding> = Vec::new();
    let changes = harmonize::read_code_changes(path, &mut findings)?;
    // A change leads forward from an old code, or back from a new code the list does not
    // have yet to the old one it still has: each code is resolved once.
    let mut leading_to: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for code in changes.iter().flat_map(|change| [&change.old, &change.new]) {
        if let Resolved::Renamed { to, .. } = prepared.territories.resolve(code, &changes) {
            leading_to.entry(to).or_default().insert(code.clone());
        }
    }
    for contribution in explanation
        .terms
        .iter_mut()
        .flat_map(|term| term.contributions.iter_mut())
    {
        if let Some(codes) = leading_to.get(&contribution.territory) {
            contribution.merged_codes = codes.iter().cloned().collect();
        }
    }
    Ok(())
}

/// The sources the explanation's observations name, with their files.
fn sources_named(prepared: &Prepared, explanation: &Explanation) -> Vec<SourceFiles> {
    // Observations name their source by its label, as the published tables do.
    let named: BTreeSet<&str> = explanation
        .terms
        .iter()
        .flat_map(|term| &term.contributions)
        .filter_map(|c| prepared.source_of_label(c.source.as_deref()?))
        .collect();
    prepared
        .sources()
        .iter()
        .filter(|source| named.contains(source.name.as_str()))
        .map(|source| SourceFiles {
            name: source.name.clone(),
            label: source.label.clone(),
            files: source
                .files
                .iter()
                .map(|file| (file.location.clone(), file.rows))
                .collect(),
        })
        .collect()
}
