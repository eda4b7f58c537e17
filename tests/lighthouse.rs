//! Lighthouse's mobile preset on five kinds of page of the sample. It is a test binary of its
//! own because cargo runs test binaries one after another: its simulated paint times scale with
//! the main thread's time as observed, and beside the site's other tests (the national browser
//! check) the union's page took 3.7 s to paint on 2 cores, against 2.3 s alone.

mod common;

use common::{browser, publish_sample};

/// The thresholds are in `tests/browser/lighthouse.mjs`.
#[test]
fn sample_pages_pass_lighthouse() {
    if !browser::tools_ready() {
        return;
    }
    let (_output, release) = publish_sample();
    let pages = [
        "index.html",
        "territorio/val_d_enza.html",
        "sfida/3.html",
        "@project",
        "dataset/indicatori.html",
    ];
    let mut args = vec![release.to_str().unwrap()];
    args.extend(pages);
    let summary = browser::node("tests/browser/lighthouse.mjs", &args);
    assert_eq!(summary["results"].as_array().unwrap().len(), 5, "{summary}");
}
