//! Bad pipeline files and bad data: every problem reported at its place, a clear exit code,
//! and nothing published.

mod common;

use std::path::Path;

use common::{datavalley, repo, run_fixture, stderr, stdout};

/// A copy of the minimal fixture with `edit` applied to its pipeline file.
fn fixture(edit: impl Fn(String) -> String) -> tempfile::TempDir {
    common::minimal_fixture("pipeline.toml", edit)
}

fn run(dir: &Path) -> std::process::Output {
    run_fixture(dir, "2026-11-23T10:00:00Z", &[])
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn the_fixture_runs_clean() {
    let dir = fixture(|text| text);
    let output = run(dir.path());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        dir.path()
            .join("out/minimal/current/data/indicatori.csv")
            .is_file()
    );
}

#[test]
fn every_problem_of_a_pipeline_file_is_reported_at_once_with_its_place() {
    let dir = fixture(|text| {
        text.replace("decimals = 2", "decimal = 2")
            .replace("file = \"dati.csv\"", "file = \"dati.csv\"\nseparater = \";\"")
            .replace(
                "[dataset.indicatori]",
                "[source.altro.csvv]\nfile = \"x.csv\"\n\n[indicator.altro.value]\nchallenge = 9\nlabel = \"Altro\"\nunit = \"n.\"\ndecimals = 0\nmeasure = \"altro\"\n\n[dataset.indicatori]",
            )
    });
    let pipeline = std::fs::read_to_string(dir.path().join("pipeline.toml")).unwrap();
    let output = datavalley(dir.path(), &["check", "pipeline.toml"]);
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    let decimal = line_of(&pipeline, "decimal = 2");
    assert!(
        text.contains(&format!("pipeline.toml:{decimal}:1: `indicator.biblioteche_per_1000.ratio.decimal`: unknown key `decimal`; did you mean `decimals`?")),
        "{text}"
    );
    let separator = line_of(&pipeline, "separater");
    assert!(text.contains(&format!("pipeline.toml:{separator}:1: `source.dati.csv.separater`: unknown key `separater`; did you mean `separator`?")), "{text}");
    let challenge = line_of(&pipeline, "challenge = 9");
    assert!(text.contains(&format!("pipeline.toml:{challenge}:13: `indicator.altro.challenge`: challenges are numbered 1 to 8")), "{text}");
    let kind = line_of(&pipeline, "csvv");
    assert!(
        text.contains(&format!(
            "pipeline.toml:{kind}:15: `source.altro`: unknown variant `csvv`, expected one of `csv`"
        )),
        "{text}"
    );
    assert!(text.contains("missing field `decimals`"), "{text}");
    assert!(text.contains("5 problems in the pipeline"), "{text}");
}

#[test]
fn a_missing_source_file_is_named_with_its_path() {
    let dir = fixture(|text| text.replace("file = \"dati.csv\"", "file = \"mancante/dati.csv\""));
    let output = run(dir.path());
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(text.contains("file not found: mancante/dati.csv"), "{text}");
    assert!(text.contains("`source.dati.csv.file`"), "{text}");
    assert!(!dir.path().join("out").exists());
}

#[test]
fn an_unknown_territory_code_is_a_finding_and_nothing_is_published() {
    let dir = fixture(|text| text);
    let data = dir.path().join("dati.csv");
    let text = std::fs::read_to_string(&data).unwrap();
    std::fs::write(&data, text.replace("035010,residenti", "35010,residenti")).unwrap();
    let output = run(dir.path());
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    let text = stderr(&output);
    assert!(
        text.contains(
            "error[unknown_territory] dati.csv, row 4, column `territorio`, value \"35010\""
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "did you mean 035010 (Campegine, comune)? The code seems to have lost its leading zeros"
        ),
        "{text}"
    );
    assert!(text.contains("nothing published"), "{text}");
    assert!(!dir.path().join("out/minimal/current").exists());
}

#[test]
fn a_misspelled_measure_suggests_the_measure_the_data_has() {
    let dir =
        fixture(|text| text.replace("numerator = \"biblioteche\"", "numerator = \"bibloteche\""));
    let output = run(dir.path());
    let text = stderr(&output);
    assert!(
        text.contains("warning[no_data]")
            && text.contains("the data has no `bibloteche`: did you mean `biblioteche`?"),
        "{text}"
    );
}

#[test]
fn every_bad_cell_is_reported() {
    let dir = fixture(|text| text);
    let data = dir.path().join("dati.csv");
    let text = std::fs::read_to_string(&data).unwrap();
    std::fs::write(
        &data,
        text.replace(",1,biblioteche", ",uno,biblioteche")
            .replace(",5310,", ",5.310,"),
    )
    .unwrap();
    let output = run(dir.path());
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    assert!(
        text.contains("error[not_a_number] dati.csv, row 1, column `valore`, value \"uno\""),
        "{text}"
    );
    // "5.310" with a decimal point is 5.31: a number, if a suspicious one; no finding.
    assert!(!text.contains("row 4"), "{text}");
}

#[test]
fn check_and_plan_read_no_data() {
    let output = datavalley(&repo(), &["check", "pipelines/val-d-enza.toml"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("ok (6 sources"),
        "{}",
        stdout(&output)
    );
    let output = datavalley(&repo(), &["plan", "pipelines/val-d-enza.toml"]);
    assert_eq!(output.status.code(), Some(0));
    let plan = stdout(&output);
    assert!(
        plan.contains("popolazione (istat_population): pipelines/val-d-enza/popolazione_2021.csv"),
        "{plan}"
    );
    assert!(plan.contains("sums over comuni at: union"), "{plan}");
    assert!(
        plan.contains("confini (boundaries): pipelines/val-d-enza/confini/limits_P_35_municipalities.topo.json"),
        "{plan}"
    );
}

#[test]
fn help_documents_the_exit_codes() {
    let output = datavalley(&repo(), &["run", "--help"]);
    assert_eq!(output.status.code(), Some(0));
    let help = stdout(&output);
    assert!(
        help.contains("1  data findings")
            && help.contains("3  a source could not be fetched or read"),
        "{help}"
    );
}
