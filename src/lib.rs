//! datavalley: declarative open-data pipelines for Italian local public administrations.
//! A pipeline file is parsed into a spec, checked into a plan, and run: sources are ingested
//! into one long table of observations, indicators are computed challenge by challenge, and
//! the results are published as CSV and Parquet with a page that lists them.

pub mod cli;
pub mod clock;
pub mod error;
pub mod fetch;
pub mod indicator;
pub mod lock;
pub mod log;
pub mod metadata;
pub mod observation;
pub mod parallel;
pub mod pause;
pub mod plan;
pub mod progress;
pub mod publish;
pub mod report;
pub mod run;
pub mod site;
pub mod source;
pub mod spec;
pub mod stage;
pub mod table;
pub mod territory;
pub mod text;
pub mod validate;
