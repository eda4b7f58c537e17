//! How one computed value came about: the indicator's formula, each term (numerator,
//! denominator, measure) with the observations it was read or summed from, the rounding, the
//! benchmarks and the check against a published figure. Each kind says which terms it reads
//! (`terms`); reading them from the long table is the same for every kind.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::clock::period_it;
use crate::indicator::check::Check;
use crate::indicator::data::Data;
use crate::istat::Level;
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
    pub(crate) fn label_it(self) -> &'static str {
        match self {
            Role::Numerator => "numeratore",
            Role::Denominator => "denominatore",
            Role::Measure => "misura",
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
    pub(crate) formula: String,
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

impl Explanation {
    /// The explanation in Italian, one line per fact: what `explain` prints.
    pub(crate) fn lines_it(&self) -> Vec<String> {
        let mut lines = vec![format!(
            "{} ({}, {}, {})",
            self.label, self.indicator, self.kind, self.unit
        )];
        lines.extend(self.page_lines_it());
        lines
    }

    /// The explanation but for the indicator itself: what the pages show under it.
    pub(crate) fn page_lines_it(&self) -> Vec<String> {
        let number = |value: f64| text::format_it(value, if value.fract() == 0.0 { 0 } else { 2 });
        let mut lines = vec![
            format!("Formula: {}", self.formula),
            format!(
                "{} ({}), {}: {} {}{}",
                self.territory_name,
                self.territory,
                period_it(&self.period),
                text::format_it(self.published_value, self.decimals),
                self.unit,
                self.rounding()
            ),
        ];
        if let (Some(numerator), Some(denominator)) = (self.numerator, self.denominator) {
            lines.push(format!(
                "Numeratore {}, denominatore {}",
                number(numerator),
                number(denominator)
            ));
        }
        for term in &self.terms {
            lines.extend(term_lines(term, &self.indicator, &number));
        }
        for benchmark in &self.benchmarks {
            lines.push(format!(
                "Confronto, {} {} ({}): {} {}, calcolato allo stesso modo{}",
                benchmark.level.label_it(),
                benchmark.territory_name,
                benchmark.territory,
                text::format_it(benchmark.value, self.decimals),
                self.unit,
                match (benchmark.numerator, benchmark.denominator) {
                    (Some(n), Some(d)) => format!(" ({} / {})", number(n), number(d)),
                    _ => String::new(),
                }
            ));
        }
        if let Some(check) = &self.check {
            let named = crate::indicator::check::Named {
                indicator: &self.label,
                territory: &self.territory_name,
            };
            lines.push(format!(
                "Verifica: {}",
                check.sentence(crate::indicator::check::Language::Italian, &named)
            ));
        }
        lines
    }
}

impl Explanation {
    /// How the value was rounded, when rounding changed it.
    fn rounding(&self) -> String {
        if self.value == self.published_value {
            return String::new();
        }
        // Six decimals show what rounding dropped; the zeros after it say nothing.
        let computed = text::format_it(self.value, 6);
        let computed = computed.trim_end_matches('0').trim_end_matches(',');
        format!(
            " (calcolato {computed}, arrotondato a {} decimali)",
            self.decimals
        )
    }
}

fn term_lines(term: &TracedTerm, indicator: &str, number: &dyn Fn(f64) -> String) -> Vec<String> {
    // One source for every observation is said once, on the term's line.
    let sources: BTreeSet<Option<&str>> = term
        .contributions
        .iter()
        .map(|c| c.source.as_deref())
        .collect();
    let shared_source = match (sources.len(), sources.first()) {
        (1, Some(Some(source))) => format!(" (fonte {source})"),
        _ => String::new(),
    };
    let how = match (term.reading, term.summed, term.value) {
        (Reading::EachComune, _, _) => format!("{} comuni, uno per uno", term.observations),
        (Reading::ValueOrSum, true, Some(value)) => {
            format!("{}, somma di {} comuni", number(value), term.observations)
        }
        (Reading::ValueOrSum, false, Some(value)) => {
            format!("{}, valore del territorio", number(value))
        }
        (Reading::ValueOrSum, _, None) => "nessun valore".to_owned(),
    };
    let mut lines = vec![format!(
        "{} `{}` di {} per {}: {how}{shared_source}",
        capitalized(term.role.label_it()),
        term.measure,
        term.territory,
        period_it(&term.period)
    )];
    if !term.summed && term.reading == Reading::ValueOrSum {
        // The territory's own value: its one observation is the line above.
        return lines;
    }
    if term.contributions.len() < term.observations {
        lines.push(format!(
            "  {} osservazioni, elencate dal comando `datavalley explain FILE {indicator} {}`",
            term.observations, term.territory
        ));
        return lines;
    }
    for contribution in &term.contributions {
        let value = contribution
            .value
            .map_or_else(|| "nessun valore".to_owned(), number);
        let source = match (shared_source.is_empty(), contribution.source.as_deref()) {
            (true, Some(source)) => format!(" (fonte {source})"),
            _ => String::new(),
        };
        let merged = match contribution.merged_codes.as_slice() {
            [] => String::new(),
            codes => format!(
                ", con le righe dei codici {} (variazioni dei codici)",
                codes.join(", ")
            ),
        };
        lines.push(format!(
            "  {} {}: {value}{source}{merged}",
            contribution.territory, contribution.territory_name,
        ));
    }
    lines
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
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
