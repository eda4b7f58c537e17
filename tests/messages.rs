//! The officer's messages: every message the code names is in the catalogue of both languages
//! and every message of the catalogue is named by the code; the same mistakes (a misspelled
//! key, a missing file, an unknown territory code, a wrong argument) are told in Italian by
//! default and in English when asked, with the same places, suggestions and exit codes.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use common::{datavalley, datavalley_in, minimal_fixture, repo, run_args, stderr, stdout};

/// How the Italian catalogue words an unknown territory code.
const UNKNOWN_TERRITORY_IT: &str = "il codice di territorio 035999 non è nell'elenco dei comuni (né tra le sue province e regioni) né è un'unione dichiarata";

/// The ids a catalogue file defines (entries start at the first column).
fn defined(file: &Path) -> BTreeSet<String> {
    let text = fs::read_to_string(file).unwrap();
    text.lines()
        .filter(|line| !line.starts_with([' ', '#', '\t']) && !line.trim().is_empty())
        .filter_map(|line| line.split_once('='))
        .map(|(id, _)| id.trim().to_owned())
        .collect()
}

/// Every Rust source file under `dir`, read.
fn sources(dir: &Path, found: &mut Vec<String>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(fs::read_to_string(&path).unwrap());
        }
    }
}

/// The ids the code names with `msg!("id"` (also across a line break after the parenthesis).
fn named(sources: &[String]) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for text in sources {
        for piece in text.split("msg!(").skip(1) {
            let id = piece.trim_start().strip_prefix('"');
            if let Some((id, _)) = id.and_then(|rest| rest.split_once('"')) {
                found.insert(id.to_owned());
            }
        }
    }
    found
}

#[test]
fn every_message_the_code_names_is_in_the_catalogue_and_every_entry_is_used() {
    let root = repo();
    let mut code = Vec::new();
    sources(&root.join("src"), &mut code);
    let in_code = named(&code);
    let mut catalogue = BTreeSet::new();
    let mut help = BTreeSet::new();
    for entry in fs::read_dir(root.join("locales/it")).unwrap() {
        let path = entry.unwrap().path();
        let ids = defined(&path);
        let english = root.join("locales/en").join(path.file_name().unwrap());
        assert_eq!(
            ids,
            defined(&english),
            "{} and {} define different messages",
            path.display(),
            english.display()
        );
        match path.file_stem().is_some_and(|stem| stem == "help") {
            // Asked for by command and argument name; checked by the cli's own test.
            true => help.extend(ids),
            false => catalogue.extend(ids),
        }
    }
    let missing: Vec<_> = in_code
        .iter()
        .filter(|id| !catalogue.contains(*id) && !help.contains(*id))
        .collect();
    assert!(
        missing.is_empty(),
        "named in src/ but not in locales/: {missing:?}"
    );
    // Some ids reach the catalogue through a helper (an explanation's lines are templates
    // filled in, `wording::fill`): an id is used when the code names it as a string at all.
    let unused: Vec<_> = catalogue
        .iter()
        .filter(|id| {
            let quoted = format!("\"{id}\"");
            !code.iter().any(|text| text.contains(&quoted))
        })
        .collect();
    assert!(
        unused.is_empty(),
        "in locales/ but named nowhere in src/: {unused:?}"
    );
}

/// `args` run with no locale (Italian) and with `--lang en`: the two outputs, which must end
/// with the same exit code.
fn both(dir: &Path, args: &[&str], code: i32) -> (String, String) {
    let italian = datavalley_in("", dir, args);
    let english_args: Vec<&str> = args.iter().copied().chain(["--lang", "en"]).collect();
    let english = datavalley_in("", dir, &english_args);
    assert_eq!(italian.status.code(), Some(code), "{}", stderr(&italian));
    assert_eq!(english.status.code(), Some(code), "{}", stderr(&english));
    let text = |output: &std::process::Output| format!("{}{}", stdout(output), stderr(output));
    (text(&italian), text(&english))
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn a_misspelled_key_is_told_in_both_languages_at_its_place_with_the_closest_key() {
    let dir = minimal_fixture("pipeline.toml", |text| {
        text.replace("decimals = 2", "decimal = 2")
    });
    let pipeline = fs::read_to_string(dir.path().join("pipeline.toml")).unwrap();
    let place = format!(
        "pipeline.toml:{}:1: `indicator.biblioteche_per_1000.ratio.decimal`: ",
        line_of(&pipeline, "decimal = 2")
    );
    let (italian, english) = both(dir.path(), &["check", "pipeline.toml"], 2);
    assert!(
        italian.contains("errore: 2 problemi nel file della pipeline:"),
        "{italian}"
    );
    assert!(
        italian.contains(&format!(
            "{place}chiave `decimal` sconosciuta; forse `decimals`?"
        )),
        "{italian}"
    );
    assert!(
        english.contains("error: 2 problems in the pipeline:"),
        "{english}"
    );
    assert!(
        english.contains(&format!(
            "{place}unknown key `decimal`; did you mean `decimals`?"
        )),
        "{english}"
    );
    assert!(italian.contains("manca il campo `decimals`"), "{italian}");
    assert!(english.contains("missing field `decimals`"), "{english}");
}

#[test]
fn a_missing_file_is_told_in_both_languages() {
    let dir = minimal_fixture("pipeline.toml", |text| {
        text.replace("file = \"dati.csv\"", "file = \"manca.csv\"")
    });
    let (italian, english) = both(dir.path(), &["check", "pipeline.toml"], 2);
    assert!(italian.contains("file non trovato: manca.csv"), "{italian}");
    assert!(english.contains("file not found: manca.csv"), "{english}");
    let (italian, english) = both(dir.path(), &["check", "manca.toml"], 2);
    assert!(
        italian
            .contains("manca.toml: impossibile leggere il file della pipeline: il file non esiste"),
        "{italian}"
    );
    assert!(
        english.contains("manca.toml: cannot read the pipeline file: no such file"),
        "{english}"
    );
}

#[test]
fn an_unknown_territory_code_is_told_in_both_languages_with_its_place_and_rule() {
    let dir = minimal_fixture("dati.csv", |text| {
        text.replacen("035010,biblioteche", "035999,biblioteche", 1)
    });
    let args = run_args("2026-11-23T10:00:00Z", &[]);
    let (italian, english) = both(dir.path(), &args, 1);
    assert!(
        italian.contains(
            "errore[unknown_territory] dati.csv, riga 2, colonna `territorio`, valore \"035999\": "
        ),
        "{italian}"
    );
    assert!(italian.contains(UNKNOWN_TERRITORY_IT), "{italian}");
    assert!(
        english.contains(
            "error[unknown_territory] dati.csv, row 2, column `territorio`, value \"035999\": \
             territory code 035999 is neither in the list of comuni"
        ),
        "{english}"
    );
    assert!(!dir.path().join("out/minimal/current").exists());
}

#[test]
fn json_log_lines_carry_a_stable_code_and_the_message_in_the_language_asked() {
    let dir = minimal_fixture("pipeline.toml", |text| {
        text.replace("decimals = 2", "decimal = 2")
    });
    let args = ["--log-format", "json", "check", "pipeline.toml"];
    let (italian, english) = both(dir.path(), &args, 2);
    let problem = |text: &str| -> serde_json::Value {
        text.lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .find(|line| line["code"] == "unknown_key_closest")
            .unwrap_or_else(|| panic!("no unknown_key_closest line in {text}"))
    };
    let (italian, english) = (problem(&italian), problem(&english));
    for line in [&italian, &english] {
        assert_eq!(line["level"], "error");
        assert_eq!(
            line["fields"]["key"],
            "indicator.biblioteche_per_1000.ratio.decimal"
        );
        assert_eq!(line["fields"]["closest"], "decimals");
        assert_eq!(line["fields"]["file"], "pipeline.toml");
    }
    assert_eq!(
        italian["message"],
        "chiave `decimal` sconosciuta; forse `decimals`?"
    );
    assert_eq!(
        english["message"],
        "unknown key `decimal`; did you mean `decimals`?"
    );
}

#[test]
fn the_command_line_and_its_help_speak_the_language_asked() {
    let dir = tempfile::tempdir().unwrap();
    let (italian, english) = both(dir.path(), &["run", "--forc", "x.toml"], 2);
    assert!(
        italian.contains("errore: argomento inatteso `--forc`; forse `--force`?"),
        "{italian}"
    );
    assert!(
        english.contains("error: unexpected argument `--forc`; did you mean `--force`?"),
        "{english}"
    );
    let (italian, english) = both(dir.path(), &["run", "--help"], 0);
    assert!(italian.contains("Uso: datavalley run"), "{italian}");
    assert!(italian.contains("Codici di uscita:"), "{italian}");
    assert!(english.contains("Usage: datavalley run"), "{english}");
    assert!(english.contains("Exit codes:"), "{english}");
    let english = datavalley_in("en_GB.UTF-8", dir.path(), &["--help"]);
    assert!(
        stdout(&english).contains("Commands:"),
        "{}",
        stdout(&english)
    );
    let italian = datavalley(dir.path(), &["--lang", "it", "--help"]);
    assert!(
        stdout(&italian).contains("Comandi:"),
        "{}",
        stdout(&italian)
    );
}
