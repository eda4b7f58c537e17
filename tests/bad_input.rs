//! Bad input never reaches citizens: each case first publishes a good release, then breaks one
//! input, and checks the exit code, a message naming file, row or line and column, and that the
//! good release is still current and whole.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{assert_whole, copy_dir, current_release, edit, repo, run_fixture, stderr, stdout};

/// A copy of the minimal fixture with one good release published from it.
struct Published {
    dir: tempfile::TempDir,
    release: String,
}

impl Published {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&repo().join("tests/fixtures/minimal"), dir.path());
        let first = run_fixture(dir.path(), "2026-11-23T10:00:00Z", &[]);
        assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
        let release = current(dir.path());
        Published { dir, release }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn edit(&self, name: &str, from: &str, to: &str) {
        edit(&self.path(name), from, to);
    }

    /// Runs again after the damage.
    fn rerun(&self) -> Output {
        run_fixture(self.dir.path(), "2026-11-24T10:00:00Z", &[])
    }

    /// The good release is still the current one, with every file as its provenance says.
    fn assert_untouched(&self) {
        assert_eq!(current(self.dir.path()), self.release);
        assert_whole(&self.dir.path().join("out/minimal/current"));
    }

    /// The rerun fails with `code`, its log holds every one of `needles`, and citizens still
    /// see the good release.
    fn assert_refused(&self, output: &Output, code: i32, needles: &[&str]) {
        let log = stderr(output);
        assert_eq!(output.status.code(), Some(code), "{log}");
        for needle in needles {
            assert!(log.contains(needle), "{needle:?} missing from:\n{log}");
        }
        assert!(
            !stdout(output).starts_with("published"),
            "{}",
            stdout(output)
        );
        self.assert_untouched();
    }
}

fn current(dir: &Path) -> String {
    current_release(&dir.join("out/minimal"))
}

const HEADER: &str = "territorio,misura,periodo,valore,unita";

#[test]
fn a_missing_required_column() {
    let case = Published::new();
    let data = std::fs::read_to_string(case.path("dati.csv")).unwrap();
    // Drop the `periodo` column from the header and every row.
    let without: String = data
        .lines()
        .map(|line| {
            let mut fields: Vec<&str> = line.split(',').collect();
            fields.remove(2);
            fields.join(",") + "\n"
        })
        .collect();
    std::fs::write(case.path("dati.csv"), without).unwrap();
    let output = case.rerun();
    case.assert_refused(
        &output,
        1,
        &[
            "error[missing_column] dati.csv",
            "`periodo`",
            "nothing published",
        ],
    );
}

#[test]
fn an_extra_unknown_column_is_only_a_warning() {
    let case = Published::new();
    let data = std::fs::read_to_string(case.path("dati.csv")).unwrap();
    let with_note: String = data
        .lines()
        .enumerate()
        .map(|(index, line)| {
            if index == 0 {
                format!("{line},note\n")
            } else {
                format!("{line},\n")
            }
        })
        .collect();
    std::fs::write(case.path("dati.csv"), with_note).unwrap();
    let output = case.rerun();
    let log = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{log}");
    assert!(
        log.contains("warning[unused_column] dati.csv") && log.contains("`note`"),
        "{log}"
    );
    assert_whole(&case.path("out/minimal/current"));
}

#[test]
fn a_ragged_row() {
    let case = Published::new();
    case.edit(
        "dati.csv",
        "035010,biblioteche,2022,2,biblioteche",
        "035010,biblioteche,2022",
    );
    let output = case.rerun();
    case.assert_refused(
        &output,
        1,
        &[
            "error[ragged_row] dati.csv, row 2",
            "line 3 has 3 fields where the header has 5",
        ],
    );
}

#[test]
fn a_value_that_is_not_a_number() {
    let case = Published::new();
    case.edit(
        "dati.csv",
        "035004,residenti,2022,10104",
        "035004,residenti,2022,diecimila",
    );
    let output = case.rerun();
    case.assert_refused(
        &output,
        1,
        &["error[not_a_number] dati.csv, row 3, column `valore`, value \"diecimila\""],
    );
}

#[test]
fn a_negative_count() {
    let case = Published::new();
    case.edit(
        "dati.csv",
        "035010,biblioteche,2022,2",
        "035010,biblioteche,2022,-2",
    );
    let output = case.rerun();
    case.assert_refused(
        &output,
        1,
        &["error[negative_count] dati.csv, row 2, column `valore`, value \"-2\""],
    );
}

#[test]
fn a_duplicated_territory_and_period() {
    let case = Published::new();
    case.edit(
        "dati.csv",
        "035010,residenti,2022,5310,abitanti",
        "035010,residenti,2022,5310,abitanti\n035010,residenti,2022,5311,abitanti",
    );
    let output = case.rerun();
    case.assert_refused(
        &output,
        1,
        &["error[duplicate_observation] dati.csv, row 5", "035010"],
    );
}

#[test]
fn an_istat_code_that_is_not_in_the_territory_list() {
    let case = Published::new();
    case.edit("dati.csv", "035010,residenti", "035099,residenti");
    let output = case.rerun();
    case.assert_refused(
        &output,
        1,
        &["error[unknown_territory] dati.csv, row 4, column `territorio`, value \"035099\""],
    );
}

#[test]
fn a_windows_1252_file_declared_as_utf8() {
    let case = Published::new();
    case.edit(
        "pipeline.toml",
        "file = \"comuni.csv\"",
        "file = \"comuni.csv\"\nencoding = \"utf-8\"",
    );
    let text = std::fs::read_to_string(case.path("comuni.csv")).unwrap();
    let (latin, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&text);
    assert!(!unmappable);
    std::fs::write(case.path("comuni.csv"), latin).unwrap();
    let output = case.rerun();
    case.assert_refused(
        &output,
        1,
        &[
            "error[encoding] comuni.csv, row 1: not valid UTF-8",
            "windows-1252",
        ],
    );
}

#[test]
fn a_utf8_file_declared_as_windows_1252() {
    let case = Published::new();
    case.edit(
        "pipeline.toml",
        "file = \"comuni.csv\"",
        "file = \"comuni.csv\"\nencoding = \"windows-1252\"",
    );
    let output = case.rerun();
    case.assert_refused(
        &output,
        1,
        &[
            "error[encoding] comuni.csv, row 1: declared windows-1252 but the file is valid UTF-8",
            "declare encoding = \"utf-8\"",
        ],
    );
}

#[test]
fn an_empty_file() {
    let case = Published::new();
    std::fs::write(case.path("dati.csv"), "").unwrap();
    let output = case.rerun();
    case.assert_refused(
        &output,
        1,
        &["error[empty_file] dati.csv: the file is empty"],
    );
}

#[test]
fn a_utf8_byte_order_mark_is_accepted() {
    let case = Published::new();
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(std::fs::read(case.path("dati.csv")).unwrap());
    std::fs::write(case.path("dati.csv"), bytes).unwrap();
    let output = case.rerun();
    let log = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{log}");
    assert!(!log.contains("error["), "{log}");
    // Same numbers as before the mark: the first column was read as `territorio`.
    assert!(
        stdout(&output).starts_with("nothing to do") || stdout(&output).starts_with("published"),
        "{}",
        stdout(&output)
    );
    let indicators =
        std::fs::read_to_string(case.path("out/minimal/current/data/indicatori.csv")).unwrap();
    assert!(indicators.contains("035004"), "{indicators}");
}

#[test]
fn a_misspelled_key_is_reported_at_its_line_and_column() {
    let case = Published::new();
    case.edit("pipeline.toml", "denominator_label", "denominator_lable");
    let text = std::fs::read_to_string(case.path("pipeline.toml")).unwrap();
    let line = 1 + text
        .lines()
        .position(|l| l.starts_with("denominator_lable"))
        .unwrap();
    let output = case.rerun();
    case.assert_refused(
        &output,
        2,
        &[
            &format!("pipeline.toml:{line}:1"),
            "denominator_lable",
            "denominator_label",
        ],
    );
}

#[test]
fn a_path_that_escapes_the_pipeline_folder_is_refused_unless_allowed() {
    let case = Published::new();
    case.edit(
        "pipeline.toml",
        "file = \"dati.csv\"",
        "file = \"../../etc/passwd\"",
    );
    let output = case.rerun();
    case.assert_refused(
        &output,
        2,
        &[
            "`source.dati.csv.file`",
            "leads outside the pipeline file's folder",
            "allow_outside_paths = true",
        ],
    );

    // Allowed explicitly, a file in a sibling folder is read.
    let shared = case.dir.path().join("condivisi");
    std::fs::create_dir(&shared).unwrap();
    let project = case.dir.path().join("progetto");
    std::fs::create_dir(&project).unwrap();
    for name in ["pipeline.toml", "comuni.csv"] {
        std::fs::copy(case.path(name), project.join(name)).unwrap();
    }
    std::fs::copy(case.path("dati.csv"), shared.join("dati.csv")).unwrap();
    let pipeline = project.join("pipeline.toml");
    let text = std::fs::read_to_string(&pipeline).unwrap();
    let sibling = text.replace("\"../../etc/passwd\"", "\"../condivisi/dati.csv\"");
    std::fs::write(&pipeline, &sibling).unwrap();
    let refused = run_fixture(&project, "2026-11-24T10:00:00Z", &[]);
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    std::fs::write(
        &pipeline,
        sibling.replace("[pipeline]\n", "[pipeline]\nallow_outside_paths = true\n"),
    )
    .unwrap();
    let allowed = run_fixture(&project, "2026-11-24T10:00:00Z", &[]);
    assert_eq!(allowed.status.code(), Some(0), "{}", stderr(&allowed));
    assert!(project.join("out/minimal/current/index.html").is_file());
}

#[test]
fn a_file_far_larger_than_expected_is_stopped_before_it_is_read() {
    let case = Published::new();
    case.edit(
        "pipeline.toml",
        "[pipeline]\n",
        "[pipeline]\nmax_input_bytes = 2000000\n",
    );
    // A sparse 2 GB file: a real header, then a hole the size of a runaway export.
    let file = std::fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(case.path("dati.csv"))
        .unwrap();
    std::io::Write::write_all(&mut &file, format!("{HEADER}\n").as_bytes()).unwrap();
    file.set_len(2_000_000_000).unwrap();
    drop(file);
    let output = case.rerun();
    case.assert_refused(
        &output,
        3,
        &[
            "dati.csv",
            "the file is 2000000000 bytes, more than the limit of 2000000 bytes",
            "max_input_bytes",
        ],
    );
}
