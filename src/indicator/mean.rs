//! The `mean` indicator kind: the average per comune of an aggregate (interactive services
//! per comune, say): the sum over its comuni divided by their number.

use crate::error::ConfigProblem;
use crate::indicator::data::{Data, Missing};
use crate::indicator::{self, Computed, Indicator, MeasureSpec, Point};
use crate::spec::{IndicatorSpec, Item};

/// The fields of `[indicator.NAME.mean]`: the measure and, optionally, its published figure.
pub type MeanSpec = MeasureSpec;

#[derive(Debug, Clone)]
pub struct Mean {
    pub measure: String,
    pub published: Option<String>,
}

impl Mean {
    pub fn check(item: &Item<IndicatorSpec>, spec: &MeanSpec) -> Result<Self, Vec<ConfigProblem>> {
        spec.check(item)?;
        Ok(Mean {
            measure: spec.measure.clone(),
            published: spec.published.clone(),
        })
    }

    pub fn compute(&self, indicator: &Indicator, data: &Data) -> Computed {
        let mut computed = Computed::default();
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
                        computed.findings.push(indicator::partial_finding(
                            &indicator.name,
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
        computed.checks =
            indicator.checks_against(self.published.as_deref(), data, &computed.points, None);
        computed
    }
}
