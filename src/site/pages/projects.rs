//! The projects page, an index: the cronoprogramma, the list of projects (each linked to its
//! page, `project`), the filters as plain links to a page per challenge
//! (`progetti/sfida-<n>.html`) and per territory (`progetti/territorio-<code>.html`) listing
//! the projects that name it, and the PA digitale 2026 applications by region
//! (`applications`).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::error::Result;
use crate::site::chart::{self, Chart};
use crate::site::input::{Challenges, SiteInput};
use crate::site::pages::project::{ChallengeRef, challenge_refs, period};
use crate::site::render::{Writer, v};
use crate::site::shared::Shared;
use crate::site::timeline::Span;
use crate::source::project::{ProjectRecord, ProjectStatus};

/// A project as the lists show it.
#[derive(Serialize)]
struct ProjectItem {
    id: String,
    title: String,
    period: String,
    status: &'static str,
    challenges: Vec<ChallengeRef>,
}

/// A page of the projects that name a challenge or a territory.
#[derive(Serialize)]
struct Filter {
    /// The page's name in `progetti/`, without `.html`: `sfida-2`, `territorio-035004`.
    slug: String,
    /// "Sfida 2: Competenze digitali", "Bibbiano".
    name: String,
    /// The challenge's or territory's own page, when it has one.
    page: Option<String>,
    /// The projects, in title order (indexes of the list).
    #[serde(skip)]
    projects: Vec<usize>,
    count: usize,
}

pub(crate) fn write(
    writer: &mut Writer,
    input: &SiteInput,
    challenges: &Challenges,
    shared: &Shared,
) -> Result<()> {
    let with_pages = &shared.paged;
    super::project::write(writer, input, challenges, with_pages)?;
    let mut records: Vec<&ProjectRecord> = input.projects.iter().collect();
    records.sort_by(|a, b| (&a.title, &a.id).cmp(&(&b.title, &b.id)));
    let projects: Vec<ProjectItem> = records
        .iter()
        .map(|record| ProjectItem {
            id: record.id.clone(),
            title: record.title.clone(),
            period: period(record),
            status: record.status.label_it(),
            challenges: challenge_refs(record, challenges),
        })
        .collect();
    let by_challenge = challenge_filters(&records, challenges);
    let by_territory = territory_filters(input, &records, with_pages);
    for filter in by_challenge.iter().chain(&by_territory) {
        let listed: Vec<&ProjectItem> = filter.projects.iter().map(|&i| &projects[i]).collect();
        writer.page(
            &format!("progetti/{}.html", filter.slug),
            "projects_filter.html",
            &format!("Progetti: {}", filter.name),
            "projects",
            &[("Progetti", "progetti.html")],
            minijinja::context! { filter => v(filter), projects => v(&listed) },
        )?;
    }
    let mut timeline = timeline_chart(&records);
    if let Some(chart) = &mut timeline {
        writer.render_chart(chart);
    }
    let pnrr = match &shared.applications {
        Some(applications) => Some(super::applications::write(
            writer,
            applications,
            input.territories,
            with_pages,
        )?),
        None => None,
    };
    writer.page(
        "progetti.html",
        "projects.html",
        "Progetti",
        "projects",
        &[],
        minijinja::context! {
            projects => v(&projects),
            timeline => v(&timeline),
            by_challenge => v(&by_challenge),
            by_territory => v(&by_territory),
            pnrr => v(&pnrr),
        },
    )
}

/// A page per challenge some project serves, in challenge order.
fn challenge_filters(records: &[&ProjectRecord], challenges: &Challenges) -> Vec<Filter> {
    let mut by_number: BTreeMap<u8, Vec<usize>> = BTreeMap::new();
    for (index, record) in records.iter().enumerate() {
        for number in record.challenges.iter().collect::<BTreeSet<_>>() {
            by_number.entry(*number).or_default().push(index);
        }
    }
    by_number
        .into_iter()
        .map(|(number, projects)| {
            let title = challenges.get(&number);
            Filter {
                slug: format!("sfida-{number}"),
                name: match title {
                    Some((title, _)) => format!("Sfida {number}: {title}"),
                    None => format!("Sfida {number}"),
                },
                page: title.map(|_| format!("sfida/{number}.html")),
                count: projects.len(),
                projects,
            }
        })
        .collect()
}

/// A page per territory some project names and the registry knows (its code is then a safe
/// file name), by name.
fn territory_filters(
    input: &SiteInput,
    records: &[&ProjectRecord],
    with_pages: &BTreeSet<&str>,
) -> Vec<Filter> {
    let mut by_code: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (index, record) in records.iter().enumerate() {
        for code in record.territories.iter().collect::<BTreeSet<_>>() {
            by_code.entry(code).or_default().push(index);
        }
    }
    let mut filters: Vec<Filter> = by_code
        .into_iter()
        .filter_map(|(code, projects)| {
            let territory = input.territories.get(code)?;
            Some(Filter {
                slug: format!("territorio-{code}"),
                name: territory.name.clone(),
                page: with_pages
                    .contains(code)
                    .then(|| format!("territorio/{code}.html")),
                count: projects.len(),
                projects,
            })
        })
        .collect();
    filters.sort_by(|a, b| (&a.name, &a.slug).cmp(&(&b.name, &b.slug)));
    filters
}

/// The cronoprogramma: every project with a first and a last year, by its first year.
fn timeline_chart(records: &[&ProjectRecord]) -> Option<Chart> {
    let year = |date: &Option<String>| date.as_deref()?.get(..4)?.parse::<i32>().ok();
    let mut spans: Vec<Span> = records
        .iter()
        .filter_map(|record| {
            let (first_year, last_year) = (year(&record.start), year(&record.end));
            first_year.or(last_year)?;
            Some(Span {
                label: record.title.clone(),
                first_year,
                last_year,
                status: record.status.label_it(),
                started: record.status != ProjectStatus::Planned,
            })
        })
        .collect();
    if spans.is_empty() {
        return None;
    }
    spans.sort_by(|a, b| {
        let first = |s: &Span| s.first_year.or(s.last_year);
        (first(a), &a.label).cmp(&(first(b), &b.label))
    });
    let years = spans
        .iter()
        .flat_map(|s| [s.first_year, s.last_year])
        .flatten();
    let (first, last) = (years.clone().min()?, years.max()?);
    let planned = spans.iter().filter(|s| !s.started).count();
    Some(chart::timeline(
        "cronoprogramma",
        format!("Cronoprogramma dei progetti, {first}–{last}"),
        format!(
            "Diagramma a barre orizzontali del periodo di {} progetti per anno, con il loro stato; {planned} previsti, disegnati con il solo contorno; un progetto senza anno di inizio o di fine parte dal primo anno o arriva all'ultimo.",
            spans.len()
        ),
        &spans,
    ))
}
