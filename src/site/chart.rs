//! Charts as inline SVG: horizontal bars for comparisons and rankings, a small line chart for
//! series. Geometry is computed here; markup comes from `templates/chart.svg`, escaped. Every
//! chart carries a title that says the key number, a description, value labels on the marks,
//! and its data as CSV. Colours are checked for contrast, and never carry meaning alone.

use serde::Serialize;

use crate::text::format_it;

/// The colour of the mark of the territory a page is about (Bootstrap Italia primary).
pub(crate) const FOCUS: &str = "#0066CC";
/// The colour of benchmark and other territories.
pub(crate) const OTHER: &str = "#5C6F82";
/// Text on the white chart background.
pub(crate) const TEXT: &str = "#1A1A1A";
pub(crate) const BACKGROUND: &str = "#FFFFFF";

const WIDTH: f64 = 640.0;
const LABEL_WIDTH: f64 = 230.0;
const VALUE_WIDTH: f64 = 110.0;
const ROW: f64 = 30.0;
const BAR: f64 = 18.0;
const TOP: f64 = 8.0;

/// One bar of a bar chart.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Bar {
    pub(crate) label: String,
    pub(crate) value: f64,
    /// The territory the page is about: its bar is drawn in the focus colour and its label
    /// is bold and marked, so that colour is not the only difference.
    pub(crate) focus: bool,
}

/// A chart ready for a template: geometry, texts, and its data as CSV.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Chart {
    /// Unique within the release; names the downloadable files.
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) description: String,
    pub(crate) width: f64,
    pub(crate) height: f64,
    pub(crate) bars: Vec<BarMark>,
    pub(crate) line: Option<LineMark>,
    pub(crate) unit: String,
    /// Header and rows of the data table next to the chart (already formatted in Italian).
    pub(crate) table_header: Vec<String>,
    pub(crate) table_rows: Vec<Vec<String>>,
    pub(crate) csv: String,
    pub(crate) colors: Colors,
    /// The SVG markup and the two downloads, filled in by the site writer once per chart.
    pub(crate) rendered: Option<Rendered>,
}

/// A chart drawn once: its markup, shown inline, and its downloads as data URLs. A national
/// site has tens of thousands of charts; two files each made a release slow to write, to copy
/// to a web space and to prune, and a data URL downloads from `file://` as well.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Rendered {
    pub(crate) svg: String,
    pub(crate) svg_href: String,
    pub(crate) csv_href: String,
}

impl Rendered {
    pub(crate) fn new(svg: String, csv: &str) -> Rendered {
        use base64::Engine;
        let encode = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
        Rendered {
            svg_href: format!("data:image/svg+xml;base64,{}", encode(svg.as_bytes())),
            csv_href: format!(
                "data:text/csv;charset=utf-8;base64,{}",
                encode(csv.as_bytes())
            ),
            svg,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Colors {
    pub(crate) focus: &'static str,
    pub(crate) other: &'static str,
    pub(crate) text: &'static str,
    pub(crate) background: &'static str,
}

const COLORS: Colors = Colors {
    focus: FOCUS,
    other: OTHER,
    text: TEXT,
    background: BACKGROUND,
};

#[derive(Debug, Clone, Serialize)]
pub(crate) struct BarMark {
    pub(crate) label: String,
    pub(crate) value_text: String,
    pub(crate) focus: bool,
    pub(crate) y: f64,
    pub(crate) text_y: f64,
    pub(crate) x: f64,
    pub(crate) width: f64,
    pub(crate) value_x: f64,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct LineMark {
    pub(crate) points: String,
    pub(crate) dots: Vec<Dot>,
    pub(crate) axis_y: f64,
    pub(crate) left: f64,
    pub(crate) right: f64,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Dot {
    pub(crate) x: f64,
    pub(crate) y: f64,
    pub(crate) label_y: f64,
    pub(crate) value_text: String,
    pub(crate) period: String,
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// Horizontal bars, in the order given (rank them before calling for a ranking).
pub(crate) fn bars(
    id: &str,
    title: String,
    description: String,
    unit: &str,
    decimals: u8,
    bars: &[Bar],
) -> Chart {
    let max = bars.iter().map(|b| b.value).fold(0.0_f64, f64::max);
    let scale = if max > 0.0 {
        (WIDTH - LABEL_WIDTH - VALUE_WIDTH) / max
    } else {
        0.0
    };
    let marks = bars
        .iter()
        .enumerate()
        .map(|(index, bar)| {
            let y = TOP + index as f64 * ROW;
            let width = (bar.value.max(0.0) * scale).max(if bar.value > 0.0 { 1.0 } else { 0.0 });
            BarMark {
                label: if bar.focus {
                    format!("▸ {}", bar.label)
                } else {
                    bar.label.clone()
                },
                value_text: format_it(bar.value, decimals),
                focus: bar.focus,
                y,
                text_y: y + BAR - 4.0,
                x: LABEL_WIDTH,
                width: round1(width),
                value_x: round1(LABEL_WIDTH + width + 6.0),
            }
        })
        .collect();
    let csv = chart_csv(
        "territorio",
        bars.iter().map(|bar| (bar.label.as_str(), bar.value)),
        unit,
    );
    Chart {
        id: id.to_owned(),
        title,
        description,
        width: WIDTH,
        height: TOP * 2.0 + bars.len() as f64 * ROW,
        bars: marks,
        line: None,
        unit: unit.to_owned(),
        table_header: vec!["Territorio".into(), format!("Valore ({unit})")],
        table_rows: bars
            .iter()
            .map(|b| vec![b.label.clone(), format_it(b.value, decimals)])
            .collect(),
        csv,
        colors: COLORS,
        rendered: None,
    }
}

/// A chart's data as CSV: one row per mark, with its label, value and unit.
fn chart_csv<'a>(label: &str, marks: impl Iterator<Item = (&'a str, f64)>, unit: &str) -> String {
    let mut csv = format!("{label},valore,unita\n");
    for (name, value) in marks {
        csv.push_str(&format!(
            "{},{value},{}\n",
            csv_field(name),
            csv_field(unit)
        ));
    }
    csv
}

/// A small line chart of one territory's values over periods.
pub(crate) fn line(
    id: &str,
    title: String,
    description: String,
    unit: &str,
    decimals: u8,
    points: &[(String, f64)],
) -> Chart {
    let height = 220.0;
    let (left, right, top, bottom) = (60.0, WIDTH - 40.0, 30.0, height - 40.0);
    let max = points.iter().map(|(_, v)| *v).fold(0.0_f64, f64::max);
    let span = if max > 0.0 { max * 1.1 } else { 1.0 };
    let step = if points.len() > 1 {
        (right - left) / (points.len() - 1) as f64
    } else {
        0.0
    };
    let dots: Vec<Dot> = points
        .iter()
        .enumerate()
        .map(|(index, (period, value))| {
            let x = round1(left + index as f64 * step);
            let y = round1(bottom - value.max(0.0) / span * (bottom - top));
            Dot {
                x,
                y,
                label_y: round1(y - 10.0),
                value_text: format_it(*value, decimals),
                period: period.clone(),
            }
        })
        .collect();
    let csv = chart_csv(
        "periodo",
        points
            .iter()
            .map(|(period, value)| (period.as_str(), *value)),
        unit,
    );
    Chart {
        id: id.to_owned(),
        title,
        description,
        width: WIDTH,
        height,
        bars: Vec::new(),
        line: Some(LineMark {
            points: dots
                .iter()
                .map(|d| format!("{},{}", d.x, d.y))
                .collect::<Vec<_>>()
                .join(" "),
            dots,
            axis_y: bottom,
            left,
            right,
        }),
        unit: unit.to_owned(),
        table_header: vec!["Periodo".into(), format!("Valore ({unit})")],
        table_rows: points
            .iter()
            .map(|(period, value)| vec![period.clone(), format_it(*value, decimals)])
            .collect(),
        csv,
        colors: COLORS,
        rendered: None,
    }
}

fn round1(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

/// WCAG 2.1 contrast ratio of two `#RRGGBB` colours.
#[cfg(test)]
fn contrast(first: &str, second: &str) -> f64 {
    let luminance = |hex: &str| {
        let channel = |i: usize| {
            let value = u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0) as f64 / 255.0;
            if value <= 0.039_28 {
                value / 12.92
            } else {
                ((value + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
    };
    let (a, b) = (luminance(first), luminance(second));
    (a.max(b) + 0.05) / (a.min(b) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_palette_has_enough_contrast() {
        // Text (value labels, names) needs 4.5:1 on the background; bars, as graphical
        // objects, 3:1 against the background (WCAG 2.1, 1.4.3 and 1.4.11). axe cannot see
        // inside SVG, so this test is the check.
        assert!(
            contrast(TEXT, BACKGROUND) >= 4.5,
            "{}",
            contrast(TEXT, BACKGROUND)
        );
        for bar in [FOCUS, OTHER] {
            assert!(
                contrast(bar, BACKGROUND) >= 3.0,
                "{bar}: {}",
                contrast(bar, BACKGROUND)
            );
        }
        // Focus and other bars also differ in their labels (bold, marked with ▸); their
        // colours differ too, enough to be told apart by most readers.
        assert!((contrast(FOCUS, BACKGROUND) - contrast(OTHER, BACKGROUND)).abs() < 3.0);
        assert!((contrast("#000000", "#FFFFFF") - 21.0).abs() < 0.01);
    }

    #[test]
    fn bars_are_scaled_and_labelled_in_italian() {
        let chart = bars(
            "x",
            "t".into(),
            "d".into(),
            "ogni 1.000 abitanti",
            2,
            &[
                Bar {
                    label: "Unione Val d'Enza".into(),
                    value: 2.29,
                    focus: true,
                },
                Bar {
                    label: "Reggio nell'Emilia".into(),
                    value: 2.96,
                    focus: false,
                },
            ],
        );
        assert_eq!(chart.bars[0].value_text, "2,29");
        assert_eq!(chart.bars[1].width, WIDTH - LABEL_WIDTH - VALUE_WIDTH);
        assert!(chart.bars[0].label.starts_with('▸'));
        assert_eq!(
            chart.csv,
            "territorio,valore,unita\nUnione Val d'Enza,2.29,ogni 1.000 abitanti\nReggio nell'Emilia,2.96,ogni 1.000 abitanti\n"
        );
    }
}
