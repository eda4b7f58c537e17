//! The sample pipeline end to end: the published figures of the Val d'Enza profile, the
//! recomputed checks, aggregates from members, and reproducible outputs.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{datavalley, read_csv, repo, stderr};

const RUN_TIME: &str = "2026-11-23T10:00:00Z";

/// Runs the sample pipeline into a fresh output folder and returns it.
fn run_sample(output: &Path) -> std::process::Output {
    common::run_pipeline(&repo(), "pipelines/val-d-enza.toml", output, RUN_TIME)
}

type Row = BTreeMap<String, String>;

fn indicator_rows(output: &Path) -> Vec<Row> {
    let (header, rows) = read_csv(&output.join("val-d-enza/current/data/indicatori.csv"));
    rows.into_iter()
        .map(|row| header.iter().cloned().zip(row).collect())
        .collect()
}

/// "13,20" -> (13.2, 2); "3.348" -> (3348.0, 0): the figure and the decimals it is printed with.
fn printed(text: &str) -> (f64, u8) {
    let plain = text.replace('.', "");
    let decimals = plain.split_once(',').map_or(0, |(_, f)| f.len() as u8);
    (plain.replace(',', ".").parse().unwrap(), decimals)
}

fn rounded(value: f64, decimals: u8) -> f64 {
    let factor = 10f64.powi(i32::from(decimals));
    (value * factor).round() / factor
}

#[test]
fn every_figure_of_the_profile_is_published() {
    let output = tempfile::tempdir().unwrap();
    run_sample(output.path());
    let rows = indicator_rows(output.path());
    let (header, expected) = read_csv(&repo().join("tests/expected/val-d-enza-profile.csv"));
    assert_eq!(
        header[..6],
        [
            "challenge",
            "indicator",
            "territory",
            "printed",
            "unit",
            "province_printed"
        ]
    );
    assert!(
        expected.len() >= 45,
        "the profile has about 45 figures or more"
    );
    let mut mismatches = Vec::new();
    for figure in &expected {
        let [
            challenge,
            indicator,
            territory,
            value,
            unit,
            province,
            document,
        ] = &figure[..]
        else {
            panic!("bad expected row {figure:?}");
        };
        let Some(row) = rows
            .iter()
            .find(|r| &r["indicator"] == indicator && &r["territory"] == territory)
        else {
            mismatches.push(format!("{indicator} {territory}: missing ({document})"));
            continue;
        };
        let (figure_value, decimals) = printed(value);
        let published: f64 = row["value"].parse().unwrap();
        if rounded(published, decimals) != figure_value {
            mismatches.push(format!(
                "{indicator} {territory}: value {published}, document prints {value}"
            ));
        }
        if &row["challenge"] != challenge {
            mismatches.push(format!(
                "{indicator}: challenge {}, expected {challenge}",
                row["challenge"]
            ));
        }
        if &row["unit"] != unit {
            mismatches.push(format!(
                "{indicator}: unit {:?}, expected {unit:?}",
                row["unit"]
            ));
        }
        if row["period"] != "2022" {
            mismatches.push(format!(
                "{indicator}: period {}, expected 2022",
                row["period"]
            ));
        }
        if !row["source"].contains("Profilo digitale dell'Unione Val d'Enza") {
            mismatches.push(format!("{indicator}: source {:?}", row["source"]));
        }
        if row["label"].trim().is_empty() {
            mismatches.push(format!("{indicator}: no Italian label"));
        }
        if province.is_empty() {
            if !row["province_value"].is_empty() && territory != "08" {
                // A province benchmark the document does not give would be invented.
                mismatches.push(format!(
                    "{indicator}: province value {} not in the document",
                    row["province_value"]
                ));
            }
        } else {
            let (province_value, province_decimals) = printed(province);
            match row["province_value"].parse::<f64>() {
                Ok(v)
                    if rounded(v, province_decimals) == province_value
                        && row["province"] == "035" => {}
                _ => mismatches.push(format!(
                    "{indicator}: province benchmark {:?} ({}), document prints {province}",
                    row["province_value"], row["province"]
                )),
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} mismatches:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}

#[test]
fn recomputed_figures_are_checked_against_the_published_ones() {
    let output = tempfile::tempdir().unwrap();
    let result = run_sample(output.path());
    let report: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(output.path().join("val-d-enza/current/report.json")).unwrap(),
    )
    .unwrap();
    let checks = report["checks"].as_array().unwrap();
    let check = |indicator: &str| {
        checks
            .iter()
            .find(|c| c["indicator"] == indicator && c["territory"] == "val_d_enza")
            .unwrap_or_else(|| panic!("no check for {indicator}"))
    };
    let wifi = check("libraries_with_wifi_pct_recomputed");
    assert_eq!(
        (wifi["numerator"].as_f64(), wifi["denominator"].as_f64()),
        (Some(7.0), Some(8.0))
    );
    assert_eq!(wifi["computed"].as_f64(), Some(88.0));
    assert_eq!(wifi["agrees"], true);
    let office = check("comuni_with_digital_transition_office_pct_recomputed");
    assert_eq!(
        (office["numerator"].as_f64(), office["denominator"].as_f64()),
        (Some(8.0), Some(8.0))
    );
    assert_eq!(office["agrees"], true);

    let spid = check("spid_per_100_residents_recomputed");
    assert_eq!(spid["numerator"].as_f64(), Some(2355.0));
    assert_eq!(spid["denominator"].as_f64(), Some(62379.0));
    assert_eq!(spid["computed"].as_f64(), Some(3.78));
    assert_eq!(spid["published"].as_f64(), Some(4.52));
    assert_eq!(spid["agrees"], false);
    let implied = spid["implied_denominator"].as_f64().unwrap();
    assert!(
        (52_000.0..52_200.0).contains(&implied),
        "implied denominator {implied}"
    );
    assert_eq!(
        spid["denominator_label"],
        "residenti totali al 1° gennaio 2021 (ISTAT)"
    );
    // The run says so on the terminal, and the table says which denominator was used.
    let text = stderr(&result);
    let line = text
        .lines()
        .find(|l| l.contains("spid_per_100_residents_recomputed"))
        .unwrap();
    assert!(
        line.contains("DISAGREES") && line.contains("52,102") && line.contains("18 anni e più"),
        "{line}"
    );
    let rows = indicator_rows(output.path());
    let recomputed = rows
        .iter()
        .find(|r| r["indicator"] == "spid_per_100_residents_recomputed")
        .unwrap();
    assert_eq!(
        recomputed["denominator_label"],
        "residenti totali al 1° gennaio 2021 (ISTAT)"
    );
    assert_eq!(recomputed["value"], "3.78");
}

#[test]
fn union_aggregates_sum_numerators_and_denominators() {
    let output = tempfile::tempdir().unwrap();
    run_sample(output.path());
    let rows = indicator_rows(output.path());
    let per_10000: Vec<&Row> = rows
        .iter()
        .filter(|r| r["indicator"] == "libraries_per_10000_residents")
        .collect();
    let union = per_10000
        .iter()
        .find(|r| r["territory"] == "val_d_enza")
        .unwrap();
    assert_eq!(union["numerator"], "8.0");
    assert_eq!(union["denominator"], "62379.0");
    assert_eq!(union["value"], "1.28");
    let members: Vec<f64> = per_10000
        .iter()
        .filter(|r| r["level"] == "comune")
        .map(|r| {
            r["numerator"].parse::<f64>().unwrap() / r["denominator"].parse::<f64>().unwrap()
                * 10_000.0
        })
        .collect();
    assert_eq!(members.len(), 8);
    let population: f64 = per_10000
        .iter()
        .filter(|r| r["level"] == "comune")
        .map(|r| r["denominator"].parse::<f64>().unwrap())
        .sum();
    assert_eq!(population, 62_379.0);
    let mean_of_ratios = members.iter().sum::<f64>() / members.len() as f64;
    assert!(
        (mean_of_ratios - 1.28).abs() > 0.1,
        "the mean of member ratios ({mean_of_ratios}) must differ"
    );
}

#[test]
fn the_same_inputs_give_the_same_bytes() {
    let first = tempfile::tempdir().unwrap();
    let second = tempfile::tempdir().unwrap();
    run_sample(first.path());
    run_sample(second.path());
    let data = |root: &Path| root.join("val-d-enza/current/data");
    let mut names: Vec<String> = std::fs::read_dir(data(first.path()))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names.iter().filter(|n| n.ends_with(".parquet")).count(), 6);
    let pages = [
        "../index.html",
        "../report.json",
        "../feed.xml",
        "../novita.html",
    ];
    for name in names.iter().chain(&pages.map(str::to_owned)) {
        let a = std::fs::read(data(first.path()).join(name)).unwrap();
        let b = std::fs::read(data(second.path()).join(name)).unwrap();
        assert!(a == b, "{name} differs between two runs on the same inputs");
    }
}

#[test]
fn outputs_match_their_snapshots() {
    let output = tempfile::tempdir().unwrap();
    run_sample(output.path());
    let current = output.path().join("val-d-enza/current");
    let indicators = std::fs::read_to_string(current.join("data/indicatori.csv")).unwrap();
    insta::assert_snapshot!("indicatori_csv", indicators);
    let projects = std::fs::read_to_string(current.join("data/risultati_progetti.csv")).unwrap();
    insta::assert_snapshot!("risultati_progetti_csv", projects);
}

#[test]
fn the_release_becomes_current_and_the_previous_stays() {
    let output = tempfile::tempdir().unwrap();
    run_sample(output.path());
    let later = datavalley(
        &repo(),
        &[
            "run",
            "pipelines/val-d-enza.toml",
            "--output-dir",
            output.path().to_str().unwrap(),
            "--run-time",
            "2026-11-24T10:00:00Z",
            "--force",
        ],
    );
    assert_eq!(later.status.code(), Some(0), "{}", stderr(&later));
    let root = output.path().join("val-d-enza");
    let current = std::fs::read_link(root.join("current")).unwrap();
    assert_eq!(current, Path::new("releases/20261124T100000Z"));
    assert!(
        root.join("releases/20261123T100000Z/data/indicatori.csv")
            .is_file()
    );
    let leftovers: Vec<_> = std::fs::read_dir(root.join("releases"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
