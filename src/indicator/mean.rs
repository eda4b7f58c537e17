//! The `mean` indicator kind: the average per comune of an aggregate (interactive services
//! per comune, say): the sum over its comuni divided by their number.

use crate::error::ConfigProblem;
use crate::indicator::common::{self, Computation, Computing, Point};
use crate::indicator::data::{Data, Missing};
use crate::indicator::explain::{Reading, Role, Term};
use crate::message::Message;
use crate::msg;
use crate::spec::Item;
use crate::spec::indicator::{IndicatorSpec, MeanSpec};

#[derive(Debug, Clone)]
pub(crate) struct Mean {
    pub(crate) measure: String,
    pub(crate) published: Option<String>,
}

impl Mean {
    pub(crate) fn check(
        item: &Item<IndicatorSpec>,
        spec: &MeanSpec,
    ) -> Result<Self, Vec<ConfigProblem>> {
        common::check_measure_spec(item, spec)?;
        Ok(Mean {
            measure: spec.measure.clone(),
            published: spec.published.clone(),
        })
    }

    pub(crate) fn formula(&self) -> Message {
        msg!("formula_mean", measure = &self.measure)
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
                match data.sum_of_members(&self.measure, &territory, &period) {
                    Ok(found) => computed.points.push(Point {
                        territory,
                        period: period.clone(),
                        value: found.value / found.summed_members as f64,
                        numerator: Some(found.value),
                        denominator: Some(found.summed_members as f64),
                        sources: found.sources,
                    }),
                    Err(Missing::Partial { have, of }) => {
                        computed.findings.push(common::partial_finding(
                            indicator.name,
                            &self.measure,
                            &territory,
                            &period,
                            have,
                            of,
                        ))
                    }
                    Err(Missing::None) => {}
                }
            }
        }
        computed
    }
}
