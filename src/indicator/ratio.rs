//! The `ratio` indicator kind: numerator / denominator × per (per 100 residents, per 1,000
//! inhabitants). For an aggregate, numerator and denominator are each read directly or summed
//! over its comuni before dividing, never averaged from the comuni's ratios.

use crate::error::ConfigProblem;
use crate::finding::Finding;
use crate::indicator::common::{self, Computation, Computing, Point};
use crate::indicator::data::{Data, Missing};
use crate::indicator::explain::{Reading, Role, Term};
use crate::indicator::wording;
use crate::istat::Level;
use crate::message::Message;
use crate::msg;
use crate::spec::Item;
use crate::spec::indicator::{IndicatorSpec, RatioSpec};

/// `denominator_period = "latest"`: the latest period of the denominator, so that a shared
/// catalog need not name the year of each pipeline's population.
const LATEST: &str = "latest";

#[derive(Debug, Clone)]
pub(crate) struct Ratio {
    pub(crate) numerator: String,
    pub(crate) denominator: String,
    pub(crate) denominator_period: Option<String>,
    pub(crate) denominator_level: Option<Level>,
    pub(crate) per: f64,
    pub(crate) denominator_label: String,
    pub(crate) published: Option<String>,
    pub(crate) published_note: Option<String>,
}

impl Ratio {
    pub(crate) fn check(
        item: &Item<IndicatorSpec>,
        spec: &RatioSpec,
    ) -> Result<Self, Vec<ConfigProblem>> {
        let mut problems = Vec::new();
        common::check_measure(item, "numerator", &spec.numerator, &mut problems);
        common::check_measure(item, "denominator", &spec.denominator, &mut problems);
        if let Some(published) = &spec.published {
            common::check_measure(item, "published", published, &mut problems);
        }
        if !(spec.per.is_finite() && spec.per > 0.0) {
            problems.push(item.problem(msg!("ratio_per")));
        }
        if spec.denominator_label.trim().is_empty() {
            problems.push(item.problem(msg!("ratio_denominator_label")));
        }
        if spec.published_note.is_some() && spec.published.is_none() {
            problems.push(item.problem(msg!("ratio_published_note")));
        }
        let denominator_level = match &spec.denominator_level {
            Some(level) => match level.get_ref() {
                Level::Province | Level::Region | Level::Italy => Some(*level.get_ref()),
                other => {
                    problems.push(item.problem_at(
                        level.span(),
                        "denominator_level",
                        msg!("ratio_denominator_level", level = other.as_str()),
                    ));
                    None
                }
            },
            None => None,
        };
        if problems.is_empty() {
            Ok(Ratio {
                numerator: spec.numerator.clone(),
                denominator: spec.denominator.clone(),
                denominator_period: spec.denominator_period.clone(),
                denominator_level,
                per: spec.per,
                denominator_label: spec.denominator_label.clone(),
                published: spec.published.clone(),
                published_note: spec.published_note.clone(),
            })
        } else {
            Err(problems)
        }
    }

    pub(crate) fn compute(&self, indicator: &Computing, data: &Data) -> Computation {
        let mut computed = Computation::default();
        for period in data.periods(&self.numerator) {
            let Some(denominator_period) = self.denominator_period_of(&period, data) else {
                continue;
            };
            let periods = (period.as_str(), denominator_period.as_str());
            for territory in data.direct_and_aggregate_territories(&self.numerator, &period) {
                let point = self.point(indicator, data, territory, periods, &mut computed.findings);
                computed.points.extend(point);
            }
        }
        computed
    }

    /// The period the denominator is read in for a period of the numerator.
    fn denominator_period_of(&self, period: &str, data: &Data) -> Option<String> {
        match self.denominator_period.as_deref() {
            Some(LATEST) => data.periods(&self.denominator).pop(),
            Some(fixed) => Some(fixed.to_owned()),
            None => Some(period.to_owned()),
        }
    }

    /// The territory the denominator is read for: the territory itself, or its province,
    /// region or Italy (`denominator_level`).
    fn denominator_territory_of(&self, territory: &str, data: &Data) -> Option<String> {
        match self.denominator_level {
            Some(level) => Some(
                data.territories
                    .benchmark_of(territory, level)?
                    .code
                    .clone(),
            ),
            None => Some(territory.to_owned()),
        }
    }

    pub(crate) fn formula(&self) -> Message {
        msg!(
            "formula_ratio",
            numerator = &self.numerator,
            denominator = &self.denominator,
            per = wording::fixed(self.per, 0),
            label = &self.denominator_label
        )
    }

    pub(crate) fn terms(&self, territory: &str, period: &str, data: &Data) -> Vec<Term> {
        let mut terms = vec![Term::new(
            Role::Numerator,
            &self.numerator,
            (territory, period),
            Reading::ValueOrSum,
        )];
        if let (Some(denominator_territory), Some(denominator_period)) = (
            self.denominator_territory_of(territory, data),
            self.denominator_period_of(period, data),
        ) {
            terms.push(Term::new(
                Role::Denominator,
                &self.denominator,
                (&denominator_territory, &denominator_period),
                Reading::ValueOrSum,
            ));
        }
        terms
    }

    /// The ratio of one territory in one period (and the period of its denominator); when
    /// there is none, a finding says why where one is due.
    fn point(
        &self,
        indicator: &Computing,
        data: &Data,
        territory: String,
        (period, denominator_period): (&str, &str),
        findings: &mut Vec<Finding>,
    ) -> Option<Point> {
        let mut partial = |measure: &str, territory: &str, period: &str, have, of| {
            let finding =
                common::partial_finding(indicator.name, measure, territory, period, have, of);
            findings.push(finding);
        };
        let numerator = match data.resolve(&self.numerator, &territory, period) {
            Ok(found) => found,
            Err(Missing::Partial { have, of }) => {
                partial(&self.numerator, &territory, period, have, of);
                return None;
            }
            Err(Missing::None) => return None,
        };
        let denominator_territory = self.denominator_territory_of(&territory, data)?;
        let denominator = match data.resolve(
            &self.denominator,
            &denominator_territory,
            denominator_period,
        ) {
            Ok(found) => found,
            Err(Missing::Partial { have, of }) => {
                let measure = &self.denominator;
                partial(
                    measure,
                    &denominator_territory,
                    denominator_period,
                    have,
                    of,
                );
                return None;
            }
            Err(Missing::None) => {
                findings.push(Finding::warning(
                    "missing_denominator",
                    msg!(
                        "missing_denominator",
                        indicator = indicator.name,
                        territory = &territory,
                        numerator = &self.numerator,
                        period = period,
                        denominator_territory = &denominator_territory,
                        denominator = &self.denominator,
                        denominator_period = denominator_period
                    ),
                ));
                return None;
            }
        };
        if denominator.value == 0.0 {
            findings.push(Finding::warning(
                "zero_denominator",
                msg!(
                    "zero_denominator",
                    indicator = indicator.name,
                    denominator = &self.denominator,
                    territory = &denominator_territory,
                    period = denominator_period
                ),
            ));
            return None;
        }
        let mut sources = numerator.sources;
        sources.extend(denominator.sources);
        Some(Point {
            territory,
            period: period.to_owned(),
            value: numerator.value / denominator.value * self.per,
            numerator: Some(numerator.value),
            denominator: Some(denominator.value),
            sources,
        })
    }
}
