//! What a run says while it works: plain lines for a person at a terminal, or one JSON object
//! per line (timestamp, level, stage, code, message, fields) for a log collector. Everything goes to
//! stderr, so that stdout keeps only the outcome.

use std::io::Write;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use serde::Serialize;
use serde_json::{Map, Value};

use crate::clock::RunTime;
use crate::finding::{Finding, Severity};
use crate::message::{Argument, Message};
use crate::msg;

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

    /// A line about `message`: its id is the line's stable `code`, its arguments are among
    /// the fields.
    pub(crate) fn event(
        &self,
        level: LogLevel,
        stage: &str,
        message: &Message,
        mut fields: Map<String, Value>,
    ) {
        add_arguments(&mut fields, message);
        self.line(level, stage, message.id(), &message.to_string(), fields);
    }

    /// A line of its own code and text, for what is not one message of the catalogue (an
    /// error that ends a command, a finding with its place).
    pub(crate) fn line(
        &self,
        level: LogLevel,
        stage: &str,
        code: &str,
        text: &str,
        fields: Map<String, Value>,
    ) {
        let line = match self.format {
            LogFormat::Human => {
                let prefix = match level {
                    LogLevel::Info => String::new(),
                    LogLevel::Warn => format!("{}: ", msg!("severity_warning")),
                    LogLevel::Error => format!("{}: ", msg!("severity_error")),
                };
                if stage.is_empty() {
                    format!("{prefix}{text}")
                } else {
                    format!("{prefix}[{stage}] {text}")
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
                object.insert("code".into(), Value::String(code.to_owned()));
                object.insert("message".into(), Value::String(text.to_owned()));
                object.insert("fields".into(), Value::Object(fields));
                Value::Object(object).to_string()
            }
        };
        let mut stderr = std::io::stderr().lock();
        let _ = writeln!(stderr, "{line}");
    }

    pub(crate) fn info(&self, stage: &str, message: &Message, fields: Map<String, Value>) {
        self.event(LogLevel::Info, stage, message, fields);
    }

    /// A data finding: in human form the finding's own line; in JSON its rule as the code,
    /// its place and its message's arguments as the fields.
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
                let mut fields = Map::new();
                fields.insert(
                    "severity".into(),
                    serde_json::to_value(finding.severity).unwrap_or(Value::Null),
                );
                fields.insert("rule".into(), Value::String(finding.rule.clone()));
                let place = [
                    ("file", finding.file.clone().map(Value::String)),
                    ("row", finding.row.map(Value::from)),
                    ("column", finding.column.clone().map(Value::String)),
                    ("value", finding.value.clone().map(Value::String)),
                ];
                for (name, value) in place {
                    fields.insert(name.into(), value.unwrap_or(Value::Null));
                }
                fields.insert(
                    "message_id".into(),
                    Value::String(finding.message.id().to_owned()),
                );
                add_arguments(&mut fields, &finding.message);
                let text = finding.message.to_string();
                self.line(level, "validate", &finding.rule, &text, fields);
            }
        }
    }
}

/// A message's arguments among a line's fields, where a field of the same name is not already
/// there; a message within the message is left out, its words being in the line's text.
fn add_arguments(fields: &mut Map<String, Value>, message: &Message) {
    for (name, value) in message.args() {
        if matches!(value, Argument::Message(_)) || fields.contains_key(name) {
            continue;
        }
        fields.insert(
            name.clone(),
            serde_json::to_value(value).unwrap_or(Value::Null),
        );
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
