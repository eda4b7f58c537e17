//! The `sum` indicator kind: a count for a territory, read directly or summed over the comuni
//! of an aggregate; where both exist, a disagreement is reported.

use crate::error::ConfigProblem;
use crate::finding::Finding;
use crate::indicator::common::{self, Computation, Computing, Point};
use crate::indicator::data::{Data, Missing};
use crate::indicator::explain::{Reading, Role, Term};
use crate::indicator::wording;
use crate::message::Message;
use crate::msg;
use crate::spec::Item;
use crate::spec::indicator::{IndicatorSpec, SumSpec};

#[derive(Debug, Clone)]
pub(crate) struct Sum {
    pub(crate) measure: String,
    pub(crate) published: Option<String>,
}

impl Sum {
    pub(crate) fn check(
        item: &Item<IndicatorSpec>,
        spec: &SumSpec,
    ) -> Result<Self, Vec<ConfigProblem>> {
        common::check_measure_spec(item, spec)?;
        Ok(Sum {
            measure: spec.measure.clone(),
            published: spec.published.clone(),
        })
    }

    pub(crate) fn formula(&self) -> Message {
        msg!("formula_sum", measure = &self.measure)
    }

    pub(crate) fn terms(&self, territory: &str, period: &str) -> Vec<Term> {
        vec![Term::new(
            Role::Measure,
            &self.measure,
            (territory, period),
            Reading::ValueOrSum,
        )]
    }

    pub(crate) fn compute(&self, indicator: &Computing, data: &Data) -> Computation {
        let mut computed = Computation::default();
        for period in data.periods(&self.measure) {
            let territories = data.direct_and_aggregate_territories(&self.measure, &period);
            for territory in territories {
                let direct = data.direct(&self.measure, &territory, &period);
                let summed = if data.aggregates(&territory) {
                    data.sum_of_members(&self.measure, &territory, &period)
                } else {
                    Err(Missing::None)
                };
                if let (Some(direct), Ok(summed)) = (&direct, &summed)
                    && direct.value != summed.value
                {
                    computed.findings.push(Finding::warning(
                        "sum_mismatch",
                        msg!(
                            "sum_mismatch",
                            indicator = indicator.name,
                            territory = &territory,
                            period = &period,
                            measure = &self.measure,
                            direct = wording::fixed(direct.value, indicator.decimals),
                            summed = wording::fixed(summed.value, indicator.decimals)
                        ),
                    ));
                }
                let found = match (direct, summed) {
                    (Some(direct), _) => direct,
                    (None, Ok(summed)) => summed,
                    (None, Err(Missing::Partial { have, of })) => {
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
                    (None, Err(Missing::None)) => continue,
                };
                computed.points.push(Point {
                    territory,
                    period: period.clone(),
                    value: found.value,
                    numerator: None,
                    denominator: None,
                    sources: found.sources,
                });
            }
        }
        computed
    }
}
