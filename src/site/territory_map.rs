//! The map on a territory's page: a region's comuni coloured by the value of its first
//! headline figure (with the map's downloads), else where the territory is: a comune among
//! the comuni of its province, a union's members among theirs, a province's comuni, Italy's
//! regions. A comune's or a union's shapes are drawn over a backdrop of its province's
//! comuni, written once for all the pages of the province.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

use crate::clock::period_it;
use crate::error::Result;
use crate::indicator::rows::IndicatorRow;
use crate::istat::Level;
use crate::site::dashboard;
use crate::site::input::{Challenges, SiteInput, latest_rows};
use crate::site::map::{self, Atlas, Geometry};
use crate::site::map_markup::{
    self, Choropleth, Downloads, MapDrawing, MapFigure, MapPaths, ShapePaint,
};
use crate::site::render::Writer;
use crate::source::shape::BoundaryShape;
use crate::territory::Territory;
use crate::text::format_it;

/// Every territory's rows, by code.
pub(crate) type RowsByTerritory<'p, 'a> = BTreeMap<&'p str, Vec<&'a IndicatorRow>>;

/// A territory map's geometry, and who made its boundaries.
type PlaceDrawing = Arc<(Geometry, String)>;

/// The geometries of the territories' maps (with who made their boundaries), each drawn once
/// for every page that shows it (the comuni of a province, for each of its comuni's pages), by
/// the pages' workers side by side. A map is drawn outside the lock of the list: a worker waits
/// only for a drawing its own page needs.
#[derive(Default)]
struct Drawings {
    drawn: Mutex<HashMap<String, Arc<OnceLock<Option<PlaceDrawing>>>>>,
}

impl Drawings {
    fn get(
        &self,
        key: String,
        draw: impl FnOnce() -> Option<(Geometry, String)>,
    ) -> Option<PlaceDrawing> {
        let once = Arc::clone(self.drawn.lock().ok()?.entry(key).or_default());
        once.get_or_init(|| draw().map(Arc::new)).clone()
    }
}

/// Locator maps are small, and drawn coarser than the maps of the challenge pages.
const LOCATOR_WIDTH: f64 = 400.0;
const LOCATOR_TOLERANCE: f64 = 1.2;
/// A locator map's legend with shapes around the territory's: the territory, the others.
const LOCATOR_LEGEND_ROWS: usize = 2;

/// The maps of the territories' pages: the regions' maps of values, drawn (and their
/// downloads written) before the pages, and the locator maps, drawn as the pages need them.
pub(crate) struct TerritoryMaps<'s, 'a> {
    atlas: &'s Atlas<'a>,
    drawings: Drawings,
    of_values: HashMap<String, MapFigure>,
}

impl<'s, 'a> TerritoryMaps<'s, 'a> {
    /// Draws the map of values of each region with a page, and writes its SVG and CSV.
    pub(crate) fn new(
        writer: &mut Writer,
        (input, challenges): (&SiteInput, &Challenges),
        atlas: &'s Atlas<'a>,
        (pages, everyone): (&[&Territory], &RowsByTerritory),
    ) -> Result<Self> {
        let mut maps = TerritoryMaps {
            atlas,
            drawings: Drawings::default(),
            of_values: HashMap::new(),
        };
        maps.draw_all(input, pages);
        // The locator maps' backdrops, each written once for the pages of its place.
        let mut backdrops = BTreeSet::new();
        for territory in pages {
            let Some(drawn) = maps.drawing(input, territory) else {
                continue;
            };
            let lit = lit(input, territory, &drawn.0);
            let (_, provinces, _, _) = place(input, territory);
            let Some(file) = backdrop_file(territory, &provinces, (lit, drawn.0.shapes.len()))
            else {
                continue;
            };
            if backdrops.insert(file.clone()) {
                let svg = map_markup::backdrop(&drawn.0, LOCATOR_LEGEND_ROWS);
                writer.write(&file, svg.as_bytes())?;
            }
        }
        for region in pages.iter().filter(|t| t.level == Level::Region) {
            let Some((figure, files)) = maps.region_values(input, challenges, region, everyone)
            else {
                continue;
            };
            let figure = writer.map_downloads(figure, &files)?;
            maps.of_values.insert(region.code.clone(), figure);
        }
        Ok(maps)
    }

    /// The map a territory's page shows: its map of values, else its locator map.
    pub(crate) fn of(&self, input: &SiteInput, territory: &Territory) -> Option<MapFigure> {
        match self.of_values.get(&territory.code) {
            Some(figure) => Some(figure.clone()),
            None => self.locator(input, territory),
        }
    }

    /// Every map the pages show drawn, on both cores, before the pages: the backdrops are
    /// written from them, and a page's worker then finds its map drawn.
    fn draw_all(&self, input: &SiteInput, pages: &[&Territory]) {
        let mut keys = BTreeSet::new();
        let first: Vec<&Territory> = pages
            .iter()
            .copied()
            .filter(|territory| keys.insert(drawing_key(input, territory)))
            .collect();
        crate::parallel::map(&[0, 1], true, |parity| {
            for territory in first.iter().skip(*parity).step_by(2) {
                self.drawing(input, territory);
            }
        });
    }

    /// The shapes a territory's map draws (see `place`), drawn once for every page of them.
    fn drawing(&self, input: &SiteInput, territory: &Territory) -> Option<PlaceDrawing> {
        let (level, key, _, width) = place(input, territory);
        let keep = |shape: &BoundaryShape| match territory.level {
            Level::Region => shape.region.as_ref().is_some_and(|r| key.contains(r)),
            Level::Italy => true,
            _ => shape.province.as_ref().is_some_and(|p| key.contains(p)),
        };
        self.drawings.get(drawing_key(input, territory), || {
            let shapes = self.atlas.shapes(level, keep);
            let attribution = self.atlas.attribution(&shapes)?;
            Some((
                self.atlas.draw(&shapes, width, LOCATOR_TOLERANCE),
                attribution,
            ))
        })
    }

    /// A region's comuni coloured by the value of the first of its dashboard's headline
    /// figures that its comuni have, in the same period; None when none has.
    fn region_values(
        &self,
        input: &SiteInput,
        challenges: &Challenges,
        region: &Territory,
        everyone: &RowsByTerritory,
    ) -> Option<(MapFigure, Downloads)> {
        let latest = latest_rows(everyone.get(region.code.as_str())?, &region.code);
        let drawn = self.drawing(input, region)?;
        let (geometry, attribution) = (&drawn.0, &drawn.1);
        challenges.keys().find_map(|number| {
            let in_challenge: Vec<&IndicatorRow> = latest
                .iter()
                .copied()
                .filter(|r| r.challenge == *number)
                .collect();
            let headline = dashboard::headline(input, &in_challenge, *number)?;
            let values: Vec<Option<map_markup::ShapeValue>> = geometry
                .shapes
                .iter()
                .map(|shape| {
                    let row = everyone.get(shape.code.as_str())?.iter().find(|r| {
                        *r.indicator == *headline.indicator && r.period == headline.period
                    })?;
                    Some(map_markup::ShapeValue {
                        value: row.value,
                        decimals: row.decimals,
                    })
                })
                .collect();
            let missing = values.iter().filter(|v| v.is_none()).count();
            map_markup::choropleth(
                &Choropleth {
                    id: format!("mappa-{}-{}", region.code, headline.indicator),
                    title: format!(
                        "{}, {}: mappa del valore nei comuni della regione {}",
                        headline.label,
                        period_it(&headline.period),
                        region.name
                    ),
                    description: map_markup::values_description(
                        values.len(),
                        missing,
                        &headline.unit,
                    ),
                    geometry,
                    values,
                    unit: &headline.unit,
                    attribution,
                },
                MapPaths::Inline,
            )
        })
    }

    /// A territory's place: a comune among the comuni of its province, a union's members among
    /// those of their provinces; a province's and a region's comuni, and Italy's regions.
    fn locator(&self, input: &SiteInput, territory: &Territory) -> Option<MapFigure> {
        let territories = input.territories;
        let members = territories.members(&territory.code);
        let (level, key, around, _) = place(input, territory);
        let drawn = self.drawing(input, territory)?;
        let (geometry, attribution) = (&drawn.0, drawn.1.clone());
        let highlighted = |code: &str| highlighted(territory, members, code);
        let paint = |code: &str| match highlighted(code) {
            true => ShapePaint::Color(map::HIGHLIGHT),
            false => ShapePaint::Color(map::CONTEXT),
        };
        // Only the territory's own shapes are named: the names of a province's hundreds of other
        // comuni would weigh more than the drawing, on thousands of pages.
        let shapes: Vec<(ShapePaint, String)> = geometry
            .shapes
            .iter()
            .map(|s| match highlighted(&s.code) {
                true => (paint(&s.code), s.name.clone()),
                false => (paint(&s.code), String::new()),
            })
            .collect();
        let province_names: Vec<String> = key
            .iter()
            .filter_map(|code| territories.get(code).map(|t| t.name.clone()))
            .collect();
        let context = match around {
            "" => String::new(),
            words => format!(" {words} di {}", province_names.join(" e di ")),
        };
        let lit = lit(input, territory, geometry);
        let backdrop = backdrop_file(territory, &key, (lit, geometry.shapes.len()))
            .map(|file| format!("../{file}"));
        Some(figure(
            territory,
            (geometry, attribution, backdrop),
            shapes,
            (lit, level, &context),
        ))
    }
}

/// How many of a map's shapes a territory's locator map highlights.
fn lit(input: &SiteInput, territory: &Territory, geometry: &Geometry) -> usize {
    let members = input.territories.members(&territory.code);
    geometry
        .shapes
        .iter()
        .filter(|s| highlighted(territory, members, &s.code))
        .count()
}

/// The file of the backdrop of a territory's locator map, when the map shows shapes around
/// the territory's own (a comune's or a union's: `lit` of `count` highlighted): one for every
/// page of the same provinces.
fn backdrop_file(
    territory: &Territory,
    provinces: &BTreeSet<String>,
    (lit, count): (usize, usize),
) -> Option<String> {
    if !matches!(territory.level, Level::Comune | Level::Union) || lit == count {
        return None;
    }
    let codes: Vec<&str> = provinces.iter().map(String::as_str).collect();
    Some(map_markup::file(
        &format!("comuni-{}", codes.join("-")),
        "svg",
    ))
}

/// Whether a territory's locator map highlights a shape: a comune's own, a union's members',
/// every shape of a province's, a region's or Italy's map.
fn highlighted(territory: &Territory, members: &[String], code: &str) -> bool {
    match territory.level {
        Level::Comune => code == territory.code,
        Level::Union => members.iter().any(|m| m == code),
        _ => true,
    }
}

/// What a territory's locator map draws: the shapes of a level, those of the provinces (or
/// the region) named, where the territory is, and how wide.
fn place(input: &SiteInput, territory: &Territory) -> (Level, BTreeSet<String>, &'static str, f64) {
    let provinces = || input.territories.provinces_of(&territory.code);
    match territory.level {
        Level::Comune | Level::Union => {
            (Level::Comune, provinces(), "della provincia", LOCATOR_WIDTH)
        }
        Level::Province => (Level::Comune, provinces(), "", LOCATOR_WIDTH),
        Level::Region => (
            Level::Comune,
            BTreeSet::from([territory.code.clone()]),
            "",
            map::WIDTH,
        ),
        Level::Italy => (Level::Region, BTreeSet::new(), "", LOCATOR_WIDTH),
    }
}

/// What tells one drawing from another: the level of its shapes, those named, its width.
fn drawing_key(input: &SiteInput, territory: &Territory) -> String {
    let (level, key, _, width) = place(input, territory);
    format!("{level:?}-{key:?}-{width}")
}

/// "d'Italia", "della regione Toscana", "della provincia di Arezzo", "di Unione Val d'Enza".
fn of_territory(territory: &Territory) -> String {
    match territory.level {
        Level::Italy => "d'Italia".to_owned(),
        Level::Region => format!("della regione {}", territory.name),
        Level::Province => format!("della provincia di {}", territory.name),
        Level::Union | Level::Comune => format!("di {}", territory.name),
    }
}

/// A locator map's figure: its drawing (over its backdrop when it has one: then only the
/// territory's own shapes are in the page), its legend, and the one row of its table.
fn figure(
    territory: &Territory,
    (geometry, attribution, backdrop): (&Geometry, String, Option<String>),
    shapes: Vec<(ShapePaint, String)>,
    (lit, level, context): (usize, Level, &str),
) -> MapFigure {
    let count = shapes.len();
    let (parts, article) = match level {
        Level::Region => ("regioni", "Le"),
        _ => ("comuni", "I"),
    };
    let mut legend = vec![(ShapePaint::Color(map::HIGHLIGHT), territory.name.clone())];
    if lit < count {
        legend.push((
            ShapePaint::Color(map::CONTEXT),
            format!("altri {parts}{context}"),
        ));
    }
    let title = match lit < count {
        true => format!("{} tra i {parts}{context}", territory.name),
        false => format!("{article} {count} {parts} {}", of_territory(territory)),
    };
    let id = format!("mappa-{}", territory.code);
    let description = format!(
        "Mappa di {count} {parts}; {lit} in evidenza ({}).",
        territory.name
    );
    // Over a backdrop, the page draws only the territory's own shapes.
    let (own, shapes) = match backdrop {
        Some(_) => {
            let (own, shapes) = own_shapes(geometry, shapes);
            (Some(own), shapes)
        }
        None => (None, shapes),
    };
    let drawing = MapDrawing {
        id: &id,
        title: &title,
        description: &description,
        geometry: own.as_ref().unwrap_or(geometry),
        shapes,
        legend,
    };
    let svg = match &backdrop {
        None => map_markup::svg(&drawing, map_markup::MapPaths::Inline),
        Some(href) => map_markup::over_backdrop(&drawing, href),
    };
    MapFigure {
        id,
        title,
        svg,
        svg_href: None,
        csv_href: None,
        table_header: vec![
            "Territorio".to_owned(),
            "Livello".to_owned(),
            "Nella mappa".to_owned(),
        ],
        table_rows: vec![vec![
            territory.name.clone(),
            territory.level.label_it().to_owned(),
            format!(
                "{} in evidenza su {count} {parts}{context}",
                format_it(lit as f64, 0)
            ),
        ]],
        attribution,
    }
}

/// The shapes a locator map highlights, with their paints and names, in a
/// geometry of the same size as the whole map's.
fn own_shapes(
    geometry: &Geometry,
    shapes: Vec<(ShapePaint, String)>,
) -> (Geometry, Vec<(ShapePaint, String)>) {
    let (drawn, painted): (Vec<_>, Vec<_>) = geometry
        .shapes
        .iter()
        .zip(shapes)
        .filter(|(_, (paint, _))| *paint == ShapePaint::Color(map::HIGHLIGHT))
        .map(|(shape, painted)| (shape.clone(), painted))
        .unzip();
    let own = Geometry {
        width: geometry.width,
        height: geometry.height,
        shapes: drawn,
    };
    (own, painted)
}
