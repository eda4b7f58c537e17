//! Tables: the columnar form every output (and every kept long table) takes, and the only
//! place that calls polars' frame and I/O API (delimited-text parsing, CSV and Parquet writing
//! and reading, filtering, sorting, joining tables), because its Rust API changes between minor
//! versions. Other modules only read the arrays a table holds.

use std::io::Cursor;
use std::path::Path;

use polars::prelude::{
    BooleanChunked, ChunkTake, Column as PolarsColumn, CsvWriter, DataFrame, DataType,
    Float64Chunked, IdxCa, IdxSize, Int64Chunked, IntoSeries, NewChunkedArray, ParquetCompression,
    ParquetReader, ParquetWriter, SerReader, SerWriter, Series, SortMultipleOptions, StringChunked,
};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::message::Message;
use crate::msg;

pub(crate) mod delimited;
pub(crate) mod schema;

pub(crate) use delimited::{Delimited, TextTable};

/// The tables a run can publish. Each has a schema in `schemas/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum TableName {
    /// One row per indicator, territory and period, with numerator, denominator and benchmarks.
    Indicators,
    /// The long table every source is normalized into.
    Observations,
    /// One row per project record.
    Projects,
    /// One row per project KPI and year: target and actual.
    ProjectKpis,
    /// One row per PA digitale 2026 funded application of the pipeline's comuni.
    PnrrProjects,
    /// Every value the releases have published, period by period, with the release that
    /// published it and whether it revised an earlier one.
    IndicatorsHistory,
}

impl TableName {
    pub(crate) const ALL: [TableName; 6] = [
        TableName::Indicators,
        TableName::Observations,
        TableName::Projects,
        TableName::ProjectKpis,
        TableName::PnrrProjects,
        TableName::IndicatorsHistory,
    ];

    /// `pnrr_projects`: whether the applicant is the comune's own administration (the comune's
    /// measures count only those), carried through the run and not published.
    pub(crate) const COMUNE_BODY: &'static str = "comune_body";

    /// Columns a table carries through the run without publishing them.
    pub(crate) fn internal_columns(self) -> &'static [&'static str] {
        match self {
            TableName::PnrrProjects => &[TableName::COMUNE_BODY],
            TableName::Indicators
            | TableName::Observations
            | TableName::Projects
            | TableName::ProjectKpis
            | TableName::IndicatorsHistory => &[],
        }
    }

    /// The columns that say which record a row is across releases, for tables of records
    /// (projects, funded applications) whose changes a release reports; `None` for tables of
    /// values, whose history is kept value by value.
    pub(crate) fn record_key(self) -> Option<&'static [&'static str]> {
        match self {
            TableName::Projects => Some(&["project"]),
            TableName::ProjectKpis => Some(&["project", "kpi", "year"]),
            // The CUP names a funded project; a body's application to a call is one row.
            TableName::PnrrProjects => Some(&["ipa_code", "call", "cup"]),
            TableName::Indicators | TableName::Observations | TableName::IndicatorsHistory => None,
        }
    }

    /// The column that names a record for a reader, and the columns whose change is not a
    /// change of the record (where its row sits in a file).
    pub(crate) fn record_words(self) -> (&'static str, &'static [&'static str]) {
        match self {
            TableName::Projects => ("title", &[]),
            TableName::ProjectKpis => ("label", &[]),
            TableName::PnrrProjects => ("body", &["source_file", "source_row"]),
            TableName::Indicators | TableName::Observations | TableName::IndicatorsHistory => {
                ("", &[])
            }
        }
    }

    /// The columns whose values order a table's published rows.
    pub(crate) fn published_order(self) -> &'static [&'static str] {
        match self {
            TableName::Indicators => &["challenge", "indicator", "level", "territory", "period"],
            TableName::Observations => &["territory", "measure", "period", "source"],
            TableName::Projects => &["project"],
            TableName::ProjectKpis => &["project", "kpi", "year"],
            TableName::PnrrProjects => &[
                "territory",
                "measure",
                "ipa_code",
                "source_file",
                "source_row",
            ],
            TableName::IndicatorsHistory => &["indicator", "territory", "period"],
        }
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            TableName::Indicators => "indicators",
            TableName::Observations => "observations",
            TableName::Projects => "projects",
            TableName::ProjectKpis => "project_kpis",
            TableName::PnrrProjects => "pnrr_projects",
            TableName::IndicatorsHistory => "indicators_history",
        }
    }
}

/// Each distinct item once, in the order of its first appearance, as `show` writes it.
fn distinct<T: std::hash::Hash + Eq + Copy>(
    items: impl Iterator<Item = T>,
    show: impl Fn(T) -> String,
) -> Vec<String> {
    let mut seen = rustc_hash::FxHashSet::default();
    items.filter(|item| seen.insert(*item)).map(show).collect()
}

/// The values of one column, held as the table library's arrays: a national table is
/// millions of cells, and the files are written from these arrays without a copy.
#[derive(Debug, Clone)]
pub(crate) enum Values {
    Text(StringChunked),
    Number(Float64Chunked),
    Integer(Int64Chunked),
    /// Yes/no, for columns that steer a run and are not published.
    Flag(BooleanChunked),
}

impl Values {
    pub(crate) fn len(&self) -> usize {
        match self {
            Values::Text(values) => values.len(),
            Values::Number(values) => values.len(),
            Values::Integer(values) => values.len(),
            Values::Flag(values) => values.len(),
        }
    }

    /// The value at `row` as text, for findings and previews; None when missing.
    pub(crate) fn display(&self, row: usize) -> Option<String> {
        match self {
            Values::Text(values) => values.get(row).map(str::to_owned),
            Values::Number(values) => values.get(row).map(|v| v.to_string()),
            Values::Integer(values) => values.get(row).map(|v| v.to_string()),
            Values::Flag(values) => values.get(row).map(|v| v.to_string()),
        }
    }

    /// Each distinct value as text, once, in the order of its first row; None left out. A
    /// column of millions of rows repeats a few dozen periods.
    pub(crate) fn distinct_display(&self) -> Vec<String> {
        match self {
            Values::Text(values) => distinct(values.iter().flatten(), str::to_owned),
            Values::Number(values) => distinct(values.iter().flatten().map(f64::to_bits), |v| {
                f64::from_bits(v).to_string()
            }),
            Values::Integer(values) => distinct(values.iter().flatten(), |v| v.to_string()),
            Values::Flag(values) => distinct(values.iter().flatten(), |v| v.to_string()),
        }
    }

    fn series(&self, name: &str) -> Series {
        let series = match self {
            Values::Text(values) => values.clone().into_series(),
            Values::Number(values) => values.clone().into_series(),
            Values::Integer(values) => values.clone().into_series(),
            Values::Flag(values) => values.clone().into_series(),
        };
        series.with_name(name.into())
    }

    /// The values of a column the table library made; `table` names it in errors.
    fn of_series(series: &Series, table: TableName) -> Result<Values> {
        let context = || msg!("table_named", table = table.as_str());
        let wrong = |e: polars::prelude::PolarsError| Error::table(context(), e);
        Ok(match series.dtype() {
            DataType::String => Values::Text(series.str().map_err(wrong)?.rechunk().into_owned()),
            DataType::Float64 => {
                Values::Number(series.f64().map_err(wrong)?.rechunk().into_owned())
            }
            DataType::Int64 => Values::Integer(series.i64().map_err(wrong)?.rechunk().into_owned()),
            DataType::Boolean => Values::Flag(series.bool().map_err(wrong)?.rechunk().into_owned()),
            other => {
                let (column, kind) = (series.name().to_string(), other.to_string());
                let detail = msg!("table_column_type", column = column, kind = kind);
                return Err(Error::table(context(), detail));
            }
        })
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Column {
    pub(crate) name: String,
    pub(crate) values: Values,
}

/// A table in column form, rows in their published order.
#[derive(Debug, Clone)]
pub(crate) struct Table {
    pub(crate) name: TableName,
    pub(crate) columns: Vec<Column>,
}

impl Table {
    pub(crate) fn new(name: TableName) -> Self {
        Table {
            name,
            columns: Vec::new(),
        }
    }

    fn with(mut self, name: &str, values: Values) -> Self {
        self.columns.push(Column {
            name: name.to_owned(),
            values,
        });
        self
    }

    pub(crate) fn text<S: AsRef<str>>(
        self,
        name: &str,
        values: impl IntoIterator<Item = Option<S>>,
    ) -> Self {
        let values = StringChunked::from_iter_options(name.into(), values.into_iter());
        self.with(name, Values::Text(values))
    }

    /// A text column of few distinct values (measures, units, sources, file names): each
    /// distinct text is stored once and the rows point at it, where [`Table::text`] stores
    /// every row's copy; a grown national table repeats a hundred-byte source title millions
    /// of times.
    pub(crate) fn repeated_text<S: AsRef<str>>(
        self,
        name: &str,
        values: impl IntoIterator<Item = Option<S>>,
    ) -> Self {
        let mut index: FxHashMap<Box<str>, IdxSize> = FxHashMap::default();
        let mut distinct: Vec<Box<str>> = Vec::new();
        let rows = values.into_iter().map(|value| {
            let text = value?;
            let text = text.as_ref();
            if let Some(at) = index.get(text) {
                return Some(*at);
            }
            let at = IdxSize::try_from(distinct.len()).ok()?;
            distinct.push(Box::from(text));
            index.insert(Box::from(text), at);
            Some(at)
        });
        let rows = IdxCa::from_iter_options(name.into(), rows);
        let stored =
            StringChunked::from_iter_values(name.into(), distinct.iter().map(|text| &**text));
        // Every index points into the distinct texts, so the gather does not fail; were it
        // to, the column is made the plain way.
        let values = stored.take(&rows).unwrap_or_else(|_| {
            StringChunked::from_iter_options(
                name.into(),
                rows.iter()
                    .map(|at| at.and_then(|at| distinct.get(at as usize)).map(|t| &**t)),
            )
        });
        self.with(name, Values::Text(values))
    }

    pub(crate) fn number(self, name: &str, values: impl IntoIterator<Item = Option<f64>>) -> Self {
        let values = Float64Chunked::from_iter_options(name.into(), values.into_iter());
        self.with(name, Values::Number(values))
    }

    pub(crate) fn integer(self, name: &str, values: impl IntoIterator<Item = Option<i64>>) -> Self {
        let values = Int64Chunked::from_iter_options(name.into(), values.into_iter());
        self.with(name, Values::Integer(values))
    }

    pub(crate) fn flag(self, name: &str, values: impl IntoIterator<Item = bool>) -> Self {
        let values = BooleanChunked::from_iter_values(name.into(), values.into_iter());
        self.with(name, Values::Flag(values))
    }

    pub(crate) fn row_count(&self) -> usize {
        self.columns.first().map_or(0, |c| c.values.len())
    }

    pub(crate) fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// The text column of that name; a missing or non-text column is a tool error.
    pub(crate) fn texts(&self, name: &str) -> Result<&StringChunked> {
        match self.column(name).map(|c| &c.values) {
            Some(Values::Text(values)) => Ok(values),
            _ => Err(self.no_column(name, msg!("table_kind_text"))),
        }
    }

    pub(crate) fn numbers(&self, name: &str) -> Result<&Float64Chunked> {
        match self.column(name).map(|c| &c.values) {
            Some(Values::Number(values)) => Ok(values),
            _ => Err(self.no_column(name, msg!("table_kind_number"))),
        }
    }

    pub(crate) fn integers(&self, name: &str) -> Result<&Int64Chunked> {
        match self.column(name).map(|c| &c.values) {
            Some(Values::Integer(values)) => Ok(values),
            _ => Err(self.no_column(name, msg!("table_kind_integer"))),
        }
    }

    pub(crate) fn flags(&self, name: &str) -> Result<&BooleanChunked> {
        match self.column(name).map(|c| &c.values) {
            Some(Values::Flag(values)) => Ok(values),
            _ => Err(self.no_column(name, msg!("table_kind_flag"))),
        }
    }

    fn no_column(&self, name: &str, kind: Message) -> Error {
        Error::table(
            msg!("table_named", table = self.name.as_str()),
            msg!("table_no_column", kind = kind, column = name),
        )
    }

    /// Replaces the values of a text column, keeping its place.
    pub(crate) fn replace_text<S: AsRef<str>>(
        &mut self,
        name: &str,
        values: impl IntoIterator<Item = Option<S>>,
    ) -> Result<()> {
        let at = self
            .columns
            .iter()
            .position(|c| c.name == name && matches!(c.values, Values::Text(_)))
            .ok_or_else(|| self.no_column(name, msg!("table_kind_text")))?;
        self.columns[at].values = Values::Text(StringChunked::from_iter_options(
            name.into(),
            values.into_iter(),
        ));
        Ok(())
    }

    /// The table as published: without the columns it carries only through the run.
    pub(crate) fn published(&self) -> Table {
        let internal = self.name.internal_columns();
        Table {
            name: self.name,
            columns: self
                .columns
                .iter()
                .filter(|c| !internal.contains(&c.name.as_str()))
                .cloned()
                .collect(),
        }
    }

    /// The rows of tables with the same columns, one after the other (at least one table).
    pub(crate) fn concat(tables: Vec<Table>) -> Result<Table> {
        let mut tables = tables.into_iter();
        let Some(first) = tables.next() else {
            return Err(Error::table(
                msg!("table_joining"),
                msg!("table_nothing_to_join"),
            ));
        };
        let name = first.name;
        let mut frame = first.to_data_frame()?;
        for table in tables {
            frame
                .vstack_mut_owned(table.to_data_frame()?)
                .map_err(|e| Error::table(msg!("table_joining_named", table = name.as_str()), e))?;
        }
        frame.rechunk_mut();
        Table::of_frame(name, &frame)
    }

    /// The rows where `keep` is true.
    pub(crate) fn filter(&self, keep: impl IntoIterator<Item = bool>) -> Result<Table> {
        let mask = BooleanChunked::from_iter_values("keep".into(), keep.into_iter());
        let frame = self
            .to_data_frame()?
            .filter(&mask)
            .map_err(|e| Error::table(msg!("table_filtering", table = self.name.as_str()), e))?;
        Table::of_frame(self.name, &frame)
    }

    /// The rows sorted by the given columns, in order, ascending (text by bytes).
    pub(crate) fn sorted_by(&self, keys: &[&str]) -> Result<Table> {
        let frame = self
            .to_data_frame()?
            .sort(
                keys.iter().copied(),
                SortMultipleOptions::new().with_maintain_order(true),
            )
            .map_err(|e| Error::table(msg!("table_sorting", table = self.name.as_str()), e))?;
        Table::of_frame(self.name, &frame)
    }

    fn of_frame(name: TableName, frame: &DataFrame) -> Result<Table> {
        let columns = frame
            .columns()
            .iter()
            .map(|column| {
                let series = column.as_materialized_series();
                Ok(Column {
                    name: series.name().to_string(),
                    values: Values::of_series(series, name)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Table { name, columns })
    }

    fn to_data_frame(&self) -> Result<DataFrame> {
        let columns: Vec<PolarsColumn> = self
            .columns
            .iter()
            .map(|column| column.values.series(&column.name).into())
            .collect();
        DataFrame::new(self.row_count(), columns)
            .map_err(|e| Error::table(msg!("table_building", table = self.name.as_str()), e))
    }

    /// Writes the table as CSV: UTF-8, `,`, decimal point, header row, `\n` line ends; `path`
    /// names the file in errors.
    pub(crate) fn write_csv(&self, writer: impl std::io::Write, path: &Path) -> Result<()> {
        let mut frame = self.to_data_frame()?;
        CsvWriter::new(writer)
            .include_header(true)
            .with_separator(b',')
            .finish(&mut frame)
            .map_err(|e| Error::table(msg!("table_writing", what = path.display()), e))
    }

    /// Writes the table as Parquet (zstd), single-threaded so that bytes are reproducible;
    /// `path` names the file in errors.
    pub(crate) fn write_parquet(&self, writer: impl std::io::Write, path: &Path) -> Result<()> {
        self.parquet_into(writer, msg!("table_writing", what = path.display()))
    }

    /// The bytes [`Table::write_parquet`] would write.
    pub(crate) fn to_parquet(&self) -> Result<Vec<u8>> {
        let mut bytes = Vec::new();
        let context = msg!("table_writing_table", table = self.name.as_str());
        self.parquet_into(&mut bytes, context)?;
        Ok(bytes)
    }

    /// Writes the table as Parquet; `context` says what is written, for errors.
    fn parquet_into(&self, writer: impl std::io::Write, context: Message) -> Result<()> {
        let mut frame = self.to_data_frame()?;
        ParquetWriter::new(writer)
            .with_compression(ParquetCompression::Zstd(None))
            .set_parallel(false)
            .finish(&mut frame)
            .map_err(|e| Error::table(context, e))?;
        Ok(())
    }

    /// Reads the bytes of a table [`Table::write_parquet`] wrote; `label` names them in errors.
    pub(crate) fn read_parquet(name: TableName, bytes: Vec<u8>, label: &str) -> Result<Table> {
        let frame = ParquetReader::new(Cursor::new(bytes))
            .finish()
            .map_err(|e| Error::table(msg!("table_reading", what = label), e))?;
        Table::of_frame(name, &frame)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_texts_read_as_plain_ones() {
        let values = [
            Some("ISTAT"),
            None,
            Some("PA digitale 2026"),
            Some("ISTAT"),
            Some(""),
        ];
        let plain = Table::new(TableName::Observations).text("source", values);
        let repeated = Table::new(TableName::Observations).repeated_text("source", values);
        let read = |table: &Table| -> Vec<Option<String>> {
            let texts = table.texts("source").unwrap();
            texts.iter().map(|t| t.map(str::to_owned)).collect()
        };
        assert_eq!(read(&repeated), read(&plain));
        assert_eq!(read(&repeated)[1], None);
    }

    #[test]
    fn distinct_values_are_shown_once_in_first_row_order() {
        let table = Table::new(TableName::Observations)
            .repeated_text("period", [Some("2023"), None, Some("2021"), Some("2023")])
            .number("value", [Some(4.5), Some(-0.0), Some(4.5), Some(0.0)])
            .integer("year", [Some(2021), Some(2020), Some(2021), None]);
        let shown = |name: &str| table.column(name).unwrap().values.distinct_display();
        assert_eq!(shown("period"), ["2023", "2021"]);
        // -0 and 0 are distinct values, as the rows show them.
        assert_eq!(shown("value"), ["4.5", "-0", "0"]);
        assert_eq!(shown("year"), ["2021", "2020"]);
    }

    #[test]
    fn writes_reproducible_files() {
        let dir = tempfile::tempdir().unwrap();
        let table = Table::new(TableName::Observations)
            .text("territory", vec![Some("035004"), None])
            .number("value", vec![Some(4.52), Some(62379.0)])
            .integer("year", vec![Some(2021), None]);
        for round in 0..2 {
            let path = |extension| dir.path().join(format!("t{round}.{extension}"));
            let create = |path| std::io::BufWriter::new(std::fs::File::create(path).unwrap());
            let (csv, parquet) = (path("csv"), path("parquet"));
            table.write_csv(create(&csv), &csv).unwrap();
            table.write_parquet(create(&parquet), &parquet).unwrap();
        }
        let csv = std::fs::read_to_string(dir.path().join("t0.csv")).unwrap();
        assert_eq!(csv, "territory,value,year\n035004,4.52,2021\n,62379.0,\n");
        assert_eq!(
            std::fs::read(dir.path().join("t0.parquet")).unwrap(),
            std::fs::read(dir.path().join("t1.parquet")).unwrap()
        );
    }
}
