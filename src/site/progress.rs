//! A project KPI's target against its actual, year by year: one row per year, the target
//! drawn as a dashed outline and the actual as a solid bar inside it (they differ in shape as
//! well as colour), both labelled, with the data table and CSV every chart has.
//! `chart::progress` makes it a chart.

use crate::site::drawn::Drawn;
use crate::text::{format_it, round_to};

/// One year of a KPI.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct YearValues {
    pub(crate) year: i32,
    pub(crate) target: Option<f64>,
    pub(crate) actual: Option<f64>,
}

/// The legend and rows of a progress chart.
#[derive(Debug, Clone)]
pub(crate) struct ProgressChart {
    pub(crate) rows: Vec<ProgressRow>,
    /// Where the bars start: the year labels end just before.
    pub(crate) left: f64,
    pub(crate) legend_y: f64,
}

#[derive(Debug, Clone)]
pub(crate) struct ProgressRow {
    pub(crate) year: String,
    pub(crate) y: f64,
    pub(crate) text_y: f64,
    pub(crate) target_width: Option<f64>,
    pub(crate) actual_width: Option<f64>,
    pub(crate) value_x: f64,
    pub(crate) value_text: String,
}

const LEFT: f64 = 60.0;
const BARS: f64 = 300.0;
const WIDTH: f64 = 640.0;
const TOP: f64 = 36.0;
const ROW: f64 = 34.0;

/// How a KPI's values read: its unit, the words before a target ("almeno "), its decimals.
pub(crate) struct KpiReading<'a> {
    pub(crate) unit: &'a str,
    pub(crate) target_prefix: &'a str,
    pub(crate) decimals: u8,
}

/// The rows of `years` in the order given, scaled to the largest target or actual.
pub(crate) fn draw(years: &[YearValues], reading: &KpiReading) -> Drawn<ProgressChart> {
    let max = years
        .iter()
        .flat_map(|y| [y.target, y.actual])
        .flatten()
        .fold(0.0_f64, f64::max);
    let scale = if max > 0.0 { BARS / max } else { 0.0 };
    let width_of = |value: f64| round_to((value.max(0.0) * scale).max(1.0), 1);
    let rows = years
        .iter()
        .enumerate()
        .map(|(index, year)| {
            let y = TOP + index as f64 * ROW;
            ProgressRow {
                year: year.year.to_string(),
                y,
                text_y: y + 16.0,
                target_width: year.target.map(width_of),
                actual_width: year.actual.map(width_of),
                value_x: LEFT + BARS + 10.0,
                value_text: value_text(year, reading),
            }
        })
        .collect();
    Drawn {
        marks: ProgressChart {
            rows,
            left: LEFT,
            legend_y: 16.0,
        },
        width: WIDTH,
        height: TOP + years.len() as f64 * ROW + 4.0,
        table_header: vec![
            "Anno".into(),
            format!("Obiettivo ({})", reading.unit),
            format!("Risultato ({})", reading.unit),
        ],
        table_rows: years.iter().map(|y| table_row(y, reading)).collect(),
        csv: csv(years, reading.unit),
    }
}

fn number(value: f64, reading: &KpiReading) -> String {
    format_it(value, reading.decimals)
}

/// "165 (obiettivo almeno 150)", "da rilevare (obiettivo almeno 200)".
fn value_text(year: &YearValues, reading: &KpiReading) -> String {
    let actual = year
        .actual
        .map_or_else(|| "da rilevare".to_owned(), |v| number(v, reading));
    match year.target {
        Some(target) => format!(
            "{actual} (obiettivo {}{})",
            reading.target_prefix,
            number(target, reading)
        ),
        None => actual,
    }
}

fn table_row(year: &YearValues, reading: &KpiReading) -> Vec<String> {
    vec![
        year.year.to_string(),
        year.target.map_or_else(
            || "—".to_owned(),
            |v| format!("{}{}", reading.target_prefix, number(v, reading)),
        ),
        year.actual
            .map_or_else(|| "non ancora rilevato".to_owned(), |v| number(v, reading)),
    ]
}

fn csv(years: &[YearValues], unit: &str) -> String {
    let mut csv = String::from("anno,obiettivo,risultato,unita\n");
    let optional = |value: Option<f64>| value.map(|v| v.to_string()).unwrap_or_default();
    for year in years {
        csv.push_str(&format!(
            "{},{},{},\"{}\"\n",
            year.year,
            optional(year.target),
            optional(year.actual),
            unit.replace('"', "\"\"")
        ));
    }
    csv
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_and_actuals_share_a_scale_and_are_labelled() {
        let year = |year, target, actual| YearValues {
            year,
            target,
            actual,
        };
        let drawn = draw(
            &[
                year(2023, Some(100.0), Some(80.0)),
                year(2024, Some(150.0), Some(200.0)),
                year(2025, Some(200.0), None),
            ],
            &KpiReading {
                unit: "persone",
                target_prefix: "almeno ",
                decimals: 0,
            },
        );
        let rows = &drawn.marks.rows;
        assert_eq!(rows[1].actual_width, Some(BARS));
        assert_eq!(rows[0].target_width, Some(BARS / 2.0));
        assert_eq!(rows[2].actual_width, None);
        assert_eq!(rows[0].value_text, "80 (obiettivo almeno 100)");
        assert_eq!(rows[2].value_text, "da rilevare (obiettivo almeno 200)");
        assert_eq!(
            drawn.table_rows[2],
            ["2025", "almeno 200", "non ancora rilevato"]
        );
        assert!(
            drawn.csv.ends_with("2025,200,,\"persone\"\n"),
            "{}",
            drawn.csv
        );
    }
}
