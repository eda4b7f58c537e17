//! The `csv` source kind: a generic delimited file, either long (one observation per row) or
//! wide (one column per measure), in UTF-8 or Windows-1252, with `,` or `;` and either decimal
//! mark, mapped to observations by declared column names.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::error::{ConfigProblem, Result};
use crate::fetch::HttpSpec;
use crate::observation::{Observation, Origin};
use crate::source::{self, IngestContext, Ingested, Location, Paths, SourceSpec};
use crate::spec::Item;
use crate::table::Delimited;
use crate::text::{self, DecimalMark, Encoding};
use crate::validate::Finding;

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct CsvSpec {
    /// Path relative to the pipeline file's folder; or give `url`.
    pub file: Option<Spanned<String>>,
    /// Where to download the data from, through the cache; or give `file`.
    pub url: Option<Spanned<String>>,
    /// How the `url` is fetched: timeouts, retries, checksum, size and shrink limits.
    pub http: Option<HttpSpec>,
    /// Who published the data, as citizens read it; used when there is no source column.
    pub title: Option<String>,
    /// `utf-8`, `windows-1252` or `auto` (the default: UTF-8 when valid, else Windows-1252).
    pub encoding: Option<Encoding>,
    /// `,` (default), `;`, `\t` or `|`.
    pub separator: Option<Spanned<String>>,
    /// `.` (default) or `,`.
    pub decimal: Option<DecimalMark>,
    /// Lines before the header row.
    pub skip_lines: Option<usize>,
    /// Rows at the end that are notes, not data.
    pub footer_lines: Option<usize>,
    pub columns: CsvColumnsSpec,
    /// The period of every row, when the file has no period column.
    pub period: Option<String>,
    /// The unit of every row, when a long file has no unit column.
    pub unit: Option<String>,
    /// Wide layout: header of a value column -> the measure it holds.
    pub measures: Option<BTreeMap<String, WideMeasureSpec>>,
    /// Columns that are known and deliberately not read (notes, say): no warning for them.
    #[serde(default)]
    pub ignore_columns: Vec<String>,
    /// Measures that may be negative (a balance, a change). Every other value is a count,
    /// an amount or a rate, and a negative one is refused.
    #[serde(default)]
    pub signed_measures: Vec<String>,
}

/// `[source.NAME.csv.columns]`: which header holds what.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct CsvColumnsSpec {
    pub territory: String,
    pub measure: Option<String>,
    pub value: Option<String>,
    pub period: Option<String>,
    pub unit: Option<String>,
    pub source: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct WideMeasureSpec {
    pub measure: String,
    pub unit: String,
}

/// Where a per-row value comes from: a column, or one value declared for the whole file.
#[derive(Debug, Clone, PartialEq)]
pub enum Field {
    Column(String),
    Constant(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    Long {
        measure: String,
        value: String,
        unit: Field,
    },
    Wide {
        measures: Vec<(String, String, String)>,
    },
}

#[derive(Debug, Clone)]
pub struct CsvSource {
    pub location: Location,
    pub label: String,
    pub encoding: Encoding,
    pub layout: Delimited,
    pub decimal: DecimalMark,
    pub territory: String,
    pub period: Field,
    pub source_column: Option<String>,
    pub shape: Shape,
    pub ignore_columns: Vec<String>,
    pub signed_measures: Vec<String>,
}

impl CsvSource {
    pub fn check(
        item: &Item<SourceSpec>,
        spec: &CsvSpec,
        base: &Paths,
    ) -> std::result::Result<Self, Vec<ConfigProblem>> {
        let mut problems = Vec::new();
        let location = source::locate(
            item,
            "csv",
            spec.file.as_ref(),
            spec.url.as_ref(),
            spec.http.as_ref(),
            base,
        )
        .map_err(|p| problems.extend(p));
        let separator =
            source::separator(item, spec.separator.as_ref(), b',').map_err(|p| problems.push(p));
        let columns = &spec.columns;
        let period = match (&columns.period, &spec.period) {
            (Some(column), None) => Some(Field::Column(column.clone())),
            (None, Some(period)) => Some(Field::Constant(period.clone())),
            (Some(_), Some(_)) => {
                problems.push(item.problem("give either `columns.period` or `period`, not both"));
                None
            }
            (None, None) => {
                problems.push(item.problem(
                    "the period is missing: name its column in `columns.period`, or give `period = \"2021\"` for the whole file",
                ));
                None
            }
        };
        let shape = match (&columns.measure, &columns.value, &spec.measures) {
            (Some(measure), Some(value), None) => {
                let unit = match (&columns.unit, &spec.unit) {
                    (Some(column), None) => Some(Field::Column(column.clone())),
                    (None, Some(unit)) => Some(Field::Constant(unit.clone())),
                    (Some(_), Some(_)) => {
                        problems
                            .push(item.problem("give either `columns.unit` or `unit`, not both"));
                        None
                    }
                    (None, None) => {
                        problems.push(item.problem(
                            "the unit is missing: name its column in `columns.unit`, or give `unit` for the whole file",
                        ));
                        None
                    }
                };
                unit.map(|unit| Shape::Long {
                    measure: measure.clone(),
                    value: value.clone(),
                    unit,
                })
            }
            (None, None, Some(measures)) if !measures.is_empty() => {
                if spec.unit.is_some() || columns.unit.is_some() {
                    problems.push(
                        item.problem(
                            "a wide file gives each measure its own `unit` under `measures`",
                        ),
                    );
                }
                for wide in measures.values() {
                    if !text::is_snake_case(&wide.measure) {
                        problems.push(
                            item.problem(format!(
                                "measure name `{}` is not snake_case",
                                wide.measure
                            )),
                        );
                    }
                }
                Some(Shape::Wide {
                    measures: measures
                        .iter()
                        .map(|(header, wide)| {
                            (header.clone(), wide.measure.clone(), wide.unit.clone())
                        })
                        .collect(),
                })
            }
            _ => {
                problems.push(item.problem(
                    "say the layout: a long file names `columns.measure` and `columns.value`; a wide file lists its value columns under `[source.NAME.csv.measures]`",
                ));
                None
            }
        };
        match (location, separator, period, shape) {
            (Ok(location), Ok(separator), Some(period), Some(shape)) if problems.is_empty() => {
                Ok(CsvSource {
                    location,
                    label: spec.title.clone().unwrap_or_else(|| item.name.clone()),
                    encoding: spec.encoding.unwrap_or(Encoding::Auto),
                    layout: Delimited {
                        separator,
                        skip_lines: spec.skip_lines.unwrap_or(0),
                        footer_lines: spec.footer_lines.unwrap_or(0),
                    },
                    decimal: spec.decimal.unwrap_or(DecimalMark::Point),
                    territory: columns.territory.clone(),
                    period,
                    source_column: columns.source.clone(),
                    shape,
                    ignore_columns: spec.ignore_columns.clone(),
                    signed_measures: spec.signed_measures.clone(),
                })
            }
            _ => Err(problems),
        }
    }

    pub fn ingest(&self, name: &str, context: &IngestContext) -> Result<Ingested> {
        let mut ingested = Ingested::default();
        let Some((table, label)) = source::read_table(
            context,
            name,
            &self.location,
            self.encoding,
            self.layout,
            &mut ingested,
        )?
        else {
            return Ok(ingested);
        };
        let mut wanted: Vec<&str> = vec![self.territory.as_str()];
        if let Field::Column(column) = &self.period {
            wanted.push(column);
        }
        if let Some(column) = &self.source_column {
            wanted.push(column);
        }
        let fixed = wanted.len();
        match &self.shape {
            Shape::Long {
                measure,
                value,
                unit,
            } => {
                wanted.push(measure);
                wanted.push(value);
                if let Field::Column(column) = unit {
                    wanted.push(column);
                }
            }
            Shape::Wide { measures } => {
                wanted.extend(measures.iter().map(|(header, _, _)| header.as_str()))
            }
        }
        let indexes = match source::find_columns(&label, &table, &wanted) {
            Ok(indexes) => indexes,
            Err(findings) => {
                ingested.findings.extend(findings);
                return Ok(ingested);
            }
        };
        let ignored: Vec<&str> = self.ignore_columns.iter().map(String::as_str).collect();
        let ignored_indexes = match source::find_columns(&label, &table, &ignored) {
            Ok(indexes) => indexes,
            Err(findings) => {
                ingested.findings.extend(findings);
                return Ok(ingested);
            }
        };
        let used: Vec<usize> = indexes.iter().chain(&ignored_indexes).copied().collect();
        ingested
            .findings
            .extend(source::unused_columns(&label, &table, &used));

        let file: Arc<str> = Arc::from(label.as_str());
        let territory_column: Arc<str> = Arc::from(self.territory.as_str());
        let period_index = matches!(self.period, Field::Column(_)).then(|| indexes[1]);
        let source_index = self
            .source_column
            .as_ref()
            .map(|_| indexes[if period_index.is_some() { 2 } else { 1 }]);
        let finding =
            |rule: &str, message: String, row: usize, column: &str, value: Option<&str>| {
                let mut finding = Finding::error(rule, message)
                    .in_file(file.as_ref())
                    .at_row(row + 1)
                    .in_column(column);
                if let Some(value) = value {
                    finding = finding.with_value(value);
                }
                finding
            };

        let mut shared = crate::observation::Shared::default();
        let place = shared.place(&file, &territory_column);
        for row in 0..table.row_count() {
            let Some(territory) = table.cell(indexes[0], row) else {
                ingested.findings.push(finding(
                    "missing_value",
                    "the territory code is empty".into(),
                    row,
                    &self.territory,
                    None,
                ));
                continue;
            };
            let period = match (&self.period, period_index) {
                (Field::Constant(period), _) => period.as_str(),
                (Field::Column(column), Some(index)) => match table.cell(index, row) {
                    Some(period) => period,
                    None => {
                        ingested.findings.push(finding(
                            "missing_value",
                            "the period is empty".into(),
                            row,
                            column,
                            None,
                        ));
                        continue;
                    }
                },
                (Field::Column(_), None) => continue,
            };
            let source_label = source_index
                .and_then(|index| table.cell(index, row))
                .unwrap_or(&self.label);
            let mut push = |measure: &str, header: &str, raw: Option<&str>, unit: &str| match raw {
                None => ingested.findings.push(
                    Finding::warning(
                        "missing_value",
                        format!("no value for measure `{measure}`; the cell is skipped"),
                    )
                    .in_file(file.as_ref())
                    .at_row(row + 1)
                    .in_column(header),
                ),
                Some(raw) => match text::parse_number(raw, self.decimal) {
                    Some(value)
                        if value < 0.0 && !self.signed_measures.iter().any(|m| m == measure) =>
                    {
                        ingested.findings.push(finding(
                            "negative_count",
                            format!(
                                "measure `{measure}` counts or measures something and cannot be \
                                 negative; if it can (a balance, a change), list it in \
                                 `signed_measures`"
                            ),
                            row,
                            header,
                            Some(raw),
                        ))
                    }
                    Some(value) => ingested.observations.push(Observation {
                        territory: shared.territory(territory),
                        measure: shared.get(measure),
                        period: shared.get(period),
                        value,
                        unit: shared.get(unit),
                        source: shared.get(source_label),
                        origin: Origin::new(&place, row + 1),
                    }),
                    None => ingested.findings.push(finding(
                        "not_a_number",
                        format!(
                            "not a number with decimal mark {:?}",
                            match self.decimal {
                                DecimalMark::Point => ".",
                                DecimalMark::Comma => ",",
                            }
                        ),
                        row,
                        header,
                        Some(raw),
                    )),
                },
            };
            match &self.shape {
                Shape::Long {
                    measure,
                    value,
                    unit,
                } => {
                    let measure_index = indexes[fixed];
                    let value_index = indexes[fixed + 1];
                    let Some(measure_name) = table.cell(measure_index, row) else {
                        ingested.findings.push(finding(
                            "missing_value",
                            "the measure is empty".into(),
                            row,
                            measure,
                            None,
                        ));
                        continue;
                    };
                    let unit_text = match unit {
                        Field::Constant(unit) => Some(unit.as_str()),
                        Field::Column(_) => table.cell(indexes[fixed + 2], row),
                    };
                    let Some(unit_text) = unit_text else {
                        ingested.findings.push(finding(
                            "missing_value",
                            "the unit is empty".into(),
                            row,
                            match unit {
                                Field::Column(column) => column,
                                Field::Constant(_) => "unit",
                            },
                            None,
                        ));
                        continue;
                    };
                    push(measure_name, value, table.cell(value_index, row), unit_text);
                }
                Shape::Wide { measures } => {
                    for (offset, (header, measure, unit)) in measures.iter().enumerate() {
                        push(
                            measure,
                            header,
                            table.cell(indexes[fixed + offset], row),
                            unit,
                        );
                    }
                }
            }
        }
        Ok(ingested)
    }
}
