//! The DCAT-AP_IT catalog and the Frictionless data package of the sample release, checked
//! with the real external validators (pySHACL with the EU and the Italian shapes, rdflib,
//! frictionless, pyarrow), the stability of `dct:modified`, and the build-time checks that
//! stop a catalog the national harvester would reject.

mod common;

use std::path::Path;
use std::process::Command;

use common::{copy_dir, datavalley, python, repo, shared_data, stderr, stdout};

fn run_sample(root: &Path, output: &Path, run_time: &str) -> std::process::Output {
    common::run_pipeline(root, "pipelines/val-d-enza.toml", output, run_time)
}

#[test]
#[cfg_attr(
    shared_data_absent,
    ignore = "skipped: ../shared/data (the real public files) is absent"
)]
fn the_sample_catalog_passes_the_national_and_european_validators() {
    let Some(data) = shared_data() else { return };
    let Some(python) = python() else { return };
    let output = tempfile::tempdir().unwrap();
    run_sample(&repo(), output.path(), "2026-11-23T10:00:00Z");
    let release = output.path().join("val-d-enza/current");
    for file in [
        "catalog.ttl",
        "catalog.rdf",
        "catalog.jsonld",
        "datapackage.json",
    ] {
        assert!(release.join(file).is_file(), "{file} is missing");
    }
    let check = Command::new(python)
        .arg(repo().join("tests/conformance/check_release.py"))
        .arg(&release)
        .arg(data.join("dcat-ap_it"))
        .output()
        .unwrap();
    let text = common::stdout(&check) + &common::stderr(&check);
    println!("{text}");
    assert!(check.status.success(), "{text}");
    assert_eq!(text.matches("Conforms: True").count(), 6, "{text}");
    assert_eq!(text.matches("isomorphic").count(), 3, "{text}");
}

#[test]
fn identifiers_are_stable_and_modified_moves_only_with_the_content() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("pipelines"), &dir.path().join("pipelines"));
    let output = dir.path().join("out");
    run_sample(dir.path(), &output, "2026-11-23T10:00:00Z");
    let catalog = |output: &Path| {
        std::fs::read_to_string(output.join("val-d-enza/current/catalog.ttl")).unwrap()
    };
    let first = catalog(&output);
    assert!(
        first.contains("dct:identifier \"uvde_035:val-d-enza.indicatori\""),
        "{first}"
    );

    // A month later, nothing changed: the catalog is the same, byte for byte.
    run_sample(dir.path(), &output, "2026-12-23T10:00:00Z");
    assert_eq!(catalog(&output), first);

    // The profile is corrected: the indicators and observations change, the projects do not.
    let profile = dir.path().join("pipelines/val-d-enza/profilo.csv");
    let text = std::fs::read_to_string(&profile).unwrap();
    std::fs::write(
        &profile,
        text.replace(
            "val_d_enza;citizens_trained_pane_e_internet;2022;365;",
            "val_d_enza;citizens_trained_pane_e_internet;2022;366;",
        ),
    )
    .unwrap();
    run_sample(dir.path(), &output, "2027-01-23T10:00:00Z");
    let third = catalog(&output);
    // The dataset's own block: the lines from its subject to the next full stop.
    let modified = |catalog: &str, dataset: &str| {
        let subject =
            format!("<https://opendata.unionevaldenza.it/profilo-digitale/dataset/{dataset}> ");
        let lines: Vec<&str> = catalog.lines().collect();
        let start = lines.iter().position(|l| l.starts_with(&subject)).unwrap();
        let end = start
            + lines[start..]
                .iter()
                .position(|l| l.ends_with(" ."))
                .unwrap();
        let block = lines[start..=end].join("\n");
        let at = block.find("dct:modified \"").unwrap() + "dct:modified \"".len();
        block[at..at + 10].to_owned()
    };
    assert_eq!(modified(&third, "indicatori"), "2027-01-23");
    assert_eq!(modified(&third, "osservazioni"), "2027-01-23");
    assert_eq!(modified(&third, "progetti"), "2026-11-23");
    assert!(third.contains("dct:issued \"2026-11-23\"^^xsd:date"));
    assert!(third.contains("dct:identifier \"uvde_035:val-d-enza.indicatori\""));
}

/// The sample pipeline with one edit, checked.
fn check_edited(edit: impl Fn(String) -> String) -> String {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("pipelines"), &dir.path().join("pipelines"));
    let file = dir.path().join("pipelines/val-d-enza.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    let edited = edit(text.clone());
    assert_ne!(edited, text, "the edit changed nothing");
    std::fs::write(&file, edited).unwrap();
    let output = datavalley(dir.path(), &["check", "pipelines/val-d-enza.toml"]);
    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    stderr(&output)
}

#[test]
fn a_dataset_without_a_licence_is_stopped_by_check() {
    let text = check_edited(|t| {
        t.replacen(
            "table = \"indicators\"\n",
            "table = \"indicators\"\nlicense = \"\"\n",
            1,
        )
    });
    assert!(
        text.contains("`dataset.indicatori.license`: the licence is empty"),
        "{text}"
    );
}

#[test]
fn a_theme_that_is_not_an_eu_theme_uri_is_stopped_by_check() {
    let text = check_edited(|t| {
        t.replacen(
            "themes = [\"GOVE\", \"TECH\"]",
            "themes = [\"Popolazione e società\"]",
            1,
        )
    });
    assert!(
        text.contains("`dataset.indicatori.themes`: dataset `indicatori`: \"Popolazione e società\" is not an EU data theme"),
        "{text}"
    );
}

#[test]
fn a_contact_point_without_email_is_stopped_by_check() {
    let text = check_edited(|t| t.replacen("email = \"opendata@unionevaldenza.it\"\n", "", 1));
    assert!(text.contains("`catalog`: missing field `email`"), "{text}");
    let text = check_edited(|t| {
        t.replacen(
            "email = \"opendata@unionevaldenza.it\"",
            "email = \"opendata\"",
            1,
        )
    });
    assert!(
        text.contains("`catalog.contact.email`: \"opendata\" is not an e-mail address"),
        "{text}"
    );
}

#[test]
fn the_mistakes_of_the_broken_example_are_stopped_by_check() {
    // An IPA code written in capitals, a date that is not ISO, a missing update frequency
    // and a subtheme that is a label instead of a URI.
    let text = check_edited(|t| {
        t.replacen("ipa = \"uvde_035\"", "ipa = \"UVDE_035\"", 1)
            .replacen("issued = \"2026-11-23\"", "issued = \"23/11/2026\"", 1)
            .replacen("frequency = \"IRREG\"\n", "", 1)
            .replacen(
                "keywords = [\"PNRR\"",
                "subthemes = [\"demografia\"]\nkeywords = [\"PNRR\"",
                1,
            )
    });
    for expected in [
        "`catalog.publisher.ipa`: \"UVDE_035\" is not an IPA code",
        "`catalog.issued`: \"23/11/2026\" is not a date",
        "dataset `progetti` has no `frequency`",
        "`dataset.progetti_pnrr.subthemes`: dataset `progetti_pnrr`: \"demografia\" is not a EuroVoc URI",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
}
