//! The `csv` source kind: a generic delimited file, either long (one observation per row) or
//! wide (one column per measure), in UTF-8 or Windows-1252, with `,` or `;` and either decimal
//! mark, mapped to observations by declared column names.

use std::sync::Arc;

use crate::error::{ConfigProblem, Result};
use crate::finding::Finding;
use crate::message::Message;
use crate::msg;
use crate::plan::{Location, Paths, paths};
use crate::source::read::{self, IngestContext};
use crate::source::result::Ingested;
use crate::source::rows::{Observation, Origin, Place, Shared};
use crate::spec::Item;
use crate::spec::SourceSpec;
use crate::spec::source::CsvSpec;
use crate::table::{Delimited, TextTable};
use crate::text::{self, DecimalMark, Encoding};

/// Where a per-row value comes from: a column, or one value declared for the whole file.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ValueFrom {
    Column(String),
    Constant(String),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Shape {
    Long {
        measure: String,
        value: String,
        unit: ValueFrom,
    },
    Wide {
        measures: Vec<(String, String, String)>,
    },
}

#[derive(Debug, Clone)]
pub(crate) struct CsvSource {
    pub(crate) location: Location,
    pub(crate) label: String,
    pub(crate) encoding: Encoding,
    pub(crate) layout: Delimited,
    pub(crate) decimal: DecimalMark,
    pub(crate) territory: String,
    pub(crate) period: ValueFrom,
    pub(crate) source_column: Option<String>,
    pub(crate) shape: Shape,
    pub(crate) ignore_columns: Vec<String>,
    pub(crate) signed_measures: Vec<String>,
}

impl CsvSource {
    pub(crate) fn check(
        item: &Item<SourceSpec>,
        spec: &CsvSpec,
        base: &Paths,
    ) -> std::result::Result<Self, Vec<ConfigProblem>> {
        let mut problems = Vec::new();
        let location = paths::locate(
            item,
            "csv",
            spec.file.as_ref(),
            spec.url.as_ref(),
            spec.http.as_ref(),
            base,
        )
        .map_err(|p| problems.extend(p));
        let separator =
            paths::separator(item, spec.separator.as_ref(), b',').map_err(|p| problems.push(p));
        let period = period_of(item, spec, &mut problems);
        let shape = shape_of(item, spec, &mut problems);
        let columns = &spec.columns;
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

    pub(crate) fn ingest(&self, name: &str, context: &IngestContext) -> Result<Ingested> {
        let mut ingested = Ingested::default();
        let Some((table, label)) = read::read_table(
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
        let columns = match self.columns(&label, &table) {
            Ok(columns) => columns,
            Err(findings) => {
                ingested.findings.extend(findings);
                return Ok(ingested);
            }
        };
        ingested
            .findings
            .extend(read::unused_columns(&label, &table, &columns.used));
        let mut rows = RowReader::new(self, &table, &columns, &label, &mut ingested);
        for row in 0..table.row_count() {
            rows.read(row);
        }
        Ok(ingested)
    }

    /// The columns the mapping names, found by header; those missing are findings.
    fn columns(
        &self,
        label: &str,
        table: &TextTable,
    ) -> std::result::Result<MappedColumns, Vec<Finding>> {
        let mut wanted: Vec<&str> = vec![self.territory.as_str()];
        if let ValueFrom::Column(column) = &self.period {
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
                if let ValueFrom::Column(column) = unit {
                    wanted.push(column);
                }
            }
            Shape::Wide { measures } => {
                wanted.extend(measures.iter().map(|(header, _, _)| header.as_str()))
            }
        }
        let indexes = read::find_columns(label, table, &wanted)?;
        let ignored: Vec<&str> = self.ignore_columns.iter().map(String::as_str).collect();
        let ignored = read::find_columns(label, table, &ignored)?;
        let period = matches!(self.period, ValueFrom::Column(_)).then(|| indexes[1]);
        let source = self
            .source_column
            .as_ref()
            .map(|_| indexes[if period.is_some() { 2 } else { 1 }]);
        Ok(MappedColumns {
            territory: indexes[0],
            period,
            source,
            used: indexes.iter().chain(&ignored).copied().collect(),
            values: indexes[fixed..].to_vec(),
        })
    }
}

/// The period of every row: a column, or one value for the whole file.
fn period_of(
    item: &Item<SourceSpec>,
    spec: &CsvSpec,
    problems: &mut Vec<ConfigProblem>,
) -> Option<ValueFrom> {
    let columns = &spec.columns;
    match (&columns.period, &spec.period) {
        (Some(column), None) => Some(ValueFrom::Column(column.clone())),
        (None, Some(period)) => Some(ValueFrom::Constant(period.clone())),
        (Some(_), Some(_)) => {
            problems.push(item.problem(msg!("csv_period_twice")));
            None
        }
        (None, None) => {
            problems.push(item.problem(msg!("csv_period_missing")));
            None
        }
    }
}

/// The layout: a long file (measure, value and unit columns) or a wide one (a column per
/// measure).
fn shape_of(
    item: &Item<SourceSpec>,
    spec: &CsvSpec,
    problems: &mut Vec<ConfigProblem>,
) -> Option<Shape> {
    let columns = &spec.columns;
    match (&columns.measure, &columns.value, &spec.measures) {
        (Some(measure), Some(value), None) => {
            let unit = match (&columns.unit, &spec.unit) {
                (Some(column), None) => Some(ValueFrom::Column(column.clone())),
                (None, Some(unit)) => Some(ValueFrom::Constant(unit.clone())),
                (Some(_), Some(_)) => {
                    problems.push(item.problem(msg!("csv_unit_twice")));
                    None
                }
                (None, None) => {
                    problems.push(item.problem(msg!("csv_unit_missing")));
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
                problems.push(item.problem(msg!("csv_wide_unit")));
            }
            for wide in measures.values() {
                if !text::is_snake_case(&wide.measure) {
                    problems.push(
                        item.problem(msg!("measure_not_snake_case", measure = &wide.measure)),
                    );
                }
            }
            Some(Shape::Wide {
                measures: measures
                    .iter()
                    .map(|(header, wide)| (header.clone(), wide.measure.clone(), wide.unit.clone()))
                    .collect(),
            })
        }
        _ => {
            problems.push(item.problem(msg!("csv_layout_missing")));
            None
        }
    }
}

/// Where the mapped columns are in a file: the territory, the period and the source when
/// they are columns, and the columns of the layout (measure, value and unit of a long file; a
/// value column per measure of a wide one).
struct MappedColumns {
    territory: usize,
    period: Option<usize>,
    source: Option<usize>,
    values: Vec<usize>,
    /// Every column read or deliberately ignored.
    used: Vec<usize>,
}

/// The rows of a file turned into observations, each bad cell a finding.
struct RowReader<'a> {
    source: &'a CsvSource,
    table: &'a TextTable,
    columns: &'a MappedColumns,
    file: Arc<str>,
    place: Arc<Place>,
    shared: Shared,
    ingested: &'a mut Ingested,
}

impl<'a> RowReader<'a> {
    fn new(
        source: &'a CsvSource,
        table: &'a TextTable,
        columns: &'a MappedColumns,
        label: &str,
        ingested: &'a mut Ingested,
    ) -> Self {
        let file: Arc<str> = Arc::from(label);
        let territory_column: Arc<str> = Arc::from(source.territory.as_str());
        let mut shared = Shared::default();
        let place = shared.place(&file, &territory_column);
        RowReader {
            source,
            table,
            columns,
            file,
            place,
            shared,
            ingested,
        }
    }

    /// An error finding at a cell of a row (0-based).
    fn finding(
        &self,
        rule: &str,
        message: Message,
        row: usize,
        column: &str,
        value: Option<&str>,
    ) -> Finding {
        let mut finding = Finding::error(rule, message)
            .in_file(self.file.as_ref())
            .at_row(row + 1)
            .in_column(column);
        if let Some(value) = value {
            finding = finding.with_value(value);
        }
        finding
    }

    /// An empty cell where a row needs a value; `what` says which.
    fn missing(&mut self, what: Message, row: usize, column: &str) {
        let finding = self.finding("missing_value", what, row, column, None);
        self.ingested.findings.push(finding);
    }

    /// One row: its territory, period and source, then its values as the layout says.
    fn read(&mut self, row: usize) {
        let (source, table, columns) = (self.source, self.table, self.columns);
        let Some(territory) = table.cell(columns.territory, row) else {
            return self.missing(msg!("missing_territory_code"), row, &source.territory);
        };
        let period = match (&source.period, columns.period) {
            (ValueFrom::Constant(period), _) => period.as_str(),
            (ValueFrom::Column(column), Some(index)) => match table.cell(index, row) {
                Some(period) => period,
                None => return self.missing(msg!("missing_period_cell"), row, column),
            },
            (ValueFrom::Column(_), None) => return,
        };
        let from = columns
            .source
            .and_then(|index| table.cell(index, row))
            .unwrap_or(&source.label);
        let row_of = RowOf {
            row,
            territory,
            period,
            source: from,
        };
        match &source.shape {
            Shape::Long { measure, unit, .. } => self.long(&row_of, measure, unit),
            Shape::Wide { measures } => {
                for (offset, (header, measure, unit)) in measures.iter().enumerate() {
                    let raw = table.cell(columns.values[offset], row);
                    self.value(&row_of, measure, header, raw, unit);
                }
            }
        }
    }

    /// A row of a long file: its measure, value and unit.
    fn long(&mut self, row_of: &RowOf, measure: &str, unit: &ValueFrom) {
        let (table, values, row) = (self.table, &self.columns.values, row_of.row);
        let Some(measure_name) = table.cell(values[0], row) else {
            return self.missing(msg!("missing_measure_cell"), row, measure);
        };
        let unit_text = match unit {
            ValueFrom::Constant(unit) => Some(unit.as_str()),
            ValueFrom::Column(_) => table.cell(values[2], row),
        };
        let Some(unit_text) = unit_text else {
            let column = match unit {
                ValueFrom::Column(column) => column.as_str(),
                ValueFrom::Constant(_) => "unit",
            };
            return self.missing(msg!("missing_unit_cell"), row, column);
        };
        let header = match &self.source.shape {
            Shape::Long { value, .. } => value.as_str(),
            Shape::Wide { .. } => "",
        };
        let raw = table.cell(values[1], row);
        self.value(row_of, measure_name, header, raw, unit_text);
    }

    /// A cell's value as an observation, or the finding that says why not.
    fn value(
        &mut self,
        row_of: &RowOf,
        measure: &str,
        header: &str,
        raw: Option<&str>,
        unit: &str,
    ) {
        let row = row_of.row;
        let Some(raw) = raw else {
            let finding = Finding::warning(
                "missing_value",
                msg!("missing_value_skipped", measure = measure),
            )
            .in_file(self.file.as_ref())
            .at_row(row + 1)
            .in_column(header);
            return self.ingested.findings.push(finding);
        };
        let decimal = self.source.decimal;
        let finding = match text::parse_number(raw, decimal) {
            Some(value)
                if value < 0.0 && !self.source.signed_measures.iter().any(|m| m == measure) =>
            {
                self.finding(
                    "negative_count",
                    msg!("negative_count", measure = measure),
                    row,
                    header,
                    Some(raw),
                )
            }
            Some(value) => {
                let shared = &mut self.shared;
                let observation = Observation {
                    territory: shared.territory(row_of.territory),
                    measure: shared.get(measure),
                    period: shared.get(row_of.period),
                    value,
                    unit: shared.get(unit),
                    source: shared.get(row_of.source),
                    origin: Origin::new(&self.place, row + 1),
                };
                return self.ingested.observations.push(observation);
            }
            None => self.finding(
                "not_a_number",
                msg!(
                    "not_a_number_with_mark",
                    mark = match decimal {
                        DecimalMark::Point => ".",
                        DecimalMark::Comma => ",",
                    }
                ),
                row,
                header,
                Some(raw),
            ),
        };
        self.ingested.findings.push(finding);
    }
}

/// What a row's values share: its place, territory, period and source.
struct RowOf<'r> {
    row: usize,
    territory: &'r str,
    period: &'r str,
    source: &'r str,
}
