//! Indicators: one file per kind, each checking its own options and computing points
//! (territory, period, value, numerator, denominator) from the long table; here the fields
//! every kind shares and the comparison with published figures. The enum is the registry of
//! kinds.

pub(crate) mod check;
pub(crate) mod common;
pub(crate) mod data;
pub(crate) mod mean;
pub(crate) mod ratio;
pub(crate) mod rows;
pub(crate) mod share;
pub(crate) mod sum;
pub(crate) mod target;
pub(crate) mod value;

use std::collections::BTreeSet;

use crate::error::ConfigProblem;
use crate::finding::Finding;
use crate::istat::Level;
use crate::spec::Item;
use crate::spec::indicator::{IndicatorKindSpec, IndicatorSpec};

pub(crate) use check::Check;
use common::{Computation, Computing, Published};
use data::Data;

#[derive(Debug, Clone)]
pub(crate) enum IndicatorKind {
    Ratio(ratio::Ratio),
    Share(share::Share),
    Mean(mean::Mean),
    Sum(sum::Sum),
    Value(value::Value),
    Target(target::Target),
}

/// A checked indicator.
#[derive(Debug, Clone)]
pub(crate) struct Indicator {
    pub(crate) name: String,
    pub(crate) challenge: u8,
    pub(crate) label: String,
    pub(crate) unit: String,
    pub(crate) decimals: u8,
    pub(crate) compare_with: Vec<Level>,
    pub(crate) headline: bool,
    pub(crate) kind: IndicatorKind,
}

impl IndicatorKind {
    /// The kind's own options, checked by its file.
    fn check(item: &Item<IndicatorSpec>) -> Result<IndicatorKind, Vec<ConfigProblem>> {
        match &item.spec.kind {
            IndicatorKindSpec::Ratio(spec) => {
                ratio::Ratio::check(item, spec).map(IndicatorKind::Ratio)
            }
            IndicatorKindSpec::Share(spec) => {
                share::Share::check(item, spec).map(IndicatorKind::Share)
            }
            IndicatorKindSpec::Mean(spec) => mean::Mean::check(item, spec).map(IndicatorKind::Mean),
            IndicatorKindSpec::Sum(spec) => sum::Sum::check(item, spec).map(IndicatorKind::Sum),
            IndicatorKindSpec::Value(spec) => {
                value::Value::check(item, spec).map(IndicatorKind::Value)
            }
            IndicatorKindSpec::Target(spec) => {
                target::Target::check(item, spec).map(IndicatorKind::Target)
            }
        }
    }

    pub(crate) fn name(&self) -> &'static str {
        match self {
            IndicatorKind::Ratio(_) => "ratio",
            IndicatorKind::Share(_) => "share",
            IndicatorKind::Mean(_) => "mean",
            IndicatorKind::Sum(_) => "sum",
            IndicatorKind::Value(_) => "value",
            IndicatorKind::Target(_) => "target",
        }
    }

    /// The figure a document published for the indicator, when the pipeline gives one.
    fn published(&self) -> Option<Published<'_>> {
        let (measure, note, per) = match self {
            IndicatorKind::Ratio(ratio) => (
                ratio.published.as_deref(),
                ratio.published_note.as_deref(),
                Some(ratio.per),
            ),
            IndicatorKind::Share(share) => (share.published.as_deref(), None, None),
            IndicatorKind::Mean(mean) => (mean.published.as_deref(), None, None),
            IndicatorKind::Sum(sum) => (sum.published.as_deref(), None, None),
            IndicatorKind::Value(_) | IndicatorKind::Target(_) => (None, None, None),
        };
        Some(Published {
            measure: measure?,
            note,
            per,
        })
    }

    /// Whether the values are totals (counts, amounts), which do not compare across
    /// territories of different sizes.
    pub(crate) fn gives_totals(&self) -> bool {
        matches!(self, IndicatorKind::Sum(_))
    }

    /// What the denominator counts, for the catalog and the table.
    pub(crate) fn denominator_label(&self) -> Option<String> {
        match self {
            IndicatorKind::Ratio(ratio) => Some(ratio.denominator_label.clone()),
            IndicatorKind::Share(_) | IndicatorKind::Mean(_) => {
                Some("comuni del territorio".to_owned())
            }
            IndicatorKind::Target(_) => Some("obiettivo dichiarato dal progetto".to_owned()),
            IndicatorKind::Sum(_) | IndicatorKind::Value(_) => None,
        }
    }

    /// The measures the indicator reads.
    pub(crate) fn measures(&self) -> Vec<String> {
        match self {
            IndicatorKind::Ratio(ratio) => vec![ratio.numerator.clone(), ratio.denominator.clone()],
            IndicatorKind::Share(share) => vec![share.measure.clone()],
            IndicatorKind::Mean(mean) => vec![mean.measure.clone()],
            IndicatorKind::Sum(sum) => vec![sum.measure.clone()],
            IndicatorKind::Value(value) => vec![value.measure.clone()],
            IndicatorKind::Target(target) => vec![target.target_measure(), target.actual_measure()],
        }
    }
}

impl Indicator {
    /// Checks the fields every kind shares and then the kind's own.
    pub(crate) fn check(
        item: &Item<IndicatorSpec>,
        challenges: &BTreeSet<u8>,
    ) -> Result<Indicator, Vec<ConfigProblem>> {
        let common = &item.spec.common;
        let mut problems = check_common(item, challenges);
        let compare_with = benchmarks(item, &mut problems);
        match IndicatorKind::check(item) {
            Ok(kind) if problems.is_empty() => Ok(Indicator {
                name: item.name.clone(),
                challenge: *common.challenge.get_ref(),
                label: common.label.clone(),
                unit: common.unit.clone(),
                decimals: *common.decimals.get_ref(),
                compare_with,
                headline: common.headline,
                kind,
            }),
            Ok(_) => Err(problems),
            Err(kind_problems) => {
                problems.extend(kind_problems);
                Err(problems)
            }
        }
    }

    pub(crate) fn compute(&self, data: &Data) -> Computation {
        let indicator = Computing {
            name: &self.name,
            decimals: self.decimals,
            denominator_label: self.kind.denominator_label(),
        };
        let mut computed = match &self.kind {
            IndicatorKind::Ratio(kind) => kind.compute(&indicator, data),
            IndicatorKind::Share(kind) => kind.compute(&indicator, data),
            IndicatorKind::Mean(kind) => kind.compute(&indicator, data),
            IndicatorKind::Sum(kind) => kind.compute(&indicator, data),
            IndicatorKind::Value(kind) => kind.compute(&indicator, data),
            IndicatorKind::Target(kind) => kind.compute(&indicator, data),
        };
        if let Some(published) = self.kind.published() {
            computed.checks =
                common::checks_against(&indicator, &published, data, &computed.points);
        }
        if computed.points.is_empty() {
            let measures = self.kind.measures();
            let hints: String = measures
                .iter()
                .filter_map(|measure| {
                    let closest = data.closest_measure(measure)?;
                    Some(format!(
                        "; the data has no `{measure}`: did you mean `{closest}`?"
                    ))
                })
                .collect();
            computed.findings.push(Finding::warning(
                "no_data",
                format!(
                    "indicator `{}` has no value anywhere: no usable observations of `{}`{hints}",
                    self.name,
                    measures.join("`, `")
                ),
            ));
        }
        computed
    }
}

/// The fields every kind has: a declared challenge, decimals, a label and a unit.
fn check_common(item: &Item<IndicatorSpec>, challenges: &BTreeSet<u8>) -> Vec<ConfigProblem> {
    let common = &item.spec.common;
    let mut problems = Vec::new();
    let challenge = *common.challenge.get_ref();
    if !(1..=8).contains(&challenge) {
        problems.push(item.problem_at(
            common.challenge.span(),
            "challenge",
            "challenges are numbered 1 to 8",
        ));
    } else if !challenges.is_empty() && !challenges.contains(&challenge) {
        problems.push(item.problem_at(
            common.challenge.span(),
            "challenge",
            format!("challenge {challenge} is not declared in any [challenge.N] table"),
        ));
    }
    if *common.decimals.get_ref() > 6 {
        problems.push(item.problem_at(common.decimals.span(), "decimals", "at most 6 decimals"));
    }
    if common.label.trim().is_empty() {
        problems.push(item.problem("the label is empty"));
    }
    if common.unit.trim().is_empty() {
        problems.push(item.problem("the unit is empty"));
    }
    problems
}

/// The levels an indicator compares with: its province, region or Italy.
fn benchmarks(item: &Item<IndicatorSpec>, problems: &mut Vec<ConfigProblem>) -> Vec<Level> {
    let mut compare_with = Vec::new();
    for level in &item.spec.common.compare_with {
        match level.get_ref() {
            Level::Province | Level::Region | Level::Italy => compare_with.push(*level.get_ref()),
            other => problems.push(item.problem_at(
                level.span(),
                "compare_with",
                format!(
                    "benchmarks are province, region or italy, not {}",
                    other.as_str()
                ),
            )),
        }
    }
    compare_with
}
