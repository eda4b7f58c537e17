//! The national pipeline on the real national files: every comune, province and region gets
//! its indicators and its page, aggregates add up from their comuni, and an unchanged rerun
//! has nothing to do.

mod common;

use std::collections::BTreeMap;

use common::{assert_whole, datavalley, read_csv, repo, stderr, stdout};

#[test]
#[cfg_attr(
    shared_data_absent,
    ignore = "skipped: ../shared/data (the real public files) is absent"
)]
fn the_whole_country_is_published_and_adds_up() {
    if common::shared_data().is_none() {
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let out_dir = out.path().to_str().unwrap();
    let args = [
        "run",
        "pipelines/italia.toml",
        "--output-dir",
        out_dir,
        "--run-time",
        "2026-11-23T10:00:00Z",
    ];
    let output = datavalley(&repo(), &args);
    let log = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{log}");
    assert!(stdout(&output).starts_with("published"), "{log}");
    let release = out.path().join("italia/current");
    assert_whole(&release);

    let (header, rows) = read_csv(&release.join("data/indicatori.csv"));
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (territory, level, indicator, value, numerator) = (
        column("territory"),
        column("level"),
        column("indicator"),
        column("value"),
        column("numerator"),
    );
    let mut per_level: BTreeMap<(String, String), usize> = BTreeMap::new();
    for row in &rows {
        *per_level
            .entry((row[indicator].clone(), row[level].clone()))
            .or_default() += 1;
    }
    // The list of comuni of November 2023: 7,901 comuni in 107 provinces and 20 regions.
    for (level, count) in [
        ("comune", 7901),
        ("province", 107),
        ("region", 20),
        ("italy", 1),
    ] {
        assert_eq!(
            per_level[&("pnrr_funding".to_owned(), level.to_owned())],
            count,
            "{level}"
        );
    }
    for share in [
        "pnrr_comuni_pagopa_pct",
        "pnrr_comuni_app_io_pct",
        "pnrr_comuni_spid_cie_pct",
        "pnrr_comuni_notifications_pct",
    ] {
        assert_eq!(per_level[&(share.to_owned(), "province".to_owned())], 107);
        assert_eq!(per_level[&(share.to_owned(), "region".to_owned())], 20);
    }

    // Sums over comuni, provinces and regions agree with Italy's figure.
    let total = |indicator_name: &str, level_name: &str, field: usize| -> f64 {
        rows.iter()
            .filter(|r| r[indicator] == indicator_name && r[level] == level_name)
            .map(|r| r[field].parse::<f64>().unwrap())
            .sum()
    };
    for name in ["pnrr_funding", "pnrr_projects", "pnrr_funding_renounced"] {
        let italy = total(name, "italy", value);
        assert!(italy > 0.0, "{name}");
        for level_name in ["comune", "province", "region"] {
            let sum = total(name, level_name, value);
            // Values are rounded to whole euro per territory: sums may differ by that much.
            let tolerance = 0.5 * per_level[&(name.to_owned(), level_name.to_owned())] as f64;
            assert!(
                (sum - italy).abs() <= tolerance,
                "{name}: {level_name} sum {sum} against Italy {italy}"
            );
        }
    }
    // Shares are counted from comuni, never averaged: provinces' numerators add up to Italy's.
    let pagopa_italy = total("pnrr_comuni_pagopa_pct", "italy", numerator);
    assert_eq!(
        total("pnrr_comuni_pagopa_pct", "province", numerator),
        pagopa_italy
    );
    assert!(pagopa_italy > 3000.0, "{pagopa_italy}");

    // The union is the sum of its eight comuni.
    let members = [
        "035004", "035010", "035017", "035018", "035022", "035027", "035038", "035039",
    ];
    let funding = |code: &str| -> f64 {
        rows.iter()
            .find(|r| r[territory] == code && r[indicator] == "pnrr_funding")
            .map(|r| r[value].parse().unwrap())
            .unwrap_or_else(|| panic!("no pnrr_funding for {code}"))
    };
    let union: f64 = members.iter().map(|code| funding(code)).sum();
    assert!((funding("val_d_enza") - union).abs() < 4.0, "{union}");

    // Moransengo-Tonengo (005122) merged two comuni that both adopted measure 1.2: it counts
    // once, 5 of the 6 measures open to comuni.
    let merged = rows
        .iter()
        .find(|r| r[territory] == "005122" && r[indicator] == "pnrr_measures_adopted_pct")
        .unwrap();
    assert_eq!(merged[numerator], "5.0");
    assert_eq!(merged[value], "83.0");

    // One page per territory: comuni, provinces, regions, Italy and the union.
    let pages = std::fs::read_dir(release.join("territorio"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().extension().unwrap() == "html")
        .count();
    assert_eq!(pages, 7901 + 107 + 20 + 1 + 1);
    assert!(release.join("territorio/035004.html").is_file());
    // Challenge pages rank at most one level of territories that fits a chart (the regions,
    // here), not thousands of comuni, and map the regions and the provinces, whose paths
    // each page defines once; no page with maps is over 300 KB.
    let mut mapped = 0;
    for entry in std::fs::read_dir(release.join("sfida")).unwrap() {
        let path = entry.unwrap().path();
        let page = read_light_page(&path);
        let maps = page.matches("<figure class=\"dv-chart dv-map\">").count();
        if maps > 0 {
            mapped += 1;
            assert_eq!(
                page.matches("<path id=\"mr-").count(),
                20,
                "{}",
                path.display()
            );
            assert_eq!(
                page.matches("<path id=\"mp-").count(),
                107,
                "{}",
                path.display()
            );
            assert_eq!(page.matches("<use href=\"#mr-").count(), 20 * maps / 2);
            assert_eq!(page.matches("<use href=\"#mp-").count(), 107 * maps / 2);
            assert!(page.contains("mappa del valore nelle regioni"));
            assert!(page.contains("mappa del valore nelle province"));
            assert!(page.contains("Confini: ISTAT, elaborazione openpolis (CC BY 4.0)"));
        }
    }
    assert!(mapped >= 2, "{mapped} challenge pages with maps");
    // A region's page maps its comuni (Emilia-Romagna has 330) coloured by the value of its
    // first headline figure, with the data table and downloads; a comune's page its province.
    let region = std::fs::read_to_string(release.join("territorio/08.html")).unwrap();
    assert!(
        region.contains(
            "<figcaption class=\"dv-map-title\">Finanziamenti PNRR per la digitalizzazione ottenuti dai Comuni, per abitante, agosto 2026: mappa del valore nei comuni della regione Emilia-Romagna</figcaption>"
        ),
        "{region}"
    );
    assert_eq!(shapes_in_map(&release, &region), 330);
    assert!(region.contains("<title>Bologna: 17,08 euro per abitante</title>"));
    let map_data =
        std::fs::read_to_string(release.join("mappe/mappa-08-pnrr_funding_per_resident.csv"))
            .unwrap();
    assert_eq!(map_data.lines().count(), 1 + 330);
    assert!(map_data.contains("\nBologna,037006,17.08,euro per abitante,"));
    assert!(
        release
            .join("mappe/mappa-08-pnrr_funding_per_resident.svg")
            .is_file()
    );
    let comune = std::fs::read_to_string(release.join("territorio/035004.html")).unwrap();
    assert!(comune.contains("Bibbiano tra i comuni della provincia di Reggio nell&#x27;Emilia"));
    assert_eq!(shapes_in_map(&release, &comune), 42);
    let catalog = std::fs::read_to_string(release.join("catalog.ttl")).unwrap();
    assert!(catalog.contains("uvde_035:italia.indicatori"), "{catalog}");
    every_comune_is_listed_once_by_region(&release);
    the_projects_pages_are_light_and_list_every_comune_once(&release);

    // Unchanged inputs: nothing to do.
    let mut rerun_args = args;
    rerun_args[5] = "2026-11-24T10:00:00Z";
    let rerun = datavalley(&repo(), &rerun_args);
    assert_eq!(rerun.status.code(), Some(0), "{}", stderr(&rerun));
    assert!(
        stdout(&rerun).starts_with("nothing to do"),
        "{}",
        stdout(&rerun)
    );
}

/// The shapes a page's map draws (the paths of its SVG, not the download icons'; for a map
/// drawn over a backdrop, the backdrop's, which has every shape, and the page's own at least
/// one).
fn shapes_in_map(release: &std::path::Path, page: &str) -> usize {
    let start = page.find("<figure class=\"dv-chart dv-map\">").unwrap();
    let figure = &page[start..start + page[start..].find("</figure>").unwrap()];
    let svg = &figure[..figure.find("</svg>").unwrap()];
    let own = svg.matches("<path d=\"M").count();
    let shapes = match svg.split_once("<img src=\"..&#x2f;") {
        Some((_, rest)) => {
            let file = rest[..rest.find('"').unwrap()].replace("&#x2f;", "/");
            assert!(own > 0, "{svg}");
            std::fs::read_to_string(release.join(file))
                .unwrap()
                .matches("<path d=\"M")
                .count()
        }
        None => own,
    };
    // Every shape has its row in the map's table, or the table is the territory's one row.
    let rows = figure.matches("<tr><th scope=\"row\">").count();
    assert!(
        rows == shapes || rows == 1,
        "{rows} rows for {shapes} shapes"
    );
    shapes
}

/// `territori.html` indexes the 20 regions and their provinces; each region's page lists its
/// comuni province by province, every comune once in all, and no page of territories is over
/// 300 KB.
fn every_comune_is_listed_once_by_region(release: &std::path::Path) {
    let index = read_light_page(&release.join("territori.html"));
    assert_eq!(index.matches("<li><a href=\"#regione-").count(), 20);
    assert!(index.contains("<a href=\"territori/08.html#provincia-035\">42 comuni</a>"));
    let mut listed: BTreeMap<String, usize> = BTreeMap::new();
    let regions = std::fs::read_dir(release.join("territori")).unwrap();
    let mut pages = 0;
    for entry in regions {
        let text = read_light_page(&entry.unwrap().path());
        count_comuni(&text, &mut listed);
        pages += 1;
    }
    assert_eq!(pages, 20);
    assert_eq!(listed.len(), 7901);
    assert!(listed.values().all(|&count| count == 1));
    let mut largest = 0;
    for entry in std::fs::read_dir(release.join("territorio")).unwrap() {
        largest = largest.max(std::fs::metadata(entry.unwrap().path()).unwrap().len());
    }
    assert!(largest < 300_000, "a territory page of {largest} bytes");
}

/// A page of the site, read after checking it is under the 300 KB no page may exceed.
fn read_light_page(path: &std::path::Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(
        text.len() < 300_000,
        "{}: {} bytes",
        path.display(),
        text.len()
    );
    text
}

/// `progetti.html` sums the PA digitale applications by region and links a page per region
/// (`progetti/pnrr-<code>.html`) listing its comuni, every comune with applications once in
/// all; no page of the projects (`progetti.html`, `progetti/`, `progetto/`) is over 300 KB.
fn the_projects_pages_are_light_and_list_every_comune_once(release: &std::path::Path) {
    let index = read_light_page(&release.join("progetti.html"));
    assert_eq!(index.matches("<a href=\"progetti/pnrr-").count(), 20);
    let mut listed: BTreeMap<String, usize> = BTreeMap::new();
    for folder in ["progetti", "progetto"] {
        let Ok(entries) = std::fs::read_dir(release.join(folder)) else {
            continue;
        };
        for entry in entries {
            let text = read_light_page(&entry.unwrap().path());
            count_comuni(&text, &mut listed);
        }
    }
    assert!(listed.len() > 7800, "{} comuni", listed.len());
    assert!(listed.values().all(|&count| count == 1));
}

/// Counts the comuni a page links (`territorio/<six digits>.html`).
fn count_comuni(page: &str, listed: &mut BTreeMap<String, usize>) {
    for piece in page.split("territorio/").skip(1) {
        let code = &piece[..piece.find('.').unwrap()];
        if code.len() == 6 {
            *listed.entry(code.to_owned()).or_default() += 1;
        }
    }
}
