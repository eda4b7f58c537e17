//! The `istat_population` source kind: resident population by comune in ISTAT's native
//! layouts. Two are recognised from the header: the POSAS file (single year of age, sex and
//! marital status, a title line first, `Età` 999 the comune's total) giving total, female,
//! male and 18-and-over; and the `pro_com_t,<12,>=12,totale` file (codes without leading
//! zeros) giving total, under 12 and 12-and-over.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::Arc;

use crate::error::{ConfigProblem, Result};
use crate::finding::Finding;
use crate::istat::normalize_comune_code;
use crate::msg;
use crate::plan::{Location, Paths, paths};
use crate::source::read::{self, IngestContext};
use crate::source::result::Ingested;
use crate::source::rows::{Observation, Origin};
use crate::spec::Item;
use crate::spec::SourceSpec;
use crate::spec::source::IstatPopulationSpec;
use crate::table::{Delimited, TextTable};
use crate::text::{self, DecimalMark, Encoding};

#[derive(Debug, Clone)]
pub(crate) struct IstatPopulationSource {
    pub(crate) location: Location,
    pub(crate) title: Option<String>,
    pub(crate) encoding: Encoding,
    pub(crate) period: Option<String>,
}

const UNIT: &str = "abitanti";
/// POSAS marks the comune's total row with this age.
const TOTAL_AGE: i64 = 999;

impl IstatPopulationSource {
    pub(crate) fn check(
        item: &Item<SourceSpec>,
        spec: &IstatPopulationSpec,
        base: &Paths,
    ) -> std::result::Result<Self, Vec<ConfigProblem>> {
        let location = paths::locate(
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

    pub(crate) fn ingest(&self, name: &str, context: &IngestContext) -> Result<Ingested> {
        let mut ingested = Ingested::default();
        let mut loaded = context.load(name, &self.location)?;
        if let Some(text) = read::decode(&loaded, self.encoding, &mut ingested.findings) {
            loaded.read.rows = self.read(&loaded.label, &text, &mut ingested);
        }
        ingested.read.push(loaded.read);
        Ok(ingested)
    }

    /// Reads decoded text into observations; returns the rows read.
    fn read(&self, file_label: &str, text: &str, ingested: &mut Ingested) -> usize {
        let Some((header_line, separator, layout)) = sniff(text) else {
            ingested.findings.push(
                Finding::error("unknown_layout", msg!("unknown_population_layout"))
                    .in_file(file_label),
            );
            return 0;
        };
        let period = match (&self.period, layout) {
            (Some(period), _) => period.clone(),
            (None, PopulationLayout::Posas) => match year_from_title(text, header_line) {
                Some(year) => year,
                None => {
                    ingested.findings.push(
                        Finding::error("missing_period", msg!("missing_period_title"))
                            .in_file(file_label),
                    );
                    return 0;
                }
            },
            (None, PopulationLayout::ByComune) => {
                ingested.findings.push(
                    Finding::error("missing_period", msg!("missing_period_layout"))
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
            read::parse_table(file_label, text, layout_options, &mut ingested.findings)
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
            PopulationLayout::ByComune => reader.by_comune(file_label, ingested),
            PopulationLayout::Posas => reader.posas(file_label, ingested),
        }
        table.row_count()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PopulationLayout {
    /// `pro_com_t,<12,>=12,totale`
    ByComune,
    /// "Codice comune";"Comune";"Età";...;"Totale maschi";...;"Totale femmine";"Totale"
    Posas,
}

/// Finds the header line among the first lines, its separator and the layout.
fn sniff(text: &str) -> Option<(usize, u8, PopulationLayout)> {
    for (index, line) in text.lines().take(10).enumerate() {
        let normalized = text::normalize_header(line).replace('"', "");
        let layout = if normalized.starts_with("pro_com_t") {
            PopulationLayout::ByComune
        } else if normalized.contains("codice comune") && normalized.contains("totale maschi") {
            PopulationLayout::Posas
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
    shared: RefCell<crate::source::rows::Shared>,
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
                    Finding::error("not_a_count", msg!("not_a_count"))
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
                Finding::error("not_a_comune_code", msg!("not_a_comune_code_population"))
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
        let indexes = match read::find_columns(label, self.table, &wanted) {
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
                        msg!(
                            "inconsistent_total_by_age",
                            sum = under + over,
                            total = total
                        ),
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
        let indexes = match read::find_columns(label, self.table, &wanted) {
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
                        msg!("inconsistent_total_posas", total = total, stated = stated),
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
            Some((0, b',', PopulationLayout::ByComune))
        );
        let posas = "\"Popolazione residente al 1° gennaio 2025\"\n\"Codice comune\";\"Comune\";\"Età\";\"Totale maschi\";\"Totale femmine\";\"Totale\"\n";
        assert_eq!(sniff(posas), Some((1, b';', PopulationLayout::Posas)));
        assert_eq!(year_from_title(posas, 1).as_deref(), Some("2025"));
        assert_eq!(sniff("a,b,c\n"), None);
    }

    // On the real public files in ../shared/data (see its README).
    use crate::plan::Location;
    use crate::source::read::testing::{file, ingest, shared_data};
    use crate::text::Encoding;

    #[test]
    #[cfg_attr(
        shared_data_absent,
        ignore = "skipped: ../shared/data (the real public files) is absent"
    )]
    fn the_2021_population_by_comune_parses_completely() {
        let Some(data) = shared_data() else {
            return;
        };
        let source = IstatPopulationSource {
            location: file(&data, "istat/ISTAT_popolazione_2021.csv"),
            title: None,
            encoding: Encoding::Auto,
            period: Some("2021".into()),
        };
        let ingested = ingest(|context| source.ingest("popolazione", context));
        assert!(
            ingested.findings.is_empty(),
            "{:#?}",
            &ingested.findings[..ingested.findings.len().min(5)]
        );
        let totals: Vec<_> = ingested
            .observations
            .iter()
            .filter(|o| &*o.measure == "population_total")
            .collect();
        assert_eq!(totals.len(), 7_903);
        assert_eq!(totals.iter().map(|o| o.value).sum::<f64>(), 59_257_566.0);
        let val_d_enza = [
            "035004", "035010", "035017", "035018", "035022", "035027", "035038", "035039",
        ];
        let union: f64 = totals
            .iter()
            .filter(|o| val_d_enza.contains(&&*o.territory))
            .map(|o| o.value)
            .sum();
        assert_eq!(union, 62_379.0);
        assert!(
            totals
                .iter()
                .all(|o| o.territory.len() == 6 && &*o.period == "2021")
        );
    }

    #[test]
    #[cfg_attr(
        shared_data_absent,
        ignore = "skipped: ../shared/data (the real public files) is absent"
    )]
    fn a_posas_file_counts_each_comune_once() {
        let Some(data) = shared_data() else {
            return;
        };
        let file = data.join("istat/posas/POSAS_2025_it_097_Lecco.EXCERPT_first_comune.csv");
        let source = IstatPopulationSource {
            location: Location::File(file.clone()),
            title: None,
            encoding: Encoding::Auto,
            period: None,
        };
        let ingested = ingest(|context| source.ingest("posas", context));
        assert!(ingested.findings.is_empty(), "{:#?}", ingested.findings);
        let value = |measure: &str| {
            ingested
                .observations
                .iter()
                .find(|o| &*o.measure == measure && &*o.territory == "097001")
                .map(|o| o.value)
                .unwrap()
        };
        // The file's own total row (Età 999) is the reference; the ages must add up to it.
        let text = std::fs::read_to_string(&file).unwrap();
        let total_row = text.lines().find(|l| l.contains(";999;")).unwrap();
        let stated: f64 = total_row
            .rsplit(';')
            .next()
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        assert_eq!(value("population_total"), stated);
        assert_eq!(
            value("population_female") + value("population_male"),
            stated
        );
        let adults = value("population_18_and_over");
        assert!(adults > 0.0 && adults < stated);
        assert!(ingested.observations.iter().all(|o| &*o.period == "2025"));
    }
}
