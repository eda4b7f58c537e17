//! A recomputed figure compared with the figure a document published for it, and the one
//! sentence that says whether they agree: in Italian for the pages, in the officer's language
//! for the log.

use serde::Serialize;

use crate::indicator::wording;
use crate::message::{Argument, Language, Message};
use crate::msg;

/// A recomputed figure compared with the figure published for it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Check {
    pub(crate) indicator: String,
    pub(crate) territory: String,
    pub(crate) period: String,
    /// The recomputed value, rounded as published.
    pub(crate) computed: f64,
    pub(crate) published: f64,
    pub(crate) published_measure: String,
    pub(crate) agrees: bool,
    pub(crate) numerator: Option<f64>,
    pub(crate) denominator: Option<f64>,
    pub(crate) denominator_label: Option<String>,
    /// The denominator the published figure implies, for ratios that disagree.
    pub(crate) implied_denominator: Option<f64>,
    pub(crate) note: Option<String>,
    /// The decimals the indicator is published with.
    #[serde(skip)]
    pub(crate) decimals: u8,
}

/// How a sentence names what was checked: the pages by label and territory name, the log by
/// the indicator's and the territory's codes.
pub(crate) struct Named<'a> {
    pub(crate) indicator: &'a str,
    pub(crate) territory: &'a str,
}

impl Check {
    /// Whether the recomputed figure agrees with the published one, and what the published
    /// figure implies when it does not, as one sentence. The recomputed and published values
    /// have the indicator's decimals, numerator and denominator as many as they need (none for
    /// a whole number, else two).
    pub(crate) fn message(&self, named: &Named) -> Message {
        let terms = match (self.numerator, self.denominator) {
            (Some(numerator), Some(denominator)) => Argument::from(msg!(
                "published_check_terms",
                numerator = wording::as_needed(numerator),
                denominator = wording::as_needed(denominator),
                label = self
                    .denominator_label
                    .as_ref()
                    .map(|label| format!(" ({label})"))
                    .unwrap_or_default()
            )),
            _ => Argument::from(""),
        };
        let implied = match self.implied_denominator {
            Some(implied) => Argument::from(msg!(
                "published_check_implied",
                denominator = wording::fixed(implied, 0)
            )),
            None => Argument::from(""),
        };
        let note = match &self.note {
            Some(note) if !self.agrees => format!(". {}", capitalized(note)),
            _ => String::new(),
        };
        msg!(
            "published_check",
            indicator = named.indicator,
            territory = named.territory,
            period = &self.period,
            computed = wording::fixed(self.computed, self.decimals),
            terms = terms,
            published = wording::fixed(self.published, self.decimals),
            agrees = if self.agrees { "true" } else { "false" },
            implied = implied,
            note = note
        )
    }

    /// The sentence in `language`: Italian for the pages.
    pub(crate) fn sentence(&self, language: Language, named: &Named) -> String {
        self.message(named).render(language)
    }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spid() -> Check {
        Check {
            indicator: "spid_per_100_residents_recomputed".into(),
            territory: "val_d_enza".into(),
            period: "2022".into(),
            computed: 3.78,
            published: 4.52,
            published_measure: "spid_per_100_residents".into(),
            agrees: false,
            numerator: Some(2355.0),
            denominator: Some(62379.0),
            denominator_label: Some("residenti".into()),
            implied_denominator: Some(52101.8),
            note: Some("forse i maggiorenni".into()),
            decimals: 2,
        }
    }

    #[test]
    fn one_sentence_in_both_languages() {
        let check = spid();
        let named = Named {
            indicator: "SPID ogni 100 residenti",
            territory: "Unione Val d'Enza",
        };
        assert_eq!(
            check.sentence(Language::Italian, &named),
            "SPID ogni 100 residenti (Unione Val d'Enza, 2022): ricalcolato 3,78 da 2.355 su \
             62.379 (residenti), pubblicato 4,52: non concorda; il valore pubblicato implica un \
             denominatore di circa 52.102. Forse i maggiorenni"
        );
        let named = Named {
            indicator: &check.indicator,
            territory: &check.territory,
        };
        assert_eq!(
            check.sentence(Language::English, &named),
            "spid_per_100_residents_recomputed (val_d_enza, 2022): recomputed 3.78 from 2,355 \
             over 62,379 (residenti), published 4.52: DISAGREES; the published figure implies \
             a denominator of about 52,102. Forse i maggiorenni"
        );
    }

    #[test]
    fn an_agreeing_figure_keeps_its_decimals_and_says_no_note() {
        let check = Check {
            computed: 4.5,
            published: 4.5,
            agrees: true,
            numerator: None,
            denominator: None,
            implied_denominator: None,
            ..spid()
        };
        let named = Named {
            indicator: "spid",
            territory: "val_d_enza",
        };
        assert_eq!(
            check.sentence(Language::Italian, &named),
            "spid (val_d_enza, 2022): ricalcolato 4,50, pubblicato 4,50: concorda"
        );
        assert_eq!(
            check.sentence(Language::English, &named),
            "spid (val_d_enza, 2022): recomputed 4.50, published 4.50: agrees"
        );
    }
}
