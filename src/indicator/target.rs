//! The `target` indicator kind: how far a project's KPI has come towards its target, as the
//! actual value in percent of the target, for each year that has both.

use serde::Deserialize;

use crate::error::ConfigProblem;
use crate::indicator::data::Data;
use crate::indicator::{Computed, Indicator, Point};
use crate::source::project_records::kpi_measure;
use crate::spec::{IndicatorSpec, Item};
use crate::text;
use crate::validate::Finding;

#[derive(Debug, Clone, Deserialize)]
pub struct TargetSpec {
    /// The project record's id.
    pub project: String,
    /// The KPI's id in that record.
    pub kpi: String,
}

#[derive(Debug, Clone)]
pub struct Target {
    pub project: String,
    pub kpi: String,
}

impl Target {
    pub fn check(
        item: &Item<IndicatorSpec>,
        spec: &TargetSpec,
    ) -> Result<Self, Vec<ConfigProblem>> {
        let mut problems = Vec::new();
        for (field, value) in [("project", &spec.project), ("kpi", &spec.kpi)] {
            if !text::is_snake_case(value) {
                problems.push(item.problem(format!("`{field}`: `{value}` is not snake_case")));
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

    pub fn target_measure(&self) -> String {
        kpi_measure(&self.project, &self.kpi, "target")
    }

    pub fn actual_measure(&self) -> String {
        kpi_measure(&self.project, &self.kpi, "actual")
    }

    pub fn compute(&self, indicator: &Indicator, data: &Data) -> Computed {
        let mut computed = Computed::default();
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
                        format!(
                            "indicator `{}`: the target for {period} is 0; no progress computed",
                            indicator.name
                        ),
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
