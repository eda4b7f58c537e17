//! ISTAT territory codes, kept as text ("035004", never 35004), and the levels they name:
//! comune, union, province, region, Italy. The pipeline file, the sources and the indicators all
//! speak of territories by these codes.

use serde::{Deserialize, Serialize};

/// The level of a territory. Order matters: it is the order of pages and tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Level {
    Comune,
    Union,
    Province,
    Region,
    Italy,
}

impl Level {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Level::Comune => "comune",
            Level::Union => "union",
            Level::Province => "province",
            Level::Region => "region",
            Level::Italy => "italy",
        }
    }

    /// The Italian word a citizen reads.
    pub(crate) fn label_it(self) -> &'static str {
        match self {
            Level::Comune => "comune",
            Level::Union => "unione di comuni",
            Level::Province => "provincia",
            Level::Region => "regione",
            Level::Italy => "Italia",
        }
    }
}

/// The code of Italy as a whole.
pub(crate) const ITALY: &str = "IT";

/// Recognises the level of an ISTAT code from its shape: six digits a comune ("035004"), three
/// a province ("035"), two a region ("08"), "IT" Italy. Unions have no ISTAT code and are
/// recognised by declaration, not shape.
pub(crate) fn level_of_istat_code(code: &str) -> Option<Level> {
    let digits = !code.is_empty() && code.chars().all(|c| c.is_ascii_digit());
    match code.len() {
        6 if digits => Some(Level::Comune),
        3 if digits => Some(Level::Province),
        2 if digits => Some(Level::Region),
        _ if code == ITALY => Some(Level::Italy),
        _ => None,
    }
}

/// Brings a comune code written as a number ("35004", " 35004 ") to its six-digit text form.
/// Returns None for anything that is not one to six digits.
pub(crate) fn normalize_comune_code(raw: &str) -> Option<String> {
    let trimmed = raw.trim();
    let digits =
        !trimmed.is_empty() && trimmed.len() <= 6 && trimmed.chars().all(|c| c.is_ascii_digit());
    digits.then(|| format!("{trimmed:0>6}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_levels_from_codes() {
        assert_eq!(level_of_istat_code("035004"), Some(Level::Comune));
        assert_eq!(level_of_istat_code("035"), Some(Level::Province));
        assert_eq!(level_of_istat_code("08"), Some(Level::Region));
        assert_eq!(level_of_istat_code("IT"), Some(Level::Italy));
        assert_eq!(level_of_istat_code("35004"), None);
        assert_eq!(level_of_istat_code("val_d_enza"), None);
    }

    #[test]
    fn normalizes_numeric_comune_codes() {
        assert_eq!(normalize_comune_code("35004").as_deref(), Some("035004"));
        assert_eq!(normalize_comune_code(" 001 ").as_deref(), Some("000001"));
        assert_eq!(normalize_comune_code("035004").as_deref(), Some("035004"));
        assert_eq!(normalize_comune_code("1234567"), None);
        assert_eq!(normalize_comune_code("A074"), None);
    }
}
