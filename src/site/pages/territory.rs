//! The territory pages: a territory's dashboard (a card per challenge), then every indicator,
//! challenge by challenge, compared in words and in a chart with its province and region (a
//! union's with its comuni ranked), with its series over time. The indicators' sections are
//! written straight into the page's text, the template placing them: as template values, every
//! item's charts (their tables and CSV too) were serialized to print only their figures.

use std::collections::BTreeMap;
use std::fmt::Write;

use minijinja::HtmlEscape;
use serde::Serialize;

use crate::clock::period_it;
use crate::error::Result;
use crate::history::Replay;
use crate::indicator::rows::IndicatorRow;
use crate::istat::Level;
use crate::report::OutputFile;
use crate::site::chart::{self, Bar, Chart, Grain, Line};
use crate::site::dashboard;
use crate::site::input::{Challenges, SiteInput, TerritoryLink, latest_rows, links};
use crate::site::map_markup::MapFigure;
use crate::site::pages::applications::Applications;
use crate::site::render::{Writer, v};
use crate::site::shared::Shared;
use crate::site::territory_map::{RowsByTerritory, TerritoryMaps};
use crate::territory::Territory;
use crate::text::{format_it, with_unit_it};

#[derive(Debug)]
struct TerritoryItem {
    label: String,
    value: String,
    unit: String,
    period: String,
    comparison: Option<String>,
    /// How the value is computed, a line per fact ("Come è calcolato").
    explanation: Vec<String>,
    source: String,
    /// The figures of its chart and of its series over time, empty when it has none.
    chart: String,
    series: String,
}

#[derive(Debug)]
struct TerritoryChallenge {
    number: u8,
    title: String,
    items: Vec<TerritoryItem>,
}

/// A benchmark's value beside the territory's: "contro 2,96 della provincia", but "contro 4%
/// della provincia".
fn benchmark_value(row: &IndicatorRow, value: f64) -> String {
    if row.unit.starts_with('%') {
        with_unit_it(value, row.decimals, &row.unit)
    } else {
        format_it(value, row.decimals)
    }
}

fn comparison_sentence(row: &IndicatorRow) -> Option<String> {
    let benchmark = |value: f64| benchmark_value(row, value);
    let mut parts = Vec::new();
    if let Some(province) = &row.province {
        parts.push(format!(
            "{} della provincia di {}",
            benchmark(province.value),
            province.name
        ));
    }
    if let Some(region) = &row.region {
        parts.push(format!(
            "{} della regione {}",
            benchmark(region.value),
            region.name
        ));
    }
    (!parts.is_empty()).then(|| {
        format!(
            "{}, contro {}.",
            with_unit_it(row.value, row.decimals, &row.unit),
            parts.join(" e ")
        )
    })
}

#[derive(Serialize)]
struct TerritoryContext {
    code: String,
    name: String,
    level_label: &'static str,
    /// A comune speaks of its own administration; an aggregate, of its comuni's.
    is_comune: bool,
    province: Option<TerritoryLink>,
    region: Option<TerritoryLink>,
    members: Vec<TerritoryLink>,
}

pub(crate) fn write(
    writer: &mut Writer,
    input: &SiteInput,
    challenges: &Challenges,
    shared: &Shared,
) -> Result<()> {
    let mut rows_by_territory: RowsByTerritory = BTreeMap::new();
    for row in input.rows {
        rows_by_territory
            .entry(&row.territory)
            .or_default()
            .push(row);
    }
    let territories = &shared.with_pages;
    let maps = TerritoryMaps::new(
        writer,
        (input, challenges),
        &shared.atlas,
        (territories, &rows_by_territory),
    )?;
    writer.pages_side_by_side(territories, |writer, territory| {
        let own = rows_by_territory
            .get(territory.code.as_str())
            .map_or(&[][..], Vec::as_slice);
        let map = maps.of(input, territory);
        page(
            writer,
            input,
            challenges,
            (territory, map),
            (own, &rows_by_territory),
            shared.applications.as_ref(),
        )
    })?;
    super::territories::write(writer, input.territories, territories, &shared.paged)
}

/// The rows of one territory, and every territory's rows by code.
type RowsOf<'p, 'a> = (&'p [&'a IndicatorRow], &'p RowsByTerritory<'p, 'a>);

/// A territory's page: its dashboard, then every indicator, challenge by challenge, compared
/// with its province and region, and a union's ranked among its comuni.
fn page(
    writer: &Writer,
    input: &SiteInput,
    challenges: &Challenges,
    (territory, map): (&Territory, Option<MapFigure>),
    (own, everyone): RowsOf,
    applications: Option<&Applications>,
) -> Result<OutputFile> {
    let latest = latest_rows(own, &territory.code);
    let mut by_challenge: BTreeMap<u8, Vec<TerritoryItem>> = BTreeMap::new();
    for row in &latest {
        let members = member_rows(input, territory, row, everyone);
        let item = item(writer, input.history, row, &members)?;
        by_challenge.entry(row.challenge).or_default().push(item);
    }
    let own_challenges: Challenges = challenges
        .iter()
        .filter(|(number, _)| by_challenge.contains_key(number))
        .map(|(number, titles)| (*number, titles.clone()))
        .collect();
    let cards = dashboard::cards(input, &own_challenges, &latest);
    let sections: Vec<TerritoryChallenge> = by_challenge
        .into_iter()
        .map(|(number, items)| TerritoryChallenge {
            number,
            title: challenges
                .get(&number)
                .map(|(t, _)| t.clone())
                .unwrap_or_default(),
            items,
        })
        .collect();
    let section = if Some(territory.code.as_str()) == input.about.focus {
        "focus"
    } else {
        "territories"
    };
    writer.page_file(
        &format!("territorio/{}.html", territory.code),
        "territory.html",
        &territory.name,
        section,
        &[("Territori", "territori.html")],
        minijinja::context! {
            territory => v(context(input, territory)),
            cards => v(&cards),
            challenge_count => sections.len(),
            sections => sections_markup(&sections),
            pa_digitale => v(applications.and_then(|a| a.chart(writer, input.territories, territory))),
            projects => input.projects.iter().filter(|p| p.territories.contains(&territory.code)).count(),
            map => v(map),
        },
    )
}

/// The page's sections, a challenge each with its indicators, escaped as the templates escape.
fn sections_markup(sections: &[TerritoryChallenge]) -> String {
    let mut out = String::new();
    for challenge in sections {
        let _ = write!(
            out,
            "\n<section id=\"sfida-{number}\" class=\"mt-5\">\n<h2>Sfida {number}: {}</h2>\n",
            HtmlEscape(&challenge.title),
            number = challenge.number,
        );
        for item in &challenge.items {
            item_markup(&mut out, item);
        }
        out.push_str("\n</section>\n");
    }
    out
}

fn item_markup(out: &mut String, item: &TerritoryItem) {
    // "12,5%" but "3,2 euro".
    let space = if item.unit.starts_with('%') { "" } else { " " };
    let _ = write!(
        out,
        "\n<article class=\"dv-indicator\">\n<h3 class=\"h5\">{}</h3>\n\
         <p class=\"dv-value\"><strong>{}</strong>{space}{} \
         <span class=\"dv-period\">({})</span></p>\n",
        HtmlEscape(&item.label),
        HtmlEscape(&item.value),
        HtmlEscape(&item.unit),
        HtmlEscape(&item.period),
    );
    if let Some(comparison) = &item.comparison {
        let _ = write!(out, "<p>{}</p>", HtmlEscape(comparison));
    }
    out.push('\n');
    if !item.explanation.is_empty() {
        out.push_str("<details class=\"dv-explanation\"><summary>Come è calcolato</summary><ul>");
        for line in &item.explanation {
            let _ = write!(out, "<li>{}</li>", HtmlEscape(line));
        }
        out.push_str("</ul></details>");
    }
    let _ = write!(
        out,
        "\n<p class=\"dv-source\">Fonte: {}.</p>\n",
        HtmlEscape(&item.source)
    );
    out.push_str(&item.chart);
    out.push('\n');
    out.push_str(&item.series);
    out.push_str("\n</article>\n");
}

fn context(input: &SiteInput, territory: &Territory) -> TerritoryContext {
    let benchmark = |level| {
        input
            .territories
            .benchmark_of(&territory.code, level)
            .map(|t| TerritoryLink {
                code: t.code.clone(),
                name: t.name.clone(),
            })
    };
    TerritoryContext {
        code: territory.code.clone(),
        name: territory.name.clone(),
        level_label: territory.level.label_it(),
        is_comune: territory.level == Level::Comune,
        province: benchmark(Level::Province),
        region: benchmark(Level::Region),
        members: if territory.level == Level::Union {
            links(
                input.territories,
                input.territories.members(&territory.code),
            )
        } else {
            Vec::new()
        },
    }
}

/// An indicator on a territory's page: its latest value in words, and a chart against its
/// benchmarks: their series over time when the history has several periods (each line's
/// newest value labelled, the territory's first one too), else the latest values as bars. Both for every indicator
/// of every page would double a national release's size for the same figures.
fn item(
    writer: &Writer,
    history: &Replay,
    row: &IndicatorRow,
    members: &[&IndicatorRow],
) -> Result<TerritoryItem> {
    let mut series_chart = series_chart(history, row);
    let mut chart = match (&series_chart, members_chart(row, members)) {
        (_, Some(ranking)) => Some(ranking),
        (Some(_), None) => None,
        (None, None) => comparison_chart(row),
    };
    for chart in chart.iter_mut().chain(series_chart.iter_mut()) {
        writer.render_chart(chart);
    }
    Ok(TerritoryItem {
        label: row.label.to_string(),
        value: format_it(row.value, row.decimals),
        unit: row.unit.to_string(),
        period: period_it(&row.period),
        comparison: comparison_sentence(row),
        explanation: row.explanation.as_deref().unwrap_or_default().to_vec(),
        source: row.source.to_string(),
        chart: figure(chart),
        series: figure(series_chart),
    })
}

/// A chart's figure as rendered, empty without a chart.
fn figure(chart: Option<Chart>) -> String {
    chart
        .and_then(|chart| chart.rendered)
        .map_or_else(String::new, |rendered| rendered.figure)
}

/// A union's comuni with a value of the same indicator and period as the union's row.
fn member_rows<'a>(
    input: &SiteInput,
    territory: &Territory,
    row: &IndicatorRow,
    everyone: &RowsByTerritory<'_, 'a>,
) -> Vec<&'a IndicatorRow> {
    if territory.level != Level::Union {
        return Vec::new();
    }
    input
        .territories
        .members(&territory.code)
        .iter()
        .filter_map(|member| everyone.get(member.as_str()))
        .flatten()
        .copied()
        .filter(|r| r.indicator == row.indicator && r.period == row.period)
        .collect()
}

/// A union's comuni ranked, highest first, with the union's own bar when its value compares
/// with theirs (not a total, which is the sum of theirs); none when they all have one value.
fn members_chart(row: &IndicatorRow, members: &[&IndicatorRow]) -> Option<Chart> {
    if members.len() < 2 {
        return None;
    }
    let mut ranked: Vec<&IndicatorRow> = members.to_vec();
    if !row.total {
        ranked.push(row);
    }
    ranked.sort_by(|a, b| {
        b.value
            .total_cmp(&a.value)
            .then(a.territory.cmp(&b.territory))
    });
    let bars: Vec<Bar> = ranked
        .iter()
        .map(|r| Bar {
            label: r.territory_name.to_string(),
            value: r.value,
            focus: r.territory == row.territory,
        })
        .collect();
    let comuni: Vec<&&IndicatorRow> = ranked
        .iter()
        .filter(|r| r.territory != row.territory)
        .collect();
    let spread = spread_words(comuni.first()?, comuni.last()?)?;
    Some(chart::bars(
        &format!("{}-{}-comuni", row.territory, row.indicator),
        format!("{}, {}: {spread}", row.label, period_it(&row.period)),
        format!(
            "Grafico a barre orizzontali dei {} comuni membri con un valore, ordinati dal più alto al più basso{}; unità: {}.",
            comuni.len(),
            if row.total {
                ""
            } else {
                ", con il valore dell'unione"
            },
            row.unit
        ),
        &row.unit,
        row.decimals,
        &bars,
    ))
}

/// The highest and lowest of the comuni ranked, in words; `None` when they are the same as
/// published, where a ranking would say nothing.
fn spread_words(top: &IndicatorRow, bottom: &IndicatorRow) -> Option<String> {
    let value = |r: &IndicatorRow| with_unit_it(r.value, r.decimals, &r.unit);
    (value(top) != value(bottom)).then(|| {
        format!(
            "tra i comuni membri il valore più alto è di {} ({}), il più basso di {} ({})",
            top.territory_name,
            value(top),
            bottom.territory_name,
            value(bottom)
        )
    })
}

/// The territory's bar beside its province's and region's, when it has benchmarks.
fn comparison_chart(row: &IndicatorRow) -> Option<Chart> {
    let mut bars = vec![Bar {
        label: row.territory_name.to_string(),
        value: row.value,
        focus: true,
    }];
    for benchmark in [&row.province, &row.region].into_iter().flatten() {
        bars.push(Bar {
            label: benchmark.name.to_string(),
            value: benchmark.value,
            focus: false,
        });
    }
    if bars.len() < 2 {
        return None;
    }
    let others: Vec<String> = bars[1..]
        .iter()
        .map(|b| format!("{} {}", b.label, benchmark_value(row, b.value)))
        .collect();
    let names: Vec<&str> = bars[1..].iter().map(|b| b.label.as_str()).collect();
    Some(chart::bars(
        &format!("{}-{}", row.territory, row.indicator),
        format!(
            "{}, {}: {} {}, contro {}",
            row.label,
            period_it(&row.period),
            row.territory_name,
            with_unit_it(row.value, row.decimals, &row.unit),
            others.join(" e ")
        ),
        format!(
            "Grafico a barre orizzontali che confronta {} con {}; unità: {}.",
            row.territory_name,
            names.join(" e "),
            row.unit
        ),
        &row.unit,
        row.decimals,
        &bars,
    ))
}

/// The values of every period the history has of a territory's indicator, as a line beside
/// its province's and region's, when it has several.
fn series_chart(history: &Replay, row: &IndicatorRow) -> Option<Chart> {
    let points = |territory: &str| -> Vec<(String, f64)> {
        history
            .series(&row.indicator, territory)
            .into_iter()
            .map(|(period, value)| (period.to_string(), value))
            .collect()
    };
    let own = points(&row.territory);
    if own.len() < 2 {
        return None;
    }
    let periods = own.len();
    let (first, last) = (own.first()?.clone(), own.last()?.clone());
    let grain = Grain::fitting(&own);
    let own = grain.apply(own);
    let mut lines = vec![Line {
        label: row.territory_name.to_string(),
        focus: true,
        points: own,
    }];
    for benchmark in [&row.province, &row.region].into_iter().flatten() {
        let points = grain.apply(points(&benchmark.code));
        if !points.is_empty() {
            lines.push(Line {
                label: benchmark.name.to_string(),
                focus: false,
                points,
            });
        }
    }
    let others: Vec<&str> = lines[1..].iter().map(|l| l.label.as_str()).collect();
    let compared = match others.as_slice() {
        [] => String::new(),
        names => format!(", con {} (linee tratteggiate)", names.join(" e ")),
    };
    let drawn = match grain.words() {
        Some(words) => format!(
            "; il grafico e la tabella ne mostrano {words}, tutti i periodi sono nel dataset storico degli indicatori"
        ),
        None => String::new(),
    };
    Some(chart::line(
        &format!("{}-{}-serie", row.territory, row.indicator),
        format!(
            "{}: {} da {} ({}) a {} ({})",
            row.label,
            row.territory_name,
            with_unit_it(first.1, row.decimals, &row.unit),
            period_it(&first.0),
            with_unit_it(last.1, row.decimals, &row.unit),
            period_it(&last.0)
        ),
        format!(
            "Grafico a linee dei valori di {} in {periods} periodi{compared}{drawn}.",
            row.territory_name,
        ),
        &row.unit,
        row.decimals,
        &lines,
    ))
}
