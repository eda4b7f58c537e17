//! The SVG markup of a chart, written directly from its geometry (`chart.rs`, `timeline.rs`):
//! a national site draws tens of thousands of charts, and a template engine spent more time
//! on each than the page around it. Text from data is escaped by the template engine's own
//! escaper, as in the pages.

use std::fmt::Write;

use minijinja::HtmlEscape;

use crate::site::chart::{BarMark, Chart, ChartMarks, Colors, LineChart, THIRD};
use crate::site::progress::ProgressChart;
use crate::site::stacked::{PartPaint, StackedChart};
use crate::site::timeline::TimelineChart;

/// The chart's figure as a page shows it: its title for screen readers, its SVG, its data
/// table, and its downloads as data URLs (a national site has tens of thousands of charts; two
/// files each made a release slow to write, to copy to a web space and to prune, and a data
/// URL downloads from `file://` as well). Written here rather than by a template macro, which
/// cost more than the rest of a territory's page.
pub(crate) fn figure(chart: &Chart, svg: &str, icon: &str) -> String {
    use base64::Engine;
    let encode = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
    let title = HtmlEscape(&chart.title);
    let mut out = String::with_capacity(svg.len() * 3 + 1024);
    let _ = write!(
        out,
        "\n<figure class=\"dv-chart\">\n<figcaption class=\"visually-hidden\">{title}</figcaption>\n{svg}\n<details class=\"dv-details\">\n<summary>Dati del grafico</summary>\n<table class=\"table table-sm\">\n<caption>{title}</caption>\n<thead><tr>"
    );
    for cell in &chart.table_header {
        let _ = write!(out, "<th scope=\"col\">{}</th>", HtmlEscape(cell));
    }
    out.push_str("</tr></thead>\n<tbody>");
    for row in &chart.table_rows {
        let Some((first, rest)) = row.split_first() else {
            continue;
        };
        let _ = write!(out, "<tr><th scope=\"row\">{}</th>", HtmlEscape(first));
        for cell in rest {
            let _ = write!(out, "<td class=\"text-end\">{}</td>", HtmlEscape(cell));
        }
        out.push_str("</tr>");
    }
    let svg_href = format!("data:image/svg+xml;base64,{}", encode(svg.as_bytes()));
    let csv_href = format!(
        "data:text/csv;charset=utf-8;base64,{}",
        encode(chart.csv.as_bytes())
    );
    let (id, icon) = (
        HtmlEscape(&chart.id),
        format!("<span class=\"dv-icon\" aria-hidden=\"true\">{icon}</span>"),
    );
    let _ = write!(
        out,
        "</tbody>\n</table>\n</details>\n<p class=\"dv-downloads\"><a href=\"{}\" download=\"{id}.svg\">{icon}Scarica il grafico (SVG)</a> <a href=\"{}\" download=\"{id}.csv\">{icon}Scarica i dati del grafico (CSV)</a></p>\n</figure>\n",
        escaped_data_url(&svg_href),
        escaped_data_url(&csv_href)
    );
    out
}

/// A base64 data URL escaped as `HtmlEscape` escapes it: of its characters (letters, digits,
/// `+/=:;,-`) only `/` is, and a chart's data URLs are most of its page's bytes, too many to
/// escape character by character.
fn escaped_data_url(url: &str) -> String {
    url.replace('/', "&#x2f;")
}

/// The chart's `<svg>` element, with its title, description and marks.
pub(crate) fn svg(chart: &Chart) -> String {
    let mut out = String::with_capacity(4096);
    let id = HtmlEscape(&chart.id);
    let (width, height) = (number(chart.width), number(chart.height));
    let colors = &chart.colors;
    // The ids are prefixed: an id inside SVG is an XML name, which may not start with a digit
    // as a territory's ISTAT code does.
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"chart-{id}-title chart-{id}-desc\" viewBox=\"0 0 {width} {height}\" width=\"100%\" style=\"max-width:{width}px\" font-family=\"'Titillium Web', Geneva, Tahoma, sans-serif\" font-size=\"14\">\n\
         <title id=\"chart-{id}-title\">{}</title>\n\
         <desc id=\"chart-{id}-desc\">{}</desc>\n\
         <rect x=\"0\" y=\"0\" width=\"{width}\" height=\"{height}\" fill=\"{}\"/>",
        HtmlEscape(&chart.title),
        HtmlEscape(&chart.description),
        colors.background,
    );
    match &chart.marks {
        ChartMarks::Bars(bars) => {
            for bar in bars {
                bar_mark(&mut out, bar, colors);
            }
        }
        ChartMarks::Line(line) => line_marks(&mut out, line, colors),
        ChartMarks::Timeline(timeline) => timeline_marks(&mut out, timeline, colors),
        ChartMarks::Progress(progress) => progress_marks(&mut out, progress, colors),
        ChartMarks::Stacked(stacked) => stacked_marks(&mut out, &chart.id, stacked, colors),
    }
    out.push_str("\n</svg>");
    out
}

fn bold(yes: bool) -> &'static str {
    if yes { " font-weight=\"700\"" } else { "" }
}

fn bar_mark(out: &mut String, bar: &BarMark, colors: &Colors) {
    let fill = if bar.focus {
        colors.focus
    } else {
        colors.other
    };
    let (text_y, weight) = (number(bar.text_y), bold(bar.focus));
    let _ = write!(
        out,
        "\n<g>\n<text x=\"{}\" y=\"{text_y}\" text-anchor=\"end\" fill=\"{}\"{weight}>{}</text>\n\
         <rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"18\" fill=\"{fill}\"/>\n\
         <text x=\"{}\" y=\"{text_y}\" fill=\"{}\"{weight}>{}</text>\n</g>",
        number(bar.x - 8.0),
        colors.text,
        HtmlEscape(&bar.label),
        number(bar.x),
        number(bar.y),
        number(bar.width),
        number(bar.value_x),
        colors.text,
        HtmlEscape(&bar.value_text),
    );
}

fn line_marks(out: &mut String, chart: &LineChart, colors: &Colors) {
    let axis_y = number(chart.axis_y);
    let _ = write!(
        out,
        "\n<line x1=\"{}\" y1=\"{axis_y}\" x2=\"{}\" y2=\"{axis_y}\" stroke=\"{}\" stroke-width=\"1\"/>",
        number(chart.left),
        number(chart.right),
        colors.text,
    );
    let tick_y = number(chart.tick_y);
    for tick in &chart.ticks {
        let _ = write!(
            out,
            "\n<text x=\"{}\" y=\"{tick_y}\" text-anchor=\"middle\" fill=\"{}\">{}</text>",
            number(tick.x),
            colors.text,
            HtmlEscape(&tick.label),
        );
    }
    for line in &chart.lines {
        let dash = if line.dash.is_empty() {
            String::new()
        } else {
            format!(" stroke-dasharray=\"{}\"", HtmlEscape(line.dash))
        };
        let legend_y = number(line.legend_y - 5.0);
        let _ = write!(
            out,
            "\n<g>\n<line x1=\"{}\" y1=\"{legend_y}\" x2=\"{}\" y2=\"{legend_y}\" stroke=\"{}\" stroke-width=\"3\"{dash}/>\n\
             <text x=\"{}\" y=\"{}\" fill=\"{}\"{}>{}</text>\n\
             <polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"3\"{dash}/>",
            number(line.legend_x),
            number(line.legend_x + 28.0),
            line.color,
            number(line.legend_x + 36.0),
            number(line.legend_y),
            colors.text,
            bold(line.focus),
            HtmlEscape(&line.label),
            HtmlEscape(&line.points),
            line.color,
        );
        let radius = if line.focus { 5 } else { 4 };
        for dot in &line.dots {
            let x = number(dot.x);
            let _ = write!(
                out,
                "\n<circle cx=\"{x}\" cy=\"{}\" r=\"{radius}\" fill=\"{}\"/>",
                number(dot.y),
                line.color,
            );
            if let Some(text) = &dot.value_text {
                let _ = write!(
                    out,
                    "\n<text x=\"{x}\" y=\"{}\" text-anchor=\"middle\" fill=\"{}\"{}>{}</text>",
                    number(dot.label_y),
                    colors.text,
                    bold(line.focus),
                    HtmlEscape(text),
                );
            }
        }
        out.push_str("\n</g>");
    }
}

fn timeline_marks(out: &mut String, timeline: &TimelineChart, colors: &Colors) {
    for year in &timeline.years {
        let x = number(year.x);
        let _ = write!(
            out,
            "\n<line x1=\"{x}\" y1=\"4\" x2=\"{x}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"1\" stroke-dasharray=\"1 4\"/>\n\
             <text x=\"{x}\" y=\"{}\" text-anchor=\"middle\" fill=\"{}\">{}</text>",
            number(timeline.axis_y),
            colors.other,
            number(timeline.axis_y + 20.0),
            colors.text,
            HtmlEscape(&year.label),
        );
    }
    for span in &timeline.spans {
        let paint = if span.started {
            format!("fill=\"{}\"", colors.focus)
        } else {
            format!(
                "fill=\"{}\" stroke=\"{}\" stroke-width=\"2\" stroke-dasharray=\"5 3\"",
                colors.background, colors.focus
            )
        };
        let _ = write!(
            out,
            "\n<g>\n<text x=\"10\" y=\"{}\" fill=\"{}\">{}</text>\n\
             <rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"18\" rx=\"3\" {paint}/>\n\
             <text x=\"{}\" y=\"{}\" fill=\"{}\"{}>{}</text>\n</g>",
            number(span.y + 12.0),
            colors.text,
            HtmlEscape(&span.label),
            number(span.x),
            number(span.bar_y),
            number(span.width),
            number(span.status_x),
            number(span.text_y),
            colors.text,
            bold(span.started),
            HtmlEscape(span.status),
        );
    }
}

/// The legend (a solid swatch for the actual, a dashed outline for the target), then a row
/// per year: its label, the target's outline, the actual's bar inside it, and both values.
fn progress_marks(out: &mut String, chart: &ProgressChart, colors: &Colors) {
    let (left, legend_y) = (chart.left, chart.legend_y);
    let _ = write!(
        out,
        "\n<g>\n<rect x=\"{}\" y=\"{}\" width=\"24\" height=\"10\" fill=\"{}\"/>\n\
         <text x=\"{}\" y=\"{}\" fill=\"{}\">Risultato</text>\n\
         <rect x=\"{}\" y=\"{}\" width=\"24\" height=\"16\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/>\n\
         <text x=\"{}\" y=\"{}\" fill=\"{}\">Obiettivo</text>\n</g>",
        number(left),
        number(legend_y - 9.0),
        colors.focus,
        number(left + 32.0),
        number(legend_y),
        colors.text,
        number(left + 130.0),
        number(legend_y - 12.0),
        colors.other,
        number(left + 162.0),
        number(legend_y),
        colors.text,
    );
    for row in &chart.rows {
        let _ = write!(
            out,
            "\n<g>\n<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"{}\">{}</text>",
            number(left - 8.0),
            number(row.text_y),
            colors.text,
            HtmlEscape(&row.year),
        );
        if let Some(width) = row.target_width {
            let _ = write!(
                out,
                "\n<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"22\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/>",
                number(left),
                number(row.y),
                number(width),
                colors.other,
            );
        }
        if let Some(width) = row.actual_width {
            let _ = write!(
                out,
                "\n<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"12\" fill=\"{}\"/>",
                number(left),
                number(row.y + 5.0),
                number(width),
                colors.focus,
            );
        }
        let _ = write!(
            out,
            "\n<text x=\"{}\" y=\"{}\" fill=\"{}\">{}</text>\n</g>",
            number(row.value_x),
            number(row.text_y),
            colors.text,
            HtmlEscape(&row.value_text),
        );
    }
}

/// The hatching the chart's hatched parts use (its id is the chart's, unique in a page), the
/// bar's segments, and the legend: a swatch in each part's paint and its words.
fn stacked_marks(out: &mut String, id: &str, chart: &StackedChart, colors: &Colors) {
    let hatch = format!("chart-{}-tratteggio", HtmlEscape(id));
    let _ = write!(
        out,
        "\n<defs><pattern id=\"{hatch}\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"8\" height=\"8\" fill=\"{}\"/><rect width=\"4\" height=\"8\" fill=\"{}\"/></pattern></defs>",
        colors.background, colors.other,
    );
    let paint = |paint: PartPaint| match paint {
        PartPaint::Solid => format!("fill=\"{}\"", colors.focus),
        PartPaint::Hatched => format!(
            "fill=\"url(#{hatch})\" stroke=\"{}\" stroke-width=\"2\"",
            colors.other
        ),
        PartPaint::Outlined => format!(
            "fill=\"{}\" stroke=\"{THIRD}\" stroke-width=\"3\" stroke-dasharray=\"6 3\"",
            colors.background
        ),
    };
    for segment in &chart.segments {
        let _ = write!(
            out,
            "\n<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" {}/>",
            number(segment.x),
            number(chart.bar_y),
            number(segment.width),
            number(chart.bar_height),
            paint(segment.paint),
        );
    }
    for entry in &chart.legend {
        let _ = write!(
            out,
            "\n<g>\n<rect x=\"12\" y=\"{}\" width=\"28\" height=\"18\" {}/>\n\
             <text x=\"50\" y=\"{}\" fill=\"{}\">{}</text>\n</g>",
            number(entry.y - 14.0),
            paint(entry.paint),
            number(entry.y),
            colors.text,
            HtmlEscape(&entry.text),
        );
    }
}

/// A coordinate as the templates print a number: the shortest form that reads back the same,
/// with `.0` when it is whole.
fn number(value: f64) -> String {
    let mut text = value.to_string();
    if value.is_finite() && !text.contains('.') {
        text.push_str(".0");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::chart::{self, Bar, Line};

    #[test]
    fn data_urls_are_escaped_as_html_escape_escapes_them() {
        use base64::Engine;
        let bytes: Vec<u8> = (0..=255).collect();
        let encoded = base64::engine::general_purpose::STANDARD.encode(&bytes);
        let url = format!("data:text/csv;charset=utf-8;base64,{encoded}");
        assert_eq!(escaped_data_url(&url), HtmlEscape(&url).to_string());
    }

    #[test]
    fn numbers_are_written_as_the_templates_write_them() {
        assert_eq!(number(640.0), "640.0");
        assert_eq!(number(83.6), "83.6");
        assert_eq!(number(-12.0), "-12.0");
    }

    #[test]
    fn escapes_text_from_data() {
        let bars = chart::bars(
            "x",
            "<script>alert('1')</script>".into(),
            "d & e".into(),
            "u",
            0,
            &[Bar {
                label: "<b>Reggio</b>".into(),
                value: 1.0,
                focus: false,
            }],
        );
        let svg = svg(&bars);
        assert!(!svg.contains("<script>") && !svg.contains("<b>"), "{svg}");
        assert!(svg.contains("&lt;script&gt;alert(&#x27;1&#x27;)&lt;&#x2f;script&gt;"));
        assert!(svg.contains("d &amp; e") && svg.contains("role=\"img\""));
    }

    #[test]
    fn a_line_chart_has_a_line_and_a_labelled_dot_per_point() {
        let line = chart::line(
            "s",
            "t".into(),
            "d".into(),
            "euro",
            0,
            &[Line {
                label: "Bibbiano".into(),
                focus: true,
                points: vec![("2023-12".into(), 1.0), ("2026-08".into(), 2.0)],
            }],
        );
        let svg = svg(&line);
        assert_eq!(svg.matches("<polyline").count(), 1);
        assert_eq!(svg.matches("<circle").count(), 2);
        assert!(svg.ends_with("</g>\n</svg>"), "{svg}");
    }
}
