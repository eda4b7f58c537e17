//! The `value` indicator kind: a figure published as such (a regional percentage, a count in
//! a profile), read from one measure for every territory that has it.

use serde::Deserialize;

use crate::error::ConfigProblem;
use crate::indicator::data::Data;
use crate::indicator::{self, Computed, Indicator, Point};
use crate::spec::{IndicatorSpec, Item};

#[derive(Debug, Clone, Deserialize)]
pub struct ValueSpec {
    pub measure: String,
}

#[derive(Debug, Clone)]
pub struct Value {
    pub measure: String,
}

impl Value {
    pub fn check(item: &Item<IndicatorSpec>, spec: &ValueSpec) -> Result<Self, Vec<ConfigProblem>> {
        let mut problems = Vec::new();
        indicator::check_measure(item, "measure", &spec.measure, &mut problems);
        if problems.is_empty() {
            Ok(Value {
                measure: spec.measure.clone(),
            })
        } else {
            Err(problems)
        }
    }

    pub fn compute(&self, _indicator: &Indicator, data: &Data) -> Computed {
        let mut computed = Computed::default();
        for period in data.periods(&self.measure) {
            for territory in data.direct_territories(&self.measure, &period) {
                if let Some(found) = data.direct(&self.measure, &territory, &period) {
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
        }
        computed
    }
}
