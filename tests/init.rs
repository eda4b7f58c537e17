//! `datavalley init` for a real union of Emilia-Romagna, the Unione Terre d'Acqua, end to end:
//! the pipeline file written from ISTAT's list, `check` naming every field left to fill by its
//! line, then a run reading the real ISTAT and PA digitale files from a copy served on
//! 127.0.0.1 (a mirror, as `--mirror` reads it), and a run `--offline` from the cache alone
//! with the server gone; and the mistakes an officer makes on the command line.

mod common;

use std::path::Path;
use std::process::Output;

use common::http::Server;
use common::{datavalley, read_csv, shared_data, stderr, stdout};

const LIST: &str = "istat/Elenco-comuni-italiani_2023-11_paolovolterra.csv";
const TERRE_D_ACQUA: &str = "037001,037009,037024,Sala Bolognese,037053,037056";
const PADIGITALE: &[&str] = &[
    "candidature_finanziate_11.csv",
    "candidature_finanziate_12.csv",
    "candidature_finanziate_131.csv",
    "candidature_finanziate_141.csv",
    "candidature_finanziate_143.csv",
    "candidature_finanziate_144.csv",
    "candidature_finanziate_145.csv",
    "candidature_altrienti_finanziate.csv",
];

/// The publishers' files, each at `/<host>/<path>` of its real URL.
fn mirror(data: &Path) -> Server {
    let server = Server::start();
    let read = |file: &str| std::fs::read(data.join(file)).unwrap();
    server.serve(
        "/www.istat.it/storage/codici-unita-amministrative/Elenco-comuni-italiani.csv",
        read(LIST),
    );
    server.serve(
        "/raw.githubusercontent.com/opendatasicilia/comuni-italiani/113ba4738876b6c54c05ba7795cba8d187b3f7ab/dati/ISTAT_popolazione_2021.csv",
        read("istat/ISTAT_popolazione_2021.csv"),
    );
    for file in PADIGITALE {
        server.serve(
            &format!(
                "/raw.githubusercontent.com/teamdigitale/padigitale2026-opendata/main/data/{file}"
            ),
            read(&format!("padigitale2026/{file}")),
        );
    }
    server
}

fn init(dir: &Path, args: &[&str]) -> Output {
    let mut all = vec!["init"];
    all.extend_from_slice(args);
    datavalley(dir, &all)
}

/// The line of the pipeline file that holds `text`.
fn line_of(file: &Path, text: &str) -> usize {
    let content = std::fs::read_to_string(file).unwrap();
    content
        .lines()
        .position(|line| line.contains(text))
        .unwrap_or_else(|| panic!("{text:?} not in {}", file.display()))
        + 1
}

#[test]
#[cfg_attr(
    shared_data_absent,
    ignore = "skipped: ../shared/data (the real public files) is absent"
)]
fn a_new_union_checks_runs_and_publishes_from_the_cache() {
    let Some(data) = shared_data() else { return };
    let server = mirror(&data);
    let dir = tempfile::tempdir().unwrap();
    let mirror_url = server.url("/");
    let made = init(
        dir.path(),
        &[
            "--unione",
            "Unione Terre d'Acqua",
            "--comuni",
            TERRE_D_ACQUA,
            "--mirror",
            &mirror_url,
        ],
    );
    assert_eq!(made.status.code(), Some(0), "{}", stderr(&made));
    let file = dir.path().join("pipelines/terre-d-acqua.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    for (code, name) in [
        ("037050", "Sala Bolognese"),
        ("037001", "Anzola dell'Emilia"),
    ] {
        assert!(text.contains(&format!("\"{code}\", # {name}")), "{text}");
    }
    for shared in [
        "catalog/sfide-agenda-digitale-er.toml",
        "catalog/padigitale2026.toml",
        "territori/variazioni-codici.csv",
    ] {
        assert!(
            dir.path().join("pipelines").join(shared).is_file(),
            "{shared}"
        );
    }

    // `check` names the four fields to fill, each at its line.
    let checked = datavalley(dir.path(), &["check", "pipelines/terre-d-acqua.toml"]);
    assert_eq!(checked.status.code(), Some(0), "{}", stderr(&checked));
    let said = stdout(&checked);
    assert!(
        said.contains("4 fields still hold the placeholder"),
        "{said}"
    );
    for (key, placeholder) in [
        ("catalog.base_url", "base_url = "),
        ("catalog.publisher.ipa", "ipa = "),
        ("catalog.contact.email", "email = "),
        ("site.accessibility_statement", "accessibility_statement = "),
    ] {
        let line = line_of(&file, placeholder);
        assert!(
            said.contains(&format!("terre-d-acqua.toml:{line}:"))
                && said.contains(&format!("`{key}`")),
            "{key} at line {line}: {said}"
        );
    }

    let time = "2026-12-01T10:00:00Z";
    let online = datavalley(
        dir.path(),
        &["run", "pipelines/terre-d-acqua.toml", "--run-time", time],
    );
    assert_eq!(online.status.code(), Some(0), "{}", stderr(&online));
    assert!(
        stderr(&online).contains("placeholder"),
        "{}",
        stderr(&online)
    );
    drop(server);

    let offline = datavalley(
        dir.path(),
        &[
            "run",
            "pipelines/terre-d-acqua.toml",
            "--offline",
            "--force",
            "--run-time",
            "2026-12-01T11:00:00Z",
        ],
    );
    assert_eq!(offline.status.code(), Some(0), "{}", stderr(&offline));
    assert!(
        stdout(&offline).contains("published"),
        "{}",
        stdout(&offline)
    );
    let release = dir.path().join("output/terre-d-acqua/current");
    assert!(release.join("index.html").is_file());
    assert!(release.join("catalog.ttl").is_file());
    union_sums_its_members(&release);
}

/// The union's PNRR funding in the published table is the sum of its six comuni's (each
/// published in whole euros, so within half a euro each).
fn union_sums_its_members(release: &Path) {
    let (header, rows) = read_csv(&release.join("data/indicatori.csv"));
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (territory, indicator, value) = (column("territory"), column("indicator"), column("value"));
    let funding = |code: &str| -> f64 {
        rows.iter()
            .find(|r| r[territory] == code && r[indicator] == "pnrr_funding")
            .map(|r| r[value].parse().unwrap())
            .unwrap_or_else(|| panic!("no pnrr_funding for {code}"))
    };
    let members: f64 = ["037001", "037009", "037024", "037050", "037053", "037056"]
        .iter()
        .map(|code| funding(code))
        .sum();
    let union = funding("terre_d_acqua");
    assert!(
        union > 0.0 && (union - members).abs() <= 3.0,
        "{union} against {members}"
    );
}

#[test]
#[cfg_attr(
    shared_data_absent,
    ignore = "skipped: ../shared/data (the real public files) is absent"
)]
fn unknown_codes_and_names_an_ambiguous_name_and_an_existing_file_are_clear_errors() {
    let Some(data) = shared_data() else { return };
    let list = data.join(LIST);
    let list = list.to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let wrong = init(
        dir.path(),
        &[
            "--unione",
            "Unione Terre d'Acqua",
            "--comuni",
            "37001,037999,Calderara di Rheno,Livo",
            "--elenco",
            list,
        ],
    );
    assert_eq!(wrong.status.code(), Some(2));
    let said = stderr(&wrong);
    for expected in [
        "did you mean 037001 (Anzola dell'Emilia",
        "037999: not a comune of the list",
        "did you mean \"Calderara di Reno\"?",
        "\"Livo\" names 2 comuni: give the code of the one you mean (013130 in Como, 022106 in Trento)",
    ] {
        assert!(said.contains(expected), "{expected:?} in {said}");
    }
    assert!(!dir.path().join("pipelines").exists(), "nothing written");

    let single = ["--comune", "Bibbiano", "--ipa", "c_a850", "--elenco", list];
    let made = init(dir.path(), &single);
    assert_eq!(made.status.code(), Some(0), "{}", stderr(&made));
    let file = dir.path().join("pipelines/bibbiano.toml");
    let before = std::fs::read(&file).unwrap();
    assert!(String::from_utf8_lossy(&before).contains("focus = \"035004\""));
    let checked = datavalley(dir.path(), &["check", "pipelines/bibbiano.toml"]);
    assert!(
        stdout(&checked).contains("3 fields still hold"),
        "{}",
        stdout(&checked)
    );

    let again = init(dir.path(), &single);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("exists already"),
        "{}",
        stderr(&again)
    );
    assert_eq!(std::fs::read(&file).unwrap(), before);
    let forced = init(dir.path(), &[&single[..], &["--force"]].concat());
    assert_eq!(forced.status.code(), Some(0), "{}", stderr(&forced));
}
