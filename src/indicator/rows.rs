//! The published indicators table: one row per indicator, territory and period, with the
//! benchmarks the indicator declares (province, region) read for the same period.

use std::collections::BTreeSet;
use std::sync::Arc;

// Keys are the run's own codes, periods and source lists, looked up for every row: a quick
// hash suits them better than the default one, made to resist crafted keys.
use rustc_hash::FxHashMap as HashMap;

use serde::Serialize;

use crate::indicator::common::{Computation, Point};
use crate::indicator::data::Data;
use crate::indicator::{Indicator, PointIndex};
use crate::istat::Level;
use crate::message::Language;
use crate::observation::Shared;
use crate::order;
use crate::table::{Table, TableName};
use crate::text;

/// One published value of an indicator, with what the table and the pages show of it. Texts
/// are shared between rows (a grown national run has millions of rows and a few thousand
/// distinct texts besides the territories).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct IndicatorRow {
    pub(crate) territory: Arc<str>,
    pub(crate) territory_name: Arc<str>,
    pub(crate) level: Level,
    pub(crate) challenge: u8,
    pub(crate) indicator: Arc<str>,
    pub(crate) label: Arc<str>,
    pub(crate) kind: &'static str,
    /// Whether the values are totals, which territories of different sizes do not share.
    #[serde(skip)]
    pub(crate) total: bool,
    pub(crate) period: Arc<str>,
    /// Rounded to `decimals`, as published.
    pub(crate) value: f64,
    pub(crate) unit: Arc<str>,
    pub(crate) decimals: u8,
    pub(crate) numerator: Option<f64>,
    pub(crate) denominator: Option<f64>,
    pub(crate) denominator_label: Option<Arc<str>>,
    pub(crate) source: Arc<str>,
    /// The benchmarks the indicator declares, with their values for the same period.
    pub(crate) province: Option<Benchmark>,
    pub(crate) region: Option<Benchmark>,
    /// How the value is computed, in Italian, for a territory's latest period: what its page
    /// shows under the indicator.
    #[serde(skip)]
    pub(crate) explanation: Option<Arc<[String]>>,
}

#[cfg(test)]
impl IndicatorRow {
    /// A comune's row of a funding indicator, for tests to change.
    pub(crate) fn example() -> IndicatorRow {
        IndicatorRow {
            territory: Arc::from("035004"),
            territory_name: Arc::from("Bibbiano"),
            level: Level::Comune,
            challenge: 8,
            indicator: Arc::from("pnrr_funding"),
            label: Arc::from("Finanziamenti PNRR"),
            kind: "value",
            total: true,
            period: Arc::from("2026-08-22"),
            value: 1.0,
            unit: Arc::from("euro"),
            decimals: 0,
            numerator: None,
            denominator: None,
            denominator_label: None,
            source: Arc::from("pnrr"),
            province: None,
            region: None,
            explanation: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Benchmark {
    pub(crate) code: Arc<str>,
    pub(crate) name: Arc<str>,
    pub(crate) value: f64,
}

/// The observations a page lists under an indicator, at most: a screen's worth.
const EXPLAINED_ROWS: usize = 12;

/// The indicator rows in published order: challenge, indicator, level, territory, period.
/// With `explained`, each territory's latest row says how it is computed, for its page.
pub(crate) fn indicator_rows(
    indicators: &[(Indicator, Computation)],
    data: &Data,
    explained: bool,
) -> Vec<IndicatorRow> {
    let mut rows = Vec::with_capacity(indicators.iter().map(|(_, c)| c.points.len()).sum());
    let mut texts = Texts::default();
    for (indicator, computed) in indicators {
        texts.rows_of(indicator, computed, data, explained, &mut rows);
    }
    let fields: [fn(&IndicatorRow) -> &Arc<str>; 3] =
        [|r| &r.indicator, |r| &r.territory, |r| &r.period];
    // Challenge, indicator, level, territory, period; a level's order is its variants'.
    let mut parts = order::ranks_by_field(&rows, &fields);
    parts.insert(0, rows.iter().map(|r| u32::from(r.challenge)).collect());
    parts.insert(2, rows.iter().map(|r| r.level as u32).collect());
    order::sort_by_parts(&mut rows, &parts);
    rows
}

/// The texts rows share, kept once: territories, names, labels and the source lists.
#[derive(Default)]
struct Texts<'d> {
    shared: Shared,
    source_names: HashMap<&'d BTreeSet<usize>, Arc<str>>,
}

impl<'d> Texts<'d> {
    /// The rows of one indicator, with the benchmarks it declares.
    fn rows_of(
        &mut self,
        indicator: &Indicator,
        computed: &'d Computation,
        data: &Data,
        explained: bool,
        rows: &mut Vec<IndicatorRow>,
    ) {
        let by_key: HashMap<(&str, &str), f64> = computed
            .points
            .iter()
            .map(|p| ((p.territory.as_str(), p.period.as_str()), p.value))
            .collect();
        let shared = &mut self.shared;
        let (name, label, unit) = (
            shared.get(&indicator.name),
            shared.get(&indicator.label),
            shared.get(&indicator.unit),
        );
        let denominator_label = indicator
            .kind
            .denominator_label()
            .map(|text| shared.get(&text));
        let mut explanations = match explained {
            true => explanations(indicator, computed, data),
            false => Vec::new(),
        }
        .into_iter();
        for point in &computed.points {
            let explanation = explanations.next().flatten();
            let Some(territory) = data.territories.get(&point.territory) else {
                continue;
            };
            let province = self.benchmark(indicator, point, Level::Province, &by_key, data);
            let region = self.benchmark(indicator, point, Level::Region, &by_key, data);
            let source = self
                .source_names
                .entry(&point.sources)
                .or_insert_with(|| Arc::from(data.source_names(&point.sources)))
                .clone();
            let shared = &mut self.shared;
            rows.push(IndicatorRow {
                territory: shared.territory(&point.territory),
                territory_name: shared.get(&territory.name),
                level: territory.level,
                challenge: indicator.challenge,
                indicator: Arc::clone(&name),
                label: Arc::clone(&label),
                kind: indicator.kind.name(),
                total: indicator.kind.gives_totals(),
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
                explanation,
            });
        }
    }

    /// The value of a point's province or region for the same period, when the indicator
    /// compares with it; a benchmark territory without a value for the period is no benchmark.
    fn benchmark(
        &mut self,
        indicator: &Indicator,
        point: &Point,
        level: Level,
        by_key: &HashMap<(&str, &str), f64>,
        data: &Data,
    ) -> Option<Benchmark> {
        if !indicator.compare_with.contains(&level) {
            return None;
        }
        let benchmark = data.territories.benchmark_of(&point.territory, level)?;
        let value = by_key.get(&(benchmark.code.as_str(), point.period.as_str()))?;
        Some(Benchmark {
            code: self.shared.get(&benchmark.code),
            name: self.shared.get(&benchmark.name),
            value: text::round_to(*value, indicator.decimals),
        })
    }
}

/// How each point is computed, for the points of a territory's latest period (what its page
/// shows), on both cores: a national release explains seventy thousand values.
fn explanations(
    indicator: &Indicator,
    computed: &Computation,
    data: &Data,
) -> Vec<Option<Arc<[String]>>> {
    let mut latest: HashMap<&str, &str> = HashMap::default();
    for point in &computed.points {
        let period = latest.entry(&point.territory).or_insert(&point.period);
        if point.period.as_str() > *period {
            *period = &point.period;
        }
    }
    let index = PointIndex::of(computed);
    let half = computed.points.len().div_ceil(2).max(1);
    let halves: Vec<&[Point]> = computed.points.chunks(half).collect();
    let explained = crate::parallel::map(&halves, true, |points| {
        points
            .iter()
            .map(|point| {
                let is_latest =
                    latest.get(point.territory.as_str()) == Some(&point.period.as_str());
                is_latest.then(|| {
                    let explanation =
                        indicator.explanation_of(data, computed, &index, point, EXPLAINED_ROWS);
                    Arc::from(explanation.page_lines(Language::Italian))
                })
            })
            .collect::<Vec<_>>()
    });
    explained.into_iter().flatten().collect()
}

/// The published indicators table.
pub(crate) fn indicators_table(rows: &[IndicatorRow]) -> Table {
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
