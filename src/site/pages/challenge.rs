//! The challenge pages: for each challenge, its indicators with the territories ranked in a
//! chart and a table (the focus, its comuni and its benchmarks; with too many, the finest level
//! that fits), and the index of the challenges.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::clock::period_it;
use crate::error::Result;
use crate::indicator::rows::IndicatorRow;
use crate::istat::Level;
use crate::site::chart::{self, Bar, Chart};
use crate::site::input::{Challenges, SiteInput};
use crate::site::map::{self, Atlas, Geometry};
use crate::site::map_markup::{self, MapFigure};
use crate::site::render::{Writer, v};
use crate::source::shape::BoundaryShape;
use crate::text::{format_it, with_unit_it};

/// The most bars a challenge page ranks in one chart.
const MAX_RANKED: usize = 60;

#[derive(Debug, Serialize)]
struct ChallengeItem {
    label: String,
    unit: String,
    period: String,
    source: String,
    denominator_label: Option<String>,
    /// The ranking, when there are two territories or more to rank.
    chart: Option<Chart>,
    /// A single value, in words, where a chart would have one bar.
    single: Option<String>,
    rows: Vec<ChallengeRow>,
    /// The level below the focus mapped, class by class.
    maps: Vec<MapFigure>,
}

#[derive(Debug, Serialize)]
struct ChallengeRow {
    code: String,
    name: String,
    level: String,
    value: String,
}

#[derive(Serialize)]
struct ChallengeEntry {
    number: u8,
    title: String,
    indicators: usize,
}

#[derive(Serialize)]
struct ChallengeContext<'a> {
    number: u8,
    title: &'a str,
    description: Option<&'a str>,
}

pub(crate) fn write(
    writer: &mut Writer,
    input: &SiteInput,
    challenges: &Challenges,
    atlas: &Atlas,
) -> Result<()> {
    let compared = compared(input);
    let layers = layers(input, atlas);
    let mut entries = Vec::new();
    for (number, (title, description)) in challenges {
        let mut by_indicator: BTreeMap<&str, Vec<&IndicatorRow>> = BTreeMap::new();
        for row in input.rows.iter().filter(|r| r.challenge == *number) {
            by_indicator.entry(&row.indicator).or_default().push(row);
        }
        let mut items = Vec::new();
        let mut used = vec![false; layers.len()];
        for (indicator, rows) in &by_indicator {
            if let Some(mut item) =
                item(writer, input, compared.as_ref(), *number, indicator, rows)?
            {
                for (index, layer) in layers.iter().enumerate() {
                    if let Some((figure, files)) = layer_map(layer, (*number, indicator), rows) {
                        used[index] = true;
                        item.maps.push(writer.map_downloads(figure, &files)?);
                    }
                }
                items.push(item);
            }
        }
        let map_defs: String = layers
            .iter()
            .zip(&used)
            .filter(|(_, used)| **used)
            .map(|(layer, _)| map_markup::definitions(layer.prefix, &layer.geometry))
            .collect();
        entries.push(ChallengeEntry {
            number: *number,
            title: title.clone(),
            indicators: by_indicator.len(),
        });
        writer.page(
            &format!("sfida/{number}.html"),
            "challenge.html",
            &format!("Sfida {number}: {title}"),
            "challenges",
            &[("Sfide", "sfide.html")],
            minijinja::context! {
                challenge => v(ChallengeContext { number: *number, title, description: description.as_deref() }),
                indicators => v(&items),
                projects => input.projects.iter().filter(|p| p.challenges.contains(number)).count(),
                map_defs => map_defs,
            },
        )?;
    }
    writer.page(
        "sfide.html",
        "challenges.html",
        "Le sfide dell'agenda digitale",
        "challenges",
        &[],
        minijinja::context! { challenges => v(&entries) },
    )
}

/// The territories a challenge page compares: the focus, the level below it (the regions of
/// Italy, the provinces of a region, the comuni of a province or a union) and its benchmarks;
/// or, without a focus, the regions and Italy.
fn compared(input: &SiteInput) -> Option<BTreeSet<String>> {
    let focus = input.territories.get(input.about.focus?)?;
    let mut codes: BTreeSet<String> = BTreeSet::from([focus.code.clone()]);
    match focus.level {
        Level::Italy => codes.extend(
            input
                .territories
                .iter()
                .filter(|t| t.level == Level::Region)
                .map(|t| t.code.clone()),
        ),
        Level::Region => codes.extend(
            input
                .territories
                .iter()
                .filter(|t| t.level == Level::Province && t.region.as_ref() == Some(&focus.code))
                .map(|t| t.code.clone()),
        ),
        Level::Province | Level::Union | Level::Comune => {
            codes.extend(input.territories.members(&focus.code).iter().cloned());
        }
    }
    for level in [Level::Province, Level::Region] {
        if let Some(benchmark) = input.territories.benchmark_of(&focus.code, level) {
            codes.insert(benchmark.code.clone());
        }
    }
    Some(codes)
}

/// An indicator on its challenge's page: its latest period, the territories ranked.
fn item(
    writer: &Writer,
    input: &SiteInput,
    compared: Option<&BTreeSet<String>>,
    number: u8,
    indicator: &str,
    rows: &[&IndicatorRow],
) -> Result<Option<ChallengeItem>> {
    let Some(period) = rows.iter().map(|r| r.period.clone()).max() else {
        return Ok(None);
    };
    let of_period: Vec<&IndicatorRow> = rows
        .iter()
        .copied()
        .filter(|r| r.period == period)
        .collect();
    let selected = ranked(&of_period, compared);
    let Some(top) = selected.first() else {
        return Ok(None);
    };
    let (chart, single) = match selected.as_slice() {
        [only] => (
            None,
            Some(format!(
                "{}: {}, l'unico territorio a confronto con un valore in questo periodo.",
                only.territory_name,
                with_unit_it(only.value, only.decimals, &only.unit)
            )),
        ),
        _ => (
            Some(ranking_chart(
                writer,
                input,
                (number, indicator),
                &period,
                top,
                &selected,
            )),
            None,
        ),
    };
    Ok(Some(ChallengeItem {
        label: top.label.to_string(),
        unit: top.unit.to_string(),
        period: period_it(&period),
        source: top.source.to_string(),
        denominator_label: top.denominator_label.as_deref().map(str::to_owned),
        chart,
        single,
        rows: selected
            .iter()
            .map(|r| ChallengeRow {
                code: r.territory.to_string(),
                name: r.territory_name.to_string(),
                level: r.level.label_it().to_owned(),
                value: format_it(r.value, r.decimals),
            })
            .collect(),
        maps: Vec::new(),
    }))
}

/// A level of shapes the challenge pages map: drawn once, defined once in each page that maps
/// it.
struct Layer {
    level: Level,
    /// The id prefix of its paths in a page, and the word that names its maps' files.
    prefix: &'static str,
    noun: &'static str,
    /// Where its values are, in Italian: "nelle province", "nei comuni della provincia di
    /// Reggio nell'Emilia".
    what: String,
    geometry: Geometry,
    attribution: String,
}

/// Which shapes of a level a map draws.
type KeepShape = Box<dyn Fn(&BoundaryShape) -> bool>;

/// The levels below the focus, as maps: the regions and the provinces of Italy; the provinces
/// and the comuni of a region; the comuni of a province, or of the provinces of a union or a
/// comune; without a focus, the regions.
fn layers(input: &SiteInput, atlas: &Atlas) -> Vec<Layer> {
    let focus = input
        .about
        .focus
        .and_then(|code| input.territories.get(code));
    let provinces_of_focus: BTreeSet<String> = match focus {
        Some(focus) if matches!(focus.level, Level::Province | Level::Union | Level::Comune) => {
            input.territories.provinces_of(&focus.code)
        }
        _ => BTreeSet::new(),
    };
    let name_of = |code: &str| {
        input
            .territories
            .get(code)
            .map_or_else(|| code.to_owned(), |t| t.name.clone())
    };
    let mut wanted: Vec<(Level, &'static str, String, KeepShape)> = Vec::new();
    match focus.map(|f| (f.level, f.code.clone())) {
        Some((Level::Region, region)) => {
            let name = name_of(&region);
            let of_region = region.clone();
            wanted.push((
                Level::Province,
                "mp",
                format!("nelle province della regione {name}"),
                Box::new(move |s: &BoundaryShape| s.region.as_deref() == Some(of_region.as_str())),
            ));
            wanted.push((
                Level::Comune,
                "mc",
                format!("nei comuni della regione {name}"),
                Box::new(move |s: &BoundaryShape| s.region.as_deref() == Some(region.as_str())),
            ));
        }
        Some((Level::Province | Level::Union | Level::Comune, _)) => {
            let names: Vec<String> = provinces_of_focus.iter().map(|c| name_of(c)).collect();
            wanted.push((
                Level::Comune,
                "mc",
                format!("nei comuni della provincia di {}", names.join(" e di ")),
                Box::new(move |s: &BoundaryShape| {
                    s.province
                        .as_ref()
                        .is_some_and(|p| provinces_of_focus.contains(p))
                }),
            ));
        }
        Some((Level::Italy, _)) => {
            wanted.push((
                Level::Region,
                "mr",
                "nelle regioni".into(),
                Box::new(|_| true),
            ));
            wanted.push((
                Level::Province,
                "mp",
                "nelle province".into(),
                Box::new(|_| true),
            ));
        }
        None => {
            wanted.push((
                Level::Region,
                "mr",
                "nelle regioni".into(),
                Box::new(|_| true),
            ));
        }
    }
    wanted
        .into_iter()
        .filter_map(|(level, prefix, what, keep)| {
            let shapes = atlas.shapes(level, keep);
            let attribution = atlas.attribution(&shapes)?;
            Some(Layer {
                level,
                prefix,
                noun: match level {
                    Level::Region => "regioni",
                    Level::Province => "province",
                    _ => "comuni",
                },
                what,
                geometry: atlas.draw(&shapes, map::WIDTH, 0.6),
                attribution,
            })
        })
        .collect()
}

/// An indicator's latest values on a layer's shapes, class by class; None when no shape of
/// the layer has a value.
fn layer_map(
    layer: &Layer,
    (number, indicator): (u8, &str),
    rows: &[&IndicatorRow],
) -> Option<(MapFigure, map_markup::Downloads)> {
    let period = rows
        .iter()
        .filter(|r| r.level == layer.level)
        .map(|r| r.period.clone())
        .max()?;
    let by_code: BTreeMap<&str, &IndicatorRow> = rows
        .iter()
        .filter(|r| r.level == layer.level && r.period == period)
        .map(|r| (&*r.territory, *r))
        .collect();
    let values: Vec<Option<map_markup::ShapeValue>> = layer
        .geometry
        .shapes
        .iter()
        .map(|shape| {
            by_code
                .get(shape.code.as_str())
                .map(|r| map_markup::ShapeValue {
                    value: r.value,
                    decimals: r.decimals,
                })
        })
        .collect();
    let top = by_code.values().next()?;
    let missing = values.iter().filter(|v| v.is_none()).count();
    map_markup::choropleth(
        &map_markup::Choropleth {
            id: format!("sfida{number}-{indicator}-{}", layer.noun),
            title: format!(
                "{}, {}: mappa del valore {}",
                top.label,
                period_it(&period),
                layer.what
            ),
            description: map_markup::values_description(values.len(), missing, &top.unit),
            geometry: &layer.geometry,
            values,
            unit: &top.unit,
            attribution: &layer.attribution,
        },
        map_markup::MapPaths::Defined(layer.prefix),
    )
}

/// The bars of the territories ranked, highest first, the focus marked.
fn ranking_chart(
    writer: &Writer,
    input: &SiteInput,
    (number, indicator): (u8, &str),
    period: &str,
    top: &IndicatorRow,
    selected: &[&IndicatorRow],
) -> Chart {
    let focus = input.about.focus;
    let bars: Vec<Bar> = selected
        .iter()
        .map(|r| Bar {
            label: r.territory_name.to_string(),
            value: r.value,
            focus: focus == Some(&*r.territory),
        })
        .collect();
    let mut chart = chart::bars(
        &format!("sfida{number}-{indicator}"),
        format!(
            "{}, {}: il valore più alto è {} ({})",
            top.label,
            period_it(period),
            with_unit_it(top.value, top.decimals, &top.unit),
            top.territory_name
        ),
        format!(
            "Grafico a barre orizzontali di {} territori ordinati dal valore più alto al più basso; unità: {}.",
            selected.len(),
            top.unit
        ),
        &top.unit,
        top.decimals,
        &bars,
    );
    writer.render_chart(&mut chart);
    chart
}

/// The rows a chart ranks, highest first: the compared territories (or every one, when none
/// of them has a value); totals only among the territories of the finest level there, since
/// totals of territories of different sizes do not rank together; one level, when too many.
fn ranked<'a>(
    rows: &[&'a IndicatorRow],
    compared: Option<&BTreeSet<String>>,
) -> Vec<&'a IndicatorRow> {
    let mut selected: Vec<&IndicatorRow> = rows
        .iter()
        .copied()
        .filter(|r| match compared {
            Some(codes) => codes.contains(&*r.territory),
            None => matches!(r.level, Level::Region | Level::Italy),
        })
        .collect();
    if selected.is_empty() {
        selected = rows.to_vec();
    }
    if selected.iter().any(|r| r.total)
        && let Some(finest) = selected.iter().map(|r| r.level).min()
    {
        selected.retain(|r| r.level == finest);
    }
    if selected.len() > MAX_RANKED {
        selected = one_level(rows.to_vec());
    }
    selected.sort_by(|a, b| {
        b.value
            .total_cmp(&a.value)
            .then(a.territory.cmp(&b.territory))
    });
    selected
}

/// A ranked chart of thousands of bars helps no one: with too many territories to compare,
/// the finest level whose territories fit in [`MAX_RANKED`] bars is ranked instead (comuni,
/// else provinces, else regions), or else the level with the fewest territories.
fn one_level(mut pool: Vec<&IndicatorRow>) -> Vec<&IndicatorRow> {
    let count = |level: Level| pool.iter().filter(|r| r.level == level).count();
    let levels = [Level::Comune, Level::Province, Level::Region];
    let chosen = levels
        .iter()
        .copied()
        .find(|&level| (1..=MAX_RANKED).contains(&count(level)))
        .or_else(|| {
            levels
                .iter()
                .copied()
                .filter(|&level| count(level) > 0)
                .min_by_key(|&level| count(level))
        });
    if let Some(level) = chosen {
        pool.retain(|r| r.level == level);
    }
    pool
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(territory: &str, level: Level) -> IndicatorRow {
        IndicatorRow {
            territory: territory.into(),
            territory_name: territory.into(),
            level,
            challenge: 3,
            indicator: "x".into(),
            label: "x".into(),
            kind: "sum",
            total: true,
            period: "2026".into(),
            source: "s".into(),
            ..IndicatorRow::example()
        }
    }

    #[test]
    fn ranks_the_finest_level_that_fits_a_chart() {
        let mut rows: Vec<IndicatorRow> = (0..100)
            .map(|i| row(&format!("001{i:03}"), Level::Comune))
            .collect();
        rows.extend((0..30).map(|i| row(&format!("{i:03}"), Level::Province)));
        rows.extend((0..5).map(|i| row(&format!("{i:02}"), Level::Region)));
        rows.push(row("IT", Level::Italy));
        let chosen = one_level(rows.iter().collect());
        assert_eq!(chosen.len(), 30);
        assert!(chosen.iter().all(|r| r.level == Level::Province));

        // Nothing fits: the level with the fewest territories.
        let many: Vec<IndicatorRow> = (0..200)
            .map(|i| row(&format!("002{i:03}"), Level::Comune))
            .chain((0..100).map(|i| row(&format!("{i:03}"), Level::Province)))
            .collect();
        let chosen = one_level(many.iter().collect());
        assert_eq!(chosen.len(), 100);
    }
}
