//! The browser tools of `tests/browser` (Debian's Chromium, the npm packages): whether they are
//! installed, and running one of their scripts.

use std::path::Path;
use std::process::Command;

use super::{repo, stderr, stdout};

/// Whether Chromium and the npm packages of `tests/browser` are installed; in CI they must be.
pub fn tools_ready() -> bool {
    let browser_dir = repo().join("tests/browser");
    let ready = Path::new("/usr/bin/chromium").is_file()
        && browser_dir.join("node_modules/playwright-core").is_dir()
        && browser_dir.join("node_modules/vnu-jar").is_dir()
        && browser_dir.join("node_modules/lighthouse").is_dir()
        && browser_dir.join("node_modules/purgecss").is_dir();
    if !ready {
        if std::env::var_os("CI").is_some() {
            panic!("Chromium or the browser test packages are missing: `make test` installs them");
        }
        eprintln!(
            "skipping: Chromium (/usr/bin/chromium) or tests/browser/node_modules is missing; `make test` installs them"
        );
    }
    ready
}

/// Runs `node <script> <args>` from `tests/browser` (or `tools`), prints its output, and
/// returns the JSON summary it prints when it succeeded.
pub fn node(script: &str, args: &[&str]) -> serde_json::Value {
    let check = Command::new("node")
        .arg(repo().join(script))
        .args(args)
        .output()
        .expect("node runs");
    let text = stdout(&check) + &stderr(&check);
    println!("{text}");
    assert!(check.status.success(), "{script}: {text}");
    serde_json::from_str(&String::from_utf8_lossy(&check.stdout)).unwrap_or_default()
}
