//! The timeline of projects (a cronoprogramma): one bar per project from its first to its last
//! year on an axis of years, its title above it and its status beside it, with the data table
//! and CSV every chart has. `chart::timeline` makes it a chart. A project with only a first or
//! a last year runs from the axis' first year or to its last, and the table says which is not
//! known.

use crate::site::drawn::Drawn;
use crate::text::round_to;

/// One project on the timeline.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Span {
    pub(crate) label: String,
    /// `None` when the record does not say: the bar starts with the axis.
    pub(crate) first_year: Option<i32>,
    /// `None` when the record does not say: the bar runs to the end of the axis.
    pub(crate) last_year: Option<i32>,
    /// In Italian: `previsto`, `in corso`, `concluso`.
    pub(crate) status: &'static str,
    /// Running or completed: drawn filled; planned, drawn as an outline.
    pub(crate) started: bool,
}

/// The axis and bars of a timeline.
#[derive(Debug, Clone)]
pub(crate) struct TimelineChart {
    pub(crate) years: Vec<YearTick>,
    pub(crate) spans: Vec<SpanMark>,
    pub(crate) axis_y: f64,
}

#[derive(Debug, Clone)]
pub(crate) struct YearTick {
    pub(crate) x: f64,
    pub(crate) label: String,
}

#[derive(Debug, Clone)]
pub(crate) struct SpanMark {
    pub(crate) label: String,
    pub(crate) status: &'static str,
    pub(crate) started: bool,
    pub(crate) x: f64,
    pub(crate) y: f64,
    pub(crate) width: f64,
    pub(crate) bar_y: f64,
    pub(crate) text_y: f64,
    pub(crate) status_x: f64,
}

const LEFT: f64 = 10.0;
const STATUS_WIDTH: f64 = 90.0;
const WIDTH: f64 = 720.0;
const ROW: f64 = 46.0;
/// Most characters of a title above its bar; the table has it whole.
const MOST: usize = 95;

/// A timeline of `spans` in the order given, over the years they cover.
pub(crate) fn draw(spans: &[Span]) -> Drawn<TimelineChart> {
    let years = spans
        .iter()
        .flat_map(|s| [s.first_year, s.last_year])
        .flatten();
    let first = years.clone().min().unwrap_or(0);
    let last = years.max().unwrap_or(first);
    let axis = Axis {
        first,
        last,
        step: (WIDTH - LEFT - STATUS_WIDTH) / f64::from((last - first + 1).max(1)),
    };
    let axis_y = 8.0 + spans.len() as f64 * ROW + 4.0;
    let ticks = (first..=last)
        .map(|year| YearTick {
            x: round_to(axis.x_of(year) + axis.step / 2.0, 1),
            label: year.to_string(),
        })
        .collect();
    Drawn {
        marks: TimelineChart {
            years: ticks,
            spans: spans
                .iter()
                .enumerate()
                .map(|(index, span)| axis.mark(index, span))
                .collect(),
            axis_y,
        },
        width: WIDTH,
        height: axis_y + 30.0,
        table_header: vec![
            "Progetto".into(),
            "Inizio".into(),
            "Fine".into(),
            "Stato".into(),
        ],
        table_rows: spans.iter().map(table_row).collect(),
        csv: csv(spans),
    }
}

/// The years a timeline covers, and the width of one.
struct Axis {
    first: i32,
    last: i32,
    step: f64,
}

impl Axis {
    fn x_of(&self, year: i32) -> f64 {
        LEFT + f64::from(year - self.first) * self.step
    }

    /// The `index`-th span's bar: from its first year (or the axis') to its last (or the
    /// axis'), its title above it and its status after it.
    fn mark(&self, index: usize, span: &Span) -> SpanMark {
        let y = 8.0 + index as f64 * ROW;
        let from = span.first_year.unwrap_or(self.first);
        let to = span.last_year.unwrap_or(self.last).max(from);
        SpanMark {
            label: shortened(&span.label),
            status: span.status,
            started: span.started,
            x: round_to(self.x_of(from), 1),
            y,
            bar_y: y + 20.0,
            width: round_to(f64::from(to - from + 1) * self.step - 2.0, 1),
            text_y: y + 34.0,
            status_x: round_to(self.x_of(to) + self.step + 6.0, 1),
        }
    }
}

fn table_row(span: &Span) -> Vec<String> {
    let year =
        |year: Option<i32>| year.map_or_else(|| "non indicato".to_owned(), |y| y.to_string());
    vec![
        span.label.clone(),
        year(span.first_year),
        year(span.last_year),
        span.status.to_owned(),
    ]
}

fn csv(spans: &[Span]) -> String {
    let mut csv = String::from("progetto,primo_anno,ultimo_anno,stato\n");
    let optional = |year: Option<i32>| year.map(|y| y.to_string()).unwrap_or_default();
    for span in spans {
        csv.push_str(&format!(
            "\"{}\",{},{},{}\n",
            span.label.replace('"', "\"\""),
            optional(span.first_year),
            optional(span.last_year),
            span.status
        ));
    }
    csv
}

/// Labels longer than the label column are cut with an ellipsis; the table has them whole.
fn shortened(label: &str) -> String {
    match label.char_indices().nth(MOST) {
        Some((at, _)) => format!("{}…", label[..at].trim_end()),
        None => label.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_cover_their_years_and_are_tabulated() {
        let span = |label: &str, first, last, started| Span {
            label: label.into(),
            first_year: Some(first),
            last_year: last,
            status: if started { "in corso" } else { "previsto" },
            started,
        };
        let chart = draw(&[
            span("A", 2022, Some(2026), true),
            span("B", 2026, Some(2030), false),
            span("C", 2024, None, false),
        ]);
        let drawn = &chart.marks;
        assert_eq!(drawn.years.len(), 9);
        // Each year is (720 - 10 - 90) / 9 wide; A covers five of them, B starts at 2026.
        let step = 620.0 / 9.0;
        assert!((drawn.spans[0].width - (5.0 * step - 2.0)).abs() < 0.1);
        assert!((drawn.spans[1].x - (10.0 + 4.0 * step)).abs() < 0.1);
        // Without a last year, C runs to the end of the axis.
        assert!((drawn.spans[2].width - (7.0 * step - 2.0)).abs() < 0.1);
        assert_eq!(chart.table_rows[1], ["B", "2026", "2030", "previsto"]);
        assert_eq!(
            chart.table_rows[2],
            ["C", "2024", "non indicato", "previsto"]
        );
        assert!(chart.csv.ends_with("\"C\",2024,,previsto\n"));
    }
}
