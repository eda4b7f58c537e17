//! What a run says while it works: plain lines for a person at a terminal, or one JSON object
//! per line (timestamp, level, stage, message, fields) for a log collector. Everything goes to
//! stderr, so that stdout keeps only the outcome.

use std::io::Write;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use serde::Serialize;
use serde_json::{Map, Value};

use crate::clock::RunTime;
use crate::finding::{Finding, Severity};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LogFormat {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum LogLevel {
    Info,
    Warn,
    Error,
}

#[derive(Debug, Clone)]
pub(crate) struct Logger {
    pub(crate) format: LogFormat,
    started: Instant,
}

impl Logger {
    pub(crate) fn new(format: LogFormat) -> Self {
        Logger {
            format,
            started: Instant::now(),
        }
    }

    /// Seconds since the logger was made: the run's duration so far.
    pub(crate) fn elapsed(&self) -> f64 {
        self.started.elapsed().as_secs_f64()
    }

    pub(crate) fn event(
        &self,
        level: LogLevel,
        stage: &str,
        message: &str,
        fields: Map<String, Value>,
    ) {
        let line = match self.format {
            LogFormat::Human => {
                let prefix = match level {
                    LogLevel::Info => "",
                    LogLevel::Warn => "warning: ",
                    LogLevel::Error => "error: ",
                };
                if stage.is_empty() {
                    format!("{prefix}{message}")
                } else {
                    format!("{prefix}[{stage}] {message}")
                }
            }
            LogFormat::Json => {
                let mut object = Map::new();
                object.insert("timestamp".into(), Value::String(timestamp()));
                object.insert(
                    "level".into(),
                    serde_json::to_value(level).unwrap_or(Value::Null),
                );
                object.insert("stage".into(), Value::String(stage.to_owned()));
                object.insert("message".into(), Value::String(message.to_owned()));
                object.insert("fields".into(), Value::Object(fields));
                Value::Object(object).to_string()
            }
        };
        let mut stderr = std::io::stderr().lock();
        let _ = writeln!(stderr, "{line}");
    }

    pub(crate) fn info(&self, stage: &str, message: &str, fields: Map<String, Value>) {
        self.event(LogLevel::Info, stage, message, fields);
    }

    /// A data finding: in human form the finding's own line, in JSON its fields.
    pub(crate) fn finding(&self, finding: &Finding) {
        let level = match finding.severity {
            Severity::Error => LogLevel::Error,
            Severity::Warning => LogLevel::Warn,
        };
        match self.format {
            LogFormat::Human => {
                let mut stderr = std::io::stderr().lock();
                let _ = writeln!(stderr, "{finding}");
            }
            LogFormat::Json => {
                let fields = match serde_json::to_value(finding) {
                    Ok(Value::Object(map)) => map,
                    _ => Map::new(),
                };
                self.event(level, "validate", &finding.message, fields);
            }
        }
    }
}

/// Wall-clock time with milliseconds, for log collectors.
fn timestamp() -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let base = RunTime::from_epoch(now.as_secs() as i64).iso();
    format!("{}.{:03}Z", &base[..19], now.subsec_millis())
}

/// Builds the `fields` of an event.
#[macro_export]
macro_rules! fields {
    ($($key:literal => $value:expr),* $(,)?) => {{
        #[allow(unused_mut)]
        let mut map = serde_json::Map::new();
        $(map.insert($key.to_owned(), serde_json::json!($value));)*
        map
    }};
}
