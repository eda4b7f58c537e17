//! Indicators: one file per kind, each checking its own options and computing points
//! (territory, period, value, numerator, denominator) from the long table; here the fields
//! every kind shares and the comparison with published figures. The enum is the registry of
//! kinds.

pub(crate) mod check;
pub(crate) mod common;
pub(crate) mod data;
pub(crate) mod explain;
pub(crate) mod mean;
pub(crate) mod ratio;
pub(crate) mod rows;
pub(crate) mod share;
pub(crate) mod sum;
pub(crate) mod target;
pub(crate) mod value;
pub(crate) mod wording;

use std::collections::BTreeSet;

use crate::error::ConfigProblem;
use crate::finding::Finding;
use crate::istat::Level;
use crate::message::{Argument, Message};
use crate::msg;
use crate::spec::Item;
use crate::spec::indicator::{IndicatorKindSpec, IndicatorSpec};

pub(crate) use check::Check;
use common::{Computation, Computing, Point, Published};
use data::Data;
use explain::{BenchmarkValue, Explanation, Term};

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

    /// The formula, with the measures it reads.
    fn formula(&self) -> Message {
        match self {
            IndicatorKind::Ratio(kind) => kind.formula(),
            IndicatorKind::Share(kind) => kind.formula(),
            IndicatorKind::Mean(kind) => kind.formula(),
            IndicatorKind::Sum(kind) => kind.formula(),
            IndicatorKind::Value(kind) => kind.formula(),
            IndicatorKind::Target(kind) => kind.formula(),
        }
    }

    /// The terms a value of `territory` in `period` is computed from.
    fn terms(&self, territory: &str, period: &str, data: &Data) -> Vec<Term> {
        match self {
            IndicatorKind::Ratio(kind) => kind.terms(territory, period, data),
            IndicatorKind::Share(kind) => kind.terms(territory, period),
            IndicatorKind::Mean(kind) => kind.terms(territory, period),
            IndicatorKind::Sum(kind) => kind.terms(territory, period),
            IndicatorKind::Value(kind) => kind.terms(territory, period),
            IndicatorKind::Target(kind) => kind.terms(territory, period),
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
            // Each hint holds the next: a message has one value per argument.
            let hints = measures
                .iter()
                .rev()
                .filter_map(|measure| Some((measure, data.closest_measure(measure)?)))
                .fold(Argument::from(""), |more, (measure, closest)| {
                    Argument::from(msg!(
                        "no_data_hint",
                        measure = measure,
                        closest = closest,
                        more = more
                    ))
                });
            computed.findings.push(Finding::warning(
                "no_data",
                msg!(
                    "no_data",
                    indicator = &self.name,
                    measures = measures.join("`, `"),
                    hints = hints
                ),
            ));
        }
        computed
    }
}

impl Indicator {
    /// How the value of `territory` in `period` (default: its latest) was computed; when it
    /// has none, the error says which periods or why.
    pub(crate) fn explain(
        &self,
        data: &Data,
        territory: &str,
        period: Option<&str>,
    ) -> std::result::Result<Explanation, Message> {
        let computed = self.compute(data);
        let of_territory = |code: &str, period: &str| {
            computed
                .points
                .iter()
                .find(|p| p.territory == code && p.period == period)
        };
        let periods: BTreeSet<&str> = computed
            .points
            .iter()
            .filter(|p| p.territory == territory)
            .map(|p| p.period.as_str())
            .collect();
        let period = match period {
            Some(period) => period,
            None => periods
                .last()
                .copied()
                .ok_or_else(|| no_value(&self.name, territory))?,
        };
        let point = of_territory(territory, period).ok_or_else(|| {
            let periods: Vec<&str> = periods.iter().copied().collect();
            match periods.as_slice() {
                [] => no_value(&self.name, territory),
                known => msg!(
                    "indicator_no_value_in_period",
                    indicator = &self.name,
                    territory = territory,
                    period = period,
                    periods = known.join(", ")
                ),
            }
        })?;
        let index = PointIndex::of(&computed);
        Ok(self.explanation_of(data, &computed, &index, point, usize::MAX))
    }

    /// How one computed point came about; the observations of a term are listed when there
    /// are at most `limit`.
    pub(crate) fn explanation_of(
        &self,
        data: &Data,
        computed: &Computation,
        index: &PointIndex,
        point: &Point,
        limit: usize,
    ) -> Explanation {
        let (territory, period) = (point.territory.as_str(), point.period.as_str());
        let value_of = |code: &str| index.get(code, period);
        let benchmarks = self
            .compare_with
            .iter()
            .filter_map(|&level| {
                let benchmark = data.territories.benchmark_of(territory, level)?;
                let value = value_of(&benchmark.code)?;
                Some(BenchmarkValue {
                    level,
                    territory: benchmark.code.clone(),
                    territory_name: benchmark.name.clone(),
                    value: crate::text::round_to(value.value, self.decimals),
                    numerator: value.numerator,
                    denominator: value.denominator,
                })
            })
            .collect();
        Explanation {
            indicator: self.name.clone(),
            label: self.label.clone(),
            kind: self.kind.name(),
            formula: self.kind.formula(),
            unit: self.unit.clone(),
            territory: territory.to_owned(),
            territory_name: data
                .territories
                .get(territory)
                .map_or_else(|| territory.to_owned(), |t| t.name.clone()),
            period: period.to_owned(),
            value: point.value,
            published_value: crate::text::round_to(point.value, self.decimals),
            decimals: self.decimals,
            numerator: point.numerator,
            denominator: point.denominator,
            terms: self
                .kind
                .terms(territory, period, data)
                .iter()
                .map(|term| explain::trace(term, data, limit))
                .collect(),
            benchmarks,
            check: computed
                .checks
                .iter()
                .find(|c| c.territory == territory && c.period == period)
                .cloned(),
        }
    }
}

/// That an indicator has no value for a territory, in any period.
fn no_value(indicator: &str, territory: &str) -> Message {
    msg!(
        "indicator_no_value",
        indicator = indicator,
        territory = territory
    )
}

/// The points of a computation by territory and period.
pub(crate) struct PointIndex<'a> {
    points: rustc_hash::FxHashMap<(&'a str, &'a str), &'a Point>,
}

impl<'a> PointIndex<'a> {
    pub(crate) fn of(computed: &'a Computation) -> Self {
        PointIndex {
            points: computed
                .points
                .iter()
                .map(|p| ((p.territory.as_str(), p.period.as_str()), p))
                .collect(),
        }
    }

    pub(crate) fn get(&self, territory: &str, period: &str) -> Option<&'a Point> {
        self.points.get(&(territory, period)).copied()
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
            msg!("indicator_challenge_out_of_range"),
        ));
    } else if !challenges.is_empty() && !challenges.contains(&challenge) {
        problems.push(item.problem_at(
            common.challenge.span(),
            "challenge",
            msg!(
                "indicator_challenge_not_declared",
                challenge = challenge.to_string()
            ),
        ));
    }
    if *common.decimals.get_ref() > 6 {
        problems.push(item.problem_at(
            common.decimals.span(),
            "decimals",
            msg!("indicator_too_many_decimals"),
        ));
    }
    if common.label.trim().is_empty() {
        problems.push(item.problem(msg!("indicator_empty_label")));
    }
    if common.unit.trim().is_empty() {
        problems.push(item.problem(msg!("indicator_empty_unit")));
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
                msg!("indicator_benchmark_level", level = other.as_str()),
            )),
        }
    }
    compare_with
}
