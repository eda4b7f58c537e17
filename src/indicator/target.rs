//! The `target` indicator kind: how far a project's KPI has come towards its target, as the
//! actual value in percent of the target, for each year that has both.

use crate::error::ConfigProblem;
use crate::finding::Finding;
use crate::indicator::common::{Computation, Computing, Point};
use crate::indicator::data::Data;
use crate::indicator::explain::{Reading, Role, Term};
use crate::message::Message;
use crate::msg;
use crate::spec::Item;
use crate::spec::indicator::kpi_measure;
use crate::spec::indicator::{IndicatorSpec, TargetSpec};
use crate::text;

#[derive(Debug, Clone)]
pub(crate) struct Target {
    pub(crate) project: String,
    pub(crate) kpi: String,
}

impl Target {
    pub(crate) fn check(
        item: &Item<IndicatorSpec>,
        spec: &TargetSpec,
    ) -> Result<Self, Vec<ConfigProblem>> {
        let mut problems = Vec::new();
        for (field, value) in [("project", &spec.project), ("kpi", &spec.kpi)] {
            if !text::is_snake_case(value) {
                problems.push(item.problem(msg!(
                    "indicator_target_not_snake_case",
                    field = field,
                    value = value
                )));
            }
        }
        if problems.is_empty() {
            Ok(Target {
                project: spec.project.clone(),
                kpi: spec.kpi.clone(),
            })
        } else {
            Err(problems)
        }
    }

    pub(crate) fn target_measure(&self) -> String {
        kpi_measure(&self.project, &self.kpi, "target")
    }

    pub(crate) fn actual_measure(&self) -> String {
        kpi_measure(&self.project, &self.kpi, "actual")
    }

    pub(crate) fn formula(&self) -> Message {
        msg!(
            "formula_target",
            actual = self.actual_measure(),
            target = self.target_measure()
        )
    }

    pub(crate) fn terms(&self, territory: &str, period: &str) -> Vec<Term> {
        vec![
            Term::new(
                Role::Numerator,
                &self.actual_measure(),
                (territory, period),
                Reading::ValueOrSum,
            ),
            Term::new(
                Role::Denominator,
                &self.target_measure(),
                (territory, period),
                Reading::ValueOrSum,
            ),
        ]
    }

    pub(crate) fn compute(&self, indicator: &Computing, data: &Data) -> Computation {
        let mut computed = Computation::default();
        let target_measure = self.target_measure();
        let actual_measure = self.actual_measure();
        for period in data.periods(&target_measure) {
            for territory in data.direct_territories(&target_measure, &period) {
                let Some(target) = data.direct(&target_measure, &territory, &period) else {
                    continue;
                };
                let Some(actual) = data.direct(&actual_measure, &territory, &period) else {
                    continue;
                };
                if target.value == 0.0 {
                    computed.findings.push(Finding::warning(
                        "zero_target",
                        msg!("zero_target", indicator = indicator.name, period = &period),
                    ));
                    continue;
                }
                let mut sources = target.sources;
                sources.extend(actual.sources);
                computed.points.push(Point {
                    territory,
                    period: period.clone(),
                    value: actual.value / target.value * 100.0,
                    numerator: Some(actual.value),
                    denominator: Some(target.value),
                    sources,
                });
            }
        }
        computed
    }
}
