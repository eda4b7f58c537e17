//! The `share` indicator kind: the percentage of an aggregate's comuni whose value of a
//! measure meets a threshold (comuni with a digital transition office, say).

use crate::error::ConfigProblem;
use crate::indicator::common::{self, Computation, Computing, Point};
use crate::indicator::data::Data;
use crate::indicator::explain::{Reading, Role, Term};
use crate::indicator::wording;
use crate::message::Message;
use crate::msg;
use crate::spec::Item;
use crate::spec::indicator::{IndicatorSpec, ShareSpec};

#[derive(Debug, Clone)]
pub(crate) struct Share {
    pub(crate) measure: String,
    pub(crate) at_least: f64,
    pub(crate) published: Option<String>,
}

impl Share {
    pub(crate) fn check(
        item: &Item<IndicatorSpec>,
        spec: &ShareSpec,
    ) -> Result<Self, Vec<ConfigProblem>> {
        let mut problems = Vec::new();
        common::check_measure(item, "measure", &spec.measure, &mut problems);
        if let Some(published) = &spec.published {
            common::check_measure(item, "published", published, &mut problems);
        }
        if !spec.at_least.is_finite() {
            problems.push(item.problem(msg!("share_at_least")));
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

    pub(crate) fn formula(&self) -> Message {
        msg!(
            "formula_share",
            measure = &self.measure,
            at_least = wording::as_needed(self.at_least)
        )
    }

    pub(crate) fn terms(&self, territory: &str, period: &str) -> Vec<Term> {
        vec![Term::new(
            Role::Measure,
            &self.measure,
            (territory, period),
            Reading::EachComune,
        )]
    }

    pub(crate) fn compute(&self, indicator: &Computing, data: &Data) -> Computation {
        let mut computed = Computation::default();
        for period in data.periods(&self.measure) {
            for territory in data.aggregate_territories() {
                let (mut meeting, mut have, mut of) = (0usize, 0usize, 0usize);
                let mut sources = std::collections::BTreeSet::new();
                for found in data.member_values(&self.measure, &territory, &period) {
                    of += 1;
                    let Some((value, source)) = found else {
                        continue;
                    };
                    have += 1;
                    sources.insert(source);
                    if value >= self.at_least {
                        meeting += 1;
                    }
                }
                if have == 0 {
                    continue;
                }
                if have < of {
                    computed.findings.push(common::partial_finding(
                        indicator.name,
                        &self.measure,
                        &territory,
                        &period,
                        have,
                        of,
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
        computed
    }
}
