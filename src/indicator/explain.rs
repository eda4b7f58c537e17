//! How one computed value came about: the indicator's formula, each term (numerator,
//! denominator, measure) with the observations it was read or summed from, the rounding, the
//! benchmarks and the check against a published figure. Each kind says which terms it reads
//! (`terms`); reading them from the long table is the same for every kind.

use std::collections::BTreeSet;

use serde::{Serialize, Serializer};

use crate::clock::period_it;
use crate::indicator::check::{Check, Named};
use crate::indicator::data::Data;
use crate::indicator::wording;
use crate::istat::Level;
use crate::message::{Language, Message};
use crate::text;

/// What a term is to its indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Role {
    Numerator,
    Denominator,
    Measure,
}

impl Role {
    /// The role as the catalogue's messages select on it.
    fn code(self) -> &'static str {
        match self {
            Role::Numerator => "numerator",
            Role::Denominator => "denominator",
            Role::Measure => "measure",
        }
    }
}

/// How a kind reads a term from the long table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Reading {
    /// The territory's own value, or else the sum over its comuni.
    ValueOrSum,
    /// Each comune of the territory, one by one (shares and means).
    EachComune,
}

/// One term an indicator reads for a value.
#[derive(Debug, Clone)]
pub(crate) struct Term {
    pub(crate) role: Role,
    pub(crate) measure: String,
    pub(crate) territory: String,
    pub(crate) period: String,
    pub(crate) reading: Reading,
}

impl Term {
    pub(crate) fn new(
        role: Role,
        measure: &str,
        (territory, period): (&str, &str),
        reading: Reading,
    ) -> Term {
        Term {
            role,
            measure: measure.to_owned(),
            territory: territory.to_owned(),
            period: period.to_owned(),
            reading,
        }
    }
}

/// One observation a term was read from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Contribution {
    pub(crate) territory: String,
    pub(crate) territory_name: String,
    /// None for a comune with no value (which leaves an aggregate incomplete).
    pub(crate) value: Option<f64>,
    pub(crate) source: Option<String>,
    /// Older codes whose rows were summed into this comune (code changes).
    pub(crate) merged_codes: Vec<String>,
}

/// A term with what it was read from.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TracedTerm {
    pub(crate) role: Role,
    pub(crate) measure: String,
    pub(crate) territory: String,
    pub(crate) period: String,
    pub(crate) reading: Reading,
    /// The term's value: the territory's own, or the sum of the contributions.
    pub(crate) value: Option<f64>,
    /// Whether the value was summed over the territory's comuni.
    pub(crate) summed: bool,
    /// How many observations the term reads; each is in `contributions` unless there are
    /// more than the explanation lists.
    pub(crate) observations: usize,
    pub(crate) contributions: Vec<Contribution>,
}

/// A benchmark of the value: the same indicator for the province or the region.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct BenchmarkValue {
    pub(crate) level: Level,
    pub(crate) territory: String,
    pub(crate) territory_name: String,
    /// Rounded as published.
    pub(crate) value: f64,
    pub(crate) numerator: Option<f64>,
    pub(crate) denominator: Option<f64>,
}

/// How one value of one indicator was computed.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Explanation {
    pub(crate) indicator: String,
    pub(crate) label: String,
    pub(crate) kind: &'static str,
    /// Written as its Italian text, as the pages show it.
    #[serde(serialize_with = "italian_text")]
    pub(crate) formula: Message,
    pub(crate) unit: String,
    pub(crate) territory: String,
    pub(crate) territory_name: String,
    pub(crate) period: String,
    /// As computed, before rounding.
    pub(crate) value: f64,
    /// As published: rounded to `decimals`.
    pub(crate) published_value: f64,
    pub(crate) decimals: u8,
    pub(crate) numerator: Option<f64>,
    pub(crate) denominator: Option<f64>,
    pub(crate) terms: Vec<TracedTerm>,
    pub(crate) benchmarks: Vec<BenchmarkValue>,
    pub(crate) check: Option<Check>,
}

fn italian_text<S: Serializer>(message: &Message, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&message.render(Language::Italian))
}

/// The indentation of the observations listed under a term.
const INDENT: &str = "  ";

/// How an explanation writes in one language: numbers and periods formatted here and the
/// words from the catalogue through templates (`wording`), for a national release explains
/// seventy thousand values for its pages.
#[derive(Clone, Copy)]
struct Writing(Language);

/// No argument the message selects its words on.
const NO_CHOICE: (&str, &str) = ("", "");

impl Writing {
    fn number(self, value: f64, decimals: u8) -> String {
        match self.0 {
            Language::Italian => text::format_it(value, decimals),
            Language::English => text::format_en(value, decimals),
        }
    }

    /// As many decimals as the number needs: none for a whole number, else two.
    fn as_needed(self, value: f64) -> String {
        self.number(value, if value.fract() == 0.0 { 0 } else { 2 })
    }

    /// A period as a reader says it: "agosto 2026" in Italian, as written in English.
    fn period(self, period: &str) -> String {
        match self.0 {
            Language::Italian => period_it(period),
            Language::English => period.to_owned(),
        }
    }

    /// The catalogue's message `id` with its text arguments.
    fn line(self, id: &'static str, gaps: &[(&str, &str)]) -> String {
        wording::fill(self.0, id, NO_CHOICE, gaps)
    }

    /// The same, for a message that selects its words on the argument `choice`.
    fn line_with(
        self,
        id: &'static str,
        choice: (&'static str, &'static str),
        gaps: &[(&str, &str)],
    ) -> String {
        wording::fill(self.0, id, choice, gaps)
    }
}

impl Explanation {
    /// The explanation, one line per fact: what `explain` prints.
    pub(crate) fn lines(&self, language: Language) -> Vec<String> {
        let mut lines = vec![format!(
            "{} ({}, {}, {})",
            self.label, self.indicator, self.kind, self.unit
        )];
        lines.extend(self.page_lines(language));
        lines
    }

    /// The explanation but for the indicator itself: what the pages show under it (in
    /// Italian).
    pub(crate) fn page_lines(&self, language: Language) -> Vec<String> {
        let writing = Writing(language);
        let formula = wording::shared(language, &self.formula);
        let mut lines = vec![
            writing.line("explanation_formula", &[("formula", &formula)]),
            format!(
                "{} ({}), {}: {} {}{}",
                self.territory_name,
                self.territory,
                writing.period(&self.period),
                writing.number(self.published_value, self.decimals),
                self.unit,
                self.rounding(writing)
            ),
        ];
        if let (Some(numerator), Some(denominator)) = (self.numerator, self.denominator) {
            lines.push(writing.line(
                "explanation_numerator_denominator",
                &[
                    ("numerator", &writing.as_needed(numerator)),
                    ("denominator", &writing.as_needed(denominator)),
                ],
            ));
        }
        for term in &self.terms {
            lines.extend(term_lines(term, &self.indicator, writing));
        }
        for benchmark in &self.benchmarks {
            lines.push(self.benchmark_line(benchmark, writing));
        }
        if let Some(check) = &self.check {
            let named = Named {
                indicator: &self.label,
                territory: &self.territory_name,
            };
            let sentence = check.sentence(language, &named);
            lines.push(writing.line("explanation_check", &[("sentence", &sentence)]));
        }
        lines
    }

    /// How the value was rounded, when rounding changed it.
    fn rounding(&self, writing: Writing) -> String {
        if self.value == self.published_value {
            return String::new();
        }
        // Six decimals show what rounding dropped; the zeros after it say nothing.
        let computed = writing.number(self.value, 6);
        let computed = computed.trim_end_matches('0').trim_end_matches([',', '.']);
        writing.line(
            "explanation_rounding",
            &[
                ("computed", computed),
                ("decimals", &self.decimals.to_string()),
            ],
        )
    }

    fn benchmark_line(&self, benchmark: &BenchmarkValue, writing: Writing) -> String {
        let ratio = match (benchmark.numerator, benchmark.denominator) {
            (Some(n), Some(d)) => format!(" ({} / {})", writing.as_needed(n), writing.as_needed(d)),
            _ => String::new(),
        };
        writing.line_with(
            "explanation_benchmark",
            ("level", benchmark.level.as_str()),
            &[
                ("name", &benchmark.territory_name),
                ("code", &benchmark.territory),
                ("value", &writing.number(benchmark.value, self.decimals)),
                ("unit", &self.unit),
                ("ratio", &ratio),
            ],
        )
    }
}

fn term_lines(term: &TracedTerm, indicator: &str, writing: Writing) -> Vec<String> {
    // One source for every observation is said once, on the term's line.
    let sources: BTreeSet<Option<&str>> = term
        .contributions
        .iter()
        .map(|c| c.source.as_deref())
        .collect();
    let shared_source = match (sources.len(), sources.first()) {
        (1, Some(Some(source))) => Some(*source),
        _ => None,
    };
    let count = term.observations.to_string();
    let how = match (term.reading, term.summed, term.value) {
        (Reading::EachComune, _, _) => {
            writing.line("explanation_each_comune", &[("count", &count)])
        }
        (Reading::ValueOrSum, true, Some(value)) => writing.line(
            "explanation_summed",
            &[("value", &writing.as_needed(value)), ("count", &count)],
        ),
        (Reading::ValueOrSum, false, Some(value)) => writing.line(
            "explanation_own_value",
            &[("value", &writing.as_needed(value))],
        ),
        (Reading::ValueOrSum, _, None) => writing.line("explanation_no_value", &[]),
    };
    let mut lines = vec![writing.line_with(
        "explanation_term",
        ("role", term.role.code()),
        &[
            ("measure", &term.measure),
            ("territory", &term.territory),
            ("period", &writing.period(&term.period)),
            ("how", &how),
            ("source", &source_of(shared_source, writing)),
        ],
    )];
    if !term.summed && term.reading == Reading::ValueOrSum {
        // The territory's own value: its one observation is the line above.
        return lines;
    }
    if term.contributions.len() < term.observations {
        let listed = writing.line(
            "explanation_observations_listed",
            &[
                ("count", &count),
                ("indicator", indicator),
                ("territory", &term.territory),
            ],
        );
        lines.push(format!("{INDENT}{listed}"));
        return lines;
    }
    for contribution in &term.contributions {
        lines.push(contribution_line(
            contribution,
            shared_source.is_none(),
            writing,
        ));
    }
    lines
}

/// One observation of a term: the comune, its value, and its source when the term's line
/// does not say it.
fn contribution_line(contribution: &Contribution, with_source: bool, writing: Writing) -> String {
    let value = contribution.value.map_or_else(
        || writing.line("explanation_no_value", &[]),
        |value| writing.as_needed(value),
    );
    let source = match with_source {
        true => source_of(contribution.source.as_deref(), writing),
        false => String::new(),
    };
    let merged = match contribution.merged_codes.as_slice() {
        [] => String::new(),
        codes => writing.line("explanation_merged_codes", &[("codes", &codes.join(", "))]),
    };
    format!(
        "{INDENT}{} {}: {value}{source}{merged}",
        contribution.territory, contribution.territory_name
    )
}

/// " (fonte X)" after a value, or nothing when the source is not known.
fn source_of(source: Option<&str>, writing: Writing) -> String {
    match source {
        Some(source) => writing.line("explanation_source", &[("source", source)]),
        None => String::new(),
    }
}

/// A term with the observations it is read from, each listed when there are at most `limit`.
pub(crate) fn trace(term: &Term, data: &Data, limit: usize) -> TracedTerm {
    let direct = data.direct(&term.measure, &term.territory, &term.period);
    let members = data.territories.members(&term.territory);
    let summed =
        term.reading == Reading::ValueOrSum && direct.is_none() && data.aggregates(&term.territory);
    let read: Vec<&str> = match term.reading {
        Reading::ValueOrSum if direct.is_some() => vec![term.territory.as_str()],
        Reading::ValueOrSum if !summed => Vec::new(),
        _ => members.iter().map(String::as_str).collect(),
    };
    let contributions = match read.len() <= limit {
        true => read
            .iter()
            .map(|code| contribution(term, data, code))
            .collect(),
        false => Vec::new(),
    };
    let value = match term.reading {
        Reading::EachComune => None,
        Reading::ValueOrSum if summed => data
            .sum_of_members(&term.measure, &term.territory, &term.period)
            .ok()
            .map(|found| found.value),
        Reading::ValueOrSum => direct.map(|found| found.value),
    };
    TracedTerm {
        role: term.role,
        measure: term.measure.clone(),
        territory: term.territory.clone(),
        period: term.period.clone(),
        reading: term.reading,
        value,
        summed,
        observations: read.len(),
        contributions,
    }
}

/// One territory's own observation of a term's measure.
fn contribution(term: &Term, data: &Data, code: &str) -> Contribution {
    let found = data.direct(&term.measure, code, &term.period);
    Contribution {
        territory: code.to_owned(),
        territory_name: data
            .territories
            .get(code)
            .map_or_else(|| code.to_owned(), |t| t.name.clone()),
        value: found.as_ref().map(|f| f.value),
        source: found.map(|f| data.source_names(&f.sources)),
        merged_codes: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::msg;

    fn contribution(territory: &str, name: &str, value: f64) -> Contribution {
        Contribution {
            territory: territory.into(),
            territory_name: name.into(),
            value: Some(value),
            source: Some("ISTAT".into()),
            merged_codes: Vec::new(),
        }
    }

    fn funding_per_resident() -> Explanation {
        let term =
            |role, measure: &str, period: &str, contributions: Vec<Contribution>| TracedTerm {
                role,
                measure: measure.into(),
                territory: "val_d_enza".into(),
                period: period.into(),
                reading: Reading::ValueOrSum,
                value: Some(contributions.iter().filter_map(|c| c.value).sum()),
                summed: true,
                observations: contributions.len(),
                contributions,
            };
        let mut merged = contribution("035010", "Campegine", 0.25);
        merged.merged_codes = vec!["035099".into()];
        merged.source = None;
        Explanation {
            indicator: "pnrr_funding_per_resident".into(),
            label: "Finanziamenti PNRR per abitante".into(),
            kind: "ratio",
            formula: msg!(
                "formula_ratio",
                numerator = "pnrr_funding_eur",
                denominator = "population_total",
                per = crate::indicator::wording::fixed(1000.0, 0),
                label = "residenti"
            ),
            unit: "euro per abitante".into(),
            territory: "val_d_enza".into(),
            territory_name: "Unione Val d'Enza".into(),
            period: "2026-08-10".into(),
            value: 26.923713,
            published_value: 26.92,
            decimals: 2,
            numerator: Some(1679474.28),
            denominator: Some(62379.0),
            terms: vec![
                term(
                    Role::Numerator,
                    "pnrr_funding_eur",
                    "2026-08-10",
                    vec![
                        contribution("035004", "Bibbiano", 224280.34),
                        contribution("035010", "Campegine", 219100.6),
                    ],
                ),
                term(
                    Role::Denominator,
                    "population_total",
                    "2021",
                    vec![contribution("035004", "Bibbiano", 10104.0), merged],
                ),
            ],
            benchmarks: vec![BenchmarkValue {
                level: Level::Province,
                territory: "035".into(),
                territory_name: "Reggio nell'Emilia".into(),
                value: 30.5,
                numerator: Some(1000.0),
                denominator: Some(32.5),
            }],
            check: None,
        }
    }

    #[test]
    fn the_lines_in_italian_and_in_english() {
        let explanation = funding_per_resident();
        assert_eq!(
            explanation.lines(Language::Italian),
            [
                "Finanziamenti PNRR per abitante (pnrr_funding_per_resident, ratio, euro per abitante)",
                "Formula: `pnrr_funding_eur` / `population_total` × 1.000 (residenti)",
                "Unione Val d'Enza (val_d_enza), 10 agosto 2026: 26,92 euro per abitante (calcolato 26,923713, arrotondato a 2 decimali)",
                "Numeratore 1.679.474,28, denominatore 62.379",
                "Numeratore `pnrr_funding_eur` di val_d_enza per 10 agosto 2026: 443.380,94, somma di 2 comuni (fonte ISTAT)",
                "  035004 Bibbiano: 224.280,34",
                "  035010 Campegine: 219.100,60",
                "Denominatore `population_total` di val_d_enza per 2021: 10.104,25, somma di 2 comuni",
                "  035004 Bibbiano: 10.104 (fonte ISTAT)",
                "  035010 Campegine: 0,25, con le righe dei codici 035099 (variazioni dei codici)",
                "Confronto, provincia Reggio nell'Emilia (035): 30,50 euro per abitante, calcolato allo stesso modo (1.000 / 32,50)",
            ]
        );
        assert_eq!(
            explanation.lines(Language::English)[1..],
            [
                "Formula: `pnrr_funding_eur` / `population_total` × 1,000 (residenti)",
                "Unione Val d'Enza (val_d_enza), 2026-08-10: 26.92 euro per abitante (computed 26.923713, rounded to 2 decimals)",
                "Numerator 1,679,474.28, denominator 62,379",
                "Numerator `pnrr_funding_eur` of val_d_enza for 2026-08-10: 443,380.94, sum of 2 comuni (source ISTAT)",
                "  035004 Bibbiano: 224,280.34",
                "  035010 Campegine: 219,100.60",
                "Denominator `population_total` of val_d_enza for 2021: 10,104.25, sum of 2 comuni",
                "  035004 Bibbiano: 10,104 (source ISTAT)",
                "  035010 Campegine: 0.25, with the rows of the codes 035099 (code changes)",
                "Benchmark, province Reggio nell'Emilia (035): 30.50 euro per abitante, computed the same way (1,000 / 32.50)",
            ]
        );
    }
}
