//! The real ISTAT files in `../shared/data/istat/` parse completely, in their native layouts
//! and encodings, with accented names intact.

mod common;

use std::path::Path;

use datavalley::fetch::{FetchOptions, Fetcher};
use datavalley::source::istat_population::IstatPopulationSource;
use datavalley::source::padigitale::{PadigitaleSource, ProjectRow};
use datavalley::source::territories::TerritoriesSource;
use datavalley::source::{IngestContext, Ingested, Location};
use datavalley::text::Encoding;

/// Reads with a fetcher that is never asked for a URL.
fn ingest(read: impl FnOnce(&IngestContext) -> datavalley::error::Result<Ingested>) -> Ingested {
    let cache = tempfile::tempdir().unwrap();
    let fetcher = Fetcher::new(FetchOptions {
        cache_dir: cache.path().to_path_buf(),
        offline: true,
        accept_shrink: false,
    });
    read(&IngestContext::new(&fetcher, u64::MAX)).unwrap()
}

fn file(data: &Path, relative: &str) -> Location {
    Location::File(data.join(relative))
}

#[test]
fn the_2023_list_of_comuni_parses_completely() {
    let Some(data) = common::shared_data() else {
        return;
    };
    let source = TerritoriesSource {
        location: file(
            &data,
            "istat/Elenco-comuni-italiani_2023-11_paolovolterra.csv",
        ),
        encoding: Encoding::Auto,
        separator: b';',
    };
    let ingested = ingest(|context| source.ingest("comuni", context));
    assert!(
        ingested.findings.is_empty(),
        "{:#?}",
        &ingested.findings[..ingested.findings.len().min(5)]
    );
    assert_eq!(ingested.comuni.len(), 7_901);
    let name = |code: &str| {
        ingested
            .comuni
            .iter()
            .find(|c| c.code == code)
            .map(|c| c.name.clone())
    };
    assert_eq!(name("040012").as_deref(), Some("Forlì"));
    assert_eq!(name("035039").as_deref(), Some("Sant'Ilario d'Enza"));
    assert_eq!(name("023063").as_deref(), Some("Roncà"));
    let bibbiano = ingested.comuni.iter().find(|c| c.code == "035004").unwrap();
    assert_eq!(
        (
            bibbiano.province_code.as_str(),
            bibbiano.province_name.as_str(),
            bibbiano.region_code.as_str()
        ),
        ("035", "Reggio nell'Emilia", "08")
    );
    let roma = ingested.comuni.iter().find(|c| c.code == "058091").unwrap();
    assert_eq!(
        roma.province_code, "058",
        "the historical province code, not the metropolitan city's 258"
    );
}

#[test]
fn the_2020_list_of_comuni_parses_completely() {
    let Some(data) = common::shared_data() else {
        return;
    };
    let path = data.join("istat/Elenco-comuni-italiani_2020-05_kpellizzi.csv");
    let source = TerritoriesSource {
        location: Location::File(path.clone()),
        encoding: Encoding::Auto,
        separator: b';',
    };
    let ingested = ingest(|context| source.ingest("comuni", context));
    assert!(
        ingested.findings.is_empty(),
        "{:#?}",
        &ingested.findings[..ingested.findings.len().min(5)]
    );
    let text = std::fs::read_to_string(&path).unwrap();
    // One header spread over three lines by two quoted line breaks, no final newline.
    assert_eq!(ingested.comuni.len(), text.lines().count() - 3);
    assert!(ingested.comuni.iter().any(|c| c.name == "Forlì"));
}

#[test]
fn the_2021_population_by_comune_parses_completely() {
    let Some(data) = common::shared_data() else {
        return;
    };
    let source = IstatPopulationSource {
        location: file(&data, "istat/ISTAT_popolazione_2021.csv"),
        title: None,
        encoding: Encoding::Auto,
        period: Some("2021".into()),
    };
    let ingested = ingest(|context| source.ingest("popolazione", context));
    assert!(
        ingested.findings.is_empty(),
        "{:#?}",
        &ingested.findings[..ingested.findings.len().min(5)]
    );
    let totals: Vec<_> = ingested
        .observations
        .iter()
        .filter(|o| &*o.measure == "population_total")
        .collect();
    assert_eq!(totals.len(), 7_903);
    assert_eq!(totals.iter().map(|o| o.value).sum::<f64>(), 59_257_566.0);
    let val_d_enza = [
        "035004", "035010", "035017", "035018", "035022", "035027", "035038", "035039",
    ];
    let union: f64 = totals
        .iter()
        .filter(|o| val_d_enza.contains(&&*o.territory))
        .map(|o| o.value)
        .sum();
    assert_eq!(union, 62_379.0);
    assert!(
        totals
            .iter()
            .all(|o| o.territory.len() == 6 && &*o.period == "2021")
    );
}

#[test]
fn a_posas_file_counts_each_comune_once() {
    let Some(data) = common::shared_data() else {
        return;
    };
    let file = data.join("istat/posas/POSAS_2025_it_097_Lecco.EXCERPT_first_comune.csv");
    let source = IstatPopulationSource {
        location: Location::File(file.clone()),
        title: None,
        encoding: Encoding::Auto,
        period: None,
    };
    let ingested = ingest(|context| source.ingest("posas", context));
    assert!(ingested.findings.is_empty(), "{:#?}", ingested.findings);
    let value = |measure: &str| {
        ingested
            .observations
            .iter()
            .find(|o| &*o.measure == measure && &*o.territory == "097001")
            .map(|o| o.value)
            .unwrap()
    };
    // The file's own total row (Età 999) is the reference; the ages must add up to it.
    let text = std::fs::read_to_string(&file).unwrap();
    let total_row = text.lines().find(|l| l.contains(";999;")).unwrap();
    let stated: f64 = total_row
        .rsplit(';')
        .next()
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert_eq!(value("population_total"), stated);
    assert_eq!(
        value("population_female") + value("population_male"),
        stated
    );
    let adults = value("population_18_and_over");
    assert!(adults > 0.0 && adults < stated);
    assert!(ingested.observations.iter().all(|o| &*o.period == "2025"));
}

const VAL_D_ENZA: [&str; 8] = [
    "035004", "035010", "035017", "035018", "035022", "035027", "035038", "035039",
];

fn padigitale(data: &Path, files: &[&str]) -> Ingested {
    let source = PadigitaleSource {
        locations: files
            .iter()
            .map(|f| file(data, &format!("padigitale2026/{f}")))
            .collect(),
        period: None,
        title: "PA digitale 2026".into(),
        complete_for: None,
    };
    ingest(|context| source.ingest("pnrr", context))
}

#[test]
fn every_row_of_the_pa_digitale_files_is_used_or_reported() {
    let Some(data) = common::shared_data() else {
        return;
    };
    for name in [
        "candidature_finanziate_11.csv",
        "candidature_finanziate_12.csv",
        "candidature_finanziate_131.csv",
        "candidature_finanziate_141.csv",
        "candidature_finanziate_143.csv",
        "candidature_finanziate_144.csv",
        "candidature_finanziate_145.csv",
        "candidature_finanziate_145.2023-12.csv",
        "candidature_altrienti_finanziate.csv",
    ] {
        let ingested = padigitale(&data, &[name]);
        let rows = ingested.read[0].rows;
        let reported: Vec<usize> = ingested.findings.iter().filter_map(|f| f.row).collect();
        let mut accounted: Vec<usize> = ingested
            .pnrr_projects
            .rows()
            .unwrap()
            .map(|p| p.row)
            .chain(reported.iter().copied())
            .collect();
        accounted.sort_unstable();
        accounted.dedup();
        assert_eq!(
            accounted.len(),
            rows,
            "{name}: {rows} rows, {} accounted for",
            accounted.len()
        );
        assert!(
            ingested
                .findings
                .iter()
                .all(|f| f.severity == datavalley::validate::Severity::Warning),
            "{name}: {:#?}",
            ingested
                .findings
                .iter()
                .filter(|f| f.severity == datavalley::validate::Severity::Error)
                .take(3)
                .collect::<Vec<_>>()
        );
        // Rows without a comune code are reported by row; nothing else is dropped.
        assert!(
            ingested
                .findings
                .iter()
                .filter(|f| f.row.is_some())
                .all(|f| f.rule == "no_comune_code"),
            "{name}"
        );
    }
    // The 1.2 file of 2023 has no status date and its body type at the end: read by name.
    let cloud = padigitale(&data, &["candidature_finanziate_12.csv"]);
    assert!(cloud.findings.iter().any(
        |f| f.rule == "missing_column" && f.column.as_deref() == Some("data_stato_candidatura")
    ));
    assert!(
        cloud
            .pnrr_projects
            .rows()
            .unwrap()
            .any(|p| p.comune_body && p.measure == "1.2")
    );
}

#[test]
fn the_two_snapshots_of_measure_1_4_5_show_the_growth_in_val_d_enza() {
    let Some(data) = common::shared_data() else {
        return;
    };
    fn of_union(ingested: &Ingested) -> Vec<ProjectRow<'_>> {
        ingested
            .pnrr_projects
            .rows()
            .unwrap()
            .filter(|p| VAL_D_ENZA.contains(&p.comune))
            .collect()
    }
    let older = padigitale(&data, &["candidature_finanziate_145.2023-12.csv"]);
    let older = of_union(&older);
    let newer = padigitale(&data, &["candidature_finanziate_145.csv"]);
    let newer = of_union(&newer);
    // December 2023: one application per comune, from the September 2022 call; August 2026:
    // a second one each, from the May 2024 call.
    assert_eq!(older.len(), 8);
    assert_eq!(newer.len(), 16);
    let comuni = |projects: &[ProjectRow]| {
        projects
            .iter()
            .map(|p| p.comune)
            .collect::<std::collections::BTreeSet<_>>()
            .len()
    };
    assert_eq!((comuni(&older), comuni(&newer)), (8, 8));
    assert!(newer.iter().any(|p| p.call.contains("maggio 2024")));
    assert!(!older.iter().any(|p| p.call.contains("maggio 2024")));
}

fn sdmx(data: &Path, file_name: &str, split_by: &[&str]) -> Ingested {
    let source = datavalley::source::istat_sdmx::IstatSdmxSource {
        location: file(data, &format!("istat/sdmx/{file_name}")),
        measure: "value".into(),
        unit: "n.".into(),
        title: "ISTAT".into(),
        split_by: split_by.iter().map(|s| s.to_string()).collect(),
        area_dimension: None,
    };
    ingest(|context| source.ingest("sdmx", context))
}

#[test]
fn istat_sdmx_messages_are_read_in_all_three_forms() {
    let Some(data) = common::shared_data() else {
        return;
    };
    // Structure-specific SDMX-ML: population of Italy by sex, 2019-2022.
    let specific = sdmx(&data, "22_289.xml", &["SEX"]);
    assert!(specific.findings.is_empty(), "{:#?}", specific.findings);
    let value = |ingested: &Ingested, measure: &str, period: &str| {
        ingested
            .observations
            .iter()
            .find(|o| &*o.measure == measure && &*o.period == period && &*o.territory == "IT")
            .map(|o| o.value)
    };
    assert_eq!(specific.observations.len(), 8);
    assert_eq!(value(&specific, "value_sex_1", "2021"), Some(28_866_226.0));
    assert_eq!(value(&specific, "value_sex_2", "2022"), Some(30_235_705.0));
    // Without splitting on SEX, two values would share one measure: refused, with the reason.
    let ambiguous = sdmx(&data, "22_289.xml", &[]);
    assert!(
        ambiguous
            .findings
            .iter()
            .any(|f| f.rule == "ambiguous_dimension" && f.column.as_deref() == Some("SEX"))
    );
    assert!(ambiguous.observations.is_empty());

    // Generic SDMX-ML from esploradati.istat.it: codes of comuni stay text.
    let generic = sdmx(
        &data,
        "recorded_b1957b05ba522041.xml",
        &[
            "DATA_TYPE",
            "TYPE_SOCIO_EDUC_SERVICE",
            "TYPE_MANAGEMENT",
            "HOLDER_SECTOR_PUBPRIV",
        ],
    );
    assert!(
        generic
            .findings
            .iter()
            .all(|f| f.rule != "ambiguous_dimension"),
        "{:#?}",
        generic.findings
    );
    assert!(!generic.observations.is_empty());
    assert!(
        generic
            .observations
            .iter()
            .all(|o| &*o.territory == "001001" || &*o.territory == "001002")
    );
    assert!(generic.observations.iter().any(|o| &*o.period == "2013"));

    // SDMX-CSV from the older endpoint, whose territory dimension is ITTER107.
    let csv = sdmx(&data, "esempi_filtro_esempio02.csv", &[]);
    assert!(csv.findings.is_empty(), "{:#?}", csv.findings);
    let first = csv
        .observations
        .iter()
        .find(|o| &*o.period == "2001")
        .unwrap();
    assert_eq!((&*first.territory, first.value), ("082053", 3764.0));

    // A structure message is not data.
    let structure = sdmx(&data, "22_289-structure.xml", &[]);
    assert!(
        structure
            .findings
            .iter()
            .any(|f| f.rule == "unreadable_sdmx")
    );
}
