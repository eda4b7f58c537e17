//! `datavalley explain` against the published table: for the SPID indicator of the Unione Val
//! d'Enza (a ratio with a published figure that disagrees), a union sum, and a province ratio
//! of the national pipeline, the numerator and denominator it gives are the table's, and the
//! observations it lists add up to them.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{datavalley, datavalley_in, read_csv, repo, shared_data, stderr, stdout};

const RUN_TIME: &str = "2026-11-23T10:00:00Z";

fn run(pipeline: &str, output: &Path) {
    common::run_pipeline(&repo(), pipeline, output, RUN_TIME);
}

/// `datavalley explain`: as JSON, or as the Italian lines an officer reads by default.
fn explain(pipeline: &str, output: &Path, args: &[&str], json: bool) -> String {
    let mut all = vec!["explain", pipeline];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--output-dir", output.to_str().unwrap()]);
    if json {
        all.extend_from_slice(&["--log-format", "json"]);
    }
    let result = datavalley_in("it_IT.UTF-8", &repo(), &all);
    assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
    stdout(&result)
}

/// The published row of an indicator for a territory (and period, when given).
fn published_row(
    file: &Path,
    indicator: &str,
    territory: &str,
    period: &str,
) -> BTreeMap<String, String> {
    let (header, rows) = read_csv(file);
    rows.into_iter()
        .map(|row| header.iter().cloned().zip(row).collect::<BTreeMap<_, _>>())
        .find(|row| {
            row["indicator"] == indicator
                && row["territory"] == territory
                && row["period"] == period
        })
        .unwrap_or_else(|| panic!("no row {indicator} {territory} {period}"))
}

fn number(row: &BTreeMap<String, String>, column: &str) -> f64 {
    row[column].parse().unwrap()
}

/// A term's value, and the sum of the observations it lists.
fn term(explained: &serde_json::Value, role: &str) -> (f64, f64, usize) {
    let term = explained["explanation"]["terms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["role"] == role)
        .unwrap_or_else(|| panic!("no {role} in {explained}"));
    let contributions = term["contributions"].as_array().unwrap();
    let sum = contributions
        .iter()
        .map(|c| c["value"].as_f64().unwrap())
        .sum();
    (term["value"].as_f64().unwrap(), sum, contributions.len())
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(1.0)
}

#[test]
fn the_spid_ratio_and_a_union_sum_of_the_sample_add_up_to_the_table() {
    let output = tempfile::tempdir().unwrap();
    let pipeline = "pipelines/val-d-enza.toml";
    run(pipeline, output.path());
    let table = output.path().join("val-d-enza/current/data/indicatori.csv");

    let spid = "spid_per_100_residents_recomputed";
    let text = explain(pipeline, output.path(), &[spid, "val_d_enza"], true);
    let explained: serde_json::Value = serde_json::from_str(&text).unwrap();
    let period = explained["explanation"]["period"].as_str().unwrap();
    let row = published_row(&table, spid, "val_d_enza", period);
    let (numerator, listed, _) = term(&explained, "numerator");
    assert!(close(numerator, number(&row, "numerator")) && close(listed, numerator));
    let (denominator, listed, members) = term(&explained, "denominator");
    assert_eq!(members, 8, "the eight comuni's residents are summed");
    assert!(close(denominator, number(&row, "denominator")) && close(listed, denominator));
    assert_eq!(denominator, 62379.0);
    assert!(close(
        explained["explanation"]["published_value"]
            .as_f64()
            .unwrap(),
        number(&row, "value")
    ));
    let check = &explained["explanation"]["check"];
    assert_eq!(
        (check["published"].as_f64(), check["agrees"].as_bool()),
        (Some(4.52), Some(false))
    );

    let human = explain(pipeline, output.path(), &[spid, "Unione Val d'Enza"], false);
    for expected in [
        "Formula: `spid_identities_lepida` / `population_total` × 100",
        "Verifica:",
        "4,52",
        "Fonte ",
    ] {
        assert!(human.contains(expected), "{expected:?} in {human}");
    }
    let english = explain(
        pipeline,
        output.path(),
        &[spid, "val_d_enza", "--lang", "en"],
        false,
    );
    for expected in [
        "Formula: `spid_identities_lepida` / `population_total` × 100",
        "Numerator 2,355, denominator 62,379",
        "Check: ",
        "recomputed 3.78 from 2,355 over 62,379",
        "DISAGREES",
    ] {
        assert!(english.contains(expected), "{expected:?} in {english}");
    }
    assert!(!english.contains("Verifica"), "{english}");

    let funding = "pnrr_funding";
    let text = explain(pipeline, output.path(), &[funding, "val_d_enza"], true);
    let explained: serde_json::Value = serde_json::from_str(&text).unwrap();
    let period = explained["explanation"]["period"].as_str().unwrap();
    let row = published_row(&table, funding, "val_d_enza", period);
    let (value, listed, members) = term(&explained, "measure");
    assert_eq!(members, 8);
    assert!(
        close(value, number(&row, "value")) && close(listed, value),
        "{value} {listed}"
    );
}

#[test]
fn a_mistyped_indicator_or_territory_is_a_usage_error_with_a_hint() {
    let output = tempfile::tempdir().unwrap();
    let pipeline = "pipelines/val-d-enza.toml";
    let result = datavalley(
        &repo(),
        &[
            "explain",
            pipeline,
            "pnrr_fundin",
            "val_d_enza",
            "--output-dir",
            output.path().to_str().unwrap(),
        ],
    );
    assert_eq!(result.status.code(), Some(2));
    assert!(
        stderr(&result).contains("did you mean `pnrr_funding`?"),
        "{}",
        stderr(&result)
    );
    let result = datavalley(
        &repo(),
        &[
            "explain",
            pipeline,
            "pnrr_funding",
            "35004",
            "--output-dir",
            output.path().to_str().unwrap(),
        ],
    );
    assert_eq!(result.status.code(), Some(2));
    assert!(
        stderr(&result).contains("did you mean 035004"),
        "{}",
        stderr(&result)
    );
}

#[test]
#[cfg_attr(
    shared_data_absent,
    ignore = "skipped: ../shared/data (the real public files) is absent"
)]
fn a_national_province_ratio_adds_up_to_the_table() {
    let Some(_) = shared_data() else { return };
    let output = tempfile::tempdir().unwrap();
    let pipeline = "pipelines/italia.toml";
    run(pipeline, output.path());
    let table = output.path().join("italia/current/data/indicatori.csv");
    let indicator = "pnrr_funding_per_resident";
    let text = explain(pipeline, output.path(), &[indicator, "035"], true);
    let explained: serde_json::Value = serde_json::from_str(&text).unwrap();
    let period = explained["explanation"]["period"].as_str().unwrap();
    let row = published_row(&table, indicator, "035", period);
    let (numerator, listed, members) = term(&explained, "numerator");
    assert_eq!(
        members, 42,
        "the 42 comuni of the province of Reggio nell'Emilia"
    );
    assert!(close(numerator, number(&row, "numerator")) && close(listed, numerator));
    let (denominator, listed, _) = term(&explained, "denominator");
    assert!(close(denominator, number(&row, "denominator")) && close(listed, denominator));
    let region = &explained["explanation"]["benchmarks"][0];
    assert_eq!(region["territory"], "08");
    assert!(close(
        region["value"].as_f64().unwrap(),
        number(&row, "region_value")
    ));
}
