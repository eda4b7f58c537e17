//! What every indicator kind shares: the points a kind computes, what its computation
//! knows of its indicator, the comparison of points with published figures, and the checks of
//! measure names.

use std::collections::BTreeSet;

use crate::error::ConfigProblem;
use crate::finding::Finding;
use crate::indicator::check::Check;
use crate::indicator::data::Data;
use crate::msg;
use crate::spec::Item;
use crate::spec::indicator::{IndicatorSpec, MeasureSpec};
use crate::text;

/// What a kind's computation knows of its indicator.
pub(crate) struct Computing<'a> {
    pub(crate) name: &'a str,
    pub(crate) decimals: u8,
    /// What the denominator counts, for checks of published figures.
    pub(crate) denominator_label: Option<String>,
}

/// One computed value of an indicator.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Point {
    pub(crate) territory: String,
    pub(crate) period: String,
    pub(crate) value: f64,
    pub(crate) numerator: Option<f64>,
    pub(crate) denominator: Option<f64>,
    pub(crate) sources: BTreeSet<usize>,
}

/// What computing one indicator gave.
#[derive(Debug, Default)]
pub(crate) struct Computation {
    pub(crate) points: Vec<Point>,
    pub(crate) checks: Vec<Check>,
    pub(crate) findings: Vec<Finding>,
}

/// Territories and periods where a kind found too little to compute, as warnings.
pub(crate) fn partial_finding(
    indicator: &str,
    measure: &str,
    territory: &str,
    period: &str,
    have: usize,
    of: usize,
) -> Finding {
    Finding::warning(
        "incomplete_aggregate",
        msg!(
            "incomplete_aggregate",
            indicator = indicator,
            territory = territory,
            period = period,
            measure = measure,
            have = have,
            of = of
        ),
    )
}

/// Checks the fields of a kind that reads one measure.
pub(crate) fn check_measure_spec(
    item: &Item<IndicatorSpec>,
    spec: &MeasureSpec,
) -> Result<(), Vec<ConfigProblem>> {
    let mut problems = Vec::new();
    check_measure(item, "measure", &spec.measure, &mut problems);
    if let Some(published) = &spec.published {
        check_measure(item, "published", published, &mut problems);
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// Checks that a measure name written in the pipeline looks like one.
pub(crate) fn check_measure<T>(
    item: &Item<T>,
    field: &str,
    measure: &str,
    problems: &mut Vec<ConfigProblem>,
) {
    let ok = measure.split('.').all(text::is_snake_case);
    if !ok {
        problems.push(item.problem(msg!(
            "indicator_measure_not_snake_case",
            field = field,
            measure = measure
        )));
    }
}

/// The figure a document published for an indicator: the measure that holds it, the note that
/// explains a disagreement, and, for a ratio, its `per`, to say which denominator the figure
/// implies.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Published<'a> {
    pub(crate) measure: &'a str,
    pub(crate) note: Option<&'a str>,
    pub(crate) per: Option<f64>,
}

/// Compares recomputed points with the published figures.
pub(crate) fn checks_against(
    indicator: &Computing,
    published: &Published,
    data: &Data,
    points: &[Point],
) -> Vec<Check> {
    let Published { measure, note, per } = *published;
    points
        .iter()
        .filter_map(|point| {
            let published = data.direct(measure, &point.territory, &point.period)?.value;
            let computed = text::round_to(point.value, indicator.decimals);
            let agrees = computed == text::round_to(published, indicator.decimals);
            let implied_denominator = match (per, point.numerator) {
                (Some(per), Some(numerator)) if !agrees && published != 0.0 => {
                    Some(numerator * per / published)
                }
                _ => None,
            };
            Some(Check {
                indicator: indicator.name.to_owned(),
                territory: point.territory.clone(),
                period: point.period.clone(),
                computed,
                published,
                published_measure: measure.to_owned(),
                agrees,
                numerator: point.numerator,
                denominator: point.denominator,
                denominator_label: indicator.denominator_label.clone(),
                implied_denominator,
                note: note.map(str::to_owned),
                decimals: indicator.decimals,
            })
        })
        .collect()
}
