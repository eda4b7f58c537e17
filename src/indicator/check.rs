//! A recomputed figure compared with the figure a document published for it, and the one
//! sentence that says whether they agree, in Italian for the pages and in English for the log.

use serde::Serialize;

use crate::text;

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

/// The language a sentence is written in: Italian for citizens, English for the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Language {
    Italian,
    English,
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
    pub(crate) fn sentence(&self, language: Language, named: &Named) -> String {
        let words = Words::of(language);
        let number = |value: f64, decimals: u8| match language {
            Language::Italian => text::format_it(value, decimals),
            Language::English => text::format_en(value, decimals),
        };
        let as_needed = |value: f64| number(value, if value.fract() == 0.0 { 0 } else { 2 });
        let mut sentence = format!(
            "{} ({}, {}): {} {}",
            named.indicator,
            named.territory,
            self.period,
            words.recomputed,
            number(self.computed, self.decimals)
        );
        if let (Some(numerator), Some(denominator)) = (self.numerator, self.denominator) {
            sentence.push_str(&format!(
                " {} {} {} {}",
                words.from,
                as_needed(numerator),
                words.over,
                as_needed(denominator)
            ));
            if let Some(label) = &self.denominator_label {
                sentence.push_str(&format!(" ({label})"));
            }
        }
        sentence.push_str(&format!(
            ", {} {}: {}",
            words.published,
            number(self.published, self.decimals),
            if self.agrees {
                words.agrees
            } else {
                words.disagrees
            }
        ));
        if let Some(implied) = self.implied_denominator {
            sentence.push_str(&format!("; {} {}", words.implies, number(implied, 0)));
        }
        if !self.agrees
            && let Some(note) = &self.note
        {
            sentence.push_str(&format!(". {}", capitalized(note)));
        }
        sentence
    }
}

/// The words of a check sentence in one language.
struct Words {
    recomputed: &'static str,
    from: &'static str,
    over: &'static str,
    published: &'static str,
    agrees: &'static str,
    disagrees: &'static str,
    implies: &'static str,
}

impl Words {
    fn of(language: Language) -> Words {
        match language {
            Language::Italian => Words {
                recomputed: "ricalcolato",
                from: "da",
                over: "su",
                published: "pubblicato",
                agrees: "concorda",
                disagrees: "non concorda",
                implies: "il valore pubblicato implica un denominatore di circa",
            },
            Language::English => Words {
                recomputed: "recomputed",
                from: "from",
                over: "over",
                published: "published",
                agrees: "agrees",
                disagrees: "DISAGREES",
                implies: "the published figure implies a denominator of about",
            },
        }
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
}
