//! The index of territories: `territori.html` lists Italy, the unions and the regions, each
//! region with its provinces, and links to one page per region (`territori/<code>.html`) that
//! lists its comuni province by province. One list of all eight thousand comuni would be a
//! page of half a megabyte to load on a phone; a region's list is a few dozen kilobytes.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::error::Result;
use crate::istat::Level;
use crate::site::input::TerritoryLink;
use crate::site::render::{Writer, v};
use crate::territory::Territory;
use crate::text::{format_it, name_key};

/// A territory with a page, or a region or province named only to group the others (no page
/// of its own when it has no indicators).
#[derive(Debug, Serialize)]
struct Place {
    code: String,
    name: String,
    has_page: bool,
}

#[derive(Debug, Serialize)]
struct Province {
    place: Place,
    comuni: Vec<TerritoryLink>,
}

#[derive(Debug, Serialize)]
struct Region {
    place: Place,
    provinces: Vec<Province>,
    comuni: usize,
    /// `comuni` as the page writes it ("1.180").
    comuni_shown: String,
}

/// Writes `territori.html` and a page per region, for the territories that have a page.
pub(crate) fn write(
    writer: &mut Writer,
    all: &crate::territory::Territories,
    with_pages: &[&Territory],
    paged: &std::collections::BTreeSet<&str>,
) -> Result<()> {
    let place = |code: &str, has_page: bool| Place {
        code: code.to_owned(),
        name: all
            .get(code)
            .map_or_else(|| code.to_owned(), |t| t.name.clone()),
        has_page,
    };
    let regions = regions(with_pages, &|code| place(code, paged.contains(code)));
    let by_level = |level: Level| -> Vec<TerritoryLink> {
        sorted(with_pages.iter().filter(|t| t.level == level).copied())
    };
    let (italy, unions, others) = (
        by_level(Level::Italy),
        by_level(Level::Union),
        unplaced(with_pages),
    );
    for region in &regions {
        writer.page(
            &format!("territori/{}.html", region.place.code),
            "territories_region.html",
            &format!("{}: i comuni", region.place.name),
            "territories",
            &[("Territori", "territori.html")],
            minijinja::context! { region => v(region) },
        )?;
    }
    writer.page(
        "territori.html",
        "territories.html",
        "Territori",
        "territories",
        &[],
        minijinja::context! {
            italy => v(&italy),
            unions => v(&unions),
            regions => v(&regions),
            others => v(&others),
        },
    )
}

/// The regions, by name, each with its provinces by name and their comuni by name.
fn regions(with_pages: &[&Territory], place: &dyn Fn(&str) -> Place) -> Vec<Region> {
    let mut tree: BTreeMap<&str, BTreeMap<&str, Vec<&Territory>>> = BTreeMap::new();
    for territory in with_pages {
        match territory.level {
            Level::Comune => {
                if let (Some(region), Some(province)) = (&territory.region, &territory.province) {
                    let provinces = tree.entry(region.as_str()).or_default();
                    provinces
                        .entry(province.as_str())
                        .or_default()
                        .push(territory);
                }
            }
            Level::Province => {
                if let Some(region) = &territory.region {
                    let provinces = tree.entry(region.as_str()).or_default();
                    provinces.entry(territory.code.as_str()).or_default();
                }
            }
            Level::Region => {
                tree.entry(territory.code.as_str()).or_default();
            }
            Level::Union | Level::Italy => {}
        }
    }
    let mut regions: Vec<Region> = tree
        .into_iter()
        .map(|(region, provinces)| {
            let mut provinces: Vec<Province> = provinces
                .into_iter()
                .map(|(province, comuni)| Province {
                    place: place(province),
                    comuni: sorted(comuni.into_iter()),
                })
                .collect();
            provinces.sort_by_cached_key(|p| name_key(&p.place.name));
            let comuni = provinces.iter().map(|p| p.comuni.len()).sum::<usize>();
            Region {
                comuni,
                comuni_shown: format_it(comuni as f64, 0),
                place: place(region),
                provinces,
            }
        })
        .collect();
    regions.sort_by_cached_key(|r| name_key(&r.place.name));
    regions
}

/// Comuni and provinces that cannot be placed in a region (their list gives none).
fn unplaced(with_pages: &[&Territory]) -> Vec<TerritoryLink> {
    sorted(with_pages.iter().copied().filter(|t| match t.level {
        Level::Comune => t.region.is_none() || t.province.is_none(),
        Level::Province => t.region.is_none(),
        Level::Region | Level::Union | Level::Italy => false,
    }))
}

fn sorted<'a>(territories: impl Iterator<Item = &'a Territory>) -> Vec<TerritoryLink> {
    let mut links: Vec<TerritoryLink> = territories
        .map(|t| TerritoryLink {
            code: t.code.clone(),
            name: t.name.clone(),
        })
        .collect();
    links.sort_by_cached_key(|link| name_key(&link.name));
    links
}
