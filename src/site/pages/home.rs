//! The home page: the dashboard of the site's territory (a card per challenge with its headline
//! figure and its comparison), and the recomputed figures compared with the ones a document
//! published.

use crate::error::Result;
use crate::indicator::check::Named;
use crate::indicator::rows::IndicatorRow;
use crate::istat::ITALY;
use crate::message::Language;
use crate::site::dashboard;
use crate::site::input::{Challenges, SiteInput, latest_rows};
use crate::site::render::{Writer, v};

pub(crate) fn write(writer: &mut Writer, input: &SiteInput, challenges: &Challenges) -> Result<()> {
    let focus = input.about.focus.unwrap_or(ITALY);
    let all: Vec<&IndicatorRow> = input.rows.iter().collect();
    let latest = latest_rows(&all, focus);
    let cards = dashboard::cards(input, challenges, &latest);
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
