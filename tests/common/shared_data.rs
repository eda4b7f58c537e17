//! Where the real public files are: `../shared/data` beside the repository. The integration
//! tests and the crate's own unit tests both use this file.

use std::path::PathBuf;

/// `../shared/data` beside the repository. Outside the workspace it may be absent: the tests
/// that call this are then compiled as ignored (`build.rs`), and `cargo test` lists each as
/// skipped; run anyway (`--include-ignored`), they say so and return. In CI (CI=true) its
/// absence is a failure. The repository is the
/// one cargo names to the running test: a test binary compiled in another clone that shares
/// the target folder would otherwise point at that clone.
pub fn shared_data() -> Option<PathBuf> {
    let repo = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    let path = repo.join("../shared/data");
    if path.is_dir() {
        return Some(path);
    }
    if std::env::var_os("CI").is_some() {
        panic!("../shared/data is missing, and CI must run the tests that need it");
    }
    eprintln!(
        "skipping: ../shared/data not found next to the repository (real ISTAT and PA digitale files)"
    );
    None
}
