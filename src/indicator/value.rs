//! The `value` indicator kind: a figure published as such (a regional percentage, a count in
//! a profile), read from one measure for every territory that has it.

use crate::error::ConfigProblem;
use crate::indicator::common::{self, Computation, Computing, Point};
use crate::indicator::data::Data;
use crate::indicator::explain::{Reading, Role, Term};
use crate::message::Message;
use crate::msg;
use crate::spec::Item;
use crate::spec::indicator::{IndicatorSpec, ValueSpec};

#[derive(Debug, Clone)]
pub(crate) struct Value {
    pub(crate) measure: String,
}

impl Value {
    pub(crate) fn check(
        item: &Item<IndicatorSpec>,
        spec: &ValueSpec,
    ) -> Result<Self, Vec<ConfigProblem>> {
        let mut problems = Vec::new();
        common::check_measure(item, "measure", &spec.measure, &mut problems);
        if problems.is_empty() {
            Ok(Value {
                measure: spec.measure.clone(),
            })
        } else {
            Err(problems)
        }
    }

    pub(crate) fn formula(&self) -> Message {
        msg!("formula_value", measure = &self.measure)
    }

    pub(crate) fn terms(&self, territory: &str, period: &str) -> Vec<Term> {
        vec![Term::new(
            Role::Measure,
            &self.measure,
            (territory, period),
            Reading::ValueOrSum,
        )]
    }

    pub(crate) fn compute(&self, _indicator: &Computing, data: &Data) -> Computation {
        let mut computed = Computation::default();
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
