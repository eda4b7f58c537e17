//! Cron-grade operation, running the real binary on the minimal fixture: incremental runs and
//! their reasons, single stages, releases kept and rolled back, the lock, SIGKILL at several
//! moments, JSON logs with their summary line, and the provenance of a release.

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use common::{
    assert_whole, copy_dir, current_release, datavalley, edit, provenance, repo, run_args,
    run_fixture, sha256_hex, stderr, stdout,
};

/// A copy of the minimal fixture.
fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("tests/fixtures/minimal"), dir.path());
    dir
}

fn root(dir: &Path) -> PathBuf {
    dir.join("out/minimal")
}

fn current(dir: &Path) -> String {
    current_release(&root(dir))
}

fn releases(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root(dir).join("releases"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

#[test]
fn a_kept_table_that_does_not_match_its_checksum_is_read_again_from_the_source() {
    let dir = fixture();
    let first = run_fixture(dir.path(), "2026-11-23T10:00:00Z", &[]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let csv = |release: &str| {
        std::fs::read(root(dir.path()).join(format!("releases/{release}/data/indicatori.csv")))
            .unwrap()
    };
    let published = csv("20261123T100000Z");
    // The long tables of a source's result are kept as Parquet beside its JSON.
    let kept = root(dir.path()).join("state/sources/dati.observations.parquet");
    assert!(kept.is_file());
    std::fs::write(&kept, b"half a file").unwrap();

    let plan = datavalley(
        dir.path(),
        &["plan", "pipeline.toml", "--output-dir", "out"],
    );
    assert!(
        stdout(&plan).contains("source.dati: runs: no earlier result"),
        "{}",
        stdout(&plan)
    );
    let second = run_fixture(dir.path(), "2026-11-23T11:00:00Z", &[]);
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    assert!(
        stderr(&second).contains("[source.dati] runs: no earlier result"),
        "{}",
        stderr(&second)
    );
    assert!(
        stdout(&second).starts_with("nothing to do"),
        "{}",
        stdout(&second)
    );

    // Kept again, whole: a run that publishes from the kept results gives the same figures.
    edit(
        &dir.path().join("pipeline.toml"),
        "title = \"Indicatori\"",
        "title = \"Indicatori della prova\"",
    );
    let third = run_fixture(dir.path(), "2026-11-23T12:00:00Z", &[]);
    assert_eq!(third.status.code(), Some(0), "{}", stderr(&third));
    let log = stderr(&third);
    assert!(log.contains("[source.dati] skipped: unchanged"), "{log}");
    assert_eq!(csv("20261123T120000Z"), published);
}

#[test]
fn an_unchanged_rerun_has_nothing_to_do_and_a_change_reruns_only_its_stage() {
    let dir = fixture();
    let first = run_fixture(dir.path(), "2026-11-23T10:00:00Z", &[]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert!(
        stdout(&first).starts_with("published "),
        "{}",
        stdout(&first)
    );
    // State lives next to the outputs.
    assert!(root(dir.path()).join("state/sources/dati.json").is_file());

    let second = run_fixture(dir.path(), "2026-11-23T11:00:00Z", &[]);
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    assert!(
        stdout(&second).starts_with("nothing to do"),
        "{}",
        stdout(&second)
    );
    let log = stderr(&second);
    assert!(log.contains("[source.comuni] skipped: unchanged"), "{log}");
    assert!(log.contains("[source.dati] skipped: unchanged"), "{log}");
    assert!(
        log.contains("[summary] nothing to do; 0 stages run, 3 skipped"),
        "{log}"
    );
    assert_eq!(releases(dir.path()), ["20261123T100000Z"]);

    // `plan` says the same without running anything.
    let plan = datavalley(
        dir.path(),
        &["plan", "pipeline.toml", "--output-dir", "out"],
    );
    assert!(
        stdout(&plan).contains("publish: skipped: unchanged, nothing to do"),
        "{}",
        stdout(&plan)
    );

    // A changed input: only its source runs, and a release follows.
    edit(
        &dir.path().join("dati.csv"),
        "035010,biblioteche,2022,2",
        "035010,biblioteche,2022,3",
    );
    let plan = datavalley(
        dir.path(),
        &["plan", "pipeline.toml", "--output-dir", "out"],
    );
    let text = stdout(&plan);
    assert!(
        text.contains("source.dati: runs: its input changed"),
        "{text}"
    );
    assert!(text.contains("source.comuni: skipped: unchanged"), "{text}");
    assert!(text.contains("publish: runs: a source changed"), "{text}");
    let third = run_fixture(dir.path(), "2026-11-23T12:00:00Z", &[]);
    assert_eq!(third.status.code(), Some(0), "{}", stderr(&third));
    let log = stderr(&third);
    assert!(
        log.contains("[source.dati] runs: its input changed"),
        "{log}"
    );
    assert!(log.contains("[source.comuni] skipped: unchanged"), "{log}");
    assert!(
        log.contains("[summary] published; 2 stages run, 1 skipped"),
        "{log}"
    );
    assert_eq!(current(dir.path()), "20261123T120000Z");

    // A changed pipeline file: the sources are kept, the publish stage runs.
    edit(
        &dir.path().join("pipeline.toml"),
        "title = \"Indicatori\"",
        "title = \"Indicatori della prova\"",
    );
    let fourth = run_fixture(dir.path(), "2026-11-23T13:00:00Z", &[]);
    assert_eq!(fourth.status.code(), Some(0), "{}", stderr(&fourth));
    let log = stderr(&fourth);
    assert!(log.contains("[source.dati] skipped: unchanged"), "{log}");
    assert!(
        log.contains("[publish] runs: its part of the pipeline file changed"),
        "{log}"
    );

    // --force reruns everything.
    let forced = run_fixture(dir.path(), "2026-11-23T14:00:00Z", &["--force"]);
    assert_eq!(forced.status.code(), Some(0), "{}", stderr(&forced));
    let log = stderr(&forced);
    assert!(log.contains("[source.comuni] runs: --force"), "{log}");
    assert!(
        log.contains("[summary] published; 3 stages run, 0 skipped"),
        "{log}"
    );
    assert_eq!(current(dir.path()), "20261123T140000Z");
}

#[test]
fn one_stage_runs_alone_and_its_result_is_reused() {
    let dir = fixture();
    let stage = run_fixture(
        dir.path(),
        "2026-11-23T10:00:00Z",
        &["--stage", "source.dati"],
    );
    assert_eq!(stage.status.code(), Some(0), "{}", stderr(&stage));
    assert!(
        stderr(&stage).contains("[source.dati] runs: no earlier result"),
        "{}",
        stderr(&stage)
    );
    assert!(!stderr(&stage).contains("source.comuni"));
    assert!(!root(dir.path()).join("current").exists());

    let whole = run_fixture(dir.path(), "2026-11-23T11:00:00Z", &[]);
    assert_eq!(whole.status.code(), Some(0), "{}", stderr(&whole));
    let log = stderr(&whole);
    assert!(log.contains("[source.dati] skipped: unchanged"), "{log}");
    assert!(
        log.contains("[source.comuni] runs: no earlier result"),
        "{log}"
    );

    let unknown = run_fixture(
        dir.path(),
        "2026-11-23T12:00:00Z",
        &["--stage", "source.nessuna"],
    );
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        stderr(&unknown)
            .contains("no source `nessuna` in the pipeline; its sources are: comuni, dati"),
        "{}",
        stderr(&unknown)
    );
}

#[test]
fn a_release_without_pages_has_the_data_and_metadata_only() {
    let dir = fixture();
    let pipeline = dir.path().join("pipeline.toml");
    let text = std::fs::read_to_string(&pipeline).unwrap();
    std::fs::write(&pipeline, format!("{text}\n[site]\npages = false\n")).unwrap();
    let output = run_fixture(dir.path(), "2026-11-23T10:00:00Z", &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let release = root(dir.path()).join("current");
    assert!(release.join("data/indicatori.csv").is_file());
    assert!(release.join("report.json").is_file());
    assert!(!release.join("index.html").exists() && !release.join("feed.xml").exists());
    assert!(!release.join("assets").exists());
    // Without pages, the missing accessibility statement they would link is no warning.
    assert!(
        !stderr(&output).contains("no_accessibility_statement"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn validate_reads_and_checks_but_publishes_nothing() {
    let dir = fixture();
    let output = datavalley(
        dir.path(),
        &["validate", "pipeline.toml", "--output-dir", "out"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).contains("0 errors"), "{}", stdout(&output));
    assert!(!root(dir.path()).join("current").exists());
    assert!(!root(dir.path()).join("releases").exists());

    edit(
        &dir.path().join("dati.csv"),
        ",1,biblioteche",
        ",uno,biblioteche",
    );
    let output = datavalley(
        dir.path(),
        &["validate", "pipeline.toml", "--output-dir", "out"],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("error[not_a_number] dati.csv, row 1"));
}

#[test]
fn releases_are_listed_kept_and_rolled_back() {
    let dir = fixture();
    edit(
        &dir.path().join("pipeline.toml"),
        "title = \"Pipeline di prova\"",
        "title = \"Pipeline di prova\"\nkeep_releases = 3",
    );
    for hour in 10..15 {
        let time = format!("2026-11-23T{hour}:00:00Z");
        let output = run_fixture(dir.path(), &time, &["--force"]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    }
    assert_eq!(
        releases(dir.path()),
        ["20261123T120000Z", "20261123T130000Z", "20261123T140000Z"]
    );
    let listed = datavalley(
        dir.path(),
        &["releases", "pipeline.toml", "--output-dir", "out"],
    );
    assert_eq!(
        stdout(&listed),
        "20261123T120000Z\n20261123T130000Z\n20261123T140000Z  (current)\n"
    );

    let back = datavalley(
        dir.path(),
        &["rollback", "pipeline.toml", "--output-dir", "out"],
    );
    assert_eq!(back.status.code(), Some(0), "{}", stderr(&back));
    assert_eq!(current(dir.path()), "20261123T130000Z");
    assert_whole(&root(dir.path()).join("current"));

    let named = datavalley(
        dir.path(),
        &[
            "rollback",
            "pipeline.toml",
            "20261123T120000Z",
            "--output-dir",
            "out",
        ],
    );
    assert_eq!(named.status.code(), Some(0), "{}", stderr(&named));
    assert_eq!(current(dir.path()), "20261123T120000Z");

    let oldest = datavalley(
        dir.path(),
        &["rollback", "pipeline.toml", "--output-dir", "out"],
    );
    assert_eq!(oldest.status.code(), Some(2));
    assert!(
        stderr(&oldest).contains("the oldest kept"),
        "{}",
        stderr(&oldest)
    );
    let missing = datavalley(
        dir.path(),
        &[
            "rollback",
            "pipeline.toml",
            "20200101T000000Z",
            "--output-dir",
            "out",
        ],
    );
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("no release 20200101T000000Z"));

    // A new release after a rollback: the pruning never removes the current one.
    let next = run_fixture(dir.path(), "2026-11-23T15:00:00Z", &["--force"]);
    assert_eq!(next.status.code(), Some(0), "{}", stderr(&next));
    assert_eq!(current(dir.path()), "20261123T150000Z");
    assert_eq!(releases(dir.path()).len(), 3);
}

/// A run started in the background that stops at a pause point; the receiver gets its stderr
/// lines.
fn start_paused(
    dir: &Path,
    time: &str,
    point: &str,
    extra: &[&str],
) -> (Child, mpsc::Receiver<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_datavalley"))
        .current_dir(dir)
        .args(run_args(time, extra))
        .env("DATAVALLEY_PAUSE_AT", point)
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "en_US.UTF-8")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (sender, receiver) = mpsc::channel();
    let stream = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    (child, receiver)
}

fn wait_for_pause(receiver: &mpsc::Receiver<String>, point: &str) {
    let expected = format!("paused at {point}");
    let mut seen = Vec::new();
    loop {
        match receiver.recv_timeout(Duration::from_secs(60)) {
            Ok(line) if line == expected => return,
            Ok(line) => seen.push(line),
            Err(error) => panic!("never paused at {point} ({error}); stderr: {seen:#?}"),
        }
    }
}

#[test]
fn a_run_killed_at_any_moment_leaves_the_previous_release_current() {
    let dir = fixture();
    let first = run_fixture(dir.path(), "2026-11-23T10:00:00Z", &[]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let points = [
        "source.dati",
        "publish.parquet",
        "publish.pages",
        "publish.switch",
    ];
    for (hour, point) in (11..).zip(points) {
        // Something to do each time: a changed figure.
        edit(
            &dir.path().join("dati.csv"),
            ",biblioteche,2022,",
            &format!(",biblioteche,2022,{hour}"),
        );
        let time = format!("2026-11-23T{hour}:00:00Z");
        let (mut child, receiver) = start_paused(dir.path(), &time, point, &[]);
        wait_for_pause(&receiver, point);
        child.kill().unwrap();
        child.wait().unwrap();

        assert_eq!(current(dir.path()), "20261123T100000Z", "killed at {point}");
        assert_whole(&root(dir.path()).join("current"));
        if point == "publish.switch" {
            // Complete but never made current.
            assert!(releases(dir.path()).contains(&"20261123T140000Z".to_owned()));
        } else if point != "source.dati" {
            assert!(
                releases(dir.path()).iter().any(|n| n.ends_with(".partial")),
                "{:?}",
                releases(dir.path())
            );
        }
    }

    // The next run takes the lock the killed one held, clears what it left and publishes.
    let next = run_fixture(dir.path(), "2026-11-23T16:00:00Z", &[]);
    assert_eq!(next.status.code(), Some(0), "{}", stderr(&next));
    assert_eq!(current(dir.path()), "20261123T160000Z");
    assert_whole(&root(dir.path()).join("current"));
    assert!(
        !releases(dir.path()).iter().any(|n| n.starts_with('.')),
        "{:?}",
        releases(dir.path())
    );
    let indicators =
        std::fs::read_to_string(root(dir.path()).join("current/data/indicatori.csv")).unwrap();
    assert!(!indicators.is_empty());
}

#[test]
fn a_second_run_stops_at_once_while_the_first_holds_the_lock() {
    let dir = fixture();
    let (mut first, receiver) =
        start_paused(dir.path(), "2026-11-23T10:00:00Z", "publish.parquet", &[]);
    wait_for_pause(&receiver, "publish.parquet");

    let started = std::time::Instant::now();
    let second = run_fixture(dir.path(), "2026-11-23T10:00:01Z", &[]);
    let waited = started.elapsed();
    assert_eq!(second.status.code(), Some(4), "{}", stderr(&second));
    let text = stderr(&second);
    assert!(
        text.contains("another run holds the lock on out/minimal (pid ")
            && text.contains("this run stops without waiting"),
        "{text}"
    );
    // It did not wait for the first run, which sleeps for a minute.
    assert!(waited < Duration::from_secs(30), "{waited:?}");
    // Neither did the other commands that change the output folder.
    let rollback = datavalley(
        dir.path(),
        &["rollback", "pipeline.toml", "--output-dir", "out"],
    );
    assert_eq!(rollback.status.code(), Some(4));

    first.kill().unwrap();
    first.wait().unwrap();
    // The lock of a killed run does not block the next one.
    let third = run_fixture(dir.path(), "2026-11-23T11:00:00Z", &[]);
    assert_eq!(third.status.code(), Some(0), "{}", stderr(&third));
}

#[test]
fn json_logs_are_one_object_per_line_ending_with_the_summary() {
    let dir = fixture();
    edit(
        &dir.path().join("dati.csv"),
        ",1,biblioteche",
        ",uno,biblioteche",
    );
    let output = datavalley(
        dir.path(),
        &[
            "--log-format",
            "json",
            "run",
            "pipeline.toml",
            "--output-dir",
            "out",
            "--run-time",
            "2026-11-23T10:00:00Z",
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    let lines: Vec<serde_json::Value> = stderr(&output)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{line}: {e}")))
        .collect();
    for line in &lines {
        for key in ["timestamp", "level", "stage", "message", "fields"] {
            assert!(line.get(key).is_some(), "{key} missing in {line}");
        }
    }
    let finding = lines
        .iter()
        .find(|l| l["fields"]["rule"] == "not_a_number")
        .expect("the finding is logged");
    assert_eq!(finding["level"], "error");
    assert_eq!(finding["fields"]["file"], "dati.csv");
    assert_eq!(finding["fields"]["row"], 1);
    assert_eq!(finding["fields"]["column"], "valore");
    assert_eq!(finding["fields"]["value"], "uno");
    let blocked = &lines[lines.len() - 2];
    assert_eq!(blocked["stage"], "publish");
    assert_eq!(blocked["level"], "error");
    assert_eq!(blocked["fields"]["errors"], 1);
    let summary = lines.last().unwrap();
    assert_eq!(summary["stage"], "summary");
    assert_eq!(summary["fields"]["outcome"], "blocked");
    assert_eq!(summary["fields"]["files_published"], 0);
    assert_eq!(summary["fields"]["rows_in"], 7);
    assert_eq!(
        summary["fields"]["stages_run"],
        serde_json::json!(["source.comuni", "source.dati", "publish"])
    );

    // Human logs end with the summary too, and draw no progress bar when not on a terminal.
    edit(
        &dir.path().join("dati.csv"),
        ",uno,biblioteche",
        ",1,biblioteche",
    );
    let human = run_fixture(dir.path(), "2026-11-23T10:00:00Z", &[]);
    assert_eq!(human.status.code(), Some(0));
    let log = stderr(&human);
    let last = log.lines().last().unwrap();
    assert!(
        last.starts_with("[summary] published; 2 stages run, 1 skipped; 7 rows in, ")
            && last.ends_with(" s"),
        "{last}"
    );
    assert!(!log.contains('\r') && !log.contains('\u{1b}'), "{log:?}");
}

#[test]
fn the_provenance_names_every_input_and_output_by_checksum() {
    let dir = fixture();
    let output = run_fixture(dir.path(), "2026-11-23T10:00:00Z", &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let release = root(dir.path()).join("current");
    let provenance = provenance(&release);
    assert_eq!(
        provenance["tool"],
        format!("datavalley {}", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(provenance["run_time"], "2026-11-23T10:00:00Z");
    assert_eq!(provenance["pipeline"]["sha256"].as_str().unwrap().len(), 64);
    let sources = provenance["sources"].as_array().unwrap();
    assert_eq!(sources.len(), 2);
    for source in sources {
        for file in source["files"].as_array().unwrap() {
            let location = file["location"].as_str().unwrap();
            let bytes = std::fs::read(dir.path().join(location)).unwrap();
            assert_eq!(file["sha256"], sha256_hex(&bytes), "{location}");
            assert_eq!(file["bytes"], bytes.len(), "{location}");
            assert_eq!(file["retrieved_at"], "2026-11-23T10:00:00Z");
        }
    }
    assert_whole(&release);
    // The dataset page names the input files and their dates.
    let page = std::fs::read_to_string(release.join("dataset/indicatori.html")).unwrap();
    assert!(
        page.contains("<td class=\"dv-break\">dati.csv</td><td>letto il 23 novembre 2026</td>"),
        "{page}"
    );
    // Fingerprints do not depend on the folder the tool runs from.
    let name = dir.path().file_name().unwrap().to_str().unwrap();
    let pipeline = format!("{name}/pipeline.toml");
    let out = format!("{name}/out");
    let plan = datavalley(
        dir.path().parent().unwrap(),
        &["plan", &pipeline, "--output-dir", &out],
    );
    assert!(
        stdout(&plan).contains("publish: skipped: unchanged, nothing to do"),
        "{}",
        stdout(&plan)
    );
}

/// The SHA-256 of every file of the history folder, by name.
fn history_files(dir: &Path) -> std::collections::BTreeMap<String, String> {
    let folder = root(dir).join("history");
    std::fs::read_dir(&folder)
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, sha256_hex(&std::fs::read(&path).unwrap()))
        })
        .collect()
}

/// The history as `datavalley history` reads it (JSON), and the releases it lists.
fn history_of(dir: &Path) -> (serde_json::Value, Vec<String>) {
    let output = datavalley(
        dir,
        &[
            "history",
            "pipeline.toml",
            "--output-dir",
            "out",
            "--log-format",
            "json",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let history: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let releases = history["releases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["release"].as_str().unwrap().to_owned())
        .collect();
    (history, releases)
}

/// Every segment the manifest lists is there with the checksum it records.
fn assert_history_whole(dir: &Path) {
    let folder = root(dir).join("history");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(folder.join("manifest.json")).unwrap())
            .unwrap();
    for segment in manifest["segments"].as_array().unwrap() {
        let path = folder.join(segment["file"].as_str().unwrap());
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(sha256_hex(&bytes), segment["sha256"].as_str().unwrap());
    }
}

#[test]
fn a_run_killed_while_it_adds_to_the_history_leaves_the_history_whole() {
    let dir = fixture();
    let first = run_fixture(dir.path(), "2026-11-23T10:00:00Z", &[]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let before = history_files(dir.path());
    let (history_before, listed) = history_of(dir.path());
    assert_eq!(listed, ["20261123T100000Z"]);

    for (hour, point) in (11..).zip(["publish.parquet", "history.write", "publish.switch"]) {
        edit(
            &dir.path().join("dati.csv"),
            ",biblioteche,2022,",
            &format!(",biblioteche,2022,{hour}"),
        );
        let time = format!("2026-11-23T{hour}:00:00Z");
        let (mut child, receiver) = start_paused(dir.path(), &time, point, &[]);
        wait_for_pause(&receiver, point);
        child.kill().unwrap();
        child.wait().unwrap();

        // Whatever the killed run wrote, the history as read is the one before it, whole.
        assert_history_whole(dir.path());
        let (history, _) = history_of(dir.path());
        for part in ["releases", "values"] {
            assert_eq!(history[part], history_before[part], "killed at {point}");
        }
        if point == "publish.parquet" {
            assert_eq!(history_files(dir.path()), before, "killed at {point}");
        }
    }

    // The next run settles what the killed ones left and adds its own release.
    let next = run_fixture(dir.path(), "2026-11-23T16:00:00Z", &[]);
    assert_eq!(next.status.code(), Some(0), "{}", stderr(&next));
    assert_history_whole(dir.path());
    let (history, listed) = history_of(dir.path());
    assert_eq!(
        listed,
        ["20261123T100000Z", "20261123T160000Z"],
        "{history}"
    );
    // The figure of 2022 changed: a revision of the value the first release gave.
    let last = &history["releases"][1]["changes"];
    assert_eq!(last["revised"], 2, "{history}");
    // The release killed before its switch is kept apart, never read as history.
    assert_eq!(history["left_behind"][0]["release"], "20261123T130000Z");
}

#[test]
fn a_damaged_history_file_is_reported_with_its_path_never_read_shorter() {
    let dir = fixture();
    let first = run_fixture(dir.path(), "2026-11-23T10:00:00Z", &[]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let segment = root(dir.path()).join("history/20261123T100000Z.parquet");
    let bytes = std::fs::read(&segment).unwrap();
    std::fs::write(&segment, &bytes[..bytes.len() / 2]).unwrap();

    edit(
        &dir.path().join("dati.csv"),
        ",biblioteche,2022,1",
        ",biblioteche,2022,5",
    );
    for output in [
        run_fixture(dir.path(), "2026-11-23T11:00:00Z", &[]),
        datavalley(
            dir.path(),
            &["history", "pipeline.toml", "--output-dir", "out"],
        ),
    ] {
        let text = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{text}");
        assert!(
            text.contains("history/20261123T100000Z.parquet")
                && text.contains("the history file is damaged"),
            "{text}"
        );
    }
    // Nothing was published over the damaged history.
    assert_eq!(current(dir.path()), "20261123T100000Z");
}

#[test]
fn a_rollback_keeps_the_history_and_the_next_run_continues_from_the_current_release() {
    let dir = fixture();
    for (hour, value) in [(10, "1"), (11, "3"), (12, "4")] {
        if hour > 10 {
            edit(
                &dir.path().join("dati.csv"),
                ",biblioteche,2022,",
                &format!(",biblioteche,2022,{value}"),
            );
        }
        let output = run_fixture(dir.path(), &format!("2026-11-23T{hour}:00:00Z"), &[]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    }
    let before = history_files(dir.path());
    let back = datavalley(
        dir.path(),
        &["rollback", "pipeline.toml", "--output-dir", "out"],
    );
    assert_eq!(back.status.code(), Some(0), "{}", stderr(&back));
    assert_eq!(current(dir.path()), "20261123T110000Z");

    // No segment is lost; the rolled-back release is marked.
    let after = history_files(dir.path());
    for (name, sha256) in &before {
        if name != "manifest.json" {
            assert_eq!(after.get(name), Some(sha256), "{name}");
        }
    }
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root(dir.path()).join("history/manifest.json")).unwrap(),
    )
    .unwrap();
    let marked: Vec<&str> = manifest["segments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["rolled_back"] == true)
        .map(|s| s["release"].as_str().unwrap())
        .collect();
    assert_eq!(marked, ["20261123T120000Z"]);
    let (history, listed) = history_of(dir.path());
    assert_eq!(listed, ["20261123T100000Z", "20261123T110000Z"]);
    assert_eq!(history["left_behind"][0]["release"], "20261123T120000Z");
    assert_eq!(history["left_behind"][0]["rolled_back"], true);

    // The next run follows on from the current release, not from the rolled-back one.
    edit(
        &dir.path().join("dati.csv"),
        ",biblioteche,2022,4",
        ",biblioteche,2022,7",
    );
    let next = run_fixture(dir.path(), "2026-11-23T13:00:00Z", &[]);
    assert_eq!(next.status.code(), Some(0), "{}", stderr(&next));
    let (history, listed) = history_of(dir.path());
    assert_eq!(
        listed,
        ["20261123T100000Z", "20261123T110000Z", "20261123T130000Z"],
        "{history}"
    );
    assert_history_whole(dir.path());
    assert!(
        root(dir.path())
            .join("history/20261123T120000Z.parquet")
            .is_file()
    );
}
