//! The `padigitale` source kind: the PA digitale 2026 (PNRR) funded-project files published by
//! the Department for Digital Transformation (`candidature_finanziate_<misura>.csv`,
//! `candidature_altrienti_finanziate.csv`). Columns are mapped by name, because they differ
//! between measures and years; every row is used or reported with its reason. Per comune the
//! source gives funding, renounced amounts, projects and which measures were adopted.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::error::{ConfigProblem, Result};
use crate::fetch::HttpSpec;
use crate::observation::{Observation, Origin};
use crate::source::{self, ComuneDefault, IngestContext, Ingested, Location, Paths, SourceSpec};
use crate::spec::Item;
use crate::table::{Delimited, Table, TableName};
use crate::territory::{Level, level_of_istat_code};
use crate::text::{self, DecimalMark, Encoding};
use crate::validate::Finding;

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct PadigitaleSpec {
    /// Files relative to the pipeline file's folder.
    #[serde(default)]
    pub files: Vec<Spanned<String>>,
    /// URLs of the files, fetched through the cache.
    #[serde(default)]
    pub urls: Vec<Spanned<String>>,
    pub http: Option<HttpSpec>,
    /// The date the data are as of (`2026-08-22`); default the latest date in the files.
    pub period: Option<String>,
    pub title: Option<String>,
    /// The comuni (or unions) whose rows the files hold completely, when the files are an
    /// excerpt; by default they are the publisher's whole files, and a comune without rows
    /// had no funding.
    pub complete_for: Option<Vec<String>>,
}

#[derive(Debug, Clone)]
pub struct PadigitaleSource {
    pub locations: Vec<Location>,
    pub period: Option<String>,
    pub title: String,
    pub complete_for: Option<Vec<String>>,
}

/// The status of a funded application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Status {
    /// A: funding assigned.
    Assigned,
    /// R: renounced by the body.
    Renounced,
    /// E: paid out after the project was certified.
    Paid,
}

impl Status {
    fn parse(code: &str) -> Option<Status> {
        match code {
            "A" => Some(Status::Assigned),
            "R" => Some(Status::Renounced),
            "E" => Some(Status::Paid),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Status::Assigned => "A",
            Status::Renounced => "R",
            Status::Paid => "E",
        }
    }

    pub fn label_it(self) -> &'static str {
        match self {
            Status::Assigned => "finanziato",
            Status::Renounced => "rinunciato",
            Status::Paid => "erogato",
        }
    }

    fn funded(self) -> bool {
        matches!(self, Status::Assigned | Status::Paid)
    }
}

/// The funded applications read, one row each: the columns of the published `pnrr_projects`
/// table (`schemas/pnrr_projects.json`) and `comune_body`, whether the applicant is the comune's
/// own administration. Kept as columns from the files to the published table: a national
/// file set is tens of thousands of rows, and grown inputs millions.
#[derive(Debug, Clone)]
pub struct Projects {
    table: Table,
}

/// One application, borrowed from [`Projects`].
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectRow<'a> {
    pub comune: &'a str,
    /// "1.4.4"
    pub measure: &'a str,
    /// For measures with several platforms: `pagopa`, `app_io`, `spid_cie`, `anpr_ansc`.
    pub platform: Option<&'a str>,
    pub call: &'a str,
    pub amount: f64,
    pub status: Status,
    pub status_date: Option<&'a str>,
    pub funded_on: Option<&'a str>,
    pub comune_body: bool,
    /// 1-based data row of its file.
    pub row: usize,
}

/// The flag column that is not published.
const COMUNE_BODY: &str = "comune_body";

impl Default for Projects {
    fn default() -> Self {
        Projects::from_columns(Columns::default())
    }
}

impl Projects {
    fn from_columns(columns: Columns) -> Projects {
        let Columns {
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
        let table = Table::new(TableName::PnrrProjects)
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
            .flag(COMUNE_BODY, comune_body);
        Projects { table }
    }

    pub fn len(&self) -> usize {
        self.table.row_count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The applications one by one.
    pub fn rows(&self) -> Result<impl Iterator<Item = ProjectRow<'_>>> {
        let table = &self.table;
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
        let (comune_body, row) = (table.flags(COMUNE_BODY)?, table.integers("source_row")?);
        Ok((0..self.len()).map(move |at| ProjectRow {
            comune: comune.get(at).unwrap_or_default(),
            measure: measure.get(at).unwrap_or_default(),
            platform: platform.get(at),
            call: call.get(at).unwrap_or_default(),
            amount: amount.get(at).unwrap_or_default(),
            status: status
                .get(at)
                .and_then(Status::parse)
                .unwrap_or(Status::Assigned),
            status_date: status_date.get(at),
            funded_on: funded_on.get(at),
            comune_body: comune_body.get(at).unwrap_or_default(),
            row: usize::try_from(row.get(at).unwrap_or_default()).unwrap_or_default(),
        }))
    }

    /// The applications of several files or sources, one after the other.
    pub fn concat(parts: Vec<Projects>) -> Result<Projects> {
        if parts.is_empty() {
            return Ok(Projects::default());
        }
        let tables: Vec<Table> = parts.into_iter().map(|p| p.table).collect();
        Ok(Projects {
            table: Table::concat(tables)?,
        })
    }

    /// Gives each application's comune the code `renamed` returns for it, if any.
    pub fn rename_comuni(&mut self, mut renamed: impl FnMut(&str) -> Option<String>) -> Result<()> {
        // The column's arrays are shared, not copied: the table is replaced below.
        let codes = self.table.texts("territory")?.clone();
        let targets: Vec<Option<String>> = codes
            .iter()
            .map(|code| code.and_then(&mut renamed))
            .collect();
        if targets.iter().all(Option::is_none) {
            return Ok(());
        }
        let values = codes
            .iter()
            .zip(&targets)
            .map(|(code, target)| target.as_deref().or(code));
        self.table.replace_text("territory", values)
    }

    /// The applications of the comuni `keep` accepts, in their published order: comune,
    /// measure, applicant, file and row. Takes the applications, so that only one copy of a
    /// grown national table is held at a time.
    pub fn of_comuni(self, keep: impl Fn(&str) -> bool) -> Result<Projects> {
        let kept: Vec<bool> = self
            .table
            .texts("territory")?
            .iter()
            .map(|code| code.is_some_and(&keep))
            .collect();
        let all = self.table;
        let table = if kept.iter().all(|keep| *keep) {
            all
        } else {
            let filtered = all.filter(kept)?;
            drop(all);
            filtered
        };
        Ok(Projects {
            table: table.sorted_by(&[
                "territory",
                "measure",
                "ipa_code",
                "source_file",
                "source_row",
            ])?,
        })
    }

    /// The published `pnrr_projects` table.
    pub fn table(&self) -> Table {
        self.table.without(COMUNE_BODY)
    }

    /// The applications with the flags that are not published, to keep for the next run.
    pub fn kept_table(&self) -> Table {
        self.table.clone()
    }

    /// Reads back the Parquet bytes of [`Projects::kept_table`]; `label` names them in errors.
    pub fn read(bytes: Vec<u8>, label: &str) -> Result<Projects> {
        let table = Table::read_parquet(TableName::PnrrProjects, bytes, label)?;
        Projects::default()
            .table
            .columns
            .iter()
            .try_for_each(|column| match table.column(&column.name) {
                Some(_) => Ok(()),
                None => Err(crate::error::Error::table(
                    format!("reading {label}"),
                    format!("no column `{}`", column.name),
                )),
            })?;
        Ok(Projects { table })
    }
}

/// Up to this many bytes of local files are read side by side.
const SIDE_BY_SIDE_BYTES: u64 = 512 * 1024 * 1024;

/// The applications of one file, with the file's name as findings give it.
type FileProjects = (Arc<str>, Projects);

/// The columns of [`Projects`] while a file is read, borrowing its cells.
#[derive(Default)]
struct Columns<'a> {
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
    status: Vec<Status>,
    status_date: Vec<Option<&'a str>>,
    source_file: Vec<&'a str>,
    source_row: Vec<i64>,
    comune_body: Vec<bool>,
}

/// Columns as the format descriptions name them.
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
pub const FLAG_UNIT: &str = "sì (1) / no (0)";
/// The number of measures open to comuni that a comune adopted.
pub const MEASURES_ADOPTED: &str = "pnrr_measures_adopted";

/// The yes/no measures that [`MEASURES_ADOPTED`] counts.
pub fn counted_measures() -> impl Iterator<Item = &'static str> {
    COMUNE_MEASURES.iter().map(|(_, name)| *name)
}

/// Platforms within a measure, recognised from the call's title.
const PLATFORMS: &[(&str, &[&str], &str)] = &[
    ("pagopa", &["pagopa"], "pnrr_adopted_pagopa"),
    ("app_io", &["app io", "appio"], "pnrr_adopted_app_io"),
    ("spid_cie", &["spid", "cie"], "pnrr_adopted_spid_cie"),
    ("anpr_ansc", &["anpr", "ansc"], "pnrr_adopted_anpr_ansc"),
];

/// Every measure this kind gives per comune, with its unit and whether a comune without rows
/// has 0 (all but the number of measures open).
pub fn measures() -> Vec<(&'static str, &'static str)> {
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
    pub fn check(
        item: &Item<SourceSpec>,
        spec: &PadigitaleSpec,
        base: &Paths,
    ) -> std::result::Result<Self, Vec<ConfigProblem>> {
        let mut problems = Vec::new();
        let mut locations = Vec::new();
        for file in &spec.files {
            match source::resolve_path(item, "padigitale.files", file, base, false) {
                Ok(path) => locations.push(Location::File(path)),
                Err(problem) => problems.push(problem),
            }
        }
        for url in &spec.urls {
            match source::remote(item, "padigitale", url, spec.http.as_ref()) {
                Ok(remote) => locations.push(Location::Url(remote)),
                Err(url_problems) => problems.extend(url_problems),
            }
        }
        if spec.files.is_empty() && spec.urls.is_empty() {
            problems.push(
                item.problem("list the funded-project files in `files = [...]` or `urls = [...]`"),
            );
        }
        if spec.http.is_some() && spec.urls.is_empty() {
            problems.push(
                item.problem("`padigitale.http` sets how `urls` are fetched, and there are none"),
            );
        }
        if let Some(period) = &spec.period
            && !crate::text::is_iso_date(period)
        {
            problems.push(item.problem(format!(
                "`period` = {period:?} is not a date like 2026-08-22"
            )));
        }
        if problems.is_empty() {
            Ok(PadigitaleSource {
                locations,
                period: spec.period.clone(),
                complete_for: spec.complete_for.clone(),
                title: spec.title.clone().unwrap_or_else(|| {
                    "Dipartimento per la trasformazione digitale, PA digitale 2026: candidature finanziate (CC BY 4.0)".to_owned()
                }),
            })
        } else {
            Err(problems)
        }
    }

    pub fn ingest(&self, name: &str, context: &IngestContext) -> Result<Ingested> {
        let mut ingested = Ingested::default();
        let layout = Delimited {
            separator: b',',
            skip_lines: 0,
            footer_lines: 0,
        };
        // Each file on its own, side by side when they are local files (URLs are fetched one
        // at a time); what each gave is put together in the order of the list.
        let read_one = |location: &Location| -> Result<(Ingested, Option<FileProjects>)> {
            let mut part = Ingested::default();
            let read =
                source::read_table(context, name, location, Encoding::Utf8, layout, &mut part)?;
            let file = read.map(|(table, label)| {
                let projects = read_file(&table, &label, &mut part.findings);
                (Arc::from(label.as_str()), projects)
            });
            Ok((part, file))
        };
        // Reading a file holds its text and its parsed cells, several times its size: files
        // are read side by side while together they are small, one at a time beyond (the
        // national files are a few megabytes each; grown a hundred times, hundreds).
        let mut local_bytes = Some(0u64);
        for location in &self.locations {
            local_bytes = match (local_bytes, location) {
                (Some(sum), Location::File(path)) => {
                    fs_err::metadata(path).ok().map(|m| sum + m.len())
                }
                _ => None,
            };
        }
        let side_by_side = local_bytes.is_some_and(|bytes| bytes <= SIDE_BY_SIDE_BYTES);
        let parts = crate::parallel::map(&self.locations, side_by_side, read_one);
        let mut files: Vec<FileProjects> = Vec::new();
        for part in parts {
            let (part, file) = part?;
            ingested.findings.extend(part.findings);
            ingested.read.extend(part.read);
            files.extend(file);
        }
        let period = match &self.period {
            Some(period) => period.clone(),
            None => {
                let mut latest: Option<String> = None;
                for (_, projects) in &files {
                    for row in projects.rows()? {
                        for date in [row.funded_on, row.status_date].into_iter().flatten() {
                            if latest.as_deref().is_none_or(|l| date > l) {
                                latest = Some(date.to_owned());
                            }
                        }
                    }
                }
                match latest {
                    Some(latest) => latest,
                    None => {
                        if files.iter().any(|(_, p)| !p.is_empty()) {
                            ingested.findings.push(Finding::error(
                                "missing_period",
                                format!("source `{name}`: no dates in the files; give `period = \"YYYY-MM-DD\"`"),
                            ));
                        }
                        return Ok(ingested);
                    }
                }
            }
        };
        ingested.observations = per_comune(&files, &period, &self.title)?;
        let unit_of: BTreeMap<&str, &str> = measures().into_iter().collect();
        ingested.comune_defaults = unit_of
            .iter()
            .map(|(measure, unit)| ComuneDefault {
                measure: (*measure).to_owned(),
                period: period.clone(),
                value: 0.0,
                unit: (*unit).to_owned(),
                source: self.title.clone(),
                scope: self.complete_for.clone(),
            })
            .collect();
        ingested.comune_defaults.push(ComuneDefault {
            measure: "pnrr_measures_open".to_owned(),
            period: period.clone(),
            value: COMUNE_MEASURES.len() as f64,
            unit: "misure".to_owned(),
            source: self.title.clone(),
            scope: self.complete_for.clone(),
        });
        ingested.pnrr_projects =
            Projects::concat(files.into_iter().map(|(_, projects)| projects).collect())?;
        Ok(ingested)
    }
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

/// Reads one file's rows; each row becomes a project or a finding that says why not.
fn read_file(
    table: &crate::table::TextTable,
    label: &str,
    findings: &mut Vec<Finding>,
) -> Projects {
    let headers: Vec<String> = table
        .headers()
        .iter()
        .map(|h| text::normalize_header(h))
        .collect();
    let index = |name: &str| headers.iter().position(|h| h == name);
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|name| index(name).is_none())
        .collect();
    for name in &missing {
        findings.push(
            Finding::error(
                "missing_column",
                format!("required column `{name}` is missing: no row of the file can be used"),
            )
            .in_file(label)
            .in_column(*name),
        );
    }
    if !missing.is_empty() {
        return Projects::default();
    }
    for name in &OPTIONAL {
        if index(name).is_none() && !(*name == "misura" || *name == "tipologia_ente") {
            findings.push(
                Finding::warning(
                    "missing_column",
                    format!("column `{name}` is not in this file's layout"),
                )
                .in_file(label)
                .in_column(*name),
            );
        }
    }
    for header in &headers {
        if !REQUIRED.contains(&header.as_str())
            && !OPTIONAL.contains(&header.as_str())
            && !KNOWN_UNUSED.contains(&header.as_str())
        {
            findings.push(
                Finding::warning(
                    "unknown_column",
                    "a column the format descriptions do not list; ignored",
                )
                .in_file(label)
                .in_column(header.as_str()),
            );
        }
    }
    let column = |name: &str| index(name);
    let [ipa, body, comune, amount, call, status] =
        REQUIRED.map(|name| column(name).unwrap_or_default());
    let [
        body_type,
        measure_column,
        funded_on,
        cup,
        status_date,
        _sent,
    ] = OPTIONAL.map(column);
    let cell = |column: Option<usize>, row: usize| column.and_then(|c| table.cell(c, row));
    let file_name = label.rsplit('/').next().unwrap_or(label);
    let mut columns = Columns::default();
    for row in 0..table.row_count() {
        let finding = |rule: &str,
                       severity_error: bool,
                       message: String,
                       column_name: &str,
                       value: Option<&str>| {
            let finding = if severity_error {
                Finding::error(rule, message)
            } else {
                Finding::warning(rule, message)
            };
            let finding = finding
                .in_file(label)
                .at_row(row + 1)
                .in_column(column_name);
            match value {
                Some(value) => finding.with_value(value),
                None => finding,
            }
        };
        let raw_amount = table.cell(amount, row);
        let Some(amount_value) = raw_amount
            .and_then(|raw| text::parse_number(raw, DecimalMark::Point))
            .filter(|v| *v >= 0.0)
        else {
            findings.push(finding(
                "not_an_amount",
                true,
                "not an amount in euro (a number, zero or more)".into(),
                "importo_finanziamento",
                raw_amount,
            ));
            continue;
        };
        let raw_status = table.cell(status, row);
        let Some(status_value) = raw_status.and_then(Status::parse) else {
            findings.push(finding(
                "unknown_status",
                true,
                "stato_candidatura is A (assigned), R (renounced) or E (paid)".into(),
                "stato_candidatura",
                raw_status,
            ));
            continue;
        };
        let call_text = table.cell(call, row).unwrap_or_default();
        let measure = cell(measure_column, row)
            .and_then(measure_number)
            .or_else(|| measure_number(call_text));
        let Some(measure) = measure else {
            findings.push(finding(
                "unknown_measure",
                true,
                "neither `misura` nor `avviso` starts with a measure number such as 1.4.3".into(),
                "avviso",
                Some(call_text),
            ));
            continue;
        };
        let ipa_code = table.cell(ipa, row).unwrap_or_default();
        let type_text = cell(body_type, row);
        let comune_body = match type_text {
            Some(kind) => matches!(kind, "Comune" | "Comuni"),
            // IPA codes of comuni start with c_.
            None => ipa_code.starts_with("c_"),
        };
        let code = table.cell(comune, row).unwrap_or_default();
        if level_of_istat_code(code) != Some(Level::Comune) {
            findings.push(finding(
                "no_comune_code",
                false,
                "no ISTAT comune code: the project is not counted for any comune".into(),
                "cod_comune",
                Some(code),
            ));
            continue;
        }
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
            .push(cell(funded_on, row).filter(|d| crate::text::is_iso_date(d)));
        columns.cup.push(cell(cup, row));
        columns.status.push(status_value);
        columns.status_date.push(
            cell(status_date, row)
                .map(|d| d.char_indices().nth(10).map_or(d, |(end, _)| &d[..end]))
                .filter(|d| crate::text::is_iso_date(d)),
        );
        columns.source_file.push(file_name);
        columns.source_row.push(row as i64 + 1);
    }
    Projects::from_columns(columns)
}

/// The per-comune measures, from the projects of each comune's own administration.
fn per_comune(files: &[FileProjects], period: &str, title: &str) -> Result<Vec<Observation>> {
    #[derive(Default)]
    struct Totals {
        funding: f64,
        renounced: f64,
        projects: f64,
        projects_renounced: f64,
        adopted: BTreeSet<&'static str>,
        first: Option<(Arc<str>, usize)>,
    }
    let mut by_comune: BTreeMap<&str, Totals> = BTreeMap::new();
    let projects = files
        .iter()
        .map(|(file, projects)| Ok(projects.rows()?.map(move |row| (file, row))))
        .collect::<Result<Vec<_>>>()?;
    for (file, project) in projects
        .into_iter()
        .flatten()
        .filter(|(_, p)| p.comune_body)
    {
        let totals = by_comune.entry(project.comune).or_default();
        totals.first.get_or_insert((file.clone(), project.row));
        if project.status.funded() {
            totals.funding += project.amount;
            totals.projects += 1.0;
            if let Some((_, name)) = COMUNE_MEASURES.iter().find(|(m, _)| *m == project.measure) {
                totals.adopted.insert(name);
            }
            if let Some((_, _, name)) = PLATFORMS
                .iter()
                .find(|(p, _, _)| Some(*p) == project.platform)
            {
                totals.adopted.insert(name);
            }
        } else {
            totals.renounced += project.amount;
            totals.projects_renounced += 1.0;
        }
    }
    let column: Arc<str> = Arc::from("cod_comune");
    let per_territory = 5 + COMUNE_MEASURES.len() + PLATFORMS.len();
    let mut shared = crate::observation::Shared::default();
    let (period, title) = (shared.get(period), shared.get(title));
    let mut observations = Vec::with_capacity(by_comune.len() * per_territory);
    for (comune, totals) in by_comune {
        let Some((file, row)) = &totals.first else {
            continue;
        };
        let origin = Origin::new(&shared.place(file, &column), *row);
        let mut push = |measure: &str, value: f64, unit: &str| {
            observations.push(Observation {
                territory: shared.territory(comune),
                measure: shared.get(measure),
                period: Arc::clone(&period),
                value,
                unit: shared.get(unit),
                source: Arc::clone(&title),
                origin: origin.clone(),
            });
        };
        // Amounts are in euro and cents; summing floats must not invent fractions of a cent.
        let cents = |value: f64| (value * 100.0).round() / 100.0;
        push("pnrr_funding_eur", cents(totals.funding), "euro");
        push(
            "pnrr_funding_renounced_eur",
            cents(totals.renounced),
            "euro",
        );
        push("pnrr_projects", totals.projects, "progetti");
        push(
            "pnrr_projects_renounced",
            totals.projects_renounced,
            "progetti",
        );
        let adopted_measures = COMUNE_MEASURES
            .iter()
            .filter(|(_, name)| totals.adopted.contains(name))
            .count();
        push(MEASURES_ADOPTED, adopted_measures as f64, "misure");
        for (_, name) in COMUNE_MEASURES {
            push(
                name,
                f64::from(u8::from(totals.adopted.contains(name))),
                FLAG_UNIT,
            );
        }
        for (_, _, name) in PLATFORMS {
            push(
                name,
                f64::from(u8::from(totals.adopted.contains(name))),
                FLAG_UNIT,
            );
        }
    }
    Ok(observations)
}

#[cfg(test)]
mod tests {
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
}
