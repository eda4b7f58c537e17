//! The SVG markup of a map, written directly from its geometry (`map.rs`), as `markup.rs`
//! writes the charts: each shape a path with its `<title>` (name and value, escaped), filled
//! even-odd (rings wind either way), outlined; shapes without data hatched; the legend below.
//! On a page with several maps of the same shapes, the paths are defined once (`<defs>`) and
//! each map `<use>`s them; a map's download carries its own. A locator map is a backdrop file
//! of the shapes around, shown as an image, with the territory's own shapes drawn over it.

use std::fmt::Write;

use minijinja::HtmlEscape;
use serde::Serialize;

use crate::site::chart::{BACKGROUND, TEXT};
use crate::site::map::{CONTEXT, DrawnShape, Geometry, OUTLINE};

/// A map as a page's template shows it: its drawing, its data table, its downloads and the
/// attribution of its boundaries.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct MapFigure {
    /// Unique within the release; names the downloadable files.
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) svg: String,
    /// The map as an SVG file of its own and its data as CSV, for maps of values (set by
    /// the page, which writes them).
    pub(crate) svg_href: Option<String>,
    pub(crate) csv_href: Option<String>,
    pub(crate) table_header: Vec<String>,
    pub(crate) table_rows: Vec<Vec<String>>,
    pub(crate) attribution: String,
}

/// How a shape is painted: a colour, or the hatch of "nessun dato".
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum ShapePaint {
    Color(&'static str),
    NoData,
}

/// Where a map's paths are: in the map, or defined once in the page under an id prefix.
#[derive(Debug, Clone, Copy)]
pub(crate) enum MapPaths<'a> {
    Inline,
    Defined(&'a str),
}

/// What a map draws: its texts, each shape's paint and title (in the geometry's order), and
/// the legend's entries.
pub(crate) struct MapDrawing<'a> {
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    pub(crate) description: &'a str,
    pub(crate) geometry: &'a Geometry,
    pub(crate) shapes: Vec<(ShapePaint, String)>,
    pub(crate) legend: Vec<(ShapePaint, String)>,
}

const LEGEND_ROW: i64 = 24;
const MIN_WIDTH: i64 = 320;

/// The map's `<svg>` element.
pub(crate) fn svg(drawing: &MapDrawing, paths: MapPaths) -> String {
    element(drawing, paths, None)
}

/// A map drawn over a backdrop (`backdrop`) that the page shows as an image from `href`: the
/// drawing's shapes and legend in an `<svg>` of the same size laid over it. A locator map's
/// shapes around are the same on every page of its place, and were most of the page's bytes.
pub(crate) fn over_backdrop(drawing: &MapDrawing, href: &str) -> String {
    element(drawing, MapPaths::Inline, Some(href))
}

/// The shapes of a geometry with no names, in the context colour, with the room of a legend of
/// `legend_rows` below: the backdrop of the maps drawn over it.
pub(crate) fn backdrop(geometry: &Geometry, legend_rows: usize) -> String {
    let (width, _, height) = size(geometry, legend_rows);
    let mut out = String::with_capacity(geometry.shapes.len() * 96 + 512);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\">\n\
         <rect x=\"0\" y=\"0\" width=\"{width}\" height=\"{height}\" fill=\"{BACKGROUND}\"/>\n\
         <g fill=\"{CONTEXT}\" fill-rule=\"evenodd\" stroke=\"{OUTLINE}\" stroke-width=\"0.6\" stroke-linejoin=\"round\">"
    );
    for shape in &geometry.shapes {
        shape_element(&mut out, shape, "", MapPaths::Inline);
    }
    out.push_str("\n</g>\n</svg>");
    out
}

/// A map's width, the top of its legend and its height.
fn size(geometry: &Geometry, legend_rows: usize) -> (i64, i64, i64) {
    let legend_top = geometry.height + 16;
    let height = legend_top + LEGEND_ROW * legend_rows as i64;
    (geometry.width.max(MIN_WIDTH), legend_top, height)
}

/// A map's `<svg>` element, alone or over the backdrop at `over`.
fn element(drawing: &MapDrawing, paths: MapPaths, over: Option<&str>) -> String {
    let geometry = drawing.geometry;
    let mut out = String::with_capacity(geometry.shapes.len() * 96 + 1024);
    let id = HtmlEscape(drawing.id);
    let (width, legend_top, height) = size(geometry, drawing.legend.len());
    let (placed, background) = match over {
        None => (
            format!("width=\"100%\" style=\"max-width:{width}px\""),
            format!(
                "<rect x=\"0\" y=\"0\" width=\"{width}\" height=\"{height}\" fill=\"{BACKGROUND}\"/>\n"
            ),
        ),
        Some(href) => {
            let _ = write!(
                out,
                "<div style=\"position:relative;max-width:{width}px\"><img src=\"{}\" alt=\"\" width=\"{width}\" height=\"{height}\" style=\"display:block;width:100%;height:auto\">",
                HtmlEscape(href)
            );
            let placed = "style=\"position:absolute;top:0;left:0;width:100%;height:100%\"";
            (placed.to_owned(), String::new())
        }
    };
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" viewBox=\"0 0 {width} {height}\" {placed} font-family=\"'Titillium Web', Geneva, Tahoma, sans-serif\" font-size=\"14\">\n\
         <title id=\"{id}-title\">{}</title>\n\
         <desc id=\"{id}-desc\">{}</desc>\n\
         {}{background}\
         <g fill-rule=\"evenodd\" stroke=\"{OUTLINE}\" stroke-width=\"0.6\" stroke-linejoin=\"round\">",
        HtmlEscape(drawing.title),
        HtmlEscape(drawing.description),
        hatch(drawing),
    );
    for paint in paints(drawing) {
        let _ = write!(out, "\n<g fill=\"{}\">", fill(paint, drawing.id));
        let painted = geometry.shapes.iter().zip(&drawing.shapes);
        for (shape, (_, title)) in painted.filter(|(_, (p, _))| *p == paint) {
            shape_element(&mut out, shape, title, paths);
        }
        out.push_str("\n</g>");
    }
    out.push_str("\n</g>");
    for (row, (paint, label)) in drawing.legend.iter().enumerate() {
        let y = legend_top + LEGEND_ROW * row as i64;
        let _ = write!(
            out,
            "\n<rect x=\"0\" y=\"{y}\" width=\"16\" height=\"16\" fill=\"{}\" stroke=\"{OUTLINE}\"/><text x=\"24\" y=\"{}\" fill=\"{TEXT}\">{}</text>",
            fill(*paint, drawing.id),
            y + 13,
            HtmlEscape(label),
        );
    }
    out.push_str("\n</svg>");
    if over.is_some() {
        out.push_str("</div>");
    }
    out
}

/// The paints of a map's shapes, in the legend's order: each paint's shapes are drawn in one
/// group that sets their fill once (a region's map has 1,500 shapes and three paints).
fn paints(drawing: &MapDrawing) -> Vec<ShapePaint> {
    let mut paints: Vec<ShapePaint> = Vec::new();
    for (paint, _) in drawing.legend.iter().chain(&drawing.shapes) {
        if !paints.contains(paint) {
            paints.push(*paint);
        }
    }
    paints.retain(|paint| drawing.shapes.iter().any(|(p, _)| p == paint));
    paints
}

/// A shape's path (or its use of the path defined in the page) with its title, if any,
/// written straight into the map: a locator map repeats a province's paths on each of its
/// comuni's pages.
fn shape_element(out: &mut String, shape: &DrawnShape, title: &str, paths: MapPaths) {
    let element = match paths {
        MapPaths::Inline => {
            let _ = write!(out, "\n<path d=\"{}\"", shape.path);
            "path"
        }
        MapPaths::Defined(prefix) => {
            let _ = write!(
                out,
                "\n<use href=\"#{}\"",
                HtmlEscape(&path_id(prefix, &shape.code))
            );
            "use"
        }
    };
    if title.is_empty() {
        out.push_str("/>");
    } else {
        let _ = write!(out, "><title>{}</title></{element}>", HtmlEscape(title));
    }
}

/// The hatch of "nessun dato", when a shape or the legend needs it.
fn hatch(drawing: &MapDrawing) -> String {
    let needed = drawing
        .shapes
        .iter()
        .chain(&drawing.legend)
        .any(|(paint, _)| *paint == ShapePaint::NoData);
    match needed {
        true => format!(
            "<defs><pattern id=\"{}-nd\" width=\"7\" height=\"7\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"7\" height=\"7\" fill=\"{BACKGROUND}\"/><path d=\"M0 0v7\" stroke=\"{OUTLINE}\" stroke-width=\"1.2\"/></pattern></defs>\n",
            HtmlEscape(drawing.id)
        ),
        false => String::new(),
    }
}

fn fill(paint: ShapePaint, id: &str) -> String {
    match paint {
        ShapePaint::Color(color) => color.to_owned(),
        ShapePaint::NoData => format!("url(#{}-nd)", HtmlEscape(id)),
    }
}

/// The id a shape's path is defined under in a page.
fn path_id(prefix: &str, code: &str) -> String {
    format!("{prefix}-{code}")
}

/// The paths of a geometry, defined once for the maps of a page that `<use>` them: an SVG
/// that draws nothing itself.
pub(crate) fn definitions(prefix: &str, geometry: &Geometry) -> String {
    let mut out = String::with_capacity(geometry.shapes.len() * 64 + 128);
    out.push_str("<svg xmlns=\"http://www.w3.org/2000/svg\" aria-hidden=\"true\" focusable=\"false\" width=\"0\" height=\"0\" style=\"position:absolute\"><defs>");
    for shape in &geometry.shapes {
        let _ = write!(
            out,
            "\n<path id=\"{}\" d=\"{}\"/>",
            HtmlEscape(&path_id(prefix, &shape.code)),
            shape.path
        );
    }
    out.push_str("\n</defs></svg>");
    out
}

/// A value a choropleth shows for a shape.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ShapeValue {
    pub(crate) value: f64,
    pub(crate) decimals: u8,
}

/// What a choropleth is of: its id and texts, its shapes' values (in the geometry's order),
/// the unit and who made the boundaries.
pub(crate) struct Choropleth<'a> {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) description: String,
    pub(crate) geometry: &'a Geometry,
    pub(crate) values: Vec<Option<ShapeValue>>,
    pub(crate) unit: &'a str,
    pub(crate) attribution: &'a str,
}

/// Where a map's own SVG or CSV file is, inside the release.
pub(crate) fn file(id: &str, extension: &str) -> String {
    format!("mappe/{id}.{extension}")
}

/// A choropleth's description: how many shapes, how they are coloured, and the unit.
pub(crate) fn values_description(shapes: usize, missing: usize, unit: &str) -> String {
    let without = match missing {
        0 => String::new(),
        n => format!("; {n} senza dati, tratteggiati"),
    };
    format!(
        "Mappa di {shapes} territori colorati per classe di valore, dal più chiaro (valori più bassi) al più scuro{without}; unità: {unit}."
    )
}

/// A choropleth's downloads: the map as an SVG file of its own, its data as CSV.
pub(crate) struct Downloads {
    pub(crate) svg: String,
    pub(crate) csv: String,
}

/// A choropleth as a figure of its page (its paths defined once in the page, or inline), and
/// its downloads; None when no shape has a value.
pub(crate) fn choropleth(map: &Choropleth, paths: MapPaths) -> Option<(MapFigure, Downloads)> {
    let values: Vec<f64> = map.values.iter().flatten().map(|v| v.value).collect();
    let decimals = map.values.iter().flatten().map(|v| v.decimals).max()?;
    let classes = crate::site::map::Classes::of(&values, decimals)?;
    let mut shapes = Vec::with_capacity(map.values.len());
    let mut rows = Vec::with_capacity(map.values.len());
    let mut csv = String::from("territorio,codice,valore,unita,classe\n");
    for (drawn, value) in map.geometry.shapes.iter().zip(&map.values) {
        let (paint, number, text, class) = match value {
            Some(value) => {
                let class = classes.of_value(value.value);
                (
                    ShapePaint::Color(classes.colors[class]),
                    crate::text::format_it(value.value, value.decimals),
                    crate::text::with_unit_it(value.value, value.decimals, map.unit),
                    classes.labels[class].clone(),
                )
            }
            None => {
                let none = "nessun dato".to_owned();
                (ShapePaint::NoData, none.clone(), none.clone(), none)
            }
        };
        let _ = writeln!(
            csv,
            "{},{},{},{},{}",
            crate::site::chart::csv_field(&drawn.name),
            drawn.code,
            value.map(|v| v.value.to_string()).unwrap_or_default(),
            crate::site::chart::csv_field(map.unit),
            crate::site::chart::csv_field(&class)
        );
        shapes.push((paint, format!("{}: {text}", drawn.name)));
        rows.push(vec![drawn.name.clone(), number]);
    }
    let mut legend: Vec<(ShapePaint, String)> = classes
        .colors
        .iter()
        .zip(&classes.labels)
        .map(|(color, label)| (ShapePaint::Color(color), label.clone()))
        .collect();
    if map.values.iter().any(Option::is_none) {
        legend.push((ShapePaint::NoData, "nessun dato".to_owned()));
    }
    let drawing = MapDrawing {
        id: &map.id,
        title: &map.title,
        description: &map.description,
        geometry: map.geometry,
        shapes,
        legend,
    };
    let standalone = svg(&drawing, MapPaths::Inline);
    let inline = match paths {
        MapPaths::Inline => standalone.clone(),
        MapPaths::Defined(_) => svg(&drawing, paths),
    };
    let figure = MapFigure {
        id: map.id.clone(),
        title: map.title.clone(),
        svg: inline,
        svg_href: None,
        csv_href: None,
        // The class is the legend's: the table gives the values, the CSV both.
        table_header: vec!["Territorio".to_owned(), format!("Valore ({})", map.unit)],
        table_rows: rows,
        attribution: map.attribution.to_owned(),
    };
    Some((
        figure,
        Downloads {
            svg: standalone,
            csv,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn geometry() -> Geometry {
        Geometry {
            width: 400,
            height: 200,
            shapes: vec![
                DrawnShape {
                    code: "035004".into(),
                    name: "<b>Bibbiano</b>".into(),
                    path: "M0 0l10 0 0 10z".into(),
                },
                DrawnShape {
                    code: "035010".into(),
                    name: "Canossa".into(),
                    path: "M10 0l10 0 0 10z".into(),
                },
            ],
        }
    }

    fn drawing(geometry: &Geometry) -> MapDrawing<'_> {
        MapDrawing {
            id: "m",
            title: "Valori & <classi>",
            description: "d",
            geometry,
            shapes: vec![
                (ShapePaint::Color("#E3EEF9"), "<b>Bibbiano</b>: 2,5".into()),
                (ShapePaint::NoData, "Canossa: nessun dato".into()),
            ],
            legend: vec![
                (ShapePaint::Color("#E3EEF9"), "2,5".into()),
                (ShapePaint::NoData, "nessun dato".into()),
            ],
        }
    }

    #[test]
    fn escapes_names_and_hatches_shapes_without_data() {
        let geometry = geometry();
        let svg = svg(&drawing(&geometry), MapPaths::Inline);
        assert!(!svg.contains("<b>"), "{svg}");
        assert!(svg.contains("<title>&lt;b&gt;Bibbiano&lt;&#x2f;b&gt;: 2,5</title>"));
        assert!(svg.contains("Valori &amp; &lt;classi&gt;"));
        assert_eq!(svg.matches("fill=\"url(#m-nd)\"").count(), 2);
        assert!(svg.contains("fill-rule=\"evenodd\""));
    }

    #[test]
    fn a_map_over_its_backdrop_has_the_backdrops_size_and_only_its_own_shapes() {
        let geometry = geometry();
        let backdrop = backdrop(&geometry, 2);
        assert_eq!(backdrop.matches("<path d=\"M").count(), 2);
        assert!(backdrop.contains("viewBox=\"0 0 400 264\" width=\"400\" height=\"264\""));
        assert!(!backdrop.contains("<title>"));
        let own = Geometry {
            shapes: geometry.shapes[..1].to_vec(),
            ..geometry.clone()
        };
        let mut drawing = drawing(&own);
        drawing.shapes.truncate(1);
        drawing.legend = vec![
            (ShapePaint::Color("#0066CC"), "<b>Bibbiano</b>".into()),
            (ShapePaint::Color(CONTEXT), "altri comuni".into()),
        ];
        let over = over_backdrop(&drawing, "../mappe/comuni-035.svg");
        assert!(over.starts_with("<div style=\"position:relative;max-width:400px\"><img src=\"..&#x2f;mappe&#x2f;comuni-035.svg\" alt=\"\" width=\"400\" height=\"264\""));
        assert!(over.contains("viewBox=\"0 0 400 264\" style=\"position:absolute"));
        assert_eq!(over.matches("<path d=\"M").count(), 1);
        assert!(!over.contains("fill=\"#FFFFFF\""), "{over}");
        assert!(over.ends_with("</svg></div>"));
    }

    #[test]
    fn a_page_defines_the_paths_once_and_its_maps_use_them() {
        let geometry = geometry();
        let defined = svg(&drawing(&geometry), MapPaths::Defined("p"));
        assert!(defined.contains("<use href=\"#p-035004\""));
        assert!(!defined.contains("M0 0l10"));
        let definitions = definitions("p", &geometry);
        assert!(definitions.contains("<path id=\"p-035004\" d=\"M0 0l10 0 0 10z\"/>"));
        assert!(definitions.contains("aria-hidden=\"true\""));
    }
}
