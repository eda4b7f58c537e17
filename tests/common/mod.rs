//! Helpers shared by the integration tests: the binary, the repository, the shared data.
#![allow(dead_code)]

pub mod browser;
pub mod http;
mod shared_data;

// Not every test binary reads the shared data.
#[allow(unused_imports)]
pub use shared_data::shared_data;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use sha2::{Digest, Sha256};

/// The repository, as cargo tells the running test: a test binary compiled in another clone
/// that shares the target folder would otherwise point at that clone.
pub fn repo() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}

/// Runs the real binary in `cwd`, speaking English (the tests that read Italian messages
/// say so with `datavalley_in`).
pub fn datavalley(cwd: &Path, args: &[&str]) -> Output {
    datavalley_in("en_US.UTF-8", cwd, args)
}

/// Runs `datavalley run PIPELINE` from `root` into `output` at `run_time`, asserting it
/// succeeds.
pub fn run_pipeline(root: &Path, pipeline: &str, output: &Path, run_time: &str) -> Output {
    let result = datavalley(
        root,
        &[
            "run",
            pipeline,
            "--output-dir",
            output.to_str().unwrap(),
            "--run-time",
            run_time,
        ],
    );
    assert_eq!(
        result.status.code(),
        Some(0),
        "{}\n{}",
        stdout(&result),
        stderr(&result)
    );
    result
}

/// Runs `pipeline` (a path from the repository) into `output` at a fixed run time and returns
/// its current release, `output/<id>/current`.
pub fn publish(pipeline: &str, id: &str, output: &Path) -> PathBuf {
    run_pipeline(&repo(), pipeline, output, "2026-11-23T10:00:00Z");
    output.join(id).join("current")
}

/// The sample pipeline published into a temporary folder (removed when it is dropped), and
/// its current release.
pub fn publish_sample() -> (tempfile::TempDir, PathBuf) {
    let output = tempfile::tempdir().unwrap();
    let release = publish("pipelines/val-d-enza.toml", "val-d-enza", output.path());
    (output, release)
}

/// Runs the real binary in `cwd` with `LANG` set to `locale` and no other locale variable.
pub fn datavalley_in(locale: &str, cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_datavalley"))
        .current_dir(cwd)
        .args(args)
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", locale)
        .output()
        .expect("the datavalley binary runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Reads a CSV file into header and rows of text.
pub fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader =
        csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

/// Copies a folder (fixtures are copied before tests change them).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub fn provenance(release: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(release.join("provenance.json")).unwrap())
        .unwrap()
}

/// Every output a release's provenance lists is there with its checksum: the release is whole.
pub fn assert_whole(release: &Path) {
    let outputs = provenance(release)["outputs"].as_array().unwrap().clone();
    assert!(outputs.len() > 10, "{outputs:?}");
    for output in outputs {
        let path = release.join(output["path"].as_str().unwrap());
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(
            sha256_hex(&bytes),
            output["sha256"].as_str().unwrap(),
            "{}",
            path.display()
        );
    }
}

/// The arguments of `datavalley run pipeline.toml --output-dir out --run-time TIME ...`, the
/// run of a fixture folder.
/// A copy of the minimal fixture (`tests/fixtures/minimal`) with `edit` applied to its file
/// `name`.
pub fn minimal_fixture(name: &str, edit: impl Fn(String) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("tests/fixtures/minimal"), dir.path());
    let file = dir.path().join(name);
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, edit(text)).unwrap();
    dir
}

pub fn run_args<'a>(time: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "run",
        "pipeline.toml",
        "--output-dir",
        "out",
        "--run-time",
        time,
    ];
    args.extend_from_slice(extra);
    args
}

/// Runs a fixture folder's pipeline at `time`.
pub fn run_fixture(dir: &Path, time: &str, extra: &[&str]) -> Output {
    datavalley(dir, &run_args(time, extra))
}

/// The release the `current` link of a pipeline's output folder names.
pub fn current_release(pipeline_output: &Path) -> String {
    std::fs::read_link(pipeline_output.join("current"))
        .unwrap()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

/// Replaces the first `from` in a file, which must hold it.
pub fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from:?} not in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// The Python of the conformance validators (pySHACL, frictionless, feedparser), which `make
/// test` installs; without it the test says so and is skipped, and in CI (CI=true) it fails.
pub fn python() -> Option<PathBuf> {
    let path = std::env::var_os("DATAVALLEY_PYTHON")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .map(|home| PathBuf::from(home).join(".cache/datavalley/venv/bin/python"))
        })
        .filter(|p| p.is_file());
    if path.is_none() {
        if std::env::var_os("CI").is_some() {
            panic!(
                "the conformance validators are not installed: run `make test`, which installs them"
            );
        }
        eprintln!(
            "skipping: the conformance validators are not installed (`make test` installs them)"
        );
    }
    path
}
