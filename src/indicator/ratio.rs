//! The `ratio` indicator kind: numerator / denominator × per (per 100 residents, per 1,000
//! inhabitants). For an aggregate, numerator and denominator are each read directly or summed
//! over its comuni before dividing, never averaged from the comuni's ratios.

use serde::Deserialize;
use toml::Spanned;

use crate::error::ConfigProblem;
use crate::indicator::data::{Data, Missing};
use crate::indicator::{self, Computed, Indicator, Point};
use crate::spec::{IndicatorSpec, Item};
use crate::territory::Level;
use crate::validate::Finding;

/// `denominator_period = "latest"`: the latest period of the denominator, so that a shared
/// catalog need not name the year of each pipeline's population.
const LATEST: &str = "latest";

#[derive(Debug, Clone, Deserialize)]
pub struct RatioSpec {
    pub numerator: String,
    pub denominator: String,
    /// The period of the denominator when it differs from the numerator's (population at
    /// 1 January of a given year, say), or "latest" for the latest period it has.
    pub denominator_period: Option<String>,
    /// Read the denominator in the territory's province, region or Italy instead of the
    /// territory itself: the union's share of the province's ICT local units, say.
    pub denominator_level: Option<Spanned<Level>>,
    /// 100 for "per 100", 1000 for "per 1,000"; 100 also makes a percentage.
    pub per: f64,
    /// What the denominator counts, in Italian: published in the catalog and the table.
    pub denominator_label: String,
    /// A measure holding the published figure, to check the recomputed ratio against.
    pub published: Option<String>,
    /// What to tell the reader when the published figure disagrees.
    pub published_note: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Ratio {
    pub numerator: String,
    pub denominator: String,
    pub denominator_period: Option<String>,
    pub denominator_level: Option<Level>,
    pub per: f64,
    pub denominator_label: String,
    pub published: Option<String>,
    pub published_note: Option<String>,
}

impl Ratio {
    pub fn check(item: &Item<IndicatorSpec>, spec: &RatioSpec) -> Result<Self, Vec<ConfigProblem>> {
        let mut problems = Vec::new();
        indicator::check_measure(item, "numerator", &spec.numerator, &mut problems);
        indicator::check_measure(item, "denominator", &spec.denominator, &mut problems);
        if let Some(published) = &spec.published {
            indicator::check_measure(item, "published", published, &mut problems);
        }
        if !(spec.per.is_finite() && spec.per > 0.0) {
            problems.push(item.problem("`per` is a positive number: 1, 100, 1000 ..."));
        }
        if spec.denominator_label.trim().is_empty() {
            problems.push(item.problem("`denominator_label` says what the denominator counts"));
        }
        if spec.published_note.is_some() && spec.published.is_none() {
            problems.push(
                item.problem("`published_note` explains a `published` figure, which is missing"),
            );
        }
        let denominator_level = match &spec.denominator_level {
            Some(level) => match level.get_ref() {
                Level::Province | Level::Region | Level::Italy => Some(*level.get_ref()),
                other => {
                    problems.push(item.problem_at(
                        level.span(),
                        "denominator_level",
                        format!(
                            "the denominator is read in the province, region or italy, not {}",
                            other.as_str()
                        ),
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

    pub fn compute(&self, indicator: &Indicator, data: &Data) -> Computed {
        let mut computed = Computed::default();
        for period in data.periods(&self.numerator) {
            let denominator_period = match self.denominator_period.as_deref() {
                Some(LATEST) => match data.periods(&self.denominator).pop() {
                    Some(latest) => latest,
                    None => continue,
                },
                Some(fixed) => fixed.to_owned(),
                None => period.clone(),
            };
            let territories = data.direct_and_aggregate_territories(&self.numerator, &period);
            for territory in territories {
                let numerator = match data.resolve(&self.numerator, &territory, &period) {
                    Ok(found) => found,
                    Err(Missing::Partial { have, of }) => {
                        computed.findings.push(indicator::partial_finding(
                            &indicator.name,
                            &self.numerator,
                            &territory,
                            &period,
                            have,
                            of,
                        ));
                        continue;
                    }
                    Err(Missing::None) => continue,
                };
                let denominator_territory = match self.denominator_level {
                    Some(level) => match data.territories.benchmark_of(&territory, level) {
                        Some(parent) => parent.code.clone(),
                        None => continue,
                    },
                    None => territory.clone(),
                };
                let denominator = match data.resolve(
                    &self.denominator,
                    &denominator_territory,
                    &denominator_period,
                ) {
                    Ok(found) => found,
                    Err(Missing::Partial { have, of }) => {
                        computed.findings.push(indicator::partial_finding(
                            &indicator.name,
                            &self.denominator,
                            &denominator_territory,
                            &denominator_period,
                            have,
                            of,
                        ));
                        continue;
                    }
                    Err(Missing::None) => {
                        computed.findings.push(Finding::warning(
                            "missing_denominator",
                            format!(
                                "indicator `{}`: {territory} has `{}` for {period} but {denominator_territory} has no `{}` for {denominator_period}",
                                indicator.name, self.numerator, self.denominator
                            ),
                        ));
                        continue;
                    }
                };
                if denominator.value == 0.0 {
                    computed.findings.push(Finding::warning(
                        "zero_denominator",
                        format!(
                            "indicator `{}`: `{}` is 0 for {denominator_territory} in {denominator_period}; no ratio",
                            indicator.name, self.denominator
                        ),
                    ));
                    continue;
                }
                let mut sources = numerator.sources;
                sources.extend(denominator.sources);
                computed.points.push(Point {
                    territory,
                    period: period.clone(),
                    value: numerator.value / denominator.value * self.per,
                    numerator: Some(numerator.value),
                    denominator: Some(denominator.value),
                    sources,
                });
            }
        }
        computed.checks = indicator.checks_against(
            self.published.as_deref(),
            data,
            &computed.points,
            self.published_note.as_deref(),
        );
        computed
    }
}
