//! The PA digitale 2026 (PNRR) applications of each comune's own administration, by status
//! (erogate, assegnate, rinunciate): totals by region on the projects page, a page per region
//! (`progetti/pnrr-<region>.html`) with its comuni province by province, and on a territory's
//! page a stacked bar of its amounts (a union's, province's or region's the sum of its comuni).
//! A national list of eight thousand comuni on one page weighed 1.3 MB.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::error::Result;
use crate::istat::Level;
use crate::site::chart::{self, Chart};
use crate::site::input::{SiteInput, applications};
use crate::site::render::{Writer, v};
use crate::site::stacked::{Part, applications_it};
use crate::source::padigitale::{self, ApplicationStatus};
use crate::table::TableName;
use crate::territory::{Territories, Territory};
use crate::text::format_it;

/// Applications and their amounts by status, in the bar's order.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ByStatus {
    count: [usize; 3],
    amount: [f64; 3],
}

const STATUSES: [(ApplicationStatus, &str); 3] = [
    (ApplicationStatus::Paid, "Erogate"),
    (ApplicationStatus::Assigned, "Assegnate"),
    (ApplicationStatus::Renounced, "Rinunciate"),
];

impl ByStatus {
    fn add(&mut self, status: ApplicationStatus, amount: f64) {
        if let Some(at) = STATUSES.iter().position(|(s, _)| *s == status) {
            self.count[at] += 1;
            self.amount[at] += amount;
        }
    }

    fn plus(mut self, other: &ByStatus) -> ByStatus {
        for at in 0..STATUSES.len() {
            self.count[at] += other.count[at];
            self.amount[at] += other.amount[at];
        }
        self
    }

    fn parts(&self) -> Vec<Part> {
        STATUSES
            .iter()
            .enumerate()
            .map(|(at, (_, label))| Part {
                label,
                count: self.count[at],
                amount: self.amount[at],
            })
            .collect()
    }

    /// Erogate and assegnate: the applications still funded.
    fn funded(&self) -> (usize, f64) {
        (
            self.count[0] + self.count[1],
            self.amount[0] + self.amount[1],
        )
    }
}

/// The applications of the comuni's own administrations, by comune.
pub(crate) struct Applications<'a> {
    by_comune: BTreeMap<&'a str, ByStatus>,
    dataset: &'a str,
    dataset_title: &'a str,
}

impl<'a> Applications<'a> {
    /// From the published applications table, when a dataset publishes it and it has rows.
    pub(crate) fn of(input: &SiteInput<'a>) -> Result<Option<Applications<'a>>> {
        let dataset = input
            .datasets
            .iter()
            .find(|d| d.dataset.table == TableName::PnrrProjects);
        let (Some(dataset), Some(table)) = (dataset, applications(input)) else {
            return Ok(None);
        };
        let mut by_comune: BTreeMap<&str, ByStatus> = BTreeMap::new();
        for row in padigitale::rows(table)?.filter(|row| row.comune_body) {
            by_comune
                .entry(row.comune)
                .or_default()
                .add(row.status, row.amount);
        }
        Ok((!by_comune.is_empty()).then_some(Applications {
            by_comune,
            dataset: &dataset.dataset.name,
            dataset_title: &dataset.dataset.title,
        }))
    }

    /// A comune's own, or the sum of an aggregate's comuni with the number of its comuni that
    /// have applications in the data and of all its comuni; `None` without applications.
    fn of_territory(
        &self,
        territories: &Territories,
        code: &str,
    ) -> Option<(ByStatus, Option<(usize, usize)>)> {
        if let Some(own) = self.by_comune.get(code) {
            return Some((*own, None));
        }
        let all = territories.members(code);
        let members: Vec<&ByStatus> = all
            .iter()
            .filter_map(|member| self.by_comune.get(member.as_str()))
            .collect();
        let counted = (members.len(), all.len());
        (!members.is_empty()).then(|| {
            let sum = members
                .into_iter()
                .fold(ByStatus::default(), |sum, one| sum.plus(one));
            (sum, Some(counted))
        })
    }

    /// The stacked bar of a territory's applications by status, drawn.
    pub(crate) fn chart(
        &self,
        writer: &Writer,
        territories: &Territories,
        territory: &Territory,
    ) -> Option<Chart> {
        let (totals, counted) = self.of_territory(territories, &territory.code)?;
        let (funded, amount) = totals.funded();
        let (whose, of_comuni) = match counted {
            None => ("dell'amministrazione comunale", String::new()),
            Some((with_data, all)) => (
                "delle amministrazioni comunali",
                format!(
                    " ({} comuni su {} nei dati)",
                    format_it(with_data as f64, 0),
                    format_it(all as f64, 0)
                ),
            ),
        };
        let mut chart = chart::stacked(
            &format!("{}-pa-digitale", territory.code),
            format!(
                "PA digitale 2026, {}{of_comuni}: {} finanziate per {} euro, di cui {} euro erogati",
                territory.name,
                applications_it(funded),
                format_it(amount, 0),
                format_it(totals.amount[0], 0)
            ),
            format!(
                "Barra orizzontale degli importi delle candidature {whose} per stato: erogate (pieno), assegnate (tratteggio), rinunciate (contorno tratteggiato); sotto, il numero e l'importo di ciascuno stato."
            ),
            &totals.parts(),
            "euro",
        );
        writer.render_chart(&mut chart);
        Some(chart)
    }
}

/// A row of a table of applications: a comune, a province or a region.
#[derive(Debug, Serialize)]
struct Row {
    code: String,
    name: String,
    /// Its page: the territory's, or for a region the page of its comuni.
    has_page: bool,
    funded: String,
    amount: String,
    paid: String,
    renounced: String,
}

fn row(code: &str, name: &str, has_page: bool, totals: &ByStatus) -> Row {
    let (funded, amount) = totals.funded();
    Row {
        code: code.to_owned(),
        name: name.to_owned(),
        has_page,
        funded: format_it(funded as f64, 0),
        amount: format_it(amount, 0),
        paid: format_it(totals.amount[0], 0),
        renounced: format_it(totals.count[2] as f64, 0),
    }
}

#[derive(Debug, Serialize)]
struct ProvinceApplications {
    total: Row,
    comuni: Vec<Row>,
}

/// What the projects page shows of the applications: a row per region.
#[derive(Debug, Serialize)]
pub(crate) struct Index {
    dataset: String,
    dataset_title: String,
    regions: Vec<Row>,
}

/// A comune (its territory and applications) by name, in a province, in a region.
type Comuni<'a> = Vec<(&'a Territory, &'a ByStatus)>;
type Provinces<'a> = BTreeMap<(&'a str, &'a str), Comuni<'a>>;

/// The comuni with applications, region by region and province by province, each by name
/// (then code).
fn tree<'a>(
    applications: &'a Applications,
    territories: &'a Territories,
) -> BTreeMap<(&'a str, &'a str), Provinces<'a>> {
    let mut tree: BTreeMap<(&str, &str), Provinces> = BTreeMap::new();
    for (code, totals) in &applications.by_comune {
        let (Some(comune), Some(region), Some(province)) = (
            territories.get(code),
            territories.benchmark_of(code, Level::Region),
            territories.benchmark_of(code, Level::Province),
        ) else {
            continue;
        };
        tree.entry((&region.name, &region.code))
            .or_default()
            .entry((&province.name, &province.code))
            .or_default()
            .push((comune, totals));
    }
    tree
}

/// Writes a page per region and returns the projects page's table of regions.
pub(crate) fn write(
    writer: &mut Writer,
    applications: &Applications,
    territories: &Territories,
    with_pages: &BTreeSet<&str>,
) -> Result<Index> {
    let row_of = |code: &str, name: &str, totals: &ByStatus| {
        row(code, name, with_pages.contains(code), totals)
    };
    let mut regions = Vec::new();
    for ((name, code), provinces) in tree(applications, territories) {
        let mut region_total = ByStatus::default();
        let provinces: Vec<ProvinceApplications> = provinces
            .into_iter()
            .map(|((name, code), mut comuni)| {
                comuni.sort_by(|a, b| (&a.0.name, &a.0.code).cmp(&(&b.0.name, &b.0.code)));
                let total = comuni
                    .iter()
                    .fold(ByStatus::default(), |sum, (_, one)| sum.plus(one));
                region_total = region_total.plus(&total);
                ProvinceApplications {
                    total: row_of(code, name, &total),
                    comuni: comuni
                        .iter()
                        .map(|(comune, totals)| row_of(&comune.code, &comune.name, totals))
                        .collect(),
                }
            })
            .collect();
        let region = row_of(code, name, &region_total);
        writer.page(
            &format!("progetti/pnrr-{code}.html"),
            "applications_region.html",
            &format!("PA digitale 2026: {name}"),
            "projects",
            &[("Progetti", "progetti.html")],
            minijinja::context! {
                region => v(&region),
                provinces => v(&provinces),
                dataset => applications.dataset,
                dataset_title => applications.dataset_title,
            },
        )?;
        regions.push(region);
    }
    Ok(Index {
        dataset: applications.dataset.to_owned(),
        dataset_title: applications.dataset_title.to_owned(),
        regions,
    })
}
