//! The `share` indicator kind: the percentage of an aggregate's comuni whose value of a
//! measure meets a threshold (comuni with a digital transition office, say).

use serde::Deserialize;

use crate::error::ConfigProblem;
use crate::indicator::data::Data;
use crate::indicator::{self, Computed, Indicator, Point};
use crate::spec::{IndicatorSpec, Item};

#[derive(Debug, Clone, Deserialize)]
pub struct ShareSpec {
    pub measure: String,
    /// A comune counts when its value is at least this (1 for yes/no measures written 1/0).
    pub at_least: f64,
    pub published: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Share {
    pub measure: String,
    pub at_least: f64,
    pub published: Option<String>,
}

impl Share {
    pub fn check(item: &Item<IndicatorSpec>, spec: &ShareSpec) -> Result<Self, Vec<ConfigProblem>> {
        let mut problems = Vec::new();
        indicator::check_measure(item, "measure", &spec.measure, &mut problems);
        if let Some(published) = &spec.published {
            indicator::check_measure(item, "published", published, &mut problems);
        }
        if !spec.at_least.is_finite() {
            problems.push(item.problem("`at_least` is a number"));
        }
        if problems.is_empty() {
            Ok(Share {
                measure: spec.measure.clone(),
                at_least: spec.at_least,
                published: spec.published.clone(),
            })
        } else {
            Err(problems)
        }
    }

    pub fn compute(&self, indicator: &Indicator, data: &Data) -> Computed {
        let mut computed = Computed::default();
        for period in data.periods(&self.measure) {
            for territory in data.aggregate_territories() {
                let members = data.territories.members(&territory);
                let mut meeting = 0usize;
                let mut have = 0usize;
                let mut sources = std::collections::BTreeSet::new();
                for member in members {
                    if let Some(found) = data.direct(&self.measure, member, &period) {
                        have += 1;
                        sources.extend(found.sources);
                        if found.value >= self.at_least {
                            meeting += 1;
                        }
                    }
                }
                if have == 0 {
                    continue;
                }
                if have < members.len() {
                    computed.findings.push(indicator::partial_finding(
                        &indicator.name,
                        &self.measure,
                        &territory,
                        &period,
                        have,
                        members.len(),
                    ));
                    continue;
                }
                computed.points.push(Point {
                    territory,
                    period: period.clone(),
                    value: meeting as f64 / have as f64 * 100.0,
                    numerator: Some(meeting as f64),
                    denominator: Some(have as f64),
                    sources,
                });
            }
        }
        computed.checks =
            indicator.checks_against(self.published.as_deref(), data, &computed.points, None);
        computed
    }
}
