//! Sources over HTTP against a real server on 127.0.0.1 serving the real ISTAT and PA digitale
//! files: cache and conditional GET, retries, timeouts, cut bodies, Retry-After, offline runs,
//! the shrink guard, and the PNRR pipeline of the Unione Val d'Enza read by URL.

mod common;

use std::path::Path;
use std::process::Output;
use std::time::Duration;

use common::http::{Behaviour, Server};
use common::{datavalley, repo, shared_data, stderr, stdout};

const LIST: &str = "/istat/Elenco-comuni-italiani.csv";
const POPULATION: &str = "/istat/popolazione.csv";

/// A pipeline reading the real list of comuni and the real 2021 population by URL.
fn pipeline(dir: &Path, server: &Server, population_http: &str) {
    std::fs::copy(
        repo().join("pipelines/territori/variazioni-codici.csv"),
        dir.join("variazioni-codici.csv"),
    )
    .unwrap();
    let text = format!(
        r#"[pipeline]
id = "http"
title = "Popolazione per provincia"

[territories]
aggregate = ["province", "region", "italy"]
code_changes = "variazioni-codici.csv"
unknown_codes = "warning"

[source.comuni.territories]
url = "{list}"
[source.comuni.territories.http]
min_interval_seconds = 0

[source.popolazione.istat_population]
url = "{population}"
period = "2021"
[source.popolazione.istat_population.http]
min_interval_seconds = 0
{population_http}

[indicator.residenti.sum]
challenge = 8
label = "Residenti"
unit = "abitanti"
decimals = 0
measure = "population_total"

[dataset.indicatori]
title = "Residenti"
table = "indicators"
"#,
        list = server.url(LIST),
        population = server.url(POPULATION),
    );
    std::fs::write(dir.join("pipeline.toml"), text).unwrap();
}

fn serve_real_files(server: &Server, data: &Path) {
    server.serve(
        LIST,
        std::fs::read(data.join("istat/Elenco-comuni-italiani_2023-11_paolovolterra.csv")).unwrap(),
    );
    server.serve(
        POPULATION,
        std::fs::read(data.join("istat/ISTAT_popolazione_2021.csv")).unwrap(),
    );
}

fn run(dir: &Path, extra: &[&str]) -> Output {
    common::run_fixture(dir, "2026-11-23T10:00:00Z", extra)
}

/// The published population of the province of Reggio nell'Emilia, summed from its comuni.
fn province_population(dir: &Path) -> f64 {
    let text = std::fs::read_to_string(dir.join("out/http/current/data/indicatori.csv")).unwrap();
    text.lines()
        .find(|l| l.starts_with("035,"))
        .map(|l| l.split(',').nth(8).unwrap().parse().unwrap())
        .unwrap()
}

/// The same sum, read straight from the file the server sends.
fn expected_province_population(body: &str) -> f64 {
    body.lines()
        .skip(1)
        .filter(|l| l.len() > 6 && l.starts_with("35") && l.split(',').next().unwrap().len() == 5)
        .map(|l| l.rsplit(',').next().unwrap().trim().parse::<f64>().unwrap())
        .sum()
}

fn report_files(dir: &Path) -> serde_json::Value {
    let report: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("out/http/current/report.json")).unwrap(),
    )
    .unwrap();
    report["sources"][1]["files"][0].clone()
}

#[test]
#[cfg_attr(
    shared_data_absent,
    ignore = "skipped: ../shared/data (the real public files) is absent"
)]
fn downloads_once_then_revalidates_and_refetches_a_changed_file() {
    let Some(data) = shared_data() else { return };
    let server = Server::start();
    serve_real_files(&server, &data);
    let dir = tempfile::tempdir().unwrap();
    pipeline(dir.path(), &server, "");

    let original = std::fs::read_to_string(data.join("istat/ISTAT_popolazione_2021.csv")).unwrap();
    let expected = expected_province_population(&original);
    let first = run(dir.path(), &[]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert_eq!(province_population(dir.path()), expected);
    assert_eq!(report_files(dir.path())["freshness"], "downloaded");
    let requests = server.requests(POPULATION);
    assert_eq!(
        (
            requests.len(),
            requests[0].if_none_match.is_none(),
            requests[0].status
        ),
        (1, true, 200)
    );

    // Unchanged on the server: revalidated, and nothing to do.
    let second = run(dir.path(), &[]);
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    assert!(
        stdout(&second).contains("nothing to do"),
        "{}",
        stdout(&second)
    );
    let requests = server.requests(POPULATION);
    assert_eq!(requests.len(), 2);
    assert!(requests[1].if_none_match.is_some());
    assert_eq!(requests[1].status, 304);

    // Forced: the cached body is read again after another conditional GET.
    let forced = run(dir.path(), &["--force"]);
    assert_eq!(forced.status.code(), Some(0), "{}", stderr(&forced));
    let requests = server.requests(POPULATION);
    assert_eq!((requests.len(), requests[2].status), (3, 304));
    assert_eq!(report_files(dir.path())["freshness"], "not_modified");
    assert_eq!(province_population(dir.path()), expected);

    // The publisher corrects a figure: the new body is downloaded.
    let corrected = original.replacen("35004,1093,9011,10104", "35004,1093,9012,10105", 1);
    assert_ne!(corrected, original);
    server.serve(POPULATION, corrected.into_bytes());
    let third = run(dir.path(), &[]);
    assert_eq!(third.status.code(), Some(0), "{}", stderr(&third));
    assert_eq!(server.requests(POPULATION)[3].status, 200);
    assert_eq!(report_files(dir.path())["freshness"], "downloaded");
    assert_eq!(province_population(dir.path()), expected + 1.0);
}

#[test]
#[cfg_attr(
    shared_data_absent,
    ignore = "skipped: ../shared/data (the real public files) is absent"
)]
fn a_server_error_is_retried_and_a_retry_after_is_honoured() {
    let Some(data) = shared_data() else { return };
    let server = Server::start();
    serve_real_files(&server, &data);
    let body = std::fs::read(data.join("istat/ISTAT_popolazione_2021.csv")).unwrap();
    server.route(
        POPULATION,
        Behaviour::FailFirst {
            times: 1,
            status: 500,
            retry_after: None,
            body: body.clone(),
            etag: "\"a\"".into(),
        },
    );
    let dir = tempfile::tempdir().unwrap();
    pipeline(dir.path(), &server, "");
    let output = run(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let statuses: Vec<u16> = server
        .requests(POPULATION)
        .iter()
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses, [500, 200]);

    let server = Server::start();
    serve_real_files(&server, &data);
    server.route(
        POPULATION,
        Behaviour::FailFirst {
            times: 1,
            status: 429,
            retry_after: Some(1),
            body,
            etag: "\"b\"".into(),
        },
    );
    let dir = tempfile::tempdir().unwrap();
    pipeline(dir.path(), &server, "");
    let output = run(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let requests = server.requests(POPULATION);
    assert_eq!(
        requests.iter().map(|r| r.status).collect::<Vec<_>>(),
        [429, 200]
    );
    let waited = requests[1].at - requests[0].at;
    assert!(
        waited >= Duration::from_millis(950),
        "waited only {waited:?}"
    );
}

#[test]
#[cfg_attr(
    shared_data_absent,
    ignore = "skipped: ../shared/data (the real public files) is absent"
)]
fn a_server_that_never_answers_hits_the_timeout() {
    let Some(data) = shared_data() else { return };
    let server = Server::start();
    serve_real_files(&server, &data);
    server.route(POPULATION, Behaviour::Hang);
    let dir = tempfile::tempdir().unwrap();
    pipeline(dir.path(), &server, "timeout_seconds = 1\nretries = 1");
    let started = std::time::Instant::now();
    let output = run(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    let text = stderr(&output);
    assert!(
        text.contains("no answer within the timeout") && text.contains("gave up after 2 attempts"),
        "{text}"
    );
    assert!(started.elapsed() < Duration::from_secs(30));
    assert_eq!(server.requests(POPULATION).len(), 2);
}

#[test]
#[cfg_attr(
    shared_data_absent,
    ignore = "skipped: ../shared/data (the real public files) is absent"
)]
fn a_cut_body_is_refused_and_the_cached_copy_stays() {
    let Some(data) = shared_data() else { return };
    let server = Server::start();
    serve_real_files(&server, &data);
    let dir = tempfile::tempdir().unwrap();
    pipeline(dir.path(), &server, "");
    assert_eq!(run(dir.path(), &[]).status.code(), Some(0));

    let body = std::fs::read(data.join("istat/ISTAT_popolazione_2021.csv")).unwrap();
    server.route(
        POPULATION,
        Behaviour::Truncate {
            body: body[..body.len() / 2].to_vec(),
            claimed: body.len(),
        },
    );
    let output = run(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    assert!(stderr(&output).contains("cut off"), "{}", stderr(&output));

    // The whole earlier copy is still in the cache.
    let offline = run(dir.path(), &["--offline"]);
    assert_eq!(offline.status.code(), Some(0), "{}", stderr(&offline));
    let original = std::fs::read_to_string(data.join("istat/ISTAT_popolazione_2021.csv")).unwrap();
    assert_eq!(
        province_population(dir.path()),
        expected_province_population(&original)
    );
}

#[test]
#[cfg_attr(
    shared_data_absent,
    ignore = "skipped: ../shared/data (the real public files) is absent"
)]
fn offline_runs_from_the_cache_and_fails_clearly_without_it() {
    let Some(data) = shared_data() else { return };
    let server = Server::start();
    serve_real_files(&server, &data);
    let dir = tempfile::tempdir().unwrap();
    pipeline(dir.path(), &server, "");
    let empty = run(dir.path(), &["--offline"]);
    assert_eq!(empty.status.code(), Some(3));
    assert!(
        stderr(&empty).contains("--offline, and the URL is not in the cache"),
        "{}",
        stderr(&empty)
    );
    assert!(server.requests(LIST).is_empty());

    assert_eq!(run(dir.path(), &[]).status.code(), Some(0));
    let requests_before = server.requests(POPULATION).len();
    let offline = run(dir.path(), &["--offline", "--force"]);
    assert_eq!(offline.status.code(), Some(0), "{}", stderr(&offline));
    assert_eq!(server.requests(POPULATION).len(), requests_before);
    assert_eq!(report_files(dir.path())["freshness"], "cached");
    assert!(dir.path().join("out/.cache/http").is_dir());
}

#[test]
#[cfg_attr(
    shared_data_absent,
    ignore = "skipped: ../shared/data (the real public files) is absent"
)]
fn a_source_that_shrinks_fails_unless_accepted() {
    let Some(data) = shared_data() else { return };
    let server = Server::start();
    serve_real_files(&server, &data);
    let dir = tempfile::tempdir().unwrap();
    pipeline(dir.path(), &server, "");
    assert_eq!(run(dir.path(), &[]).status.code(), Some(0));

    let original = std::fs::read_to_string(data.join("istat/ISTAT_popolazione_2021.csv")).unwrap();
    let shrunk: Vec<&str> = original.lines().take(5000).collect();
    server.serve(POPULATION, (shrunk.join("\n") + "\n").into_bytes());
    let output = run(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = stderr(&output);
    assert!(
        text.contains("error[source_shrank]") && text.contains("4999 rows now against 7903"),
        "{text}"
    );
    assert!(text.contains("--accept-shrink"), "{text}");
    // Still refused on the next run: the accepted count is the earlier one.
    assert_eq!(run(dir.path(), &[]).status.code(), Some(1));
    let accepted = run(dir.path(), &["--accept-shrink"]);
    assert_eq!(accepted.status.code(), Some(0), "{}", stderr(&accepted));
    assert_eq!(run(dir.path(), &[]).status.code(), Some(0));
}

#[test]
#[cfg_attr(
    shared_data_absent,
    ignore = "skipped: ../shared/data (the real public files) is absent"
)]
fn the_union_pnrr_pipeline_reads_the_real_files_by_url() {
    let Some(data) = shared_data() else { return };
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&repo().join("pipelines"), &dir.path().join("pipelines"));
    let file = dir.path().join("pipelines/val-d-enza-pnrr.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    let publisher =
        "https://raw.githubusercontent.com/teamdigitale/padigitale2026-opendata/main/data/";
    let istat =
        "https://www.istat.it/storage/codici-unita-amministrative/Elenco-comuni-italiani.csv";
    assert!(text.contains(publisher) && text.contains(istat));
    let text = text
        .replace(publisher, &server.url("/padigitale/"))
        .replace(istat, &server.url(LIST))
        .replace("[source.pnrr.padigitale]", "[source.pnrr.padigitale.http]\nmin_interval_seconds = 0\n\n[source.pnrr.padigitale]")
        .replace("[source.comuni.territories]\n", "[source.comuni.territories.http]\nmin_interval_seconds = 0\n\n[source.comuni.territories]\n");
    std::fs::write(&file, text).unwrap();
    server.serve(
        LIST,
        std::fs::read(data.join("istat/Elenco-comuni-italiani_2023-11_paolovolterra.csv")).unwrap(),
    );
    for name in ["11", "12", "131", "141", "143", "144", "145"] {
        let file = format!("candidature_finanziate_{name}.csv");
        server.serve(
            &format!("/padigitale/{file}"),
            std::fs::read(data.join("padigitale2026").join(&file)).unwrap(),
        );
    }
    server.serve(
        "/padigitale/candidature_altrienti_finanziate.csv",
        std::fs::read(data.join("padigitale2026/candidature_altrienti_finanziate.csv")).unwrap(),
    );
    let output = datavalley(
        dir.path(),
        &[
            "run",
            "pipelines/val-d-enza-pnrr.toml",
            "--output-dir",
            "out",
            "--run-time",
            "2026-11-23T10:00:00Z",
        ],
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}\n{}",
        stdout(&output),
        stderr(&output)
    );
    let current = dir.path().join("out/val-d-enza-pnrr/current/data");
    let projects = std::fs::read_to_string(current.join("progetti_pnrr.csv")).unwrap();
    let members = [
        "035004", "035010", "035017", "035018", "035022", "035027", "035038", "035039",
    ];
    for member in members {
        assert!(
            projects.lines().any(|l| l.starts_with(member)),
            "no PNRR project for {member}"
        );
    }
    let indicators = std::fs::read_to_string(current.join("indicatori.csv")).unwrap();
    let row = |indicator: &str, territory: &str| {
        indicators
            .lines()
            .find(|l| {
                l.starts_with(&format!("{territory},")) && l.contains(&format!(",{indicator},"))
            })
            .unwrap_or_else(|| panic!("no {indicator} for {territory}"))
            .to_owned()
    };
    // Shares of comuni are computed for the union, its province and its region from the
    // whole national files, and the union row carries both benchmarks.
    let union = row("pnrr_comuni_notifications_pct", "val_d_enza");
    assert!(union.contains(",035,") && union.contains(",08,"), "{union}");
    row("pnrr_comuni_pagopa_pct", "035");
    row("pnrr_comuni_pagopa_pct", "IT");
    // Sardinia's new codes are mapped to the list's codes; comuni created later are reported.
    assert!(row("pnrr_funding", "090064").contains(",sum,"));
    assert!(stderr(&output).contains("warning[unknown_territory]"));
}

#[test]
#[cfg_attr(
    shared_data_absent,
    ignore = "skipped: ../shared/data (the real public files) is absent"
)]
fn an_istat_sdmx_dataflow_is_asked_for_as_sdmx_csv_and_read_whatever_comes() {
    let Some(data) = shared_data() else { return };
    let server = Server::start();
    serve_real_files(&server, &data);
    let path = "/SDMXWS/rest/data/22_289/A.IT.JAN..TOTAL.99";
    server.serve(
        path,
        std::fs::read(data.join("istat/sdmx/22_289.xml")).unwrap(),
    );
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        r#"[pipeline]
id = "http"
title = "Popolazione per sesso"

[source.comuni.territories]
url = "{list}"
[source.comuni.territories.http]
min_interval_seconds = 0

[source.popolazione.istat_sdmx]
dataflow = "22_289"
key = "A.IT.JAN..TOTAL.99"
endpoint = "{endpoint}"
measure = "population"
unit = "abitanti"
split_by = ["SEX"]
title = "ISTAT, popolazione residente al 1° gennaio"
[source.popolazione.istat_sdmx.http]
min_interval_seconds = 0

[indicator.residenti_maschi.value]
challenge = 8
label = "Residenti maschi"
unit = "abitanti"
decimals = 0
measure = "population_sex_1"

[dataset.indicatori]
title = "Residenti"
table = "indicators"
"#,
        list = server.url(LIST),
        endpoint = server.url("/SDMXWS/rest"),
    );
    std::fs::write(dir.path().join("pipeline.toml"), text).unwrap();
    let output = run(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let requests = server.requests(path);
    assert_eq!(requests.len(), 1);
    assert!(
        requests[0]
            .accept
            .as_deref()
            .unwrap_or_default()
            .starts_with("application/vnd.sdmx.data+csv")
    );
    let indicators =
        std::fs::read_to_string(dir.path().join("out/http/current/data/indicatori.csv")).unwrap();
    assert!(
        indicators
            .contains("IT,Italia,italy,8,residenti_maschi,Residenti maschi,value,2021,28866226.0,"),
        "{indicators}"
    );
}
