//! The citizens' site of the sample release: snapshots of a territory page, a chart, a
//! dataset page, a project page and a stacked bar; the projects index and its filter pages;
//! text from data escaped in pages and charts; and the browser checks (axe, requests, links,
//! chart names, maps' tables, styled classes, fonts, file://) in Debian's Chromium, which also
//! save screenshots, on the sample and on 200 national pages; the W3C HTML checker on the same
//! pages; the purged CSS up to date (Lighthouse is `tests/lighthouse.rs`).

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{browser, publish, publish_sample, repo, stderr};

#[test]
fn pages_and_charts_match_their_snapshots() {
    let (_output, release) = publish_sample();
    let read = |path: &str| {
        std::fs::read_to_string(release.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    };
    insta::assert_snapshot!(
        "territory_page_val_d_enza",
        read("territorio/val_d_enza.html")
    );
    // A chart downloads as the SVG the page shows, and its data as CSV, from data URLs.
    let union_page = read("territorio/val_d_enza.html");
    let svg = download(
        &union_page,
        "val_d_enza-wifi_access_points_per_1000_residents.svg",
    );
    assert!(union_page.contains(&svg));
    insta::assert_snapshot!("chart_wifi_access_points", svg);
    let csv = download(
        &union_page,
        "val_d_enza-wifi_access_points_per_1000_residents.csv",
    );
    assert!(csv.starts_with("territorio,"), "{csv}");
    assert!(csv.contains("Unione Val d'Enza,2.29"), "{csv}");
    insta::assert_snapshot!("dataset_page_indicatori", read("dataset/indicatori.html"));
    // A project page: Arezzo's plan, its yearly targets drawn against results still to come.
    insta::assert_snapshot!(
        "project_page_techdiversity_arezzo",
        read("progetto/techdiversity_arezzo.html")
    );
    // Bibbiano's PA digitale applications by status, as one stacked bar.
    let bibbiano = read("territorio/035004.html");
    let stacked = download(&bibbiano, "035004-pa-digitale.svg");
    assert!(bibbiano.contains(&stacked));
    insta::assert_snapshot!("chart_pa_digitale_bibbiano", stacked);
    // A challenge page maps the comuni of the province, the union's with their values, the
    // others hatched; the map downloads as its own SVG and CSV files.
    let map = read("mappe/sfida3-pnrr_funding_per_resident-comuni.svg");
    insta::assert_snapshot!("map_pnrr_funding_per_resident", map);
    let challenge = read("sfida/3.html");
    assert!(challenge.contains("download=\"sfida3-pnrr_funding_per_resident-comuni.svg\""));
    assert!(challenge.contains("mappe&#x2f;sfida3-pnrr_funding_per_resident-comuni.csv"));
    assert_eq!(challenge.matches("<path id=\"mc-").count(), 42);
    let map_csv = read("mappe/sfida3-pnrr_funding_per_resident-comuni.csv");
    assert!(
        map_csv.starts_with("territorio,codice,valore,unita,classe\n"),
        "{map_csv}"
    );
    assert!(map_csv.contains("Albinea,035001,,"), "{map_csv}");
    // Every page the navigation names exists, with Italian text and one h1.
    for page in [
        "index.html",
        "sfide.html",
        "sfida/5.html",
        "territori.html",
        "progetti.html",
        "dati.html",
    ] {
        let html = read(page);
        assert!(
            html.starts_with("<!doctype html>\n<html lang=\"it\">"),
            "{page}"
        );
        assert_eq!(html.matches("<h1").count(), 1, "{page}");
    }
    let union = read("territorio/val_d_enza.html");
    assert!(
        union.contains(
            "2,29 ogni 1.000 abitanti, contro 2,96 della provincia di Reggio nell&#x27;Emilia."
        ),
        "{union}"
    );
    let arezzo = read("progetto/techdiversity_arezzo.html");
    assert!(
        arezzo.contains("da rilevare (obiettivo almeno 5)"),
        "the targets of Arezzo's action plan"
    );
    assert!(read("progetti.html").contains("<a href=\"progetti/pnrr-08.html\">Emilia-Romagna</a>"));
    assert!(read("progetti/pnrr-08.html").contains(">Bibbiano</a></th><td>6</td><td>224.280</td>"));
    let dataset = read("dataset/indicatori.html");
    assert!(dataset.contains("Scarica i dati (CSV, ") && dataset.contains("SHA-256"));
    for asset in [
        "assets/css/bootstrap-italia.min.css",
        "assets/css/datavalley.css",
        "assets/fonts/titillium-web-v10-latin-ext_latin-regular.woff2",
    ] {
        assert!(release.join(asset).is_file(), "{asset}");
    }
}

#[test]
fn text_from_data_is_escaped_in_pages_and_charts() {
    let output = tempfile::tempdir().unwrap();
    let release = publish("tests/fixtures/kinds/pipeline.toml", "kinds", output.path());
    let mut pages = 0;
    let mut stack = vec![release.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("html" | "svg")
            ) {
                pages += 1;
                let text = std::fs::read_to_string(&path).unwrap();
                assert!(
                    !text.contains("<script"),
                    "{} has a script element",
                    path.display()
                );
            }
        }
    }
    assert!(pages > 5);
    let projects = std::fs::read_to_string(release.join("progetti.html")).unwrap();
    assert!(
        projects.contains("Formazione digitale &lt;script&gt;alert(1)&lt;&#x2f;script&gt;"),
        "{projects}"
    );
    // The project's own page, and the cronoprogramma as it downloads (inline, the walk above
    // read it).
    let page = std::fs::read_to_string(release.join("progetto/formazione_digitale.html")).unwrap();
    for escaped in [
        "<h1>Formazione digitale &lt;script&gt;alert(1)&lt;&#x2f;script&gt;</h1>",
        "Corsi &lt;script&gt;alert(2)&lt;&#x2f;script&gt; &amp; laboratori",
        "<li>Associazione &lt;img src=x onerror=alert(3)&gt;</li>",
    ] {
        assert!(page.contains(escaped), "{escaped}\n{page}");
    }
    assert!(!page.contains("<img"), "{page}");
    let timeline = download(&projects, "cronoprogramma.svg");
    assert!(
        timeline.contains("Formazione digitale &lt;script&gt;alert(1)&lt;&#x2f;script&gt;")
            && !timeline.contains("<script"),
        "{timeline}"
    );
    // A shape the list has takes the list's name, not the boundaries file's; a shape it does
    // not have keeps the file's name, escaped in the map's titles.
    let comune = std::fs::read_to_string(release.join("territorio/035004.html")).unwrap();
    assert!(comune.contains("<title>Bibbiano</title>"), "{comune}");
    assert!(!comune.contains("alert(1)") && !comune.contains("<script"));
    assert!(comune.contains("figure class=\"dv-chart dv-map\""));
    let union = std::fs::read_to_string(release.join("territorio/unione_prova.html")).unwrap();
    assert!(union.contains("<title>Campegine</title>"), "{union}");
    assert!(!union.contains("<b>Co"));
    let province = std::fs::read_to_string(release.join("territorio/035.html")).unwrap();
    assert!(
        province.contains("<title>Fantasma &lt;i&gt;</title>"),
        "{province}"
    );
    assert!(!province.contains("Fantasma <i>"));
}

#[test]
fn a_rerun_that_keeps_the_boundaries_still_draws_the_maps() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&repo().join("tests/fixtures/kinds"), dir.path());
    let first = common::run_fixture(dir.path(), "2026-11-23T10:00:00Z", &[]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    // Only the pipeline's title changes: every source's kept result is reused.
    common::edit(
        &dir.path().join("pipeline.toml"),
        "title = \"Tutti i tipi di indicatore\"",
        "title = \"Tutti i tipi di indicatore, di nuovo\"",
    );
    let second = common::run_fixture(dir.path(), "2026-11-24T10:00:00Z", &[]);
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    let report = std::fs::read_to_string(dir.path().join("out/kinds/current/report.json")).unwrap();
    assert!(report.contains("\"reason\": \"unchanged\""), "{report}");
    let page = std::fs::read_to_string(dir.path().join("out/kinds/current/territorio/035004.html"))
        .unwrap();
    assert!(page.contains("figure class=\"dv-chart dv-map\""), "{page}");
    // The comune's own shape in the page, over its province's three drawn once for its pages.
    assert_eq!(page.matches("<path d=\"M").count(), 1, "{page}");
    assert!(
        page.contains("<img src=\"..&#x2f;mappe&#x2f;comuni-035.svg\" alt=\"\""),
        "{page}"
    );
    let backdrop =
        std::fs::read_to_string(dir.path().join("out/kinds/current/mappe/comuni-035.svg")).unwrap();
    assert_eq!(backdrop.matches("<path d=\"M").count(), 3, "{backdrop}");
}

#[test]
fn shapes_and_territories_that_do_not_match_are_reported_by_name() {
    let output = tempfile::tempdir().unwrap();
    let release = publish("tests/fixtures/kinds/pipeline.toml", "kinds", output.path());
    let report = std::fs::read_to_string(release.join("report.json")).unwrap();
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    let said = |rule: &str| -> Vec<String> {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == rule)
            .map(|f| format!("{} {}", f["severity"], f["message"]["text"]))
            .collect()
    };
    let unlisted = said("boundaries_not_listed");
    assert_eq!(unlisted.len(), 1, "{unlisted:?}");
    assert!(
        unlisted[0].starts_with("\"warning\"") && unlisted[0].contains("Fantasma <i> (035999)")
    );
    let missing = said("boundaries_no_shape");
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert!(missing[0].contains("Forlì (040012)"), "{missing:?}");
}

#[test]
fn the_projects_index_and_its_filters_list_exactly_their_projects() {
    let (_output, release) = publish_sample();
    let read = |path: &str| {
        std::fs::read_to_string(release.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    };
    let (header, records) = common::read_csv(&release.join("data/progetti.csv"));
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (id, territories, challenges) = (
        column("project"),
        column("territories"),
        column("challenges"),
    );
    let index = read("progetti.html");
    let mut expected: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for record in &records {
        let project = &record[id];
        assert!(
            index.contains(&format!("<a href=\"progetto/{project}.html\">")),
            "{project}"
        );
        let page = read(&format!("progetto/{project}.html"));
        assert!(
            page.contains("<a href=\"..&#x2f;progetti.html\">Progetti</a>"),
            "{project}"
        );
        let filters = record[challenges]
            .split("; ")
            .map(|n| format!("sfida-{n}"))
            .chain(
                record[territories]
                    .split("; ")
                    .map(|c| format!("territorio-{c}")),
            );
        for filter in filters {
            expected.entry(filter).or_default().insert(project.clone());
        }
    }
    assert_eq!(records.len(), 10);
    let mut listed: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for entry in std::fs::read_dir(release.join("progetti")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let Some(filter) = name
            .strip_suffix(".html")
            .filter(|n| !n.starts_with("pnrr-"))
        else {
            continue;
        };
        assert!(
            index.contains(&format!("<a href=\"progetti/{name}\">")),
            "{name}"
        );
        let page = read(&format!("progetti/{name}"));
        let projects = page
            .split("<a href=\"..&#x2f;progetto/")
            .skip(1)
            .map(|piece| piece[..piece.find(".html").unwrap()].to_owned());
        listed.insert(filter.to_owned(), projects.collect());
    }
    assert_eq!(listed, expected);
    // The cronoprogramma: the seven actions of the Val d'Enza strategy and Arezzo's plan.
    let timeline = download(&index, "cronoprogramma.csv");
    for action in 1..=7 {
        assert!(
            timeline.contains(&format!("\"Agenda Digitale Val d'Enza, azione {action}: ")),
            "{timeline}"
        );
    }
    assert!(
        timeline.contains(
            "\"Piano d'Azione Integrato (IAP) di Arezzo per TechDiversity\",2026,2030,previsto"
        ),
        "{timeline}"
    );
}

#[test]
fn the_site_passes_the_browser_checks_and_leaves_screenshots() {
    if !browser::tools_ready() {
        return;
    }
    let (_output, release) = publish_sample();
    let screenshots = repo().join("output/screenshots");
    let summary = browser::node(
        "tests/browser/check_site.mjs",
        &[
            release.to_str().unwrap(),
            screenshots.to_str().unwrap(),
            "home.png=index.html",
            "focus.png=territorio/val_d_enza.html",
            "challenge.png=sfida/3.html",
            "project.png=@project",
        ],
    );
    assert!(summary["pages"].as_u64().unwrap() > 20, "{summary}");
    assert!(summary["charts"].as_u64().unwrap() > 20, "{summary}");
    assert_eq!(summary["foreign"], 0);
    for shot in ["home.png", "focus.png", "challenge.png", "project.png"] {
        assert!(
            screenshots.join(shot).metadata().unwrap().len() > 10_000,
            "{shot}"
        );
    }
}

#[test]
fn every_page_of_the_sample_is_valid_html() {
    if !browser::tools_ready() {
        return;
    }
    let (_output, release) = publish_sample();
    let summary = browser::node("tests/browser/check_html.mjs", &[release.to_str().unwrap()]);
    assert!(summary["pages"].as_u64().unwrap() > 20, "{summary}");
    assert_eq!(summary["errors"], 0, "{summary}");
}

/// 200 pages of the national release, every kind of page (`tests/browser/release.mjs` chooses
/// them): valid HTML, and the browser checks of the sample; a screenshot of the national home.
#[test]
#[cfg_attr(
    shared_data_absent,
    ignore = "skipped: ../shared/data (the real public files) is absent"
)]
fn national_pages_are_valid_html_and_pass_the_browser_checks() {
    if common::shared_data().is_none() || !browser::tools_ready() {
        return;
    }
    let output = tempfile::tempdir().unwrap();
    let release = publish("pipelines/italia.toml", "italia", output.path());
    let release = release.to_str().unwrap();
    let html = browser::node("tests/browser/check_html.mjs", &[release, "200"]);
    assert_eq!(html["pages"], 200, "{html}");
    assert_eq!(html["errors"], 0, "{html}");
    let screenshots = repo().join("output/screenshots");
    let summary = browser::node(
        "tests/browser/check_site.mjs",
        &[
            release,
            screenshots.to_str().unwrap(),
            "--sample",
            "200",
            "italia-home.png=index.html",
        ],
    );
    assert_eq!(summary["pages"], 200, "{summary}");
    assert_eq!(summary["foreign"], 0);
    assert!(screenshots.join("italia-home.png").is_file());
}

/// The Bootstrap Italia rules the release ships are what `tools/purge-css.mjs` keeps for the
/// templates and the site's code as they are now: a class added without rerunning it fails.
#[test]
fn the_shipped_css_is_purged_from_the_current_templates() {
    if !browser::tools_ready() {
        return;
    }
    browser::node("tools/purge-css.mjs", &["--check"]);
}

/// The decoded body of the data-URL link that downloads `name` from a page.
fn download(page: &str, name: &str) -> String {
    use base64::Engine;
    let marker = format!("\" download=\"{name}\"");
    let end = page
        .find(&marker)
        .unwrap_or_else(|| panic!("no download of {name}"));
    let start = page[..end].rfind("href=\"").unwrap() + "href=\"".len();
    let url = &page[start..end];
    let encoded = url.split_once(";base64,").unwrap().1;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .unwrap();
    String::from_utf8(bytes).unwrap()
}
