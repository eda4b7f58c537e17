//! Charts as inline SVG: horizontal bars for comparisons and rankings, line charts for
//! series over time. Geometry is computed here; `markup` writes the SVG, escaped. Every
//! chart carries a title that says the key number, a description, value labels on the marks,
//! and its data as CSV. Colours are checked for contrast, and never carry meaning alone.

use serde::Serialize;

use crate::clock::{period_it, period_short_it, period_start};
use crate::site::drawn::Drawn;
use crate::site::progress::{self, KpiReading, ProgressChart, YearValues};
use crate::site::stacked::{self, Part, StackedChart};
use crate::site::timeline::{self, Span, TimelineChart};
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

/// A chart: geometry and texts, for `markup` to draw, and its data as CSV. A page's template
/// is given only what it reads (its id, title, table and drawing): a national site serializes
/// tens of thousands of charts into its pages' contexts.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Chart {
    /// Unique within the release; names the downloadable files.
    #[serde(skip)]
    pub(crate) id: String,
    #[serde(skip)]
    pub(crate) title: String,
    #[serde(skip)]
    pub(crate) description: String,
    #[serde(skip)]
    pub(crate) width: f64,
    #[serde(skip)]
    pub(crate) height: f64,
    #[serde(skip)]
    pub(crate) marks: ChartMarks,
    /// Header and rows of the data table next to the chart (already formatted in Italian).
    #[serde(skip)]
    pub(crate) table_header: Vec<String>,
    #[serde(skip)]
    pub(crate) table_rows: Vec<Vec<String>>,
    #[serde(skip)]
    pub(crate) csv: String,
    #[serde(skip)]
    pub(crate) colors: Colors,
    /// The figure, filled in by the site writer once per chart: all a page's template reads.
    pub(crate) rendered: Option<Rendered>,
}

/// What a chart draws: one kind of marks.
#[derive(Debug, Clone)]
pub(crate) enum ChartMarks {
    Bars(Vec<BarMark>),
    Line(LineChart),
    Timeline(TimelineChart),
    Progress(ProgressChart),
    Stacked(StackedChart),
}

/// A chart drawn once: its figure as the page shows it (`markup::figure`), with its SVG, its
/// data table and its downloads.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Rendered {
    pub(crate) figure: String,
}

#[derive(Debug, Clone)]
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

#[derive(Debug, Clone)]
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

/// The axis, ticks and lines of a line chart.
#[derive(Debug, Clone)]
pub(crate) struct LineChart {
    pub(crate) lines: Vec<LineMark>,
    pub(crate) ticks: Vec<Tick>,
    pub(crate) axis_y: f64,
    pub(crate) tick_y: f64,
    pub(crate) left: f64,
    pub(crate) right: f64,
}

/// One territory's line, with its legend entry.
#[derive(Debug, Clone)]
pub(crate) struct LineMark {
    pub(crate) label: String,
    pub(crate) focus: bool,
    pub(crate) color: &'static str,
    /// An SVG dash pattern: lines differ in pattern as well as in colour.
    pub(crate) dash: &'static str,
    pub(crate) points: String,
    pub(crate) dots: Vec<Dot>,
    pub(crate) legend_x: f64,
    pub(crate) legend_y: f64,
}

#[derive(Debug, Clone)]
pub(crate) struct Dot {
    pub(crate) x: f64,
    pub(crate) y: f64,
    pub(crate) label_y: f64,
    /// Shown on the first and the last dot of the focus line and on the last dot of the
    /// others.
    pub(crate) value_text: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct Tick {
    pub(crate) x: f64,
    pub(crate) label: String,
}

/// One line of a line chart: a territory's values by period.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Line {
    pub(crate) label: String,
    /// The territory the page is about: drawn solid in the focus colour, its values labelled.
    pub(crate) focus: bool,
    pub(crate) points: Vec<(String, f64)>,
}

/// The colour of a second benchmark line (the region's), 3:1 against the background.
pub(crate) const THIRD: &str = "#8A5A00";
const LINE_STYLES: [(&str, &str); 3] = [(FOCUS, ""), (OTHER, "8 5"), (THIRD, "2 4")];
/// Beyond this many points a line shows no dots but its last.
const DOTTED_POINTS: usize = 24;
const MAX_TICKS: usize = 6;

pub(crate) fn csv_field(text: &str) -> String {
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
        marks: ChartMarks::Bars(marks),
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

/// Most points a line of a chart draws: a year of nightly snapshots would otherwise make every
/// territory page weigh megabytes. Longer series are drawn month by month, or year by year.
const MAX_LINE_POINTS: usize = 36;

/// How finely a line chart draws a series: every period, or the last of each month or year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Grain {
    Every,
    Month,
    Year,
}

impl Grain {
    /// The finest grain at which `points` (in period order) fit a chart.
    pub(crate) fn fitting(points: &[(String, f64)]) -> Grain {
        if points.len() <= MAX_LINE_POINTS {
            return Grain::Every;
        }
        match Grain::Month.apply(points.to_vec()).len() <= MAX_LINE_POINTS {
            true => Grain::Month,
            false => Grain::Year,
        }
    }

    /// The points kept: the last of each month or year, the periods' first 7 or 4 characters
    /// (`2026-03-09`, `2026-03`, `2026`).
    pub(crate) fn apply(self, points: Vec<(String, f64)>) -> Vec<(String, f64)> {
        let width = match self {
            Grain::Every => return points,
            Grain::Month => 7,
            Grain::Year => 4,
        };
        let group = |period: &str| period.get(..width).unwrap_or(period).to_owned();
        let mut kept: Vec<(String, f64)> = Vec::new();
        for point in points {
            if kept
                .last()
                .is_some_and(|last| group(&last.0) == group(&point.0))
            {
                kept.pop();
            }
            kept.push(point);
        }
        kept
    }

    /// What the chart shows of the series, in Italian, when not every period.
    pub(crate) fn words(self) -> Option<&'static str> {
        match self {
            Grain::Every => None,
            Grain::Month => Some("l'ultimo valore di ogni mese"),
            Grain::Year => Some("l'ultimo valore di ogni anno"),
        }
    }
}

/// A chart drawn by a file of its own, framed with its texts, its marks those of its kind.
fn framed<Marks>(
    (id, title, description): (&str, String, String),
    drawn: Drawn<Marks>,
    kind: impl FnOnce(Marks) -> ChartMarks,
) -> Chart {
    Chart {
        id: id.to_owned(),
        title,
        description,
        width: drawn.width,
        height: drawn.height,
        marks: kind(drawn.marks),
        table_header: drawn.table_header,
        table_rows: drawn.table_rows,
        csv: drawn.csv,
        colors: COLORS,
        rendered: None,
    }
}

/// A timeline of projects, year by year (see [`timeline::draw`]).
pub(crate) fn timeline(id: &str, title: String, description: String, spans: &[Span]) -> Chart {
    framed(
        (id, title, description),
        timeline::draw(spans),
        ChartMarks::Timeline,
    )
}

/// A KPI's target against its actual, year by year (see [`progress::draw`]).
pub(crate) fn progress(
    id: &str,
    title: String,
    description: String,
    years: &[YearValues],
    reading: &KpiReading,
) -> Chart {
    framed(
        (id, title, description),
        progress::draw(years, reading),
        ChartMarks::Progress,
    )
}

/// A whole split into parts, as one stacked bar (see [`stacked::draw`]).
pub(crate) fn stacked(
    id: &str,
    title: String,
    description: String,
    parts: &[Part],
    unit: &str,
) -> Chart {
    framed(
        (id, title, description),
        stacked::draw(parts, unit),
        ChartMarks::Stacked,
    )
}

/// A line chart of territories' values over periods: the focus first, then its benchmarks.
/// Periods that are years, months or days sit at their place in time; others evenly.
pub(crate) fn line(
    id: &str,
    title: String,
    description: String,
    unit: &str,
    decimals: u8,
    lines: &[Line],
) -> Chart {
    let height = 260.0;
    let (left, right, top, bottom) = (40.0, WIDTH - 40.0, 70.0, height - 40.0);
    let periods: Vec<&str> = {
        let mut periods: Vec<&str> = lines
            .iter()
            .flat_map(|l| l.points.iter().map(|(p, _)| p.as_str()))
            .collect();
        periods.sort_unstable();
        periods.dedup();
        periods
    };
    let place = placement(&periods);
    let x_of = |period: &str| round1(left + place(period) * (right - left));
    let max = lines
        .iter()
        .flat_map(|l| l.points.iter().map(|(_, v)| *v))
        .fold(0.0_f64, f64::max);
    let span = if max > 0.0 { max * 1.1 } else { 1.0 };
    let y_of = |value: f64| round1(bottom - value.max(0.0) / span * (bottom - top));
    let marks: Vec<LineMark> = lines
        .iter()
        .zip(LINE_STYLES)
        .enumerate()
        .map(|(index, (line, (color, dash)))| {
            let dots = line_dots(line, &x_of, &y_of, decimals);
            LineMark {
                label: line.label.clone(),
                focus: line.focus,
                color,
                dash,
                points: dots
                    .iter()
                    .map(|d| format!("{},{}", d.x, d.y))
                    .collect::<Vec<_>>()
                    .join(" "),
                dots: if line.points.len() > DOTTED_POINTS {
                    dots.into_iter().last().into_iter().collect()
                } else {
                    dots
                },
                legend_x: left + (index % 2) as f64 * 290.0,
                legend_y: 18.0 + (index / 2) as f64 * 22.0,
            }
        })
        .collect();
    let ticks = spaced(
        ticks(&periods)
            .into_iter()
            .map(|period| Tick {
                x: x_of(period),
                label: period_short_it(period),
            })
            .collect(),
    );
    let (table_header, table_rows) = line_table(lines, &periods, unit, decimals);
    Chart {
        id: id.to_owned(),
        title,
        description,
        width: WIDTH,
        height,
        marks: ChartMarks::Line(LineChart {
            lines: marks,
            ticks,
            axis_y: bottom,
            tick_y: bottom + 22.0,
            left,
            right,
        }),
        table_header,
        table_rows,
        csv: line_csv(lines, unit),
        colors: COLORS,
        rendered: None,
    }
}

/// Where each period sits along the axis, from 0 to 1: by its first day when every period is a
/// year, month or day, else evenly in order.
fn placement<'a>(periods: &'a [&'a str]) -> impl Fn(&str) -> f64 + 'a {
    let days: Option<Vec<i64>> = periods.iter().map(|p| period_start(p)).collect();
    let range = days
        .as_ref()
        .and_then(|d| Some((*d.first()?, *d.last()?)))
        .filter(|(first, last)| last > first);
    move |period: &str| {
        let index = periods.iter().position(|p| *p == period).unwrap_or(0);
        match (&days, range) {
            (Some(days), Some((first, last))) => {
                (days[index] - first) as f64 / (last - first) as f64
            }
            _ if periods.len() > 1 => index as f64 / (periods.len() - 1) as f64,
            _ => 0.5,
        }
    }
}

fn line_dots(
    line: &Line,
    x_of: &dyn Fn(&str) -> f64,
    y_of: &dyn Fn(f64) -> f64,
    decimals: u8,
) -> Vec<Dot> {
    let last = line.points.len().saturating_sub(1);
    line.points
        .iter()
        .enumerate()
        .map(|(index, (period, value))| {
            let y = y_of(*value);
            // The ends only: labels at every point of a monthly series would overlap, and the
            // table beside the chart has every value.
            let labelled = index == last || (line.focus && index == 0);
            Dot {
                x: x_of(period),
                y,
                // The focus's values above its line, the benchmarks' below theirs.
                label_y: round1(if line.focus { y - 10.0 } else { y + 20.0 }),
                value_text: labelled.then(|| format_it(*value, decimals)),
            }
        })
        .collect()
}

/// The first and last period and up to [`MAX_TICKS`] evenly between, in order.
fn ticks<'a>(periods: &[&'a str]) -> Vec<&'a str> {
    if periods.len() <= MAX_TICKS {
        return periods.to_vec();
    }
    let step = (periods.len() - 1) as f64 / (MAX_TICKS - 1) as f64;
    (0..MAX_TICKS)
        .map(|i| periods[((i as f64 * step).round() as usize).min(periods.len() - 1)])
        .collect()
}

/// The ticks far enough apart for their labels not to overlap; the last one (the newest
/// period) always stays.
fn spaced(ticks: Vec<Tick>) -> Vec<Tick> {
    const APART: f64 = 90.0;
    let count = ticks.len();
    let mut kept: Vec<Tick> = Vec::with_capacity(count);
    for (index, tick) in ticks.into_iter().enumerate() {
        let close = kept.last().is_some_and(|last| tick.x - last.x < APART);
        if close && index + 1 < count {
            continue;
        }
        if close {
            kept.pop();
        }
        kept.push(tick);
    }
    kept
}

/// The data table of a line chart: a row per period, a column per territory.
fn line_table(
    lines: &[Line],
    periods: &[&str],
    unit: &str,
    decimals: u8,
) -> (Vec<String>, Vec<Vec<String>>) {
    let mut header = vec!["Periodo".to_owned()];
    header.extend(lines.iter().map(|l| format!("{} ({unit})", l.label)));
    let rows = periods
        .iter()
        .map(|period| {
            let mut row = vec![period_it(period)];
            row.extend(lines.iter().map(|line| {
                line.points
                    .iter()
                    .find(|(p, _)| p == period)
                    .map_or_else(|| "—".to_owned(), |(_, v)| format_it(*v, decimals))
            }));
            row
        })
        .collect();
    (header, rows)
}

/// A line chart's data as CSV: one row per territory and period.
fn line_csv(lines: &[Line], unit: &str) -> String {
    let mut csv = String::from("territorio,periodo,valore,unita\n");
    for line in lines {
        for (period, value) in &line.points {
            csv.push_str(&format!(
                "{},{},{value},{}\n",
                csv_field(&line.label),
                csv_field(period),
                csv_field(unit)
            ));
        }
    }
    csv
}

fn round1(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

/// WCAG 2.1 contrast ratio of two `#RRGGBB` colours.
#[cfg(test)]
pub(crate) fn contrast(first: &str, second: &str) -> f64 {
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
        for bar in [FOCUS, OTHER, THIRD] {
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
        let ChartMarks::Bars(bars) = &chart.marks else {
            panic!("{:?}", chart.marks);
        };
        assert_eq!(bars[0].value_text, "2,29");
        assert_eq!(bars[1].width, WIDTH - LABEL_WIDTH - VALUE_WIDTH);
        assert!(bars[0].label.starts_with('▸'));
        assert_eq!(
            chart.csv,
            "territorio,valore,unita\nUnione Val d'Enza,2.29,ogni 1.000 abitanti\nReggio nell'Emilia,2.96,ogni 1.000 abitanti\n"
        );
    }

    #[test]
    fn a_long_series_is_drawn_month_by_month_then_year_by_year() {
        let daily: Vec<(String, f64)> = (0..400)
            .map(|day| {
                let date = crate::clock::RunTime::from_epoch((20_454 + day) * 86_400).date();
                (date, day as f64)
            })
            .collect();
        assert_eq!(Grain::fitting(&daily[..30]), Grain::Every);
        assert_eq!(Grain::fitting(&daily), Grain::Month);
        let monthly = Grain::Month.apply(daily.clone());
        // 2026-01-01 plus 400 days: 14 months, each drawn by its last day.
        assert_eq!(monthly.len(), 14);
        assert_eq!(monthly[0], ("2026-01-31".to_owned(), 30.0));
        assert_eq!(monthly.last(), daily.last());
        let years: Vec<(String, f64)> = (1980..2026).map(|y| (y.to_string(), 1.0)).collect();
        assert_eq!(Grain::fitting(&years), Grain::Year);
    }

    #[test]
    fn lines_sit_at_their_dates_and_tabulate_every_period() {
        let line = |label: &str, focus: bool, points: &[(&str, f64)]| Line {
            label: label.into(),
            focus,
            points: points.iter().map(|(p, v)| ((*p).to_owned(), *v)).collect(),
        };
        let chart = super::line(
            "x",
            "t".into(),
            "d".into(),
            "euro",
            0,
            &[
                line(
                    "Unione Val d'Enza",
                    true,
                    &[("2023-12-20", 8.0), ("2026-08-10", 16.0)],
                ),
                line(
                    "Reggio nell'Emilia",
                    false,
                    &[("2023-01-01", 4.0), ("2026-08-10", 10.0)],
                ),
            ],
        );
        let ChartMarks::Line(drawn) = chart.marks else {
            panic!("{:?}", chart.marks);
        };
        let focus = &drawn.lines[0];
        assert!(
            focus.dots[0].x > drawn.left,
            "2023-12-20 is after 2023-01-01"
        );
        assert_eq!(focus.dots[1].x, drawn.right);
        assert_eq!(focus.dash, "");
        assert_eq!(drawn.lines[1].dash, "8 5");
        assert_eq!(drawn.lines[1].dots[0].value_text, None);
        assert_eq!(chart.table_rows.len(), 3);
        assert_eq!(chart.table_rows[0], ["1º gennaio 2023", "—", "4"]);
        // The CSV keeps the periods as data: ISO dates.
        assert!(
            chart.csv.starts_with(
                "territorio,periodo,valore,unita\nUnione Val d'Enza,2023-12-20,8,euro\n"
            )
        );
    }
}
