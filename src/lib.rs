//! datavalley: declarative open-data pipelines for Italian local public administrations.
//! A pipeline file is parsed into a spec, checked into a plan, and run: sources are ingested
//! into one long table of observations, indicators are computed challenge by challenge, and
//! the results are published as CSV and Parquet with a catalog and the citizens' pages.
//! ARCHITECTURE.md is the map of the modules and of the order they import each other in.

// Foundation: small helpers every layer uses.
mod clock;
mod digest;
mod error;
mod fetch;
mod files;
mod finding;
mod istat;
mod lock;
mod log;
mod message;
mod order;
mod parallel;
mod pause;
mod progress;
mod table;
mod text;

// The layers, from the raw pipeline file up to the command line.
pub mod cli;
mod history;
mod indicator;
mod observation;
mod plan;
mod publish;
mod report;
mod run;
mod site;
mod source;
mod spec;
mod territory;

// Where the real public files are, for the tests that read them; shared with the integration
// tests.
#[cfg(test)]
#[path = "../tests/common/shared_data.rs"]
mod shared_data;
