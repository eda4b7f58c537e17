//! The citizens' site: static pages in Italian rendered from the minijinja templates in
//! `templates/` (embedded in the binary, strict about undefined values, escaping everything
//! that comes from data in HTML and SVG alike), with their own copy of Bootstrap Italia and
//! Titillium Web, inline SVG charts with their data, and no JavaScript.

pub mod chart;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value};
use serde::Serialize;

use crate::clock::RunTime;
use crate::error::{ConfigProblem, Error, Result};
use crate::indicator::IndicatorRow;
use crate::metadata::{self, FREQUENCIES, FREQUENCY_BASE, License};
use crate::plan::Plan;
use crate::report::OutputFile;
use crate::source::padigitale::{Projects as PnrrProjects, Status};
use crate::source::project_records::{Comparator, ProjectRecord};
use crate::spec::{Item, SiteSpec};
use crate::territory::{Level, Territories};
use crate::text::{format_it, with_unit_it};
use chart::{Bar, Chart};

/// The checked `[site]`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SiteSettings {
    pub accessibility_statement: Option<String>,
    pub feedback: Option<Link>,
    /// EU frequency code.
    pub update_frequency: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Link {
    pub href: String,
    pub label: String,
}

pub fn check_settings(
    item: &Item<SiteSpec>,
) -> std::result::Result<SiteSettings, Vec<ConfigProblem>> {
    let spec = &item.spec;
    let mut problems = Vec::new();
    let mut settings = SiteSettings::default();
    if let Some(url) = &spec.accessibility_statement {
        if metadata::is_absolute_url(url.get_ref()) {
            settings.accessibility_statement = Some(url.get_ref().clone());
        } else {
            problems.push(item.problem_at(
                url.span(),
                "accessibility_statement",
                "an absolute http(s) URL is due here",
            ));
        }
    }
    if let Some(feedback) = &spec.feedback {
        let text = feedback.get_ref().trim_start_matches("mailto:");
        if metadata::is_email(text) {
            settings.feedback = Some(Link {
                href: format!("mailto:{text}"),
                label: text.to_owned(),
            });
        } else if metadata::is_absolute_url(text) {
            settings.feedback = Some(Link {
                href: text.to_owned(),
                label: text.to_owned(),
            });
        } else {
            problems.push(item.problem_at(
                feedback.span(),
                "feedback",
                "an e-mail address or an absolute URL is due here",
            ));
        }
    }
    if let Some(frequency) = &spec.update_frequency {
        match metadata::code_of(frequency.get_ref(), FREQUENCY_BASE, FREQUENCIES) {
            Some(code) => settings.update_frequency = Some(code.to_owned()),
            None => problems.push(item.problem_at(
                frequency.span(),
                "update_frequency",
                format!(
                    "{:?} is not an EU frequency code (DAILY, WEEKLY, MONTHLY, ANNUAL, ...)",
                    frequency.get_ref()
                ),
            )),
        }
    }
    if problems.is_empty() {
        Ok(settings)
    } else {
        Err(problems)
    }
}

/// A download link of a dataset.
#[derive(Debug, Clone, Serialize)]
pub struct Download {
    pub format: String,
    pub href: String,
    pub size: String,
    pub sha256: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ColumnDoc {
    pub name: String,
    pub title: String,
    pub kind: String,
    pub description: String,
}

/// What a dataset page shows.
#[derive(Debug, Clone, Serialize)]
pub struct DatasetPage {
    pub name: String,
    pub title: String,
    pub description: Option<String>,
    pub rows: usize,
    pub downloads: Vec<Download>,
    pub columns: Vec<ColumnDoc>,
    pub preview_rows: Vec<Vec<String>>,
    pub license: Link,
    pub themes: Vec<String>,
    pub frequency: Option<String>,
    pub keywords: Vec<String>,
    pub identifier: Option<String>,
    pub sources: Vec<String>,
    /// The input files, from the release's provenance.
    pub origins: Vec<Origin>,
}

/// One input file of a dataset, as its page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Origin {
    /// The source's name in the pipeline.
    pub source: String,
    /// What the source is, in Italian.
    pub label: String,
    /// A local file's name, or a download's address.
    pub file: String,
    pub href: Option<String>,
    /// When it was read or downloaded (dd/mm/yyyy).
    pub date: String,
    pub downloaded: bool,
    pub size: String,
    pub sha256: String,
}

/// Everything the pages are made of.
pub struct SiteInput<'a> {
    pub plan: &'a Plan,
    pub run_time: RunTime,
    pub rows: &'a [IndicatorRow],
    pub territories: &'a Territories,
    pub projects: &'a [ProjectRecord],
    pub pnrr: &'a PnrrProjects,
    pub datasets: Vec<DatasetPage>,
    /// Recomputed figures compared with the published ones, one Italian sentence each.
    pub checks: Vec<String>,
    /// The catalog files of the release (paths inside it).
    pub catalog_files: Vec<String>,
}

const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("chart.svg", include_str!("../../templates/chart.svg")),
    ("home.html", include_str!("../../templates/home.html")),
    (
        "territory.html",
        include_str!("../../templates/territory.html"),
    ),
    (
        "territories.html",
        include_str!("../../templates/territories.html"),
    ),
    (
        "challenges.html",
        include_str!("../../templates/challenges.html"),
    ),
    (
        "challenge.html",
        include_str!("../../templates/challenge.html"),
    ),
    ("data.html", include_str!("../../templates/data.html")),
    ("dataset.html", include_str!("../../templates/dataset.html")),
    (
        "projects.html",
        include_str!("../../templates/projects.html"),
    ),
];

/// The files every release carries for its pages: path inside the release, bytes.
const ASSETS: &[(&str, &[u8])] = &[
    (
        "assets/css/bootstrap-italia.min.css",
        include_bytes!("../../assets/bootstrap-italia/bootstrap-italia.min.css"),
    ),
    (
        "assets/css/bootstrap-italia.LICENSE.txt",
        include_bytes!("../../assets/bootstrap-italia/LICENSE"),
    ),
    (
        "assets/css/datavalley.css",
        include_bytes!("../../assets/css/datavalley.css"),
    ),
    (
        "assets/fonts/titillium-web-v10-latin-ext_latin-regular.woff2",
        include_bytes!(
            "../../assets/fonts/titillium-web/titillium-web-v10-latin-ext_latin-regular.woff2"
        ),
    ),
    (
        "assets/fonts/titillium-web-v10-latin-ext_latin-italic.woff2",
        include_bytes!(
            "../../assets/fonts/titillium-web/titillium-web-v10-latin-ext_latin-italic.woff2"
        ),
    ),
    (
        "assets/fonts/titillium-web-v10-latin-ext_latin-600.woff2",
        include_bytes!(
            "../../assets/fonts/titillium-web/titillium-web-v10-latin-ext_latin-600.woff2"
        ),
    ),
    (
        "assets/fonts/titillium-web-v10-latin-ext_latin-700.woff2",
        include_bytes!(
            "../../assets/fonts/titillium-web/titillium-web-v10-latin-ext_latin-700.woff2"
        ),
    ),
    (
        "assets/fonts/OFL.txt",
        include_bytes!("../../assets/fonts/titillium-web/OFL.txt"),
    ),
];

#[derive(Debug, Clone, Serialize)]
struct Icons {
    download: &'static str,
}

const ICONS: Icons = Icons {
    download: include_str!("../../assets/icons/it-download.svg"),
};

fn environment() -> Result<Environment<'static>> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    // SVG is markup too: text from data must be escaped in charts as in pages.
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html") || name.ends_with(".svg") {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    for (name, source) in TEMPLATES {
        env.add_template(name, source)
            .map_err(|e| Error::table(format!("template templates/{name}"), e))?;
    }
    Ok(env)
}

/// A serializable value for a template.
fn v<T: Serialize>(value: T) -> Value {
    Value::from(minijinja::value::Serde(value))
}

fn render(env: &Environment, template: &str, context: Value) -> Result<String> {
    env.get_template(template)
        .and_then(|t| t.render(context))
        .map_err(|e| Error::table(format!("rendering templates/{template}"), describe(&e)))
}

fn describe(error: &minijinja::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(inner) = source {
        text.push_str(&format!(": {inner}"));
        source = inner.source();
    }
    text
}

#[derive(Debug, Clone, Serialize)]
struct TerritoryLink {
    code: String,
    name: String,
}

#[derive(Debug, Clone, Serialize)]
struct Focus {
    code: String,
    name: String,
    members: Vec<TerritoryLink>,
}

#[derive(Debug, Clone, Serialize)]
struct SiteContext {
    title: String,
    description: Option<String>,
    publisher: String,
    focus: Option<Focus>,
    license: Link,
    updated: String,
    next_update: String,
    accessibility_statement: Option<String>,
    feedback: Option<Link>,
    has_projects: bool,
}

#[derive(Debug, Clone, Serialize)]
struct Crumb {
    label: String,
    href: String,
}

struct Writer<'a> {
    env: Environment<'static>,
    dir: &'a Path,
    site: SiteContext,
    written: Vec<OutputFile>,
    /// Folders already created: a national site has tens of thousands of files in a handful
    /// of folders, and asking the file system each time costs more than the writes.
    folders: BTreeSet<PathBuf>,
    progress: indicatif::ProgressBar,
}

impl Writer<'_> {
    fn page(
        &mut self,
        path: &str,
        template: &str,
        title: &str,
        section: &str,
        crumbs: &[(&str, &str)],
        extra: Value,
    ) -> Result<()> {
        let depth = path.matches('/').count();
        let root = "../".repeat(depth);
        let mut breadcrumbs = vec![Crumb {
            label: "Home".into(),
            href: format!("{root}index.html"),
        }];
        breadcrumbs.extend(crumbs.iter().map(|(label, href)| Crumb {
            label: (*label).to_owned(),
            href: format!("{root}{href}"),
        }));
        if path != "index.html" {
            breadcrumbs.push(Crumb {
                label: title.to_owned(),
                href: String::new(),
            });
        }
        let context = minijinja::context! {
            site => v(&self.site),
            root => root,
            section => section,
            page_title => title,
            breadcrumbs => v(&breadcrumbs),
            icons => v(&ICONS),
            ..extra
        };
        let html = render(&self.env, template, context)?;
        self.write(path, html.as_bytes())?;
        self.progress.inc(1);
        self.progress.set_message(path.to_owned());
        if self.progress.position() == PAUSE_AFTER_PAGES {
            crate::pause::point("publish.pages");
        }
        Ok(())
    }

    /// Draws a chart once, for its page and its downloads.
    fn render_chart(&self, chart: &mut Chart) -> Result<()> {
        let svg = render(
            &self.env,
            "chart.svg",
            minijinja::context! { chart => v(&*chart) },
        )?;
        chart.rendered = Some(chart::Rendered::new(svg, &chart.csv));
        Ok(())
    }

    /// Writes one file of the site, relative to its folder, and records it with its checksum.
    fn write(&mut self, path: &str, bytes: &[u8]) -> Result<()> {
        let target = self.dir.join(path);
        if let Some(parent) = target.parent()
            && !self.folders.contains(parent)
        {
            fs_err::create_dir_all(parent)?;
            self.folders.insert(parent.to_owned());
        }
        self.written
            .push(crate::publish::write_file(self.dir, path, bytes)?);
        Ok(())
    }
}

/// The next run, as the home page announces it.
fn next_update(run_time: RunTime, frequency: Option<&str>) -> String {
    let next = match frequency {
        Some("DAILY") => Some(run_time.plus_days(1)),
        Some("WEEKLY") => Some(run_time.plus_days(7)),
        Some("BIWEEKLY") => Some(run_time.plus_days(14)),
        Some("MONTHLY") => Some(run_time.plus_months(1)),
        Some("BIMONTHLY") => Some(run_time.plus_months(2)),
        Some("QUARTERLY") => Some(run_time.plus_months(3)),
        Some("ANNUAL_2") => Some(run_time.plus_months(6)),
        Some("ANNUAL") => Some(run_time.plus_months(12)),
        _ => None,
    };
    match (next, frequency) {
        (Some(next), Some(code)) => format!(
            "{} (aggiornamento {})",
            next.date_it(),
            metadata::frequency_label(code)
        ),
        (None, Some(code)) => format!("aggiornamento {}", metadata::frequency_label(code)),
        (None, None) | (Some(_), None) => "non programmato".to_owned(),
    }
}

fn level_label(level: Level) -> &'static str {
    level.label_it()
}

/// The crash tests stop a run after this many pages: some written, most not.
const PAUSE_AFTER_PAGES: u64 = 3;

/// Writes every page, chart and asset of the site; returns the files written.
pub fn write(dir: &Path, input: &SiteInput) -> Result<Vec<OutputFile>> {
    let plan = input.plan;
    let license = plan.catalog.as_ref().map_or(License::CcBy40, |c| c.license);
    let focus = plan.focus.as_ref().and_then(|code| {
        let territory = input.territories.get(code)?;
        Some(Focus {
            code: territory.code.clone(),
            name: territory.name.clone(),
            members: if territory.level == Level::Union {
                links(input.territories, input.territories.members(code))
            } else {
                Vec::new()
            },
        })
    });
    let site = SiteContext {
        title: plan.title.clone(),
        description: plan.description.clone(),
        publisher: plan
            .publisher
            .clone()
            .or_else(|| plan.catalog.as_ref().map(|c| c.publisher.name.clone()))
            .unwrap_or_default(),
        focus,
        license: Link {
            href: license.url().to_owned(),
            label: license.name_it().to_owned(),
        },
        updated: input.run_time.date_it(),
        next_update: next_update(input.run_time, plan.site.update_frequency.as_deref()),
        accessibility_statement: plan.site.accessibility_statement.clone(),
        feedback: plan.site.feedback.clone(),
        has_projects: !input.projects.is_empty() || !input.pnrr.is_empty(),
    };
    let mut writer = Writer {
        env: environment()?,
        dir,
        site,
        written: Vec::new(),
        folders: BTreeSet::new(),
        progress: crate::progress::counter("pagine"),
    };
    for (path, bytes) in ASSETS {
        writer.write(path, bytes)?;
    }

    let challenges = challenge_titles(plan, input.rows);
    home(&mut writer, input, &challenges)?;
    challenge_pages(&mut writer, input, &challenges)?;
    territory_pages(&mut writer, input, &challenges)?;
    data_pages(&mut writer, input)?;
    if writer.site.has_projects {
        projects_page(&mut writer, input, &challenges)?;
    }
    writer.progress.finish_and_clear();
    Ok(writer.written)
}

fn links(territories: &Territories, codes: &[String]) -> Vec<TerritoryLink> {
    codes
        .iter()
        .filter_map(|code| territories.get(code))
        .map(|t| TerritoryLink {
            code: t.code.clone(),
            name: t.name.clone(),
        })
        .collect()
}

/// Challenge numbers with their titles: the declared ones, and any an indicator names.
fn challenge_titles(plan: &Plan, rows: &[IndicatorRow]) -> BTreeMap<u8, (String, Option<String>)> {
    let mut titles: BTreeMap<u8, (String, Option<String>)> = plan
        .challenges
        .values()
        .map(|c| (c.number, (c.title.clone(), c.description.clone())))
        .collect();
    for row in rows {
        titles
            .entry(row.challenge)
            .or_insert_with(|| (format!("Sfida {}", row.challenge), None));
    }
    titles
}

/// The latest row of each indicator for a territory, in published order.
fn latest_rows<'a>(
    rows: &'a [IndicatorRow],
    territory: &str,
) -> Vec<(&'a IndicatorRow, Vec<&'a IndicatorRow>)> {
    let mut by_indicator: BTreeMap<(u8, &str), Vec<&IndicatorRow>> = BTreeMap::new();
    for row in rows.iter().filter(|r| &*r.territory == territory) {
        by_indicator
            .entry((row.challenge, &row.indicator))
            .or_default()
            .push(row);
    }
    by_indicator
        .into_values()
        .filter_map(|mut series| {
            series.sort_by(|a, b| a.period.cmp(&b.period));
            let latest = *series.last()?;
            Some((latest, series))
        })
        .collect()
}

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

fn home(
    writer: &mut Writer,
    input: &SiteInput,
    challenges: &BTreeMap<u8, (String, Option<String>)>,
) -> Result<()> {
    let focus = input
        .plan
        .focus
        .clone()
        .unwrap_or_else(|| crate::territory::ITALY.to_owned());
    let latest = latest_rows(input.rows, &focus);
    let cards: Vec<Card> = challenges
        .iter()
        .map(|(number, (title, _))| {
            let in_challenge: Vec<&IndicatorRow> = latest
                .iter()
                .map(|(row, _)| *row)
                .filter(|r| r.challenge == *number)
                .collect();
            let headline_indicator = input
                .plan
                .indicators
                .iter()
                .filter(|i| i.challenge == *number && i.headline)
                .find_map(|i| in_challenge.iter().find(|r| *r.indicator == *i.name))
                .or_else(|| in_challenge.first());
            let indicators: BTreeSet<&str> = input
                .rows
                .iter()
                .filter(|r| r.challenge == *number)
                .map(|r| &*r.indicator)
                .collect();
            Card {
                number: *number,
                title: title.clone(),
                headline: headline_indicator.map(|row| Headline {
                    label: row.label.to_string(),
                    value: format_it(row.value, row.decimals),
                    unit: row.unit.to_string(),
                    period: row.period.to_string(),
                    territory: row.territory_name.to_string(),
                }),
                indicators: indicators.len(),
            }
        })
        .collect();
    let title = input.plan.title.clone();
    writer.page(
        "index.html",
        "home.html",
        &title,
        "home",
        &[],
        minijinja::context! {
            cards => v(&cards),
            checks => v(&input.checks),
        },
    )
}

#[derive(Debug, Serialize)]
struct ChallengeItem {
    label: String,
    unit: String,
    period: String,
    source: String,
    denominator_label: Option<String>,
    chart: Chart,
    rows: Vec<ChallengeRow>,
}

#[derive(Debug, Serialize)]
struct ChallengeRow {
    code: String,
    name: String,
    level: String,
    value: String,
}

/// The territories a challenge page compares: the focus, its comuni and its benchmarks; or,
/// without a focus, the regions and Italy.
fn compared(input: &SiteInput) -> Option<BTreeSet<String>> {
    let focus = input.plan.focus.as_ref()?;
    let mut codes: BTreeSet<String> = BTreeSet::from([focus.clone()]);
    codes.extend(input.territories.members(focus).iter().cloned());
    for level in [Level::Province, Level::Region] {
        if let Some(benchmark) = input.territories.benchmark_of(focus, level) {
            codes.insert(benchmark.code.clone());
        }
    }
    Some(codes)
}

fn challenge_pages(
    writer: &mut Writer,
    input: &SiteInput,
    challenges: &BTreeMap<u8, (String, Option<String>)>,
) -> Result<()> {
    #[derive(Serialize)]
    struct Entry {
        number: u8,
        title: String,
        indicators: usize,
    }
    let compared = compared(input);
    let focus = input.plan.focus.clone();
    let mut entries = Vec::new();
    for (number, (title, description)) in challenges {
        let mut by_indicator: BTreeMap<&str, Vec<&IndicatorRow>> = BTreeMap::new();
        for row in input.rows.iter().filter(|r| r.challenge == *number) {
            by_indicator.entry(&row.indicator).or_default().push(row);
        }
        let mut items = Vec::new();
        for (indicator, rows) in &by_indicator {
            let Some(period) = rows.iter().map(|r| r.period.clone()).max() else {
                continue;
            };
            let mut selected: Vec<&&IndicatorRow> = rows
                .iter()
                .filter(|r| r.period == period)
                .filter(|r| match &compared {
                    Some(codes) => codes.contains(&*r.territory),
                    None => matches!(r.level, Level::Region | Level::Italy),
                })
                .collect();
            if selected.is_empty() {
                selected = rows.iter().filter(|r| r.period == period).collect();
            }
            // Totals of territories of different sizes do not rank together: a sum is compared
            // among comuni when there are any.
            if selected.iter().any(|r| r.kind == "sum")
                && selected.iter().any(|r| r.level == Level::Comune)
            {
                selected.retain(|r| r.level == Level::Comune);
            }
            if selected.len() > MAX_RANKED {
                selected = one_level(rows.iter().filter(|r| r.period == period).collect());
            }
            selected.sort_by(|a, b| {
                b.value
                    .total_cmp(&a.value)
                    .then(a.territory.cmp(&b.territory))
            });
            let Some(first) = selected.first() else {
                continue;
            };
            let bars: Vec<Bar> = selected
                .iter()
                .map(|r| Bar {
                    label: r.territory_name.to_string(),
                    value: r.value,
                    focus: focus.as_deref() == Some(&*r.territory),
                })
                .collect();
            let top = selected[0];
            let mut chart = chart::bars(
                &format!("sfida{number}-{indicator}"),
                format!(
                    "{}, {}: il valore più alto è {} ({})",
                    first.label,
                    period,
                    with_unit_it(top.value, top.decimals, &top.unit),
                    top.territory_name
                ),
                format!(
                    "Grafico a barre orizzontali di {} territori ordinati dal valore più alto al più basso; unità: {}.",
                    selected.len(),
                    first.unit
                ),
                &first.unit,
                first.decimals,
                &bars,
            );
            writer.render_chart(&mut chart)?;
            items.push(ChallengeItem {
                label: first.label.to_string(),
                unit: first.unit.to_string(),
                period: period.to_string(),
                source: first.source.to_string(),
                denominator_label: first.denominator_label.as_deref().map(str::to_owned),
                chart,
                rows: selected
                    .iter()
                    .map(|r| ChallengeRow {
                        code: r.territory.to_string(),
                        name: r.territory_name.to_string(),
                        level: level_label(r.level).to_owned(),
                        value: format_it(r.value, r.decimals),
                    })
                    .collect(),
            });
        }
        entries.push(Entry {
            number: *number,
            title: title.clone(),
            indicators: by_indicator.len(),
        });
        #[derive(Serialize)]
        struct ChallengeContext<'a> {
            number: u8,
            title: &'a str,
            description: Option<&'a str>,
        }
        writer.page(
            &format!("sfida/{number}.html"),
            "challenge.html",
            &format!("Sfida {number}: {title}"),
            "challenges",
            &[("Sfide", "sfide.html")],
            minijinja::context! {
                challenge => v(ChallengeContext { number: *number, title, description: description.as_deref() }),
                indicators => v(&items),
            },
        )?;
    }
    writer.page(
        "sfide.html",
        "challenges.html",
        "Le sfide dell'agenda digitale",
        "challenges",
        &[],
        minijinja::context! { challenges => v(&entries) },
    )
}

#[derive(Debug, Serialize)]
struct TerritoryItem {
    label: String,
    value: String,
    unit: String,
    period: String,
    comparison: Option<String>,
    calculation: Option<String>,
    source: String,
    chart: Option<Chart>,
    series: Option<Chart>,
}

#[derive(Debug, Serialize)]
struct TerritoryChallenge {
    number: u8,
    title: String,
    items: Vec<TerritoryItem>,
}

fn comparison_sentence(row: &IndicatorRow) -> Option<String> {
    // "contro 2,96 della provincia", but "contro 4% della provincia".
    let benchmark = |value: f64| {
        if row.unit.starts_with('%') {
            with_unit_it(value, row.decimals, &row.unit)
        } else {
            format_it(value, row.decimals)
        }
    };
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

fn calculation(row: &IndicatorRow) -> Option<String> {
    let (numerator, denominator) = (row.numerator?, row.denominator?);
    let number = |v: f64| format_it(v, if v.fract() == 0.0 { 0 } else { 2 });
    let what = row
        .denominator_label
        .as_ref()
        .map(|label| format!(" ({label})"))
        .unwrap_or_default();
    Some(format!(
        "Calcolo: numeratore {}, denominatore {}{what}.",
        number(numerator),
        number(denominator)
    ))
}

fn territory_pages(
    writer: &mut Writer,
    input: &SiteInput,
    challenges: &BTreeMap<u8, (String, Option<String>)>,
) -> Result<()> {
    #[derive(Serialize)]
    struct Group {
        label: &'static str,
        territories: Vec<TerritoryLink>,
    }
    let with_rows: BTreeSet<&str> = input.rows.iter().map(|r| &*r.territory).collect();
    let mut pages: Vec<&crate::territory::Territory> = input
        .territories
        .iter()
        .filter(|t| {
            with_rows.contains(t.code.as_str()) || Some(&t.code) == input.plan.focus.as_ref()
        })
        .collect();
    if let Some(focus) = &input.plan.focus {
        // The focus may be Italy, whose members are every comune: a set, not a scan per member.
        let mut listed: BTreeSet<&str> = pages.iter().map(|t| t.code.as_str()).collect();
        for member in input.territories.members(focus) {
            if let Some(territory) = input.territories.get(member)
                && listed.insert(territory.code.as_str())
            {
                pages.push(territory);
            }
        }
    }
    let mut groups: BTreeMap<Level, Vec<TerritoryLink>> = BTreeMap::new();
    let mut rows_by_territory: BTreeMap<&str, Vec<&IndicatorRow>> = BTreeMap::new();
    for row in input.rows {
        rows_by_territory
            .entry(&row.territory)
            .or_default()
            .push(row);
    }
    for territory in pages {
        groups
            .entry(territory.level)
            .or_default()
            .push(TerritoryLink {
                code: territory.code.clone(),
                name: territory.name.clone(),
            });
        let own: Vec<IndicatorRow> = rows_by_territory
            .get(territory.code.as_str())
            .map(|rows| rows.iter().map(|r| (*r).clone()).collect())
            .unwrap_or_default();
        let mut by_challenge: BTreeMap<u8, Vec<TerritoryItem>> = BTreeMap::new();
        for (row, series) in latest_rows(&own, &territory.code) {
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
            let mut chart = (bars.len() > 1).then(|| {
                let others: Vec<String> = bars[1..]
                    .iter()
                    .map(|b| format!("{} {}", b.label, format_it(b.value, row.decimals)))
                    .collect();
                chart::bars(
                    &format!("{}-{}", row.territory, row.indicator),
                    format!(
                        "{}: {} {} nel {}, contro {}",
                        row.label,
                        row.territory_name,
                        with_unit_it(row.value, row.decimals, &row.unit),
                        row.period,
                        others.join(" e ")
                    ),
                    format!(
                        "Grafico a barre orizzontali che confronta {} con {}; unità: {}.",
                        row.territory_name,
                        bars[1..]
                            .iter()
                            .map(|b| b.label.as_str())
                            .collect::<Vec<_>>()
                            .join(" e "),
                        row.unit
                    ),
                    &row.unit,
                    row.decimals,
                    &bars,
                )
            });
            let mut series_chart = (series.len() > 1).then(|| {
                let points: Vec<(String, f64)> = series
                    .iter()
                    .map(|r| (r.period.to_string(), r.value))
                    .collect();
                chart::line(
                    &format!("{}-{}-serie", row.territory, row.indicator),
                    format!(
                        "{}: {} da {} nel {} a {} nel {}",
                        row.label,
                        row.territory_name,
                        with_unit_it(series[0].value, row.decimals, &row.unit),
                        series[0].period,
                        with_unit_it(row.value, row.decimals, &row.unit),
                        row.period
                    ),
                    format!(
                        "Grafico a linea dei valori di {} in {} periodi.",
                        row.territory_name,
                        series.len()
                    ),
                    &row.unit,
                    row.decimals,
                    &points,
                )
            });
            for chart in chart.iter_mut().chain(series_chart.iter_mut()) {
                writer.render_chart(chart)?;
            }
            by_challenge
                .entry(row.challenge)
                .or_default()
                .push(TerritoryItem {
                    label: row.label.to_string(),
                    value: format_it(row.value, row.decimals),
                    unit: row.unit.to_string(),
                    period: row.period.to_string(),
                    comparison: comparison_sentence(row),
                    calculation: calculation(row),
                    source: row.source.to_string(),
                    chart,
                    series: series_chart,
                });
        }
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
        let benchmark = |level| {
            input
                .territories
                .benchmark_of(&territory.code, level)
                .map(|t| TerritoryLink {
                    code: t.code.clone(),
                    name: t.name.clone(),
                })
        };
        #[derive(Serialize)]
        struct TerritoryContext {
            code: String,
            name: String,
            level_label: &'static str,
            province: Option<TerritoryLink>,
            region: Option<TerritoryLink>,
            members: Vec<TerritoryLink>,
        }
        let context = TerritoryContext {
            code: territory.code.clone(),
            name: territory.name.clone(),
            level_label: level_label(territory.level),
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
        };
        let section = if Some(&territory.code) == input.plan.focus.as_ref() {
            "focus"
        } else {
            "territories"
        };
        writer.page(
            &format!("territorio/{}.html", territory.code),
            "territory.html",
            &territory.name,
            section,
            &[("Territori", "territori.html")],
            minijinja::context! {
                territory => v(&context),
                challenges => v(&sections),
            },
        )?;
    }
    let groups: Vec<Group> = groups
        .into_iter()
        .map(|(level, territories)| Group {
            label: match level {
                Level::Comune => "Comuni",
                Level::Union => "Unioni di comuni",
                Level::Province => "Province",
                Level::Region => "Regioni",
                Level::Italy => "Italia",
            },
            territories,
        })
        .collect();
    writer.page(
        "territori.html",
        "territories.html",
        "Territori",
        "territories",
        &[],
        minijinja::context! { groups => v(&groups) },
    )
}

fn catalog_links(files: &[String]) -> Vec<Link> {
    files
        .iter()
        .map(|file| Link {
            href: file.clone(),
            label: match file.rsplit('.').next() {
                Some("rdf") => {
                    format!("Catalogo DCAT-AP_IT in RDF/XML ({file}), da registrare su dati.gov.it")
                }
                Some("ttl") => format!("Catalogo DCAT-AP_IT in Turtle ({file})"),
                Some("jsonld") => format!("Catalogo DCAT-AP_IT in JSON-LD ({file})"),
                _ => file.clone(),
            },
        })
        .collect()
}

fn data_pages(writer: &mut Writer, input: &SiteInput) -> Result<()> {
    let catalog = catalog_links(&input.catalog_files);
    for dataset in &input.datasets {
        writer.page(
            &format!("dataset/{}.html", dataset.name),
            "dataset.html",
            &dataset.title,
            "data",
            &[("Dati aperti", "dati.html")],
            minijinja::context! {
                dataset => v(dataset),
                catalog_files => v(&catalog),
            },
        )?;
    }
    writer.page(
        "dati.html",
        "data.html",
        "Dati aperti",
        "data",
        &[],
        minijinja::context! {
            datasets => v(&input.datasets),
            catalog_files => v(&catalog),
        },
    )
}

fn projects_page(
    writer: &mut Writer,
    input: &SiteInput,
    challenges: &BTreeMap<u8, (String, Option<String>)>,
) -> Result<()> {
    #[derive(Serialize)]
    struct Kpi {
        label: String,
        year: i32,
        target: String,
        actual: String,
    }
    #[derive(Serialize)]
    struct ChallengeRef {
        number: u8,
    }
    #[derive(Serialize)]
    struct Project {
        id: String,
        title: String,
        summary: Option<String>,
        period: String,
        status: &'static str,
        territories: Vec<String>,
        challenges: Vec<ChallengeRef>,
        partners: Vec<String>,
        funders: Vec<String>,
        source: String,
        kpis: Vec<Kpi>,
    }
    #[derive(Serialize)]
    struct Total {
        number: u8,
        title: String,
        count: usize,
    }
    #[derive(Serialize)]
    struct TerritoryTotal {
        code: String,
        name: String,
        link: bool,
        count: usize,
    }
    let number = |v: f64| format_it(v, if v.fract() == 0.0 { 0 } else { 1 });
    let name_of = |code: &str| {
        input
            .territories
            .get(code)
            .map_or(code.to_owned(), |t| t.name.clone())
    };
    let mut records: Vec<&ProjectRecord> = input.projects.iter().collect();
    records.sort_by(|a, b| a.title.cmp(&b.title));
    let projects: Vec<Project> = records
        .iter()
        .map(|record| Project {
            id: record.id.clone(),
            title: record.title.clone(),
            summary: record.summary.clone(),
            period: match (&record.start, &record.end) {
                (Some(start), Some(end)) => format!("{start}–{end}"),
                (Some(start), None) => format!("dal {start}"),
                (None, Some(end)) => format!("entro il {end}"),
                (None, None) => "non indicato".to_owned(),
            },
            status: record.status.label_it(),
            territories: record.territories.iter().map(|c| name_of(c)).collect(),
            challenges: record
                .challenges
                .iter()
                .map(|&n| ChallengeRef { number: n })
                .collect(),
            partners: record.partners.clone(),
            funders: record.funders.clone(),
            source: record.source.clone(),
            kpis: record
                .kpi
                .iter()
                .flat_map(|kpi| {
                    kpi.values.iter().map(move |value| Kpi {
                        label: kpi.label.clone(),
                        year: value.year,
                        target: match value.target {
                            Some(target) => {
                                let prefix = match kpi.comparator {
                                    Some(Comparator::AtLeast) => "almeno ",
                                    Some(Comparator::AtMost) => "al massimo ",
                                    Some(Comparator::Exactly) | None => "",
                                };
                                format!("{prefix}{} {}", number(target), kpi.unit)
                            }
                            None => "—".to_owned(),
                        },
                        actual: match value.actual {
                            Some(actual) => format!("{} {}", number(actual), kpi.unit),
                            None => "non ancora rilevato".to_owned(),
                        },
                    })
                })
                .collect(),
        })
        .collect();
    let totals_by_challenge: Vec<Total> = challenges
        .iter()
        .map(|(n, (title, _))| Total {
            number: *n,
            title: title.clone(),
            count: input
                .projects
                .iter()
                .filter(|p| p.challenges.contains(n))
                .count(),
        })
        .filter(|t| t.count > 0)
        .collect();
    let mut by_territory: BTreeMap<&str, usize> = BTreeMap::new();
    for project in input.projects {
        for territory in &project.territories {
            *by_territory.entry(territory).or_default() += 1;
        }
    }
    let with_pages: BTreeSet<&str> = input.rows.iter().map(|r| &*r.territory).collect();
    let totals_by_territory: Vec<TerritoryTotal> = by_territory
        .into_iter()
        .map(|(code, count)| TerritoryTotal {
            code: code.to_owned(),
            name: name_of(code),
            link: with_pages.contains(code) || Some(code) == input.plan.focus.as_deref(),
            count,
        })
        .collect();
    #[derive(Serialize)]
    struct PnrrRow {
        code: String,
        name: String,
        funded: usize,
        amount: String,
        renounced: usize,
    }
    #[derive(Serialize)]
    struct Pnrr {
        dataset: String,
        dataset_title: String,
        rows: Vec<PnrrRow>,
    }
    let pnrr_dataset = input
        .plan
        .datasets
        .iter()
        .find(|d| d.table == crate::table::TableName::PnrrProjects);
    let pnrr = pnrr_dataset
        .filter(|_| !input.pnrr.is_empty())
        .map(|dataset| -> Result<Pnrr> {
            let mut by_comune: BTreeMap<&str, (usize, f64, usize)> = BTreeMap::new();
            for project in input.pnrr.rows()?.filter(|p| p.comune_body) {
                let entry = by_comune.entry(project.comune).or_default();
                if project.status == Status::Renounced {
                    entry.2 += 1;
                } else {
                    entry.0 += 1;
                    entry.1 += project.amount;
                }
            }
            let mut rows: Vec<PnrrRow> = by_comune
                .into_iter()
                .map(|(code, (funded, amount, renounced))| PnrrRow {
                    code: code.to_owned(),
                    name: name_of(code),
                    funded,
                    amount: format_it(amount, 0),
                    renounced,
                })
                .collect();
            rows.sort_by(|a, b| a.name.cmp(&b.name));
            Ok(Pnrr {
                dataset: dataset.name.clone(),
                dataset_title: dataset.title.clone(),
                rows,
            })
        })
        .transpose()?;
    writer.page(
        "progetti.html",
        "projects.html",
        "Progetti",
        "projects",
        &[],
        minijinja::context! {
            projects => v(&projects),
            totals_by_challenge => v(&totals_by_challenge),
            totals_by_territory => v(&totals_by_territory),
            pnrr => v(&pnrr),
        },
    )
}

/// The most bars a challenge page ranks in one chart.
const MAX_RANKED: usize = 60;

/// A ranked chart of thousands of bars helps no one: with too many territories to compare,
/// the finest level whose territories fit in [`MAX_RANKED`] bars is ranked instead (comuni,
/// else provinces, else regions), or else the level with the fewest territories.
fn one_level<'a>(mut pool: Vec<&'a &'a IndicatorRow>) -> Vec<&'a &'a IndicatorRow> {
    let count = |level: Level| pool.iter().filter(|r| r.level == level).count();
    let levels = [Level::Comune, Level::Province, Level::Region];
    let chosen = levels
        .iter()
        .copied()
        .find(|&level| (1..=MAX_RANKED).contains(&count(level)))
        .or_else(|| {
            levels
                .iter()
                .copied()
                .filter(|&level| count(level) > 0)
                .min_by_key(|&level| count(level))
        });
    if let Some(level) = chosen {
        pool.retain(|r| r.level == level);
    }
    pool
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text_from_data_in_html_and_svg() {
        let env = environment().unwrap();
        let chart = chart::bars(
            "x",
            "<script>alert(1)</script>".into(),
            "d".into(),
            "u",
            0,
            &[Bar {
                label: "<script>alert(1)</script>".into(),
                value: 1.0,
                focus: false,
            }],
        );
        let svg = render(
            &env,
            "chart.svg",
            minijinja::context! { chart => v(&chart) },
        )
        .unwrap();
        assert!(!svg.contains("<script>"), "{svg}");
        assert!(svg.contains("&lt;script&gt;"));
        assert!(svg.contains("role=\"img\""));
    }

    fn row(territory: &str, level: Level) -> IndicatorRow {
        IndicatorRow {
            territory: territory.into(),
            territory_name: territory.into(),
            level,
            challenge: 3,
            indicator: "x".into(),
            label: "x".into(),
            kind: "sum",
            period: "2026".into(),
            value: 1.0,
            unit: "euro".into(),
            decimals: 0,
            numerator: None,
            denominator: None,
            denominator_label: None,
            source: "s".into(),
            province: None,
            region: None,
        }
    }

    #[test]
    fn ranks_the_finest_level_that_fits_a_chart() {
        let mut rows: Vec<IndicatorRow> = (0..100)
            .map(|i| row(&format!("001{i:03}"), Level::Comune))
            .collect();
        rows.extend((0..30).map(|i| row(&format!("{i:03}"), Level::Province)));
        rows.extend((0..5).map(|i| row(&format!("{i:02}"), Level::Region)));
        rows.push(row("IT", Level::Italy));
        let refs: Vec<&IndicatorRow> = rows.iter().collect();
        let pool: Vec<&&IndicatorRow> = refs.iter().collect();
        let chosen = one_level(pool);
        assert_eq!(chosen.len(), 30);
        assert!(chosen.iter().all(|r| r.level == Level::Province));

        // Nothing fits: the level with the fewest territories.
        let many: Vec<IndicatorRow> = (0..200)
            .map(|i| row(&format!("002{i:03}"), Level::Comune))
            .chain((0..100).map(|i| row(&format!("{i:03}"), Level::Province)))
            .collect();
        let refs: Vec<&IndicatorRow> = many.iter().collect();
        let chosen = one_level(refs.iter().collect());
        assert_eq!(chosen.len(), 100);
    }

    #[test]
    fn announces_the_next_update() {
        let time = RunTime::parse("2026-11-23T02:00:00Z").unwrap();
        assert_eq!(
            next_update(time, Some("DAILY")),
            "24/11/2026 (aggiornamento giornaliero)"
        );
        assert_eq!(next_update(time, None), "non programmato");
    }
}
