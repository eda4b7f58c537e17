//! Whether a source's data is as recent as the source says it should be: the date its data is
//! as of (the snapshot's reference date, else the server's `Last-Modified`, else the file's
//! date) against how often it should change (`expected_update`). Stale data is a warning, or
//! an error when the source says so (`stale = "error"`).

use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use crate::clock::{self, RunTime};
use crate::finding::Finding;
use crate::message::Message;
use crate::msg;
use crate::plan::Location;
use crate::source::result::Ingested;
use crate::spec::source::{SourceCommonSpec, StaleSeverity, UpdateFrequency};

/// How often a source's data should change, and what stale data is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct UpdateRule {
    every: UpdateFrequency,
    severity: StaleSeverity,
}

impl UpdateRule {
    /// The rule a source declares, if any.
    pub(crate) fn of(spec: &SourceCommonSpec) -> Option<UpdateRule> {
        Some(UpdateRule {
            every: *spec.expected_update.as_ref()?.get_ref(),
            severity: spec.stale.unwrap_or_default(),
        })
    }

    /// Days the data may be old before it is stale: a day's grace on top of the period, so a
    /// daily file of yesterday is on time.
    fn allowed_days(self) -> i64 {
        match self.every {
            UpdateFrequency::Daily => 1,
            UpdateFrequency::Weekly => 7,
            UpdateFrequency::Monthly => 31,
            UpdateFrequency::Quarterly => 92,
            UpdateFrequency::Annual => 366,
        }
    }

    fn name(self) -> &'static str {
        match self.every {
            UpdateFrequency::Daily => "DAILY",
            UpdateFrequency::Weekly => "WEEKLY",
            UpdateFrequency::Monthly => "MONTHLY",
            UpdateFrequency::Quarterly => "QUARTERLY",
            UpdateFrequency::Annual => "ANNUAL",
        }
    }
}

/// Where the date a source's data is as of was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum DateOrigin {
    /// The snapshot's own reference date.
    Reference,
    /// The server's `Last-Modified` header.
    LastModified,
    /// The file's modification time.
    FileDate,
}

impl DateOrigin {
    /// Where the date was read, as the finding of stale data says it.
    fn words(self) -> Message {
        match self {
            DateOrigin::Reference => msg!("date_from_reference"),
            DateOrigin::LastModified => msg!("date_from_last_modified"),
            DateOrigin::FileDate => msg!("date_from_file"),
        }
    }
}

/// The date (`YYYY-MM-DD`) a source's data is as of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct DataDate {
    pub(crate) date: String,
    pub(crate) origin: DateOrigin,
}

/// The date the data is as of: the reference date when the kind found one, else the newest
/// `Last-Modified` of the URLs read, else the newest modification time of the files read.
pub(crate) fn data_date(inputs: &[Location], ingested: &Ingested) -> Option<DataDate> {
    let dated = |date: String, origin| Some(DataDate { date, origin });
    if let Some(date) = &ingested.reference_date {
        return dated(date.clone(), DateOrigin::Reference);
    }
    let last_modified = ingested
        .read
        .iter()
        .filter_map(|file| file.last_modified.as_deref())
        .filter_map(|header| httpdate::parse_http_date(header).ok())
        .max();
    if let Some(time) = last_modified {
        return dated(date_of(time)?, DateOrigin::LastModified);
    }
    let modified = inputs
        .iter()
        .filter_map(|location| match location {
            Location::File(path) => fs_err::metadata(path).ok()?.modified().ok(),
            Location::Url(_) => None,
        })
        .max()?;
    dated(date_of(modified)?, DateOrigin::FileDate)
}

fn date_of(time: std::time::SystemTime) -> Option<String> {
    let seconds = time.duration_since(UNIX_EPOCH).ok()?.as_secs();
    Some(RunTime::from_epoch(i64::try_from(seconds).ok()?).date())
}

/// How a source's data is dated, as the report and the provenance say it: the kind's sentence,
/// and for a source with an update rule the date its data is as of and whether that is stale.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct SourceDates {
    /// How its values are dated, in Italian, when the kind says it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) dated: Option<String>,
    /// The date its data is as of, for a source that says how often it should change: the
    /// next run compares it with its own day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) data_date: Option<DataDate>,
    /// Its data is older than its expected update allows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) stale: Option<Stale>,
}

/// Data older than its source's rule allows, as the report and the dataset page say it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Stale {
    /// The date the data is as of.
    pub(crate) as_of: String,
    /// The first day it was stale.
    pub(crate) since: String,
}

/// The day the data became stale, when the run's day is past what the rule allows.
pub(crate) fn stale_since(rule: UpdateRule, data: &DataDate, run_date: &str) -> Option<String> {
    let (as_of, today) = (
        clock::period_start(&data.date)?,
        clock::period_start(run_date)?,
    );
    let since = as_of + rule.allowed_days();
    (today > since).then(|| RunTime::from_epoch(since * 86_400).date())
}

/// The finding of stale data: a warning, or an error when the source says so.
pub(crate) fn finding(name: &str, rule: UpdateRule, data: &DataDate, since: &str) -> Finding {
    let message = msg!(
        "stale_source",
        source = name,
        date = &data.date,
        origin = data.origin.words(),
        every = rule.name(),
        since = since
    );
    let finding = match rule.severity {
        StaleSeverity::Warning => Finding::warning("stale_source", message),
        StaleSeverity::Error => Finding::error("stale_source", message),
    };
    finding.in_column("expected_update").with_value(&data.date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::Language;

    fn rule(every: UpdateFrequency) -> UpdateRule {
        UpdateRule {
            every,
            severity: StaleSeverity::Warning,
        }
    }

    fn as_of(date: &str) -> DataDate {
        DataDate {
            date: date.into(),
            origin: DateOrigin::Reference,
        }
    }

    #[test]
    fn data_is_stale_only_past_its_period_and_a_day() {
        let daily = rule(UpdateFrequency::Daily);
        assert_eq!(stale_since(daily, &as_of("2026-08-21"), "2026-08-22"), None);
        assert_eq!(
            stale_since(daily, &as_of("2026-08-20"), "2026-08-22").as_deref(),
            Some("2026-08-21")
        );
        let monthly = rule(UpdateFrequency::Monthly);
        assert_eq!(
            stale_since(monthly, &as_of("2026-07-22"), "2026-08-22"),
            None
        );
        let annual = rule(UpdateFrequency::Annual);
        assert_eq!(
            stale_since(annual, &as_of("2025-01-01"), "2026-08-22").as_deref(),
            Some("2026-01-02")
        );
    }

    #[test]
    fn stale_data_is_told_in_both_languages() {
        let stale = finding(
            "dati",
            rule(UpdateFrequency::Daily),
            &as_of("2026-08-10"),
            "2026-08-11",
        );
        assert_eq!(
            stale.message.render(Language::English),
            "source `dati`: its data is as of 2026-08-10 (its reference date), older than its \
             expected update (DAILY) allows: stale since 2026-08-11"
        );
        assert_eq!(
            stale.message.render(Language::Italian),
            "fonte `dati`: i suoi dati sono al 2026-08-10 (la sua data di riferimento), più \
             vecchi di quanto il suo aggiornamento atteso (DAILY) consenta: obsoleti dal 2026-08-11"
        );
    }

    #[test]
    fn a_reference_date_comes_before_the_file_date() {
        let ingested = Ingested {
            reference_date: Some("2026-03-09".into()),
            ..Ingested::default()
        };
        let inputs = [Location::File("Cargo.toml".into())];
        assert_eq!(data_date(&inputs, &ingested), Some(as_of("2026-03-09")));
        let undated = Ingested::default();
        let date = data_date(&inputs, &undated).map(|d| d.origin);
        assert_eq!(date, Some(DateOrigin::FileDate));
    }
}
