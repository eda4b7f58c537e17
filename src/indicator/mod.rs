//! Indicators: one file per kind, all computing points (territory, period, value, numerator,
//! denominator) from the observations; here the fields every kind shares, the benchmarks and
//! the published table. The enum is the registry of kinds.

pub mod data;
pub mod mean;
pub mod ratio;
pub mod share;
pub mod sum;
pub mod target;
pub mod value;

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::error::ConfigProblem;
use crate::spec::{IndicatorSpec, Item};
use crate::table::{Table, TableName};
use crate::territory::Level;
use crate::text;
use crate::validate::Finding;
use data::Data;

/// The fields every indicator kind has, written in the kind's table.
#[derive(Debug, Clone, Deserialize)]
pub struct IndicatorCommonSpec {
    /// The challenge of the regional digital agenda, 1 to 8.
    pub challenge: Spanned<u8>,
    /// Italian label, as citizens read it.
    pub label: String,
    /// Unit as citizens read it: "%", "ogni 1.000 abitanti", "servizi per comune".
    pub unit: String,
    /// Decimals the value is published with.
    pub decimals: Spanned<u8>,
    /// Benchmark levels: `province`, `region`, `italy`.
    #[serde(default)]
    pub compare_with: Vec<Spanned<Level>>,
    pub description: Option<String>,
    /// The indicator shown on its challenge's card on the home page.
    #[serde(default)]
    pub headline: bool,
}

/// The kind of an indicator as written: `[indicator.NAME.KIND]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorKindSpec {
    Ratio(ratio::RatioSpec),
    Share(share::ShareSpec),
    Mean(mean::MeanSpec),
    Sum(sum::SumSpec),
    Value(value::ValueSpec),
    Target(target::TargetSpec),
}

#[derive(Debug, Clone)]
pub enum IndicatorKind {
    Ratio(ratio::Ratio),
    Share(share::Share),
    Mean(mean::Mean),
    Sum(sum::Sum),
    Value(value::Value),
    Target(target::Target),
}

/// A checked indicator.
#[derive(Debug, Clone)]
pub struct Indicator {
    pub name: String,
    pub challenge: u8,
    pub label: String,
    pub unit: String,
    pub decimals: u8,
    pub compare_with: Vec<Level>,
    pub description: Option<String>,
    pub headline: bool,
    pub kind: IndicatorKind,
}

/// One computed value of an indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub territory: String,
    pub period: String,
    pub value: f64,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    pub sources: BTreeSet<usize>,
}

/// A recomputed figure compared with the figure published for it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    pub indicator: String,
    pub territory: String,
    pub period: String,
    /// The recomputed value, rounded as published.
    pub computed: f64,
    pub published: f64,
    pub published_measure: String,
    pub agrees: bool,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    pub denominator_label: Option<String>,
    /// The denominator the published figure implies, for ratios that disagree.
    pub implied_denominator: Option<f64>,
    pub note: Option<String>,
}

/// What computing one indicator gave.
#[derive(Debug, Default)]
pub struct Computed {
    pub points: Vec<Point>,
    pub checks: Vec<Check>,
    pub findings: Vec<Finding>,
}

impl IndicatorKind {
    pub fn name(&self) -> &'static str {
        match self {
            IndicatorKind::Ratio(_) => "ratio",
            IndicatorKind::Share(_) => "share",
            IndicatorKind::Mean(_) => "mean",
            IndicatorKind::Sum(_) => "sum",
            IndicatorKind::Value(_) => "value",
            IndicatorKind::Target(_) => "target",
        }
    }

    /// What the denominator counts, for the catalog and the table.
    pub fn denominator_label(&self) -> Option<String> {
        match self {
            IndicatorKind::Ratio(ratio) => Some(ratio.denominator_label.clone()),
            IndicatorKind::Share(_) | IndicatorKind::Mean(_) => {
                Some("comuni del territorio".to_owned())
            }
            IndicatorKind::Target(_) => Some("obiettivo dichiarato dal progetto".to_owned()),
            IndicatorKind::Sum(_) | IndicatorKind::Value(_) => None,
        }
    }

    /// The measures the indicator reads.
    pub fn measures(&self) -> Vec<String> {
        match self {
            IndicatorKind::Ratio(ratio) => vec![ratio.numerator.clone(), ratio.denominator.clone()],
            IndicatorKind::Share(share) => vec![share.measure.clone()],
            IndicatorKind::Mean(mean) => vec![mean.measure.clone()],
            IndicatorKind::Sum(sum) => vec![sum.measure.clone()],
            IndicatorKind::Value(value) => vec![value.measure.clone()],
            IndicatorKind::Target(target) => vec![target.target_measure(), target.actual_measure()],
        }
    }
}

impl Indicator {
    /// Checks the fields every kind shares and then the kind's own.
    pub fn check(
        item: &Item<IndicatorSpec>,
        challenges: &BTreeSet<u8>,
    ) -> Result<Indicator, Vec<ConfigProblem>> {
        let common = &item.spec.common;
        let mut problems = Vec::new();
        let challenge = *common.challenge.get_ref();
        if !(1..=8).contains(&challenge) {
            problems.push(item.problem_at(
                common.challenge.span(),
                "challenge",
                "challenges are numbered 1 to 8",
            ));
        } else if !challenges.is_empty() && !challenges.contains(&challenge) {
            problems.push(item.problem_at(
                common.challenge.span(),
                "challenge",
                format!("challenge {challenge} is not declared in any [challenge.N] table"),
            ));
        }
        if *common.decimals.get_ref() > 6 {
            problems.push(item.problem_at(
                common.decimals.span(),
                "decimals",
                "at most 6 decimals",
            ));
        }
        if common.label.trim().is_empty() {
            problems.push(item.problem("the label is empty"));
        }
        if common.unit.trim().is_empty() {
            problems.push(item.problem("the unit is empty"));
        }
        let mut compare_with = Vec::new();
        for level in &common.compare_with {
            match level.get_ref() {
                Level::Province | Level::Region | Level::Italy => {
                    compare_with.push(*level.get_ref())
                }
                other => problems.push(item.problem_at(
                    level.span(),
                    "compare_with",
                    format!(
                        "benchmarks are province, region or italy, not {}",
                        other.as_str()
                    ),
                )),
            }
        }
        let kind = match &item.spec.kind {
            IndicatorKindSpec::Ratio(spec) => {
                ratio::Ratio::check(item, spec).map(IndicatorKind::Ratio)
            }
            IndicatorKindSpec::Share(spec) => {
                share::Share::check(item, spec).map(IndicatorKind::Share)
            }
            IndicatorKindSpec::Mean(spec) => mean::Mean::check(item, spec).map(IndicatorKind::Mean),
            IndicatorKindSpec::Sum(spec) => sum::Sum::check(item, spec).map(IndicatorKind::Sum),
            IndicatorKindSpec::Value(spec) => {
                value::Value::check(item, spec).map(IndicatorKind::Value)
            }
            IndicatorKindSpec::Target(spec) => {
                target::Target::check(item, spec).map(IndicatorKind::Target)
            }
        };
        match kind {
            Ok(kind) if problems.is_empty() => Ok(Indicator {
                name: item.name.clone(),
                challenge,
                label: common.label.clone(),
                unit: common.unit.clone(),
                decimals: *common.decimals.get_ref(),
                compare_with,
                description: common.description.clone(),
                headline: common.headline,
                kind,
            }),
            Ok(_) => Err(problems),
            Err(kind_problems) => {
                problems.extend(kind_problems);
                Err(problems)
            }
        }
    }

    pub fn compute(&self, data: &Data) -> Computed {
        let mut computed = match &self.kind {
            IndicatorKind::Ratio(kind) => kind.compute(self, data),
            IndicatorKind::Share(kind) => kind.compute(self, data),
            IndicatorKind::Mean(kind) => kind.compute(self, data),
            IndicatorKind::Sum(kind) => kind.compute(self, data),
            IndicatorKind::Value(kind) => kind.compute(self, data),
            IndicatorKind::Target(kind) => kind.compute(self, data),
        };
        if computed.points.is_empty() {
            let measures = self.kind.measures().join("`, `");
            computed.findings.push(Finding::warning(
                "no_data",
                format!(
                    "indicator `{}` has no value anywhere: no usable observations of `{measures}`",
                    self.name
                ),
            ));
        }
        computed
    }

    /// Compares recomputed points with the published figures of `measure`.
    pub(crate) fn checks_against(
        &self,
        measure: Option<&str>,
        data: &Data,
        points: &[Point],
        note: Option<&str>,
    ) -> Vec<Check> {
        let Some(measure) = measure else {
            return Vec::new();
        };
        points
            .iter()
            .filter_map(|point| {
                let published = data.direct(measure, &point.territory, &point.period)?.value;
                let computed = text::round_to(point.value, self.decimals);
                let agrees = computed == text::round_to(published, self.decimals);
                let implied_denominator = match (&self.kind, point.numerator) {
                    (IndicatorKind::Ratio(ratio), Some(numerator))
                        if !agrees && published != 0.0 =>
                    {
                        Some(numerator * ratio.per / published)
                    }
                    _ => None,
                };
                Some(Check {
                    indicator: self.name.clone(),
                    territory: point.territory.clone(),
                    period: point.period.clone(),
                    computed,
                    published,
                    published_measure: measure.to_owned(),
                    agrees,
                    numerator: point.numerator,
                    denominator: point.denominator,
                    denominator_label: self.kind.denominator_label(),
                    implied_denominator,
                    note: note.map(str::to_owned),
                })
            })
            .collect()
    }
}

/// Territories and periods where a kind found too little to compute, as warnings.
pub(crate) fn partial_finding(
    indicator: &str,
    measure: &str,
    territory: &str,
    period: &str,
    have: usize,
    of: usize,
) -> Finding {
    Finding::warning(
        "incomplete_aggregate",
        format!(
            "indicator `{indicator}`: {territory} in {period} has `{measure}` for {have} of its {of} comuni; not computed"
        ),
    )
}

/// One published value of an indicator, with what the table and the pages show of it. Texts
/// are shared between rows (a grown national run has millions of rows and a few thousand
/// distinct texts besides the territories).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorRow {
    pub territory: Arc<str>,
    pub territory_name: Arc<str>,
    pub level: Level,
    pub challenge: u8,
    pub indicator: Arc<str>,
    pub label: Arc<str>,
    pub kind: &'static str,
    pub period: Arc<str>,
    /// Rounded to `decimals`, as published.
    pub value: f64,
    pub unit: Arc<str>,
    pub decimals: u8,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    pub denominator_label: Option<Arc<str>>,
    pub source: Arc<str>,
    /// The benchmarks the indicator declares, with their values for the same period.
    pub province: Option<Benchmark>,
    pub region: Option<Benchmark>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Benchmark {
    pub code: Arc<str>,
    pub name: Arc<str>,
    pub value: f64,
}

/// The indicator rows in published order: challenge, indicator, level, territory, period.
pub fn indicator_rows(indicators: &[(Indicator, Computed)], data: &Data) -> Vec<IndicatorRow> {
    let mut rows = Vec::with_capacity(indicators.iter().map(|(_, c)| c.points.len()).sum());
    let mut shared = crate::observation::Shared::default();
    let mut source_names: HashMap<&BTreeSet<usize>, Arc<str>> = HashMap::new();
    for (indicator, computed) in indicators {
        let by_key: HashMap<(&str, &str), f64> = computed
            .points
            .iter()
            .map(|p| ((p.territory.as_str(), p.period.as_str()), p.value))
            .collect();
        let (name, label, unit) = (
            shared.get(&indicator.name),
            shared.get(&indicator.label),
            shared.get(&indicator.unit),
        );
        let denominator_label = indicator
            .kind
            .denominator_label()
            .map(|text| shared.get(&text));
        for point in &computed.points {
            let Some(territory) = data.territories.get(&point.territory) else {
                continue;
            };
            let mut benchmark = |level: Level| {
                if !indicator.compare_with.contains(&level) {
                    return None;
                }
                let benchmark = data.territories.benchmark_of(&point.territory, level)?;
                // A benchmark territory without a value for the period is no benchmark.
                let value = by_key.get(&(benchmark.code.as_str(), point.period.as_str()))?;
                Some(Benchmark {
                    code: shared.get(&benchmark.code),
                    name: shared.get(&benchmark.name),
                    value: text::round_to(*value, indicator.decimals),
                })
            };
            let (province, region) = (benchmark(Level::Province), benchmark(Level::Region));
            let source = source_names
                .entry(&point.sources)
                .or_insert_with(|| Arc::from(data.source_names(&point.sources)))
                .clone();
            rows.push(IndicatorRow {
                territory: shared.territory(&point.territory),
                territory_name: shared.get(&territory.name),
                level: territory.level,
                challenge: indicator.challenge,
                indicator: Arc::clone(&name),
                label: Arc::clone(&label),
                kind: indicator.kind.name(),
                period: shared.get(&point.period),
                value: text::round_to(point.value, indicator.decimals),
                unit: Arc::clone(&unit),
                decimals: indicator.decimals,
                // Sums of amounts in floating point carry noise in the last digits; six
                // decimals keep every digit a source can have.
                numerator: point.numerator.map(|v| text::round_to(v, 6)),
                denominator: point.denominator.map(|v| text::round_to(v, 6)),
                denominator_label: denominator_label.clone(),
                source,
                province,
                region,
            });
        }
    }
    rows.sort_by(|a, b| {
        (a.challenge, &a.indicator, a.level, &a.territory, &a.period).cmp(&(
            b.challenge,
            &b.indicator,
            b.level,
            &b.territory,
            &b.period,
        ))
    });
    rows
}

/// The published indicators table.
pub fn indicators_table(rows: &[IndicatorRow]) -> Table {
    let text = |get: fn(&IndicatorRow) -> Option<&str>| rows.iter().map(get);
    let number = |get: fn(&IndicatorRow) -> Option<f64>| rows.iter().map(get);
    Table::new(TableName::Indicators)
        .text("territory", text(|r| Some(&r.territory)))
        .text("territory_name", text(|r| Some(&r.territory_name)))
        .repeated_text("level", text(|r| Some(r.level.as_str())))
        .integer(
            "challenge",
            rows.iter().map(|r| Some(i64::from(r.challenge))),
        )
        .repeated_text("indicator", text(|r| Some(&r.indicator)))
        .repeated_text("label", text(|r| Some(&r.label)))
        .repeated_text("kind", text(|r| Some(r.kind)))
        .repeated_text("period", text(|r| Some(&r.period)))
        .number("value", number(|r| Some(r.value)))
        .repeated_text("unit", text(|r| Some(&r.unit)))
        .integer("decimals", rows.iter().map(|r| Some(i64::from(r.decimals))))
        .number("numerator", number(|r| r.numerator))
        .number("denominator", number(|r| r.denominator))
        .repeated_text(
            "denominator_label",
            text(|r| r.denominator_label.as_deref()),
        )
        .repeated_text("source", text(|r| Some(&r.source)))
        .text("province", text(|r| r.province.as_ref().map(|b| &*b.code)))
        .number(
            "province_value",
            number(|r| r.province.as_ref().map(|b| b.value)),
        )
        .text("region", text(|r| r.region.as_ref().map(|b| &*b.code)))
        .number(
            "region_value",
            number(|r| r.region.as_ref().map(|b| b.value)),
        )
}

/// The fields of kinds that read one measure and may check it against a published figure.
#[derive(Debug, Clone, Deserialize)]
pub struct MeasureSpec {
    pub measure: String,
    /// A measure holding the published figure, to check the computed one against.
    pub published: Option<String>,
}

impl MeasureSpec {
    pub(crate) fn check(&self, item: &Item<IndicatorSpec>) -> Result<(), Vec<ConfigProblem>> {
        let mut problems = Vec::new();
        check_measure(item, "measure", &self.measure, &mut problems);
        if let Some(published) = &self.published {
            check_measure(item, "published", published, &mut problems);
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }
}

/// Checks that a measure name written in the pipeline looks like one.
pub(crate) fn check_measure<T>(
    item: &Item<T>,
    field: &str,
    measure: &str,
    problems: &mut Vec<ConfigProblem>,
) {
    let ok = measure.split('.').all(text::is_snake_case);
    if !ok {
        problems.push(item.problem(format!(
            "`{field}`: measure name `{measure}` is not snake_case"
        )));
    }
}
