//! The `padigitale` source kind: the PA digitale 2026 (PNRR) funded-project files published by
//! the Department for Digital Transformation (`candidature_finanziate_<misura>.csv`,
//! `candidature_altrienti_finanziate.csv`). ApplicationColumns are mapped by name, because they differ
//! between measures and years; every row is used or reported with its reason. Per comune the
//! source gives funding, renounced amounts, projects and which measures were adopted.

use std::collections::BTreeMap;
use std::sync::Arc;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::clock;
use crate::error::{ConfigProblem, Result};
use crate::finding::Finding;
use crate::istat::{Level, level_of_istat_code};
use crate::msg;
use crate::plan::{Location, Paths, paths};
use crate::source::read::{self, IngestContext};
use crate::source::result::{Ingested, ReadFile};
use crate::source::rows::ComuneDefault;
use crate::source::rows::{Observation, Origin};
use crate::spec::Item;
use crate::spec::SourceSpec;
use crate::spec::source::{PadigitaleSpec, Snapshot};
use crate::table::{Delimited, Table, TableName, TextTable};
use crate::text::{self, DecimalMark, Encoding};

#[derive(Debug, Clone)]
pub(crate) struct PadigitaleSource {
    pub(crate) locations: Vec<Location>,
    pub(crate) period: Option<String>,
    /// Declared a snapshot: its values are dated by day or month, by the date the files were
    /// read on when they have no dates.
    pub(crate) snapshot: Option<Snapshot>,
    pub(crate) title: String,
    pub(crate) complete_for: Option<Vec<String>>,
}

/// The status of a funded application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub(crate) enum ApplicationStatus {
    /// A: funding assigned.
    Assigned,
    /// R: renounced by the body.
    Renounced,
    /// E: paid out after the project was certified.
    Paid,
}

impl ApplicationStatus {
    fn parse(code: &str) -> Option<ApplicationStatus> {
        match code {
            "A" => Some(ApplicationStatus::Assigned),
            "R" => Some(ApplicationStatus::Renounced),
            "E" => Some(ApplicationStatus::Paid),
            _ => None,
        }
    }

    pub(crate) fn code(self) -> &'static str {
        match self {
            ApplicationStatus::Assigned => "A",
            ApplicationStatus::Renounced => "R",
            ApplicationStatus::Paid => "E",
        }
    }

    pub(crate) fn label_it(self) -> &'static str {
        match self {
            ApplicationStatus::Assigned => "finanziato",
            ApplicationStatus::Renounced => "rinunciato",
            ApplicationStatus::Paid => "erogato",
        }
    }

    fn funded(self) -> bool {
        matches!(self, ApplicationStatus::Assigned | ApplicationStatus::Paid)
    }
}

/// The published tables this kind gives rows of: the funded applications, one row each, with
/// the columns of `schemas/pnrr_projects.json` and the internal `comune_body` (whether the
/// applicant is the comune's own administration). Kept as columns from the files to the
/// published table: a national file set is tens of thousands of rows, and grown inputs
/// millions.
pub(crate) const TABLES: &[TableName] = &[TableName::PnrrProjects];

/// One application, borrowed from the applications table.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ApplicationRow<'a> {
    pub(crate) comune: &'a str,
    /// "1.4.4"
    pub(crate) measure: &'a str,
    /// For measures with several platforms: `pagopa`, `app_io`, `spid_cie`, `anpr_ansc`.
    pub(crate) platform: Option<&'a str>,
    pub(crate) call: &'a str,
    pub(crate) amount: f64,
    pub(crate) status: ApplicationStatus,
    pub(crate) status_date: Option<&'a str>,
    pub(crate) funded_on: Option<&'a str>,
    pub(crate) comune_body: bool,
    /// The name of its file and its 1-based data row there.
    pub(crate) file: &'a str,
    pub(crate) row: usize,
}

/// The applications table of what a PA digitale source read.
pub(crate) fn applications(ingested: &Ingested) -> Option<&Table> {
    ingested
        .tables
        .iter()
        .find(|t| t.name == TableName::PnrrProjects)
}

fn applications_table(columns: ApplicationColumns) -> Table {
    let ApplicationColumns {
        territory,
        ipa_code,
        body,
        body_type,
        measure,
        platform,
        call,
        amount,
        funded_on,
        cup,
        status,
        status_date,
        source_file,
        source_row,
        comune_body,
    } = columns;
    Table::new(TableName::PnrrProjects)
        .text("territory", territory.into_iter().map(Some))
        .text("ipa_code", ipa_code.into_iter().map(Some))
        .repeated_text("body", body.into_iter().map(Some))
        .repeated_text("body_type", body_type)
        .text("measure", measure.into_iter().map(Some))
        .text("platform", platform)
        .repeated_text("call", call.into_iter().map(Some))
        .number("amount_eur", amount.into_iter().map(Some))
        .text("funded_on", funded_on)
        .text("cup", cup)
        .text("status", status.iter().map(|s| Some(s.code())))
        .repeated_text("status_label", status.iter().map(|s| Some(s.label_it())))
        .text("status_date", status_date)
        .repeated_text("source_file", source_file.into_iter().map(Some))
        .integer("source_row", source_row.into_iter().map(Some))
        .flag(TableName::COMUNE_BODY, comune_body)
}

/// The applications of a table one by one.
pub(crate) fn rows(table: &Table) -> Result<impl Iterator<Item = ApplicationRow<'_>>> {
    let (comune, measure, platform, call) = (
        table.texts("territory")?,
        table.texts("measure")?,
        table.texts("platform")?,
        table.texts("call")?,
    );
    let (amount, status, status_date, funded_on) = (
        table.numbers("amount_eur")?,
        table.texts("status")?,
        table.texts("status_date")?,
        table.texts("funded_on")?,
    );
    let (comune_body, file, row) = (
        table.flags(TableName::COMUNE_BODY)?,
        table.texts("source_file")?,
        table.integers("source_row")?,
    );
    // The columns walked side by side: looking a row up in each column by its index finds
    // its chunk every time, and a grown table has millions of rows.
    let texts = comune.iter().zip(measure.iter()).zip(platform.iter());
    let call = call.iter().zip(amount.iter()).zip(status.iter());
    let dates = status_date
        .iter()
        .zip(funded_on.iter())
        .zip(comune_body.iter());
    let place = file.iter().zip(row.iter());
    let columns = texts.zip(call).zip(dates).zip(place);
    Ok(columns.map(
        |(((((comune, measure), platform), ((call, amount), status)), dates), (file, row))| {
            let ((status_date, funded_on), comune_body) = dates;
            ApplicationRow {
                comune: comune.unwrap_or_default(),
                measure: measure.unwrap_or_default(),
                platform,
                call: call.unwrap_or_default(),
                amount: amount.unwrap_or_default(),
                status: status
                    .and_then(ApplicationStatus::parse)
                    .unwrap_or(ApplicationStatus::Assigned),
                status_date,
                funded_on,
                comune_body: comune_body.unwrap_or_default(),
                file: file.unwrap_or_default(),
                row: usize::try_from(row.unwrap_or_default()).unwrap_or_default(),
            }
        },
    ))
}

/// Up to this many bytes of local files are read side by side.
const SIDE_BY_SIDE_BYTES: u64 = 512 * 1024 * 1024;

/// The columns of the applications table while a file is read, borrowing its cells.
#[derive(Default)]
struct ApplicationColumns<'a> {
    territory: Vec<&'a str>,
    ipa_code: Vec<&'a str>,
    body: Vec<&'a str>,
    body_type: Vec<Option<&'a str>>,
    measure: Vec<String>,
    platform: Vec<Option<&'static str>>,
    call: Vec<&'a str>,
    amount: Vec<f64>,
    funded_on: Vec<Option<&'a str>>,
    cup: Vec<Option<&'a str>>,
    status: Vec<ApplicationStatus>,
    status_date: Vec<Option<&'a str>>,
    source_file: Vec<&'a str>,
    source_row: Vec<i64>,
    comune_body: Vec<bool>,
}

/// ApplicationColumns as the format descriptions name them.
const REQUIRED: [&str; 6] = [
    "codice_ipa",
    "ente",
    "cod_comune",
    "importo_finanziamento",
    "avviso",
    "stato_candidatura",
];
const OPTIONAL: [&str; 6] = [
    "tipologia_ente",
    "misura",
    "data_finanziamento",
    "codice_cup",
    "data_stato_candidatura",
    "data_invio_candidatura",
];
/// Known columns this kind does not need.
const KNOWN_UNUSED: &[&str] = &[
    "comune",
    "provincia",
    "cod_provincia",
    "regione",
    "cod_regione",
    "numero_finestra_temporale",
    "numero_di_protocollo",
    "decreto_finanziamento",
];

/// The measures open to comuni (the calls' `soggetti_destinatari` in `avvisi.csv` name
/// Comuni for these six, not for 1.1), with the measure names they give per comune.
const COMUNE_MEASURES: &[(&str, &str)] = &[
    ("1.2", "pnrr_adopted_cloud_migration"),
    ("1.3.1", "pnrr_adopted_pdnd"),
    ("1.4.1", "pnrr_adopted_citizen_experience"),
    ("1.4.3", "pnrr_adopted_pagopa_app_io"),
    ("1.4.4", "pnrr_adopted_spid_cie_ansc"),
    ("1.4.5", "pnrr_adopted_digital_notifications"),
];
/// The unit of the yes/no measures: comuni merged into one adopted a measure when either did.
pub(crate) const FLAG_UNIT: &str = "sì (1) / no (0)";
/// The number of measures open to comuni that a comune adopted.
pub(crate) const MEASURES_ADOPTED: &str = "pnrr_measures_adopted";

/// Platforms within a measure, recognised from the call's title.
const PLATFORMS: &[(&str, &[&str], &str)] = &[
    ("pagopa", &["pagopa"], "pnrr_adopted_pagopa"),
    ("app_io", &["app io", "appio"], "pnrr_adopted_app_io"),
    ("spid_cie", &["spid", "cie"], "pnrr_adopted_spid_cie"),
    ("anpr_ansc", &["anpr", "ansc"], "pnrr_adopted_anpr_ansc"),
];

/// Every measure this kind gives per comune, with its unit and whether a comune without rows
/// has 0 (all but the number of measures open).
pub(crate) fn measures() -> Vec<(&'static str, &'static str)> {
    let mut all = vec![
        ("pnrr_funding_eur", "euro"),
        ("pnrr_funding_renounced_eur", "euro"),
        ("pnrr_projects", "progetti"),
        ("pnrr_projects_renounced", "progetti"),
        (MEASURES_ADOPTED, "misure"),
    ];
    all.extend(COMUNE_MEASURES.iter().map(|(_, name)| (*name, FLAG_UNIT)));
    all.extend(PLATFORMS.iter().map(|(_, _, name)| (*name, FLAG_UNIT)));
    all
}

impl PadigitaleSource {
    pub(crate) fn check(
        item: &Item<SourceSpec>,
        spec: &PadigitaleSpec,
        base: &Paths,
    ) -> std::result::Result<Self, Vec<ConfigProblem>> {
        let mut problems = Vec::new();
        let mut locations = Vec::new();
        for file in &spec.files {
            match paths::resolve_path(item, "padigitale.files", file, base, false) {
                Ok(path) => locations.push(Location::File(path)),
                Err(problem) => problems.push(problem),
            }
        }
        for url in &spec.urls {
            match paths::remote(item, "padigitale", url, spec.http.as_ref()) {
                Ok(remote) => locations.push(Location::Url(remote)),
                Err(url_problems) => problems.extend(url_problems),
            }
        }
        if spec.files.is_empty() && spec.urls.is_empty() {
            problems.push(item.problem(msg!("padigitale_no_files")));
        }
        if spec.http.is_some() && spec.urls.is_empty() {
            problems.push(item.problem(msg!("padigitale_http_without_urls")));
        }
        if let Some(period) = &spec.period
            && !crate::text::is_iso_date(period)
        {
            problems.push(item.problem(msg!(
                "padigitale_period_not_a_date",
                period = format!("{period:?}")
            )));
        }
        if problems.is_empty() {
            Ok(PadigitaleSource {
                locations,
                period: spec.period.clone(),
                snapshot: spec.snapshot,
                complete_for: spec.complete_for.clone(),
                title: spec.title.clone().unwrap_or_else(|| {
                    "Dipartimento per la trasformazione digitale, PA digitale 2026: candidature finanziate (CC BY 4.0)".to_owned()
                }),
            })
        } else {
            Err(problems)
        }
    }

    /// Reads every file into one table of applications; the per-comune measures are derived
    /// from it once territory codes are harmonized ([`PadigitaleSource::derive`]).
    pub(crate) fn ingest(&self, name: &str, context: &IngestContext) -> Result<Ingested> {
        let layout = Delimited {
            separator: b',',
            skip_lines: 0,
            footer_lines: 0,
        };
        // Each file on its own, side by side when they are local files (URLs are fetched one
        // at a time); what each gave is put together in the order of the list.
        let read_one = |location: &Location| -> Result<(Ingested, Option<Table>)> {
            let mut part = Ingested::default();
            let read =
                read::read_table(context, name, location, Encoding::Utf8, layout, &mut part)?;
            let table = read.map(|(table, label)| read_file(&table, &label, &mut part.findings));
            Ok((part, table))
        };
        let parts = crate::parallel::map(&self.locations, self.side_by_side(), read_one);
        let mut ingested = Ingested::default();
        let mut tables = Vec::new();
        for part in parts {
            let (part, table) = part?;
            ingested.findings.extend(part.findings);
            ingested.read.extend(part.read);
            tables.extend(table);
        }
        let table = match tables.is_empty() {
            true => applications_table(ApplicationColumns::default()),
            false => Table::concat(tables)?,
        };
        ingested.records = table.row_count();
        ingested.tables = vec![table];
        Ok(ingested)
    }

    /// Reading a file holds its text and its parsed cells, several times its size: files are
    /// read side by side while together they are small, one at a time beyond (the national
    /// files are a few megabytes each; grown a hundred times, hundreds).
    fn side_by_side(&self) -> bool {
        let mut local_bytes = Some(0u64);
        for location in &self.locations {
            local_bytes = match (local_bytes, location) {
                (Some(sum), Location::File(path)) => {
                    fs_err::metadata(path).ok().map(|m| sum + m.len())
                }
                _ => None,
            };
        }
        local_bytes.is_some_and(|bytes| bytes <= SIDE_BY_SIDE_BYTES)
    }

    /// The per-comune measures, from the applications once their comuni carry the codes of the
    /// list (comuni merged into one count their applications together), dated by the
    /// snapshot's reference date ([`PadigitaleSource::reference_date`]), and the value of each
    /// measure for a comune without applications.
    pub(crate) fn derive(&self, name: &str, ingested: &mut Ingested, run_date: &str) -> Result<()> {
        let Some(table) = applications(ingested) else {
            return Ok(());
        };
        let Some((date, dated)) = self.reference_date(table, &ingested.read, run_date)? else {
            if table.row_count() > 0 {
                ingested.findings.push(Finding::error(
                    "missing_period",
                    msg!("padigitale_no_dates", source = name),
                ));
            }
            return Ok(());
        };
        let period = match self.snapshot.unwrap_or_default() {
            Snapshot::Day => date.clone(),
            Snapshot::Month => date[..7].to_owned(),
        };
        let observations = per_comune(table, &self.labels(), &period, &self.title)?;
        ingested.observations.extend(observations);
        ingested.comune_defaults.extend(self.defaults(&period));
        ingested.dated = Some(self.dating_sentence(dated, &date, &period));
        // The day the files were read says nothing of how recent they are: freshness is then
        // judged by the server's or the file's date.
        if dated != Dating::Retrieved {
            ingested.reference_date = Some(date);
        }
        Ok(())
    }

    /// The date the files are as of, and how it was found: the `period` given, else the latest
    /// status or funding date in the files, else (for a snapshot) the day they were retrieved.
    fn reference_date(
        &self,
        table: &Table,
        read: &[ReadFile],
        run_date: &str,
    ) -> Result<Option<(String, Dating)>> {
        if let Some(period) = &self.period {
            return Ok(Some((period.clone(), Dating::Given)));
        }
        if let Some(latest) = latest_date(table)? {
            return Ok(Some((latest, Dating::Latest)));
        }
        if self.snapshot.is_none() {
            return Ok(None);
        }
        let retrieved = read
            .iter()
            .filter_map(|file| file.retrieved_at.as_deref()?.get(..10))
            .max()
            .unwrap_or(run_date);
        Ok(Some((retrieved.to_owned(), Dating::Retrieved)))
    }

    /// How the values are dated, in Italian, for the dataset pages and the provenance.
    fn dating_sentence(&self, dated: Dating, date: &str, period: &str) -> String {
        let source = match dated {
            Dating::Given => "indicata nella pipeline",
            Dating::Latest => {
                "la più recente data di stato o di finanziamento delle candidature nei file"
            }
            Dating::Retrieved => {
                "il giorno in cui i file sono stati scaricati o letti, perché non contengono date"
            }
        };
        let reference = format!(
            "Data di riferimento dei valori: {} ({source}).",
            clock::date_it(date)
        );
        let series = match self.snapshot {
            None => return reference,
            Some(Snapshot::Day) => {
                "al giorno di riferimento, e le esecuzioni successive formano una serie giornaliera"
                    .to_owned()
            }
            Some(Snapshot::Month) => format!(
                "al mese di riferimento ({period}), e le esecuzioni successive formano una serie mensile"
            ),
        };
        format!(
            "{reference} I file sono una fotografia del registro, che l'editore sostituisce ogni giorno: i valori di ogni esecuzione sono datati {series}."
        )
    }

    /// The labels of the files read, by file name as the applications table names them.
    fn labels(&self) -> BTreeMap<String, String> {
        let mut labels = BTreeMap::new();
        for location in &self.locations {
            let label = location.label();
            labels.entry(file_name(&label).to_owned()).or_insert(label);
        }
        labels
    }

    /// Every measure's value for a comune the files have no application of.
    fn defaults(&self, period: &str) -> Vec<ComuneDefault> {
        let unit_of: BTreeMap<&str, &str> = measures().into_iter().collect();
        let default = |measure: &str, value: f64, unit: &str| ComuneDefault {
            measure: measure.to_owned(),
            period: period.to_owned(),
            value,
            unit: unit.to_owned(),
            source: self.title.clone(),
            scope: self.complete_for.clone(),
        };
        let mut defaults: Vec<ComuneDefault> = unit_of
            .iter()
            .map(|(measure, unit)| default(measure, 0.0, unit))
            .collect();
        defaults.push(default(
            "pnrr_measures_open",
            COMUNE_MEASURES.len() as f64,
            "misure",
        ));
        defaults
    }
}

/// Where a snapshot's reference date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dating {
    Given,
    Latest,
    Retrieved,
}

/// The latest funding or status date of the applications.
fn latest_date(table: &Table) -> Result<Option<String>> {
    let (funded_on, status_date) = (table.texts("funded_on")?, table.texts("status_date")?);
    let latest = funded_on.iter().chain(status_date.iter()).flatten().max();
    Ok(latest.map(str::to_owned))
}

/// A file's name, as the applications table records it: the last part of its path or URL.
fn file_name(label: &str) -> &str {
    label.rsplit('/').next().unwrap_or(label)
}

/// The measure number at the start of a text: "1.4.3 - pagoPA - Comuni" -> "1.4.3".
fn measure_number(text: &str) -> Option<String> {
    let number: String = text
        .trim()
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let number = number.trim_end_matches('.');
    (number.contains('.') && number.split('.').all(|part| !part.is_empty()))
        .then(|| number.to_owned())
}

fn platform_of(measure: &str, call: &str) -> Option<&'static str> {
    if !matches!(measure, "1.4.3" | "1.4.4") {
        return None;
    }
    let call = call.to_lowercase();
    PLATFORMS
        .iter()
        .find(|(_, words, _)| words.iter().any(|word| call.contains(word)))
        .map(|(platform, _, _)| *platform)
}

/// Reads one file's rows; each row becomes an application or a finding that says why not.
fn read_file(table: &TextTable, label: &str, findings: &mut Vec<Finding>) -> Table {
    let Some(at) = layout(table, label, findings) else {
        return applications_table(ApplicationColumns::default());
    };
    let file = ApplicationFile {
        table,
        label,
        name: file_name(label),
        at,
    };
    let mut columns = ApplicationColumns::default();
    for row in 0..table.row_count() {
        if let Err(finding) = file.read_row(row, &mut columns) {
            findings.push(*finding);
        }
    }
    applications_table(columns)
}

/// Where the columns of the format descriptions are in a file, by name.
struct ApplicationLayout {
    required: [usize; 6],
    optional: [Option<usize>; 6],
}

/// A file's layout, its missing and unknown columns reported; nothing when a required column
/// is missing, since then no row can be used.
fn layout(
    table: &TextTable,
    label: &str,
    findings: &mut Vec<Finding>,
) -> Option<ApplicationLayout> {
    let headers: Vec<String> = table
        .headers()
        .iter()
        .map(|h| text::normalize_header(h))
        .collect();
    let index = |name: &str| headers.iter().position(|h| h == name);
    let column_finding = |finding: Finding, name: &str| finding.in_file(label).in_column(name);
    let missing: Vec<&str> = REQUIRED
        .into_iter()
        .filter(|n| index(n).is_none())
        .collect();
    for name in &missing {
        let message = msg!("missing_required_column", column = *name);
        findings.push(column_finding(
            Finding::error("missing_column", message),
            name,
        ));
    }
    if !missing.is_empty() {
        return None;
    }
    for name in OPTIONAL {
        if index(name).is_none() && !(name == "misura" || name == "tipologia_ente") {
            let message = msg!("missing_optional_column", column = name);
            findings.push(column_finding(
                Finding::warning("missing_column", message),
                name,
            ));
        }
    }
    for header in &headers {
        let header = header.as_str();
        if !REQUIRED.contains(&header)
            && !OPTIONAL.contains(&header)
            && !KNOWN_UNUSED.contains(&header)
        {
            let message = msg!("unknown_column");
            findings.push(column_finding(
                Finding::warning("unknown_column", message),
                header,
            ));
        }
    }
    Some(ApplicationLayout {
        required: REQUIRED.map(|name| index(name).unwrap_or_default()),
        optional: OPTIONAL.map(index),
    })
}

/// A file being read, with its layout.
struct ApplicationFile<'a> {
    table: &'a TextTable,
    label: &'a str,
    /// Its name, as the applications table records it.
    name: &'a str,
    at: ApplicationLayout,
}

impl<'a> ApplicationFile<'a> {
    /// A finding at a cell of a row (0-based).
    fn finding(
        &self,
        finding: Finding,
        row: usize,
        column: &str,
        value: Option<&str>,
    ) -> Box<Finding> {
        let finding = finding
            .in_file(self.label)
            .at_row(row + 1)
            .in_column(column);
        Box::new(match value {
            Some(value) => finding.with_value(value),
            None => finding,
        })
    }

    /// One row as an application, or the finding that says why it is none.
    fn read_row(
        &self,
        row: usize,
        columns: &mut ApplicationColumns<'a>,
    ) -> std::result::Result<(), Box<Finding>> {
        let table = self.table;
        let [ipa, body, comune, amount, call, status] = self.at.required;
        let [
            body_type,
            measure_column,
            funded_on,
            cup,
            status_date,
            _sent,
        ] = self.at.optional;
        let cell = |column: Option<usize>| column.and_then(|c| table.cell(c, row));
        let raw_amount = table.cell(amount, row);
        let Some(amount_value) = raw_amount
            .and_then(|raw| text::parse_number(raw, DecimalMark::Point))
            .filter(|v| *v >= 0.0)
        else {
            let finding = Finding::error("not_an_amount", msg!("not_an_amount"));
            return Err(self.finding(finding, row, "importo_finanziamento", raw_amount));
        };
        let raw_status = table.cell(status, row);
        let Some(status_value) = raw_status.and_then(ApplicationStatus::parse) else {
            let finding = Finding::error("unknown_status", msg!("unknown_status"));
            return Err(self.finding(finding, row, "stato_candidatura", raw_status));
        };
        let call_text = table.cell(call, row).unwrap_or_default();
        let measure = cell(measure_column)
            .and_then(measure_number)
            .or_else(|| measure_number(call_text));
        let Some(measure) = measure else {
            let finding = Finding::error("unknown_measure", msg!("unknown_measure"));
            return Err(self.finding(finding, row, "avviso", Some(call_text)));
        };
        let code = table.cell(comune, row).unwrap_or_default();
        if level_of_istat_code(code) != Some(Level::Comune) {
            let finding = Finding::warning("no_comune_code", msg!("no_comune_code"));
            return Err(self.finding(finding, row, "cod_comune", Some(code)));
        }
        let ipa_code = table.cell(ipa, row).unwrap_or_default();
        let type_text = cell(body_type);
        let comune_body = match type_text {
            Some(kind) => matches!(kind, "Comune" | "Comuni"),
            // IPA codes of comuni start with c_.
            None => ipa_code.starts_with("c_"),
        };
        columns.territory.push(code);
        columns.ipa_code.push(ipa_code);
        columns.body.push(table.cell(body, row).unwrap_or_default());
        columns.body_type.push(type_text);
        columns.comune_body.push(comune_body);
        columns.platform.push(platform_of(&measure, call_text));
        columns.measure.push(measure);
        columns.call.push(call_text);
        columns.amount.push(amount_value);
        columns
            .funded_on
            .push(cell(funded_on).filter(|d| text::is_iso_date(d)));
        columns.cup.push(cell(cup));
        columns.status.push(status_value);
        columns.status_date.push(
            cell(status_date)
                .map(|d| d.char_indices().nth(10).map_or(d, |(end, _)| &d[..end]))
                .filter(|d| text::is_iso_date(d)),
        );
        columns.source_file.push(self.name);
        columns.source_row.push(row as i64 + 1);
        Ok(())
    }
}

/// What the applications of a comune's own administration add up to.
#[derive(Default)]
struct Totals<'a> {
    funding: f64,
    renounced: f64,
    projects: f64,
    projects_renounced: f64,
    /// The measures adopted, a bit each: those of `COMUNE_MEASURES`, then the `PLATFORMS`.
    adopted: u16,
    /// The file name and row of its first application.
    first: Option<(&'a str, usize)>,
}

impl<'a> Totals<'a> {
    fn add(&mut self, application: &ApplicationRow<'a>) {
        self.first
            .get_or_insert((application.file, application.row));
        if !application.status.funded() {
            self.renounced += application.amount;
            self.projects_renounced += 1.0;
            return;
        }
        self.funding += application.amount;
        self.projects += 1.0;
        if let Some(at) = COMUNE_MEASURES
            .iter()
            .position(|(m, _)| *m == application.measure)
        {
            self.adopted |= 1 << at;
        }
        if let Some(at) = PLATFORMS
            .iter()
            .position(|(p, _, _)| Some(*p) == application.platform)
        {
            self.adopted |= 1 << (COMUNE_MEASURES.len() + at);
        }
    }

    /// Whether the comune adopted each measure of `COMUNE_MEASURES`, then each platform.
    fn adopted(&self) -> impl Iterator<Item = bool> + '_ {
        (0..COMUNE_MEASURES.len() + PLATFORMS.len()).map(|at| self.adopted & (1 << at) != 0)
    }
}

/// Each comune's totals, in code order: a group-by of the applications of comuni's own
/// administrations by their (harmonized) comune.
fn totals_by_comune(table: &Table) -> Result<Vec<(&str, Totals<'_>)>> {
    let mut slot_of: FxHashMap<&str, usize> = FxHashMap::default();
    let mut by_comune: Vec<(&str, Totals)> = Vec::new();
    // A file lists a comune's applications together more often than not.
    let mut last: Option<(&str, usize)> = None;
    for application in rows(table)?.filter(|a| a.comune_body) {
        let slot = match last {
            Some((comune, slot)) if comune == application.comune => slot,
            _ => *slot_of.entry(application.comune).or_insert_with(|| {
                by_comune.push((application.comune, Totals::default()));
                by_comune.len() - 1
            }),
        };
        last = Some((application.comune, slot));
        by_comune[slot].1.add(&application);
    }
    by_comune.sort_unstable_by(|a, b| a.0.cmp(b.0));
    Ok(by_comune)
}

/// The per-comune measures, from the applications of each comune's own administration.
fn per_comune(
    table: &Table,
    labels: &BTreeMap<String, String>,
    period: &str,
    title: &str,
) -> Result<Vec<Observation>> {
    let by_comune = totals_by_comune(table)?;
    let column: Arc<str> = Arc::from("cod_comune");
    let mut shared = crate::source::rows::Shared::default();
    let (period, title) = (shared.get(period), shared.get(title));
    let mut measure = |name: &str, unit: &str| (shared.get(name), shared.get(unit));
    let (funding, renounced) = (
        measure("pnrr_funding_eur", "euro"),
        measure("pnrr_funding_renounced_eur", "euro"),
    );
    let (projects, projects_renounced) = (
        measure("pnrr_projects", "progetti"),
        measure("pnrr_projects_renounced", "progetti"),
    );
    let adopted_count = measure(MEASURES_ADOPTED, "misure");
    let flags: Vec<_> = COMUNE_MEASURES
        .iter()
        .map(|(_, name)| *name)
        .chain(PLATFORMS.iter().map(|(_, _, name)| *name))
        .map(|name| measure(name, FLAG_UNIT))
        .collect();
    let per_territory = 5 + flags.len();
    let mut observations = Vec::with_capacity(by_comune.len() * per_territory);
    for (comune, totals) in by_comune {
        let Some((file, row)) = totals.first else {
            continue;
        };
        let label = labels.get(file).map_or(file, String::as_str);
        let origin = Origin::new(&shared.place(label, &column), row);
        let territory = shared.territory(comune);
        let mut push = |(measure, unit): &(Arc<str>, Arc<str>), value: f64| {
            observations.push(Observation {
                territory: Arc::clone(&territory),
                measure: Arc::clone(measure),
                period: Arc::clone(&period),
                value,
                unit: Arc::clone(unit),
                source: Arc::clone(&title),
                origin: origin.clone(),
            });
        };
        // Amounts are in euro and cents; summing floats must not invent fractions of a cent.
        let cents = |value: f64| (value * 100.0).round() / 100.0;
        push(&funding, cents(totals.funding));
        push(&renounced, cents(totals.renounced));
        push(&projects, totals.projects);
        push(&projects_renounced, totals.projects_renounced);
        let adopted_measures = totals
            .adopted()
            .take(COMUNE_MEASURES.len())
            .filter(|adopted| *adopted)
            .count();
        push(&adopted_count, adopted_measures as f64);
        for (flag, adopted) in flags.iter().zip(totals.adopted()) {
            push(flag, f64::from(u8::from(adopted)));
        }
    }
    Ok(observations)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn reads_measure_numbers_and_platforms() {
        assert_eq!(
            measure_number("1.4.3 - pagoPA - Comuni - Settembre 2022").as_deref(),
            Some("1.4.3")
        );
        assert_eq!(
            measure_number("1.2 Abilitazione e facilitazione migrazione al Cloud").as_deref(),
            Some("1.2")
        );
        assert_eq!(measure_number("Avviso"), None);
        assert_eq!(
            platform_of("1.4.3", "1.4.3 - app IO - Comuni - Aprile 2022"),
            Some("app_io")
        );
        assert_eq!(
            platform_of("1.4.3", "1.4.3 - pagoPA - Comuni - Aprile 2022"),
            Some("pagopa")
        );
        assert_eq!(
            platform_of("1.4.4", "1.4.4 Adozione SPID CIE  - Comuni - Aprile 2022"),
            Some("spid_cie")
        );
        assert_eq!(
            platform_of("1.4.4", "1.4.4 Adozione ANPR ANSC - Comuni - luglio 2024"),
            Some("anpr_ansc")
        );
        assert_eq!(platform_of("1.2", "1.2 pagoPA"), None);
    }

    // On the real public files in ../shared/data (see its README).
    use crate::source::read::testing::{file, ingest, shared_data};
    use crate::source::result::Ingested;
    use std::path::Path;

    const VAL_D_ENZA: [&str; 8] = [
        "035004", "035010", "035017", "035018", "035022", "035027", "035038", "035039",
    ];

    fn padigitale(data: &Path, files: &[&str]) -> Ingested {
        let source = PadigitaleSource {
            locations: files
                .iter()
                .map(|f| file(data, &format!("padigitale2026/{f}")))
                .collect(),
            period: None,
            snapshot: None,
            title: "PA digitale 2026".into(),
            complete_for: None,
        };
        ingest(|context| source.ingest("pnrr", context))
    }

    fn periods(ingested: &Ingested) -> BTreeSet<String> {
        ingested
            .observations
            .iter()
            .map(|o| o.period.to_string())
            .collect()
    }

    #[test]
    #[cfg_attr(
        shared_data_absent,
        ignore = "skipped: ../shared/data (the real public files) is absent"
    )]
    fn a_snapshot_is_dated_by_the_month_of_its_latest_date() {
        let Some(data) = shared_data() else {
            return;
        };
        let mut source = PadigitaleSource {
            locations: vec![file(
                &data,
                "padigitale2026/candidature_finanziate_145.2023-12.csv",
            )],
            period: None,
            snapshot: Some(Snapshot::Month),
            title: "PA digitale 2026".into(),
            complete_for: None,
        };
        let mut ingested = ingest(|context| source.ingest("pnrr", context));
        source.derive("pnrr", &mut ingested, "2026-12-01").unwrap();
        assert_eq!(periods(&ingested), BTreeSet::from(["2023-12".to_owned()]));
        let dated = ingested.dated.clone().unwrap();
        assert!(
            dated.starts_with("Data di riferimento dei valori: ")
                && dated.contains(" dicembre 2023 ("),
            "{dated}"
        );
        assert!(dated.contains("serie mensile"), "{dated}");
        source.snapshot = Some(Snapshot::Day);
        let mut ingested = ingest(|context| source.ingest("pnrr", context));
        source.derive("pnrr", &mut ingested, "2026-12-01").unwrap();
        let day = periods(&ingested).into_iter().next().unwrap();
        assert!(day.starts_with("2023-12-") && day.len() == 10, "{day}");
    }

    #[test]
    fn a_snapshot_without_dates_is_dated_by_the_day_it_was_read() {
        let folder = tempfile::tempdir().unwrap();
        let header = "codice_ipa,ente,tipologia_ente,comune,cod_comune,provincia,cod_provincia,regione,cod_regione,importo_finanziamento,avviso,data_invio_candidatura,data_finanziamento,codice_cup,numero_finestra_temporale,numero_di_protocollo,decreto_finanziamento,stato_candidatura,data_stato_candidatura,misura";
        let row = "c_a850,Comune di Bibbiano,Comuni,Bibbiano,035004,RE,035,Emilia-Romagna,08,32589.0,1.4.5 'Piattaforma Notifiche Digitali' Comuni (Settembre 2022),,,C61F22003310006,1,131,Decreto n.131 - 1 / 2022 - PNRR,A,,1.4.5 Digitalizzazione degli avvisi pubblici";
        let path = folder.path().join("candidature_finanziate_145.csv");
        fs_err::write(&path, format!("{header}\n{row}\n")).unwrap();
        let mut source = PadigitaleSource {
            locations: vec![Location::File(path)],
            period: None,
            snapshot: None,
            title: "PA digitale 2026".into(),
            complete_for: None,
        };
        let mut ingested = ingest(|context| source.ingest("pnrr", context));
        source.derive("pnrr", &mut ingested, "2026-12-01").unwrap();
        let codes: Vec<&str> = ingested.findings.iter().map(|f| f.rule.as_str()).collect();
        assert!(codes.contains(&"missing_period"), "{codes:?}");
        source.snapshot = Some(Snapshot::Day);
        let mut ingested = ingest(|context| source.ingest("pnrr", context));
        source.derive("pnrr", &mut ingested, "2026-12-01").unwrap();
        assert_eq!(
            periods(&ingested),
            BTreeSet::from(["2026-12-01".to_owned()])
        );
        assert!(ingested.dated.unwrap().contains("scaricati o letti"));
    }

    #[test]
    #[cfg_attr(
        shared_data_absent,
        ignore = "skipped: ../shared/data (the real public files) is absent"
    )]
    fn every_row_of_the_pa_digitale_files_is_used_or_reported() {
        let Some(data) = shared_data() else {
            return;
        };
        for name in [
            "candidature_finanziate_11.csv",
            "candidature_finanziate_12.csv",
            "candidature_finanziate_131.csv",
            "candidature_finanziate_141.csv",
            "candidature_finanziate_143.csv",
            "candidature_finanziate_144.csv",
            "candidature_finanziate_145.csv",
            "candidature_finanziate_145.2023-12.csv",
            "candidature_altrienti_finanziate.csv",
        ] {
            let ingested = padigitale(&data, &[name]);
            let read = ingested.read[0].rows;
            let reported: Vec<usize> = ingested.findings.iter().filter_map(|f| f.row).collect();
            let mut accounted: Vec<usize> = rows(applications(&ingested).unwrap())
                .unwrap()
                .map(|p| p.row)
                .chain(reported.iter().copied())
                .collect();
            accounted.sort_unstable();
            accounted.dedup();
            assert_eq!(
                accounted.len(),
                read,
                "{name}: {read} rows, {} accounted for",
                accounted.len()
            );
            assert!(
                ingested
                    .findings
                    .iter()
                    .all(|f| f.severity == crate::finding::Severity::Warning),
                "{name}: {:#?}",
                ingested
                    .findings
                    .iter()
                    .filter(|f| f.severity == crate::finding::Severity::Error)
                    .take(3)
                    .collect::<Vec<_>>()
            );
            // Rows without a comune code are reported by row; nothing else is dropped.
            assert!(
                ingested
                    .findings
                    .iter()
                    .filter(|f| f.row.is_some())
                    .all(|f| f.rule == "no_comune_code"),
                "{name}"
            );
        }
        // The 1.2 file of 2023 has no status date and its body type at the end: read by name.
        let cloud = padigitale(&data, &["candidature_finanziate_12.csv"]);
        assert!(
            cloud.findings.iter().any(|f| f.rule == "missing_column"
                && f.column.as_deref() == Some("data_stato_candidatura"))
        );
        assert!(
            rows(applications(&cloud).unwrap())
                .unwrap()
                .any(|p| p.comune_body && p.measure == "1.2")
        );
    }

    #[test]
    #[cfg_attr(
        shared_data_absent,
        ignore = "skipped: ../shared/data (the real public files) is absent"
    )]
    fn the_two_snapshots_of_measure_1_4_5_show_the_growth_in_val_d_enza() {
        let Some(data) = shared_data() else {
            return;
        };
        fn of_union(ingested: &Ingested) -> Vec<ApplicationRow<'_>> {
            rows(applications(ingested).unwrap())
                .unwrap()
                .filter(|p| VAL_D_ENZA.contains(&p.comune))
                .collect()
        }
        let older = padigitale(&data, &["candidature_finanziate_145.2023-12.csv"]);
        let older = of_union(&older);
        let newer = padigitale(&data, &["candidature_finanziate_145.csv"]);
        let newer = of_union(&newer);
        // December 2023: one application per comune, from the September 2022 call; August 2026:
        // a second one each, from the May 2024 call.
        assert_eq!(older.len(), 8);
        assert_eq!(newer.len(), 16);
        let comuni = |projects: &[ApplicationRow]| {
            projects
                .iter()
                .map(|p| p.comune)
                .collect::<std::collections::BTreeSet<_>>()
                .len()
        };
        assert_eq!((comuni(&older), comuni(&newer)), (8, 8));
        assert!(newer.iter().any(|p| p.call.contains("maggio 2024")));
        assert!(!older.iter().any(|p| p.call.contains("maggio 2024")));
    }
}
