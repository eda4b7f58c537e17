//! A stacked bar: one whole (the PA digitale applications of a territory) split into parts
//! (their statuses), each part drawn in its own paint (solid, hatched, outlined: told apart
//! without colour) and named with its count and amount in a legend below, with the data
//! table and CSV every chart has. `chart::stacked` makes it a chart.

use crate::site::drawn::Drawn;
use crate::text::{format_it, round_to};

/// One part of the whole.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Part {
    /// "Erogate"
    pub(crate) label: &'static str,
    pub(crate) count: usize,
    pub(crate) amount: f64,
}

/// How a part is painted, by its place among the parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PartPaint {
    Solid,
    Hatched,
    Outlined,
}

const PAINTS: [PartPaint; 3] = [PartPaint::Solid, PartPaint::Hatched, PartPaint::Outlined];

#[derive(Debug, Clone)]
pub(crate) struct StackedChart {
    pub(crate) segments: Vec<Segment>,
    pub(crate) legend: Vec<LegendEntry>,
    pub(crate) bar_y: f64,
    pub(crate) bar_height: f64,
}

#[derive(Debug, Clone)]
pub(crate) struct Segment {
    pub(crate) x: f64,
    pub(crate) width: f64,
    pub(crate) paint: PartPaint,
}

#[derive(Debug, Clone)]
pub(crate) struct LegendEntry {
    pub(crate) y: f64,
    pub(crate) paint: PartPaint,
    pub(crate) text: String,
}

const LEFT: f64 = 10.0;
const WIDTH: f64 = 640.0;
const BAR_Y: f64 = 10.0;
const BAR_HEIGHT: f64 = 32.0;
/// A white gap between parts, so that two parts never touch.
const GAP: f64 = 2.0;
const LEGEND_TOP: f64 = 62.0;
const LEGEND_ROW: f64 = 28.0;

/// The parts (at most three) left to right in the order given, scaled to their sum; a part
/// of no amount has no segment but keeps its line in the legend.
pub(crate) fn draw(parts: &[Part], unit: &str) -> Drawn<StackedChart> {
    let total: f64 = parts.iter().map(|p| p.amount.max(0.0)).sum();
    let scale = if total > 0.0 {
        (WIDTH - 2.0 * LEFT) / total
    } else {
        0.0
    };
    let mut x = LEFT;
    let mut segments = Vec::new();
    for (part, paint) in parts.iter().zip(PAINTS) {
        let width = part.amount.max(0.0) * scale;
        if width > 0.0 {
            segments.push(Segment {
                x: round_to(x, 1),
                width: round_to((width - GAP).max(1.0), 1),
                paint,
            });
        }
        x += width;
    }
    let legend = parts
        .iter()
        .zip(PAINTS)
        .enumerate()
        .map(|(index, (part, paint))| LegendEntry {
            y: LEGEND_TOP + index as f64 * LEGEND_ROW,
            paint,
            text: format!(
                "{}: {}, {} {unit}{}",
                part.label,
                applications_it(part.count),
                format_it(part.amount, 0),
                share_it(part.amount, total)
            ),
        })
        .collect();
    Drawn {
        marks: StackedChart {
            segments,
            legend,
            bar_y: BAR_Y,
            bar_height: BAR_HEIGHT,
        },
        width: WIDTH,
        height: LEGEND_TOP + parts.len().min(PAINTS.len()) as f64 * LEGEND_ROW,
        table_header: vec![
            "Stato".into(),
            "Candidature".into(),
            format!("Importo ({unit})"),
        ],
        table_rows: parts
            .iter()
            .map(|p| {
                vec![
                    p.label.to_owned(),
                    format_it(p.count as f64, 0),
                    format_it(p.amount, 0),
                ]
            })
            .collect(),
        csv: csv(parts, unit),
    }
}

/// "1 candidatura", "12 candidature".
pub(crate) fn applications_it(count: usize) -> String {
    match count {
        1 => "1 candidatura".to_owned(),
        _ => format!("{} candidature", format_it(count as f64, 0)),
    }
}

/// " (45%)" of the whole, when there is a whole.
fn share_it(amount: f64, total: f64) -> String {
    if total > 0.0 {
        format!(" ({}%)", format_it(amount.max(0.0) / total * 100.0, 0))
    } else {
        String::new()
    }
}

fn csv(parts: &[Part], unit: &str) -> String {
    let mut csv = String::from("stato,candidature,importo,unita\n");
    for part in parts {
        csv.push_str(&format!(
            "{},{},{},\"{}\"\n",
            part.label,
            part.count,
            round_to(part.amount, 2),
            unit.replace('"', "\"\"")
        ));
    }
    csv
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_fill_the_bar_in_their_paints_and_are_named_with_their_amounts() {
        let part = |label, count, amount| Part {
            label,
            count,
            amount,
        };
        let drawn = draw(
            &[
                part("Erogate", 3, 150_000.0),
                part("Assegnate", 1, 50_000.0),
                part("Rinunciate", 0, 0.0),
            ],
            "euro",
        );
        let segments = &drawn.marks.segments;
        assert_eq!(segments.len(), 2, "no segment for a part of no amount");
        // Three quarters of the 620 units between the margins, less the gap.
        assert_eq!(segments[0].width, 465.0 - GAP);
        assert_eq!(segments[1].x, 475.0);
        assert_eq!(segments[1].paint, PartPaint::Hatched);
        assert_eq!(
            drawn.marks.legend[0].text,
            "Erogate: 3 candidature, 150.000 euro (75%)"
        );
        assert_eq!(
            drawn.marks.legend[2].text,
            "Rinunciate: 0 candidature, 0 euro (0%)"
        );
        assert_eq!(drawn.marks.legend[2].paint, PartPaint::Outlined);
        assert_eq!(drawn.table_rows[1], ["Assegnate", "1", "50.000"]);
        assert!(drawn.csv.contains("Erogate,3,150000,\"euro\"\n"));
    }
}
