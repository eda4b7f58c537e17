//! The dashboard a page opens with: one card per challenge with its headline figure for a
//! territory and, in words, how it compares with the province or the region. The home page
//! shows it for the site's territory, each territory page for its own.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::clock::period_it;
use crate::indicator::rows::{Benchmark, IndicatorRow};
use crate::site::input::{Challenges, SiteInput};
use crate::text::{format_it, with_unit_it};

#[derive(Debug, Serialize)]
pub(crate) struct Headline {
    label: String,
    value: String,
    unit: String,
    period: String,
    territory: String,
    /// "Sopra il valore della provincia di Reggio nell'Emilia (2,96).".
    comparison: Option<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct Card {
    number: u8,
    title: String,
    headline: Option<Headline>,
    /// The challenge's indicators with a value for the territory.
    indicators: usize,
}

/// A card per challenge, from the latest rows of one territory.
pub(crate) fn cards(
    input: &SiteInput,
    challenges: &Challenges,
    latest: &[&IndicatorRow],
) -> Vec<Card> {
    challenges
        .iter()
        .map(|(number, (title, _))| card(input, latest, *number, title))
        .collect()
}

/// A challenge's card: its headline figure, and how many indicators it has.
fn card(input: &SiteInput, latest: &[&IndicatorRow], number: u8, title: &str) -> Card {
    let in_challenge: Vec<&IndicatorRow> = latest
        .iter()
        .copied()
        .filter(|r| r.challenge == number)
        .collect();
    let headline = headline(input, &in_challenge, number);
    let indicators: BTreeSet<&str> = in_challenge.iter().map(|r| &*r.indicator).collect();
    Card {
        number,
        title: title.to_owned(),
        headline: headline.map(|row| Headline {
            label: row.label.to_string(),
            value: format_it(row.value, row.decimals),
            unit: row.unit.to_string(),
            period: period_it(&row.period),
            territory: row.territory_name.to_string(),
            comparison: comparison_words(row),
        }),
        indicators: indicators.len(),
    }
}

/// A challenge's headline row among a territory's latest rows of that challenge: the indicator
/// declared so, else the first with a benchmark to compare with, else the first.
pub(crate) fn headline<'r>(
    input: &SiteInput,
    in_challenge: &[&'r IndicatorRow],
    number: u8,
) -> Option<&'r IndicatorRow> {
    input
        .indicators
        .iter()
        .filter(|i| i.challenge == number && i.headline)
        .find_map(|i| in_challenge.iter().find(|r| *r.indicator == *i.name))
        .or_else(|| in_challenge.iter().find(|r| nearest_benchmark(r).is_some()))
        .or_else(|| in_challenge.first())
        .copied()
}

/// The benchmark a card compares with: the province, else the region.
fn nearest_benchmark(row: &IndicatorRow) -> Option<(&Benchmark, &'static str)> {
    row.province
        .as_ref()
        .map(|b| (b, "della provincia di"))
        .or_else(|| row.region.as_ref().map(|b| (b, "della regione")))
}

/// How a value compares with its nearest benchmark, in a sentence. A total is a part of the
/// province's or region's total, so it is said as a share of it; another value is above,
/// below or equal to the benchmark's, as published (rounded alike).
pub(crate) fn comparison_words(row: &IndicatorRow) -> Option<String> {
    let (benchmark, of) = nearest_benchmark(row)?;
    let theirs = with_unit_it(benchmark.value, row.decimals, &row.unit);
    if row.total {
        return (benchmark.value > 0.0 && row.value <= benchmark.value).then(|| {
            let share = format_it(100.0 * row.value / benchmark.value, 0);
            format!("Il {share}% del totale {of} {} ({theirs}).", benchmark.name)
        });
    }
    let position = if format_it(row.value, row.decimals) == format_it(benchmark.value, row.decimals)
    {
        "Pari al valore"
    } else if row.value > benchmark.value {
        "Sopra il valore"
    } else {
        "Sotto il valore"
    };
    Some(format!("{position} {of} {} ({theirs}).", benchmark.name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(value: f64, province: f64, total: bool) -> IndicatorRow {
        IndicatorRow {
            value,
            total,
            unit: "ogni 100 residenti".into(),
            decimals: 2,
            province: Some(Benchmark {
                code: "035".into(),
                name: "Reggio nell'Emilia".into(),
                value: province,
            }),
            region: None,
            ..IndicatorRow::example()
        }
    }

    #[test]
    fn compares_with_the_nearest_benchmark_in_words() {
        assert_eq!(
            comparison_words(&row(4.52, 2.96, false)).unwrap(),
            "Sopra il valore della provincia di Reggio nell'Emilia (2,96 ogni 100 residenti)."
        );
        assert_eq!(
            comparison_words(&row(1.0, 2.96, false)).unwrap(),
            "Sotto il valore della provincia di Reggio nell'Emilia (2,96 ogni 100 residenti)."
        );
        // Equal as published, though not as stored.
        assert_eq!(
            comparison_words(&row(2.961, 2.959, false)).unwrap(),
            "Pari al valore della provincia di Reggio nell'Emilia (2,96 ogni 100 residenti)."
        );
        assert_eq!(
            comparison_words(&row(12.0, 48.0, true)).unwrap(),
            "Il 25% del totale della provincia di Reggio nell'Emilia (48,00 ogni 100 residenti)."
        );
        let mut alone = row(1.0, 1.0, false);
        alone.province = None;
        assert_eq!(comparison_words(&alone), None);
    }
}
