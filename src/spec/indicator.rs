//! The raw `[indicator.NAME.KIND]` tables: the fields every kind shares, one plain serde type
//! per indicator kind, and the enum of kinds whose variant names are the keys written in the
//! pipeline file. Checking them is each kind's job, in `indicator/`.

use serde::Deserialize;
use toml::Spanned;

use crate::istat::Level;

/// An indicator as written: the fields every kind has, and its kind.
#[derive(Debug, Clone)]
pub(crate) struct IndicatorSpec {
    pub(crate) common: IndicatorCommonSpec,
    pub(crate) kind: IndicatorKindSpec,
}

/// The fields every indicator kind has, written in the kind's table.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct IndicatorCommonSpec {
    /// The challenge of the regional digital agenda, 1 to 8.
    pub(crate) challenge: Spanned<u8>,
    /// Italian label, as citizens read it.
    pub(crate) label: String,
    /// Unit as citizens read it: "%", "ogni 1.000 abitanti", "servizi per comune".
    pub(crate) unit: String,
    /// Decimals the value is published with.
    pub(crate) decimals: Spanned<u8>,
    /// Benchmark levels: `province`, `region`, `italy`.
    #[serde(default)]
    pub(crate) compare_with: Vec<Spanned<Level>>,
    /// A note on the indicator for whoever reads the catalog; accepted, and not yet shown by
    /// the pages or the report.
    #[allow(dead_code)]
    pub(crate) description: Option<String>,
    /// The indicator shown on its challenge's card on the home page.
    #[serde(default)]
    pub(crate) headline: bool,
}

/// The kind of an indicator as written: `[indicator.NAME.KIND]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum IndicatorKindSpec {
    Ratio(RatioSpec),
    Share(ShareSpec),
    Mean(MeanSpec),
    Sum(SumSpec),
    Value(ValueSpec),
    Target(TargetSpec),
}

/// The fields of kinds that read one measure and may check it against a published figure.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct MeasureSpec {
    pub(crate) measure: String,
    /// A measure holding the published figure, to check the computed one against.
    pub(crate) published: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct RatioSpec {
    pub(crate) numerator: String,
    pub(crate) denominator: String,
    /// The period of the denominator when it differs from the numerator's (population at
    /// 1 January of a given year, say), or "latest" for the latest period it has.
    pub(crate) denominator_period: Option<String>,
    /// Read the denominator in the territory's province, region or Italy instead of the
    /// territory itself: the union's share of the province's ICT local units, say.
    pub(crate) denominator_level: Option<Spanned<Level>>,
    /// 100 for "per 100", 1000 for "per 1,000"; 100 also makes a percentage.
    pub(crate) per: f64,
    /// What the denominator counts, in Italian: published in the catalog and the table.
    pub(crate) denominator_label: String,
    /// A measure holding the published figure, to check the recomputed ratio against.
    pub(crate) published: Option<String>,
    /// What to tell the reader when the published figure disagrees.
    pub(crate) published_note: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct ShareSpec {
    pub(crate) measure: String,
    /// A comune counts when its value is at least this (1 for yes/no measures written 1/0).
    pub(crate) at_least: f64,
    pub(crate) published: Option<String>,
}

/// The fields of `[indicator.NAME.sum]`: the measure and, optionally, its published figure.
pub(crate) type SumSpec = MeasureSpec;

/// The fields of `[indicator.NAME.mean]`: the measure and, optionally, its published figure.
pub(crate) type MeanSpec = MeasureSpec;

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct ValueSpec {
    pub(crate) measure: String,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct TargetSpec {
    /// The project record's id.
    pub(crate) project: String,
    /// The KPI's id in that record.
    pub(crate) kpi: String,
}

/// The measure a project KPI's target or actual is published under:
/// `kpi.<project>.<kpi>.<part>`. Project records give them, `target` indicators read them.
pub(crate) fn kpi_measure(project: &str, kpi: &str, part: &str) -> String {
    format!("kpi.{project}.{kpi}.{part}")
}
