//! Every source layout and indicator kind on one fixture: a wide Windows-1252 file with `;`,
//! decimal commas, a title line and a footer; project records in TOML and JSON; mean, sum,
//! share, value and target indicators, with province benchmarks.

mod common;

use common::{datavalley, repo, stderr};

#[test]
fn every_kind_computes_as_declared() {
    let output = tempfile::tempdir().unwrap();
    let result = datavalley(
        &repo(),
        &[
            "run",
            "tests/fixtures/kinds/pipeline.toml",
            "--output-dir",
            output.path().to_str().unwrap(),
            "--run-time",
            "2026-11-23T10:00:00Z",
        ],
    );
    assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
    let data = output.path().join("kinds/current/data");
    let indicators = std::fs::read_to_string(data.join("indicatori.csv")).unwrap();
    // Decimal commas and thousands separators, accented names from Windows-1252.
    assert!(
        indicators
            .contains("040012,Forlì,comune,5,spesa_digitale,Spesa digitale,value,2023,1234567.25,")
    );
    // The union's mean is the sum over its comuni divided by their number, with the province
    // as benchmark; progress towards a target only where a year has both.
    assert!(indicators.contains("unione_prova,Unione di prova,union,5,servizi_medi,Servizi interattivi in media per comune,mean,2023,14.5,servizi per comune,1,29.0,2.0,comuni del territorio,\"Comuni, servizi digitali 2023\",035,14.5,,"));
    assert!(indicators.contains("target,2024,110.0,% dell'obiettivo,0,165.0,150.0,"));
    assert!(!indicators.contains("target,2025"));
    insta::assert_snapshot!("kinds_indicatori_csv", indicators);
    let kpis = std::fs::read_to_string(data.join("risultati.csv")).unwrap();
    insta::assert_snapshot!("kinds_risultati_csv", kpis);
    let index = std::fs::read_to_string(output.path().join("kinds/current/dati.html")).unwrap();
    assert!(index.contains("Scarica i dati (CSV,"), "{index}");
}

#[test]
fn a_direct_count_that_disagrees_with_its_comuni_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&repo().join("tests/fixtures/kinds"), dir.path());
    let servizi = dir.path().join("servizi.csv");
    let mut bytes = std::fs::read(&servizi).unwrap();
    let footer = bytes.iter().rposition(|&b| b == b'F').unwrap();
    bytes.splice(footer..footer, b"unione_prova;Unione;30;\n".iter().copied());
    std::fs::write(&servizi, bytes).unwrap();
    let result = datavalley(dir.path(), &["run", "pipeline.toml", "--output-dir", "out"]);
    assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
    let text = stderr(&result);
    assert!(
        text.contains("warning[sum_mismatch]: indicator `servizi_totali`: unione_prova in 2023 has `interactive_services` = 30 but its comuni add up to 29"),
        "{text}"
    );
    assert!(
        text.contains("warning[missing_value] servizi.csv, row 4, column `Spesa digitale (euro)`"),
        "{text}"
    );
}

#[test]
fn a_project_that_names_an_unknown_territory_is_told_the_code_it_may_mean() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&repo().join("tests/fixtures/kinds"), dir.path());
    let record = dir.path().join("progetti/sportelli.toml");
    let text = std::fs::read_to_string(&record).unwrap();
    std::fs::write(
        &record,
        text.replace("territories = [\"035004\"]", "territories = [\"35004\"]"),
    )
    .unwrap();
    let result = datavalley(dir.path(), &["run", "pipeline.toml", "--output-dir", "out"]);
    let text = stderr(&result);
    assert_eq!(result.status.code(), Some(1), "{text}");
    assert!(
        text.contains("names territory 35004, which is not known; did you mean 035004 ("),
        "{text}"
    );
}
