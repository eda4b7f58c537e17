//! The home page: a card per challenge with its headline indicator for the site's territory,
//! and the recomputed figures compared with the ones a document published.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::error::Result;
use crate::indicator::check::Named;
use crate::indicator::rows::IndicatorRow;
use crate::istat::ITALY;
use crate::message::Language;
use crate::site::input::{Challenges, SiteInput, latest_rows};
use crate::site::render::{Writer, v};
use crate::text::format_it;

#[derive(Debug, Serialize)]
struct Headline {
    label: String,
    value: String,
    unit: String,
    period: String,
    territory: String,
}

#[derive(Debug, Serialize)]
struct Card {
    number: u8,
    title: String,
    headline: Option<Headline>,
    indicators: usize,
}

pub(crate) fn write(writer: &mut Writer, input: &SiteInput, challenges: &Challenges) -> Result<()> {
    let focus = input.about.focus.unwrap_or(ITALY);
    let all: Vec<&IndicatorRow> = input.rows.iter().collect();
    let latest = latest_rows(&all, focus);
    let cards: Vec<Card> = challenges
        .iter()
        .map(|(number, (title, _))| card(input, &latest, *number, title))
        .collect();
    writer.page(
        "index.html",
        "home.html",
        input.about.title,
        "home",
        &[],
        minijinja::context! {
            cards => v(&cards),
            checks => v(checks(input)),
        },
    )
}

/// A challenge's card: its headline indicator (the one declared so, else its first) and how
/// many indicators it has.
fn card(input: &SiteInput, latest: &[&IndicatorRow], number: u8, title: &str) -> Card {
    let in_challenge: Vec<&IndicatorRow> = latest
        .iter()
        .copied()
        .filter(|r| r.challenge == number)
        .collect();
    let headline = input
        .indicators
        .iter()
        .filter(|i| i.challenge == number && i.headline)
        .find_map(|i| in_challenge.iter().find(|r| *r.indicator == *i.name))
        .or_else(|| in_challenge.first());
    let indicators: BTreeSet<&str> = input
        .rows
        .iter()
        .filter(|r| r.challenge == number)
        .map(|r| &*r.indicator)
        .collect();
    Card {
        number,
        title: title.to_owned(),
        headline: headline.map(|row| Headline {
            label: row.label.to_string(),
            value: format_it(row.value, row.decimals),
            unit: row.unit.to_string(),
            period: row.period.to_string(),
            territory: row.territory_name.to_string(),
        }),
        indicators: indicators.len(),
    }
}

/// Each check as one Italian sentence, naming the indicator by its label and the territory
/// by its name.
fn checks(input: &SiteInput) -> Vec<String> {
    input
        .checks
        .iter()
        .map(|check| {
            let named = Named {
                indicator: input
                    .indicators
                    .iter()
                    .find(|i| i.name == check.indicator)
                    .map_or(check.indicator.as_str(), |i| i.label.as_str()),
                territory: input
                    .territories
                    .get(&check.territory)
                    .map_or(check.territory.as_str(), |t| t.name.as_str()),
            };
            check.sentence(Language::Italian, &named)
        })
        .collect()
}
