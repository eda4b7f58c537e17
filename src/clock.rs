//! The run time: injected (`--run-time`, `SOURCE_DATE_EPOCH`) or read once from the clock,
//! so that the same inputs and run time give byte-identical outputs.

use std::time::{SystemTime, UNIX_EPOCH};

/// A UTC instant with second precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct RunTime {
    epoch_seconds: i64,
}

impl RunTime {
    pub(crate) fn now() -> Self {
        let epoch_seconds = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        RunTime { epoch_seconds }
    }

    pub(crate) fn from_epoch(epoch_seconds: i64) -> Self {
        RunTime { epoch_seconds }
    }

    /// Parses `YYYY-MM-DDTHH:MM:SSZ`.
    pub(crate) fn parse(text: &str) -> Option<Self> {
        let bytes = text.as_bytes();
        if bytes.len() != 20
            || bytes[4] != b'-'
            || bytes[7] != b'-'
            || bytes[10] != b'T'
            || bytes[13] != b':'
            || bytes[16] != b':'
            || bytes[19] != b'Z'
        {
            return None;
        }
        let number = |range: std::ops::Range<usize>| text.get(range)?.parse::<i64>().ok();
        let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
        let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
        let valid = (1..=12).contains(&month)
            && (1..=days_in_month(year, month)).contains(&day)
            && hour < 24
            && minute < 60
            && second < 60;
        valid.then(|| RunTime {
            epoch_seconds: days_from_civil(year, month, day) * 86_400
                + hour * 3600
                + minute * 60
                + second,
        })
    }

    fn parts(self) -> (i64, i64, i64, i64, i64, i64) {
        let days = self.epoch_seconds.div_euclid(86_400);
        let seconds = self.epoch_seconds.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        (
            year,
            month,
            day,
            seconds / 3600,
            seconds % 3600 / 60,
            seconds % 60,
        )
    }

    /// `2026-11-23T09:17:11Z`
    pub(crate) fn iso(self) -> String {
        let (y, mo, d, h, mi, s) = self.parts();
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
    }

    /// `2026-11-23`: the day of the run.
    pub(crate) fn date(self) -> String {
        let (y, mo, d, ..) = self.parts();
        format!("{y:04}-{mo:02}-{d:02}")
    }

    /// `20261123T091711Z`: a release folder's name, sortable.
    pub(crate) fn run_id(self) -> String {
        let (y, mo, d, h, mi, s) = self.parts();
        format!("{y:04}{mo:02}{d:02}T{h:02}{mi:02}{s:02}Z")
    }
}

impl RunTime {
    /// `23 novembre 2026`, as Italians write a day in words.
    pub(crate) fn date_it(self) -> String {
        period_it(&self.date())
    }

    pub(crate) fn plus_days(self, days: i64) -> RunTime {
        RunTime {
            epoch_seconds: self.epoch_seconds + days * 86_400,
        }
    }

    /// The same day `months` later (the last day of the month when it has fewer days).
    pub(crate) fn plus_months(self, months: i64) -> RunTime {
        let (y, mo, d, h, mi, s) = self.parts();
        let total = y * 12 + (mo - 1) + months;
        let (year, month) = (total.div_euclid(12), total.rem_euclid(12) + 1);
        let day = d.min(days_in_month(year, month));
        RunTime {
            epoch_seconds: days_from_civil(year, month, day) * 86_400 + h * 3600 + mi * 60 + s,
        }
    }
}

/// A day (`2026-03-09`) or a run time (`2026-03-09T03:15:00Z`) as Italians write its day
/// (`9 marzo 2026`); another text as it is.
pub(crate) fn date_it(date: &str) -> String {
    if let Some(time) = RunTime::parse(date) {
        return time.date_it();
    }
    match period_start(date) {
        Some(days) if date.len() == 10 => RunTime::from_epoch(days * 86_400).date_it(),
        _ => date.to_owned(),
    }
}

const MONTHS_IT: [&str; 12] = [
    "gennaio",
    "febbraio",
    "marzo",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "agosto",
    "settembre",
    "ottobre",
    "novembre",
    "dicembre",
];

/// The year, month and day of a period (`2026`, `2026-08`, `2026-08-31`), those it has.
fn period_parts(period: &str) -> Option<(i64, Option<usize>, Option<i64>)> {
    period_start(period)?;
    let mut parts = period.split('-').map(str::parse::<i64>);
    let year = parts.next()?.ok()?;
    let month = match parts.next() {
        Some(month) => Some(usize::try_from(month.ok()? - 1).ok()?),
        None => None,
    };
    let day = match parts.next() {
        Some(day) => Some(day.ok()?),
        None => None,
    };
    Some((year, month, day))
}

/// A period as a reader says it: `2026`, `agosto 2026`, `31 agosto 2026`; another text as it
/// is.
pub(crate) fn period_it(period: &str) -> String {
    match period_parts(period) {
        Some((year, Some(month), day)) => {
            let day = match day {
                Some(1) => "1º ".to_owned(),
                Some(day) => format!("{day} "),
                None => String::new(),
            };
            format!("{day}{} {year}", MONTHS_IT[month])
        }
        _ => period.to_owned(),
    }
}

/// A period in few letters, for the ticks of a chart's axis: `2026`, `ago 2026`, `31 ago 2026`.
pub(crate) fn period_short_it(period: &str) -> String {
    match period_parts(period) {
        Some((year, Some(month), day)) => {
            let day = day.map(|d| format!("{d} ")).unwrap_or_default();
            let name = MONTHS_IT[month].get(..3).unwrap_or(MONTHS_IT[month]);
            format!("{day}{name} {year}")
        }
        _ => period.to_owned(),
    }
}

/// The first day of a period (`2021`, `2021-03`, `2021-03-04`), in days since 1970-01-01;
/// `None` for another kind of period.
pub(crate) fn period_start(period: &str) -> Option<i64> {
    let number = |part: &str, digits: usize| {
        (part.len() == digits && part.bytes().all(|b| b.is_ascii_digit()))
            .then(|| part.parse::<i64>().ok())
            .flatten()
    };
    let parts: Vec<&str> = period.split('-').collect();
    let (year, month, day) = match parts[..] {
        [year] => (number(year, 4)?, 1, 1),
        [year, month] => (number(year, 4)?, number(month, 2)?, 1),
        [year, month, day] => (number(year, 4)?, number(month, 2)?, number(day, 2)?),
        _ => return None,
    };
    let valid = (1..=12).contains(&month) && (1..=days_in_month(year, month)).contains(&day);
    valid.then(|| days_from_civil(year, month, day))
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's algorithms for the proleptic Gregorian calendar.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_said_the_italian_way() {
        assert_eq!(period_it("2026"), "2026");
        assert_eq!(period_it("2026-08"), "agosto 2026");
        assert_eq!(period_it("2023-12-31"), "31 dicembre 2023");
        assert_eq!(period_it("2026-03-01"), "1º marzo 2026");
        assert_eq!(period_it("2021-2023"), "2021-2023");
        assert_eq!(period_short_it("2026-08"), "ago 2026");
        assert_eq!(period_short_it("2023-12-31"), "31 dic 2023");
        assert_eq!(period_short_it("2026"), "2026");
    }

    #[test]
    fn periods_start_on_their_first_day() {
        assert_eq!(period_start("1970"), Some(0));
        assert_eq!(period_start("1970-02"), Some(31));
        assert_eq!(period_start("2024-02-29"), Some(19_782));
        assert_eq!(period_start("2023-02-29"), None);
        assert_eq!(period_start("2021-S1"), None);
    }

    #[test]
    fn round_trips_timestamps() {
        let time = RunTime::parse("2026-11-23T09:17:11Z").unwrap();
        assert_eq!(time.iso(), "2026-11-23T09:17:11Z");
        assert_eq!(time.run_id(), "20261123T091711Z");
        assert_eq!(RunTime::from_epoch(0).iso(), "1970-01-01T00:00:00Z");
        assert_eq!(
            RunTime::parse("2024-02-29T00:00:00Z").unwrap().iso(),
            "2024-02-29T00:00:00Z"
        );
        assert_eq!(RunTime::parse("2023-02-29T00:00:00Z"), None);
        assert_eq!(RunTime::parse("2026-11-23 09:17:11"), None);
        assert_eq!(time.plus_days(8).date_it(), "1º dicembre 2026");
        assert_eq!(
            RunTime::parse("2026-01-31T00:00:00Z")
                .unwrap()
                .plus_months(1)
                .date_it(),
            "28 febbraio 2026"
        );
        assert_eq!(time.plus_months(12).date_it(), "23 novembre 2027");
    }
}
