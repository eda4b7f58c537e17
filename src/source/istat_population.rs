//! The `istat_population` source kind: resident population by comune in ISTAT's native
//! layouts. Two are recognised from the header: the POSAS file (single year of age, sex and
//! marital status, a title line first, `Età` 999 the comune's total) giving total, female,
//! male and 18-and-over; and the `pro_com_t,<12,>=12,totale` file (codes without leading
//! zeros) giving total, under 12 and 12-and-over.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::error::{ConfigProblem, Result};
use crate::fetch::HttpSpec;
use crate::observation::{Observation, Origin};
use crate::source::{self, IngestContext, Ingested, Location, Paths, SourceSpec};
use crate::spec::Item;
use crate::table::{Delimited, TextTable};
use crate::territory::normalize_comune_code;
use crate::text::{self, DecimalMark, Encoding};
use crate::validate::Finding;

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct IstatPopulationSpec {
    /// Path relative to the pipeline file's folder; or give `url`.
    pub file: Option<Spanned<String>>,
    /// Where to download the data from, through the cache; or give `file`.
    pub url: Option<Spanned<String>>,
    /// How the `url` is fetched: timeouts, retries, checksum, size and shrink limits.
    pub http: Option<HttpSpec>,
    pub title: Option<String>,
    /// Default `auto`: ISTAT alternates Windows-1252 and UTF-8 across years.
    pub encoding: Option<Encoding>,
    /// The reference year. Required for layouts that do not say it (`pro_com_t,...`); for
    /// POSAS it is read from the title line ("al 1° gennaio 2025") when not given.
    pub period: Option<String>,
}

#[derive(Debug, Clone)]
pub struct IstatPopulationSource {
    pub location: Location,
    pub title: Option<String>,
    pub encoding: Encoding,
    pub period: Option<String>,
}

/// Measures this kind produces, with what each counts.
pub const MEASURES: &[(&str, &str)] = &[
    ("population_total", "residenti totali"),
    ("population_female", "residenti femmine"),
    ("population_male", "residenti maschi"),
    ("population_18_and_over", "residenti di 18 anni e più"),
    ("population_under_12", "residenti con meno di 12 anni"),
    ("population_12_and_over", "residenti di 12 anni e più"),
];

const UNIT: &str = "abitanti";
/// POSAS marks the comune's total row with this age.
const TOTAL_AGE: i64 = 999;

impl IstatPopulationSource {
    pub fn check(
        item: &Item<SourceSpec>,
        spec: &IstatPopulationSpec,
        base: &Paths,
    ) -> std::result::Result<Self, Vec<ConfigProblem>> {
        let location = source::locate(
            item,
            "istat_population",
            spec.file.as_ref(),
            spec.url.as_ref(),
            spec.http.as_ref(),
            base,
        )?;
        Ok(IstatPopulationSource {
            location,
            title: spec.title.clone(),
            encoding: spec.encoding.unwrap_or(Encoding::Auto),
            period: spec.period.clone(),
        })
    }

    pub fn ingest(&self, name: &str, context: &IngestContext) -> Result<Ingested> {
        let mut ingested = Ingested::default();
        let mut loaded = context.load(name, &self.location)?;
        if let Some(text) = source::decode(&loaded, self.encoding, &mut ingested.findings) {
            loaded.read.rows = self.read(&loaded.label, &text, &mut ingested);
        }
        ingested.read.push(loaded.read);
        Ok(ingested)
    }

    /// Reads decoded text into observations; returns the rows read.
    fn read(&self, file_label: &str, text: &str, ingested: &mut Ingested) -> usize {
        let Some((header_line, separator, layout)) = sniff(text) else {
            ingested.findings.push(
                Finding::error(
                    "unknown_layout",
                    "not an ISTAT population layout: expected a header with `pro_com_t` (population by comune) \
                     or with `Codice comune`, `Età`, `Totale maschi`, `Totale femmine` (POSAS) in the first lines",
                )
                .in_file(file_label),
            );
            return 0;
        };
        let period = match (&self.period, layout) {
            (Some(period), _) => period.clone(),
            (None, Layout::Posas) => match year_from_title(text, header_line) {
                Some(year) => year,
                None => {
                    ingested.findings.push(
                        Finding::error(
                            "missing_period",
                            "the title line does not say the reference date (\"al 1° gennaio YYYY\"): give `period` in the pipeline file",
                        )
                        .in_file(file_label),
                    );
                    return 0;
                }
            },
            (None, Layout::ByComune) => {
                ingested.findings.push(
                    Finding::error(
                        "missing_period",
                        "this layout does not say its reference date: give `period = \"2021\"` in the pipeline file",
                    )
                    .in_file(file_label),
                );
                return 0;
            }
        };
        let layout_options = Delimited {
            separator,
            skip_lines: header_line,
            footer_lines: 0,
        };
        let Some(table) =
            source::parse_table(file_label, text, layout_options, &mut ingested.findings)
        else {
            return 0;
        };
        let source_label = self
            .title
            .clone()
            .unwrap_or_else(|| format!("ISTAT, popolazione residente al 1° gennaio {period}"));
        let reader = Reader {
            file: Arc::from(file_label),
            table: &table,
            period: &period,
            source: &source_label,
            shared: RefCell::default(),
        };
        match layout {
            Layout::ByComune => reader.by_comune(file_label, ingested),
            Layout::Posas => reader.posas(file_label, ingested),
        }
        table.row_count()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// `pro_com_t,<12,>=12,totale`
    ByComune,
    /// "Codice comune";"Comune";"Età";...;"Totale maschi";...;"Totale femmine";"Totale"
    Posas,
}

/// Finds the header line among the first lines, its separator and the layout.
fn sniff(text: &str) -> Option<(usize, u8, Layout)> {
    for (index, line) in text.lines().take(10).enumerate() {
        let normalized = text::normalize_header(line).replace('"', "");
        let layout = if normalized.starts_with("pro_com_t") {
            Layout::ByComune
        } else if normalized.contains("codice comune") && normalized.contains("totale maschi") {
            Layout::Posas
        } else {
            continue;
        };
        let separator = if line.matches(';').count() > line.matches(',').count() {
            b';'
        } else {
            b','
        };
        return Some((index, separator, layout));
    }
    None
}

/// "Popolazione residente ... al 1° gennaio 2025" -> "2025".
fn year_from_title(text: &str, header_line: usize) -> Option<String> {
    text.lines().take(header_line).find_map(|line| {
        let lower = line.to_lowercase();
        let position = lower.find("gennaio")?;
        let year: String = lower[position + "gennaio".len()..]
            .trim_start()
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        (year.len() == 4).then_some(year)
    })
}

struct Reader<'a> {
    file: Arc<str>,
    table: &'a TextTable,
    period: &'a str,
    source: &'a str,
    shared: RefCell<crate::observation::Shared>,
}

impl Reader<'_> {
    fn number(
        &self,
        column: usize,
        row: usize,
        header: &str,
        findings: &mut Vec<Finding>,
    ) -> Option<f64> {
        let raw = self.table.cell(column, row);
        match raw.and_then(|raw| text::parse_number(raw, DecimalMark::Point)) {
            Some(value) if value >= 0.0 && value.fract() == 0.0 => Some(value),
            _ => {
                findings.push(
                    Finding::error(
                        "not_a_count",
                        "not a count of residents (a whole number, zero or more)",
                    )
                    .in_file(self.file.as_ref())
                    .at_row(row + 1)
                    .in_column(header)
                    .with_value(raw.unwrap_or_default()),
                );
                None
            }
        }
    }

    fn code(
        &self,
        column: usize,
        row: usize,
        header: &str,
        findings: &mut Vec<Finding>,
    ) -> Option<String> {
        let raw = self.table.cell(column, row);
        let code = raw.and_then(normalize_comune_code);
        if code.is_none() {
            findings.push(
                Finding::error(
                    "not_a_comune_code",
                    "not an ISTAT comune code (up to six digits)",
                )
                .in_file(self.file.as_ref())
                .at_row(row + 1)
                .in_column(header)
                .with_value(raw.unwrap_or_default()),
            );
        }
        code
    }

    fn observation(
        &self,
        territory: &str,
        measure: &str,
        value: f64,
        row: usize,
        territory_column: &Arc<str>,
    ) -> Observation {
        let mut shared = self.shared.borrow_mut();
        Observation {
            territory: shared.territory(territory),
            measure: shared.get(measure),
            period: shared.get(self.period),
            value,
            unit: shared.get(UNIT),
            source: shared.get(self.source),
            origin: Origin::new(&shared.place(&self.file, territory_column), row + 1),
        }
    }

    fn by_comune(&self, label: &str, ingested: &mut Ingested) {
        let wanted = ["pro_com_t", "<12", ">=12", "totale"];
        let indexes = match source::find_columns(label, self.table, &wanted) {
            Ok(indexes) => indexes,
            Err(findings) => {
                ingested.findings.extend(findings);
                return;
            }
        };
        let territory_column: Arc<str> = Arc::from("pro_com_t");
        let measures = [
            (indexes[1], "<12", "population_under_12"),
            (indexes[2], ">=12", "population_12_and_over"),
            (indexes[3], "totale", "population_total"),
        ];
        for row in 0..self.table.row_count() {
            let Some(code) = self.code(indexes[0], row, "pro_com_t", &mut ingested.findings) else {
                continue;
            };
            let values: Vec<Option<f64>> = measures
                .iter()
                .map(|(column, header, _)| {
                    self.number(*column, row, header, &mut ingested.findings)
                })
                .collect();
            if let [Some(under), Some(over), Some(total)] = values[..]
                && under + over != total
            {
                ingested.findings.push(
                    Finding::error(
                        "inconsistent_total",
                        format!("<12 + >=12 = {} but totale = {total}", under + over),
                    )
                    .in_file(self.file.as_ref())
                    .at_row(row + 1)
                    .in_column("totale"),
                );
            }
            for ((_, _, measure), value) in measures.iter().zip(values) {
                if let Some(value) = value {
                    ingested.observations.push(self.observation(
                        &code,
                        measure,
                        value,
                        row,
                        &territory_column,
                    ));
                }
            }
        }
    }

    fn posas(&self, label: &str, ingested: &mut Ingested) {
        let wanted = ["Codice comune", "Età", "Totale maschi", "Totale femmine"];
        let indexes = match source::find_columns(label, self.table, &wanted) {
            Ok(indexes) => indexes,
            Err(findings) => {
                ingested.findings.extend(findings);
                return;
            }
        };
        let territory_column: Arc<str> = Arc::from("Codice comune");
        #[derive(Default)]
        struct Sums {
            male: f64,
            female: f64,
            adults: f64,
            first_row: usize,
            stated_total: Option<(f64, usize)>,
        }
        let mut by_comune: BTreeMap<String, Sums> = BTreeMap::new();
        for row in 0..self.table.row_count() {
            let Some(code) = self.code(indexes[0], row, "Codice comune", &mut ingested.findings)
            else {
                continue;
            };
            let Some(age) = self.number(indexes[1], row, "Età", &mut ingested.findings) else {
                continue;
            };
            let male = self.number(indexes[2], row, "Totale maschi", &mut ingested.findings);
            let female = self.number(indexes[3], row, "Totale femmine", &mut ingested.findings);
            let (Some(male), Some(female)) = (male, female) else {
                continue;
            };
            let sums = by_comune.entry(code).or_insert_with(|| Sums {
                first_row: row,
                ..Sums::default()
            });
            // The total row repeats the sum of the ages: counting it would double the comune.
            if age as i64 == TOTAL_AGE {
                sums.stated_total = Some((male + female, row));
                continue;
            }
            sums.male += male;
            sums.female += female;
            if age >= 18.0 {
                sums.adults += male + female;
            }
        }
        for (code, sums) in by_comune {
            let total = sums.male + sums.female;
            if let Some((stated, row)) = sums.stated_total
                && stated != total
            {
                ingested.findings.push(
                    Finding::error(
                        "inconsistent_total",
                        format!("the ages add up to {total} residents but the total row (Età 999) says {stated}"),
                    )
                    .in_file(self.file.as_ref())
                    .at_row(row + 1),
                );
            }
            for (measure, value) in [
                ("population_total", total),
                ("population_female", sums.female),
                ("population_male", sums.male),
                ("population_18_and_over", sums.adults),
            ] {
                ingested.observations.push(self.observation(
                    &code,
                    measure,
                    value,
                    sums.first_row,
                    &territory_column,
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_both_layouts() {
        assert_eq!(
            sniff("pro_com_t,<12,>=12,totale\n1001,1,2,3\n"),
            Some((0, b',', Layout::ByComune))
        );
        let posas = "\"Popolazione residente al 1° gennaio 2025\"\n\"Codice comune\";\"Comune\";\"Età\";\"Totale maschi\";\"Totale femmine\";\"Totale\"\n";
        assert_eq!(sniff(posas), Some((1, b';', Layout::Posas)));
        assert_eq!(year_from_title(posas, 1).as_deref(), Some("2025"));
        assert_eq!(sniff("a,b,c\n"), None);
    }
}
