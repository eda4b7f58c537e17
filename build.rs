//! Tells the tests whether the real public files are beside the repository (`../shared/data`).
//! Without them, the tests that read them are compiled as ignored, so that `cargo test` lists
//! each by name as skipped, with the reason, instead of passing it silently. In CI (`CI` set)
//! they are never skipped: there their absence is a failure.
//!
//! `make` says whether the folder is there in `DATAVALLEY_SHARED_DATA` (`present` or `absent`),
//! so that adding or removing it is noticed; without it the folder is looked at when the
//! build script first runs.

use std::path::Path;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(shared_data_absent)");
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=DATAVALLEY_SHARED_DATA");
    println!("cargo::rerun-if-env-changed=CI");
    let present = match std::env::var("DATAVALLEY_SHARED_DATA").as_deref() {
        Ok("present") => true,
        Ok("absent") => false,
        _ => {
            let manifest = std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default();
            Path::new(&manifest).join("../shared/data").is_dir()
        }
    };
    if !present && std::env::var_os("CI").is_none() {
        println!("cargo::rustc-cfg=shared_data_absent");
    }
}
