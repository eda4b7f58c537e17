//! Monitoring over time on the real PA digitale files: two snapshots of measure 1.4.5 (December
//! 2023, then August 2026) read by two runs of the sample and of the national pipeline build a
//! series of two periods; the Novità page, the Atom feed (read by a real feed parser), the
//! historical dataset in the catalog (pySHACL, frictionless) and `datavalley diff` say what
//! changed; a source older than its expected update warns, or stops the run when it says so.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{copy_dir, datavalley, python, read_csv, repo, shared_data, stderr, stdout};

const VAL_D_ENZA: [&str; 8] = [
    "035004", "035010", "035017", "035018", "035022", "035027", "035038", "035039",
];

/// The sample's file of measure 1.4.5, which the two runs replace.
const SAMPLE_145: &str = "pipelines/val-d-enza/padigitale/candidature_finanziate_145.csv";

/// Writes the rows of `codes` (all, when empty) of a PA digitale file to `to`.
fn excerpt(from: &Path, to: &Path, codes: &[&str]) {
    let mut reader = csv::Reader::from_path(from).unwrap();
    let header = reader.headers().unwrap().clone();
    let column = header.iter().position(|h| h == "cod_comune").unwrap();
    let mut writer = csv::Writer::from_path(to).unwrap();
    writer.write_record(&header).unwrap();
    for record in reader.records() {
        let record = record.unwrap();
        if codes.is_empty() || codes.contains(&&record[column]) {
            writer.write_record(&record).unwrap();
        }
    }
    writer.flush().unwrap();
}

/// Makes the PA digitale source of a pipeline file read only `file`.
fn read_only(pipeline: &Path, file: &str) {
    let text = std::fs::read_to_string(pipeline).unwrap();
    let start = text.find("[source.pnrr.padigitale]").unwrap();
    let files = start + text[start..].find("files = [").unwrap();
    let end = files + text[files..].find(']').unwrap() + 1;
    let edited = format!("{}files = [\"{file}\"]{}", &text[..files], &text[end..]);
    std::fs::write(pipeline, edited).unwrap();
}

fn run(dir: &Path, pipeline: &str, time: &str) -> String {
    let output = datavalley(
        dir,
        &["run", pipeline, "--output-dir", "out", "--run-time", time],
    );
    let log = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{log}");
    assert!(stdout(&output).starts_with("published"), "{log}");
    log
}

/// `datavalley COMMAND PIPELINE --output-dir out --log-format json ...`, parsed.
fn json(dir: &Path, command: &str, pipeline: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec![
        command,
        pipeline,
        "--output-dir",
        "out",
        "--log-format",
        "json",
    ];
    args.extend_from_slice(extra);
    let output = datavalley(dir, &args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    serde_json::from_str(&stdout(&output)).unwrap()
}

/// The periods of each territory's values of one indicator in the historical dataset.
fn periods_of(release: &Path, indicator: &str) -> BTreeMap<String, BTreeSet<String>> {
    let (header, rows) = read_csv(&release.join("data/indicatori_storico.csv"));
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (territory, wanted, period) = (column("territory"), column("indicator"), column("period"));
    let mut periods: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for row in rows.iter().filter(|row| row[wanted] == indicator) {
        periods
            .entry(row[territory].clone())
            .or_default()
            .insert(row[period].clone());
    }
    periods
}

/// The counts of the current release's segment, as the history's manifest records them.
fn manifest_changes(root: &Path) -> serde_json::Value {
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("history/manifest.json")).unwrap())
            .unwrap();
    manifest["segments"].as_array().unwrap().last().unwrap()["changes"].clone()
}

/// `datavalley diff` of the last two releases agrees with the history's own counts.
fn assert_diff_matches_history(dir: &Path, pipeline: &str, root: &Path) -> serde_json::Value {
    let diff = json(dir, "diff", pipeline, &[]);
    let counts = manifest_changes(root);
    let changes = diff["changes"].as_array().unwrap();
    for kind in ["new", "changed", "removed", "revised"] {
        let listed = changes.iter().filter(|c| c["kind"] == kind).count() as u64;
        assert_eq!(Some(listed), counts[kind].as_u64(), "{kind}: {counts}");
    }
    diff
}

#[test]
#[cfg_attr(
    shared_data_absent,
    ignore = "skipped: ../shared/data (the real public files) is absent"
)]
fn two_snapshots_of_the_sample_make_a_series_a_news_page_and_a_feed() {
    let Some(data) = shared_data() else { return };
    let Some(python) = python() else { return };
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("pipelines"), &dir.path().join("pipelines"));
    let pipeline = dir.path().join("pipelines/val-d-enza.toml");
    read_only(
        &pipeline,
        "val-d-enza/padigitale/candidature_finanziate_145.csv",
    );
    let sample = dir.path().join(SAMPLE_145);
    let august = std::fs::read(&sample).unwrap();

    // December 2023: the union's rows of the snapshot of that month.
    let december = data.join("padigitale2026/candidature_finanziate_145.2023-12.csv");
    excerpt(&december, &sample, &VAL_D_ENZA);
    run(
        dir.path(),
        "pipelines/val-d-enza.toml",
        "2026-11-23T02:00:00Z",
    );
    // August 2026: the sample's own file.
    std::fs::write(&sample, &august).unwrap();
    run(
        dir.path(),
        "pipelines/val-d-enza.toml",
        "2026-11-24T02:00:00Z",
    );

    let root = dir.path().join("out/val-d-enza");
    let release = root.join("current");
    let periods = periods_of(&release, "pnrr_funding_renounced");
    for territory in VAL_D_ENZA.iter().copied().chain(["val_d_enza"]) {
        assert_eq!(
            periods.get(territory).map(BTreeSet::len),
            Some(2),
            "{territory}: {periods:?}"
        );
    }

    // The union's page draws the series: one line of two points.
    let page = std::fs::read_to_string(release.join("territorio/val_d_enza.html")).unwrap();
    let chart = chart_svg(&page, "val_d_enza-pnrr_funding_renounced-serie");
    let line = chart.split("<polyline points=\"").nth(1).unwrap();
    let points = line[..line.find('"').unwrap()].split(' ').count();
    assert_eq!(points, 2, "{chart}");

    // Novità: the renounced funding of Bibbiano went from nothing to the application given up.
    let news = std::fs::read_to_string(release.join("novita.html")).unwrap();
    let row = news
        .split("<tr>")
        .find(|row| row.contains("rinunciato") && row.contains("Bibbiano"))
        .unwrap_or_else(|| panic!("{news}"));
    assert!(
        row.contains("0 euro") && row.contains("32.589 euro"),
        "{row}"
    );
    assert!(news.contains("A → R"), "an application that changed status");

    // The feed: two entries, accepted by a real feed parser.
    let feed = Command::new(&python)
        .arg(repo().join("tests/conformance/check_feed.py"))
        .arg(release.join("feed.xml"))
        .output()
        .unwrap();
    let text = stdout(&feed) + &stderr(&feed);
    assert!(feed.status.success(), "{text}");
    assert!(text.contains("entries: 2"), "{text}");
    assert!(page.contains("<link rel=\"alternate\" type=\"application/atom+xml\""));

    // The historical dataset is in the catalog, which still passes the validators.
    let catalog = std::fs::read_to_string(release.join("catalog.ttl")).unwrap();
    assert!(catalog.contains("dataset/indicatori_storico>"), "{catalog}");
    // Its temporal coverage runs from the oldest period (the profile's 2022) to the newest
    // snapshot's, past the December 2023 one.
    let coverage = catalog
        .split("dataset/indicatori_storico#periodo> ")
        .nth(1)
        .and_then(|rest| rest.split(" .\n").next())
        .unwrap_or_else(|| panic!("{catalog}"));
    assert!(
        coverage.contains("dcat:startDate \"2022-01-01\"")
            && coverage.contains("dcat:endDate \"2026-03-09\""),
        "{coverage}"
    );
    let check = Command::new(&python)
        .arg(repo().join("tests/conformance/check_release.py"))
        .arg(&release)
        .arg(data.join("dcat-ap_it"))
        .output()
        .unwrap();
    let text = stdout(&check) + &stderr(&check);
    assert!(check.status.success(), "{text}");

    let diff = assert_diff_matches_history(dir.path(), "pipelines/val-d-enza.toml", &root);
    assert!(manifest_changes(&root)["changed"].as_u64().unwrap() > 0);
    assert!(!diff["records"].as_array().unwrap().is_empty(), "{diff}");
}

/// The SVG of the chart whose title has id `chart-{id}-title`.
fn chart_svg<'a>(page: &'a str, id: &str) -> &'a str {
    let at = page
        .find(&format!("aria-labelledby=\"chart-{id}-title"))
        .unwrap_or_else(|| panic!("no chart {id}"));
    let start = page[..at].rfind("<svg").unwrap();
    let end = at + page[at..].find("</svg>").unwrap();
    &page[start..end]
}

#[test]
#[cfg_attr(
    shared_data_absent,
    ignore = "skipped: ../shared/data (the real public files) is absent"
)]
fn two_national_snapshots_give_every_territory_two_periods() {
    let Some(data) = shared_data() else { return };
    let dir = tempfile::tempdir().unwrap();
    let pipelines = dir.path().join("pipelines");
    copy_dir(&repo().join("pipelines"), &pipelines);
    let pipeline = pipelines.join("italia.toml");
    let shared = data.to_str().unwrap().to_owned() + "/";
    let text = std::fs::read_to_string(&pipeline).unwrap();
    std::fs::write(&pipeline, text.replace("../../shared/data/", &shared)).unwrap();
    let snapshot: PathBuf = dir.path().join("candidature_finanziate_145.csv");
    read_only(&pipeline, snapshot.to_str().unwrap());

    let december = data.join("padigitale2026/candidature_finanziate_145.2023-12.csv");
    excerpt(&december, &snapshot, &[]);
    run(dir.path(), "pipelines/italia.toml", "2026-11-23T02:00:00Z");
    std::fs::copy(
        data.join("padigitale2026/candidature_finanziate_145.csv"),
        &snapshot,
    )
    .unwrap();
    run(dir.path(), "pipelines/italia.toml", "2026-11-24T02:00:00Z");

    let root = dir.path().join("out/italia");
    let release = root.join("current");
    let periods = periods_of(&release, "pnrr_funding");
    let (header, rows) = read_csv(&release.join("data/indicatori.csv"));
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (territory, level, indicator) = (column("territory"), column("level"), column("indicator"));
    let mut per_level: BTreeMap<String, usize> = BTreeMap::new();
    for row in rows.iter().filter(|row| row[indicator] == "pnrr_funding") {
        *per_level.entry(row[level].clone()).or_default() += 1;
        assert_eq!(
            periods.get(&row[territory]).map(BTreeSet::len),
            Some(2),
            "{}",
            row[territory]
        );
    }
    // Every comune, province, region and Italy.
    assert_eq!(per_level["comune"], 7901, "{per_level:?}");
    assert_eq!(per_level["province"], 107);
    assert_eq!(per_level["region"], 20);
    assert_eq!(per_level["italy"], 1);
    let series = json(
        dir.path(),
        "history",
        "pipelines/italia.toml",
        &["--indicator", "pnrr_funding", "--territory", "IT"],
    );
    assert_eq!(series["values"].as_array().unwrap().len(), 2, "{series}");

    let diff = assert_diff_matches_history(dir.path(), "pipelines/italia.toml", &root);
    assert!(diff["changes"].as_array().unwrap().len() > 1000, "{diff}");
}

#[test]
fn a_source_older_than_its_expected_update_warns_or_stops_the_run() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("pipelines"), &dir.path().join("pipelines"));
    let pipeline = dir.path().join("pipelines/val-d-enza.toml");
    let text = std::fs::read_to_string(&pipeline).unwrap();
    let daily = text.replacen(
        "[source.pnrr.padigitale]\n",
        "[source.pnrr.padigitale]\nexpected_update = \"DAILY\"\n",
        1,
    );
    assert_ne!(daily, text);
    std::fs::write(&pipeline, &daily).unwrap();

    // The latest date in the sample's files is 10 August 2026: stale after the 11th.
    let log = run(
        dir.path(),
        "pipelines/val-d-enza.toml",
        "2026-08-11T02:00:00Z",
    );
    assert!(!log.contains("stale_source"), "{log}");
    let log = run(
        dir.path(),
        "pipelines/val-d-enza.toml",
        "2026-08-22T02:00:00Z",
    );
    assert!(
        log.contains("warning[stale_source]")
            && log.contains("its data is as of 2026-08-10 (its reference date)")
            && log.contains("stale since 2026-08-11"),
        "{log}"
    );
    // The next night nothing changed: nothing to publish, and the warning is said again.
    let log = run_quiet(dir.path(), "2026-08-23T02:00:00Z");
    assert!(
        log.contains("nothing to do") && log.contains("warning[stale_source]"),
        "{log}"
    );
    let page = std::fs::read_to_string(
        dir.path()
            .join("out/val-d-enza/current/dataset/indicatori.html"),
    )
    .unwrap();
    assert!(
        page.contains("Dato non aggiornato dal 10 agosto 2026"),
        "{page}"
    );

    // Declared an error, stale data publishes nothing.
    let strict = daily.replacen(
        "expected_update = \"DAILY\"\n",
        "expected_update = \"DAILY\"\nstale = \"error\"\n",
        1,
    );
    std::fs::write(&pipeline, strict).unwrap();
    let output = datavalley(
        dir.path(),
        &[
            "run",
            "pipelines/val-d-enza.toml",
            "--output-dir",
            "out",
            "--run-time",
            "2026-08-24T02:00:00Z",
        ],
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("error[stale_source]"));
}

/// A run of the sample that may have nothing to do: its log.
fn run_quiet(dir: &Path, time: &str) -> String {
    let output = datavalley(
        dir,
        &[
            "run",
            "pipelines/val-d-enza.toml",
            "--output-dir",
            "out",
            "--run-time",
            time,
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    stderr(&output)
}

#[test]
fn a_bounded_history_folds_its_oldest_releases_and_keeps_every_value() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("pipelines"), &dir.path().join("pipelines"));
    let pipeline = dir.path().join("pipelines/val-d-enza.toml");
    let text = std::fs::read_to_string(&pipeline).unwrap();

    // Fewer releases of history than are kept for rollback is refused at its line.
    std::fs::write(&pipeline, format!("{text}\n[history]\nkeep = 2\n")).unwrap();
    let check = datavalley(dir.path(), &["check", "pipelines/val-d-enza.toml"]);
    assert_eq!(check.status.code(), Some(2));
    assert!(
        stderr(&check).contains("`history.keep`: keep the history of at least the 5 releases"),
        "{}",
        stderr(&check)
    );

    std::fs::write(&pipeline, format!("{text}\n[history]\nkeep = 5\n")).unwrap();
    let profile = dir.path().join("pipelines/val-d-enza/profilo.csv");
    let original = std::fs::read_to_string(&profile).unwrap();
    for night in 0..7 {
        // Each night the union's trained citizens of 2022 are revised.
        let edited = original.replace(
            "val_d_enza;citizens_trained_pane_e_internet;2022;365;",
            &format!(
                "val_d_enza;citizens_trained_pane_e_internet;2022;{};",
                366 + night
            ),
        );
        assert_ne!(edited, original);
        std::fs::write(&profile, edited).unwrap();
        run(
            dir.path(),
            "pipelines/val-d-enza.toml",
            &format!("2026-11-{:02}T02:00:00Z", 10 + night),
        );
    }
    let root = dir.path().join("out/val-d-enza");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("history/manifest.json")).unwrap())
            .unwrap();
    let files: Vec<&str> = manifest["segments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["file"].as_str().unwrap())
        .collect();
    // The two oldest of the seven releases are folded into one segment; five are kept whole.
    assert_eq!(files.len(), 6, "{files:?}");
    assert_eq!(files[0], "20261111T020000Z.folded.parquet");
    let on_disk = std::fs::read_dir(root.join("history")).unwrap().count();
    assert_eq!(on_disk, 7, "six segments and the manifest");

    // Every value is still there, the revised one current and marked revised.
    let (header, rows) = read_csv(&root.join("current/data/indicatori_storico.csv"));
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let trained = rows
        .iter()
        .find(|r| {
            r[column("territory")] == "val_d_enza"
                && r[column("indicator")].contains("pane_e_internet")
                && r[column("period")] == "2022"
        })
        .unwrap_or_else(|| panic!("{header:?}"));
    assert_eq!(trained[column("revised")], "1");
    assert_eq!(trained[column("release")], "20261116T020000Z");
    assert!(rows.len() > 100, "{}", rows.len());
}
