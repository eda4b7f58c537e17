//! The real ISTAT files in `../shared/data/istat/` parse completely, in their native layouts
//! and encodings, with accented names intact.

mod common;

use datavalley::source::istat_population::IstatPopulationSource;
use datavalley::source::territories::TerritoriesSource;
use datavalley::text::Encoding;

#[test]
fn the_2023_list_of_comuni_parses_completely() {
    let Some(data) = common::shared_data() else {
        return;
    };
    let source = TerritoriesSource {
        file: data.join("istat/Elenco-comuni-italiani_2023-11_paolovolterra.csv"),
        encoding: Encoding::Auto,
        separator: b';',
    };
    let ingested = source.ingest("comuni").unwrap();
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
    let source = TerritoriesSource {
        file: data.join("istat/Elenco-comuni-italiani_2020-05_kpellizzi.csv"),
        encoding: Encoding::Auto,
        separator: b';',
    };
    let ingested = source.ingest("comuni").unwrap();
    assert!(
        ingested.findings.is_empty(),
        "{:#?}",
        &ingested.findings[..ingested.findings.len().min(5)]
    );
    let text = std::fs::read_to_string(&source.file).unwrap();
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
        file: data.join("istat/ISTAT_popolazione_2021.csv"),
        title: None,
        encoding: Encoding::Auto,
        period: Some("2021".into()),
    };
    let ingested = source.ingest("popolazione").unwrap();
    assert!(
        ingested.findings.is_empty(),
        "{:#?}",
        &ingested.findings[..ingested.findings.len().min(5)]
    );
    let totals: Vec<_> = ingested
        .observations
        .iter()
        .filter(|o| o.measure == "population_total")
        .collect();
    assert_eq!(totals.len(), 7_903);
    assert_eq!(totals.iter().map(|o| o.value).sum::<f64>(), 59_257_566.0);
    let val_d_enza = [
        "035004", "035010", "035017", "035018", "035022", "035027", "035038", "035039",
    ];
    let union: f64 = totals
        .iter()
        .filter(|o| val_d_enza.contains(&o.territory.as_str()))
        .map(|o| o.value)
        .sum();
    assert_eq!(union, 62_379.0);
    assert!(
        totals
            .iter()
            .all(|o| o.territory.len() == 6 && o.period == "2021")
    );
}

#[test]
fn a_posas_file_counts_each_comune_once() {
    let Some(data) = common::shared_data() else {
        return;
    };
    let file = data.join("istat/posas/POSAS_2025_it_097_Lecco.EXCERPT_first_comune.csv");
    let source = IstatPopulationSource {
        file: file.clone(),
        title: None,
        encoding: Encoding::Auto,
        period: None,
    };
    let ingested = source.ingest("posas").unwrap();
    assert!(ingested.findings.is_empty(), "{:#?}", ingested.findings);
    let value = |measure: &str| {
        ingested
            .observations
            .iter()
            .find(|o| o.measure == measure && o.territory == "097001")
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
    assert!(ingested.observations.iter().all(|o| o.period == "2025"));
}
