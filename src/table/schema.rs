//! Table schemas (Frictionless Table Schema, the files in `schemas/`) and the check of a table
//! against its schema, before anything is published.

use std::collections::HashSet;

use rustc_hash::FxHashMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use polars::prelude::StringChunked;

use crate::finding::Finding;
use crate::message::Message;
use crate::msg;
use crate::table::{Table, TableName, Values};

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TableSchema {
    pub(crate) fields: Vec<Field>,
    #[serde(rename = "primaryKey")]
    pub(crate) primary_key: Vec<String>,
    #[serde(rename = "missingValues")]
    pub(crate) missing_values: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Field {
    pub(crate) name: String,
    #[serde(rename = "type")]
    pub(crate) field_type: FieldType,
    /// Italian title and description, shown on dataset pages and in datapackage.json.
    pub(crate) title: String,
    pub(crate) description: String,
    #[serde(default, skip_serializing_if = "Constraints::is_empty")]
    pub(crate) constraints: Constraints,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum FieldType {
    String,
    Number,
    Integer,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Constraints {
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) required: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) minimum: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) maximum: Option<f64>,
    #[serde(rename = "enum", skip_serializing_if = "Option::is_none")]
    pub(crate) allowed: Option<Vec<serde_json::Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) pattern: Option<String>,
}

impl Constraints {
    fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}

/// The schema of a published table, from `schemas/`.
pub(crate) fn schema_of(table: TableName) -> Result<TableSchema> {
    let (file, text) = match table {
        TableName::Indicators => (
            "schemas/indicators.json",
            include_str!("../../schemas/indicators.json"),
        ),
        TableName::Observations => (
            "schemas/observations.json",
            include_str!("../../schemas/observations.json"),
        ),
        TableName::Projects => (
            "schemas/projects.json",
            include_str!("../../schemas/projects.json"),
        ),
        TableName::ProjectKpis => (
            "schemas/project_kpis.json",
            include_str!("../../schemas/project_kpis.json"),
        ),
        TableName::PnrrProjects => (
            "schemas/pnrr_projects.json",
            include_str!("../../schemas/pnrr_projects.json"),
        ),
        TableName::IndicatorsHistory => (
            "schemas/indicators_history.json",
            include_str!("../../schemas/indicators_history.json"),
        ),
    };
    serde_json::from_str(text).map_err(|e| Error::json(msg!("table_reading", what = file), e))
}

/// A table without rows, with the columns and types of its schema.
pub(crate) fn empty_table(name: TableName) -> Result<Table> {
    let schema = schema_of(name)?;
    let none = std::iter::empty::<Option<&str>>;
    Ok(schema
        .fields
        .iter()
        .fold(Table::new(name), |table, field| match field.field_type {
            FieldType::String => table.text(&field.name, none()),
            FieldType::Number => table.number(&field.name, std::iter::empty()),
            FieldType::Integer => table.integer(&field.name, std::iter::empty()),
        }))
}

/// Checks a table against its schema: columns and types, required values, allowed values,
/// ranges, patterns and the uniqueness of the primary key. `label` names the table in findings.
pub(crate) fn validate(table: &Table, schema: &TableSchema, label: &str) -> Result<Vec<Finding>> {
    let mut findings = Vec::new();
    let names: Vec<&str> = table.columns.iter().map(|c| c.name.as_str()).collect();
    let expected: Vec<&str> = schema.fields.iter().map(|f| f.name.as_str()).collect();
    if names != expected {
        findings.push(
            Finding::error(
                "schema_columns",
                msg!(
                    "schema_columns",
                    names = format!("{names:?}"),
                    expected = format!("{expected:?}")
                ),
            )
            .in_file(label),
        );
        return Ok(findings);
    }
    for (field, column) in schema.fields.iter().zip(&table.columns) {
        check_column(field, &column.values, label, &mut findings)?;
    }
    check_primary_key(table, schema, label, &mut findings);
    Ok(findings)
}

/// The cells of one column against its field: type, required, allowed values, range, pattern.
fn check_column(
    field: &Field,
    values: &Values,
    label: &str,
    findings: &mut Vec<Finding>,
) -> Result<()> {
    let finding = |row: usize, rule: &str, message: Message| {
        let mut finding = Finding::error(rule, message)
            .in_file(label)
            .at_row(row + 1)
            .in_column(&field.name);
        if let Some(value) = values.display(row) {
            finding = finding.with_value(value);
        }
        finding
    };
    let constraints = &field.constraints;
    match (values, field.field_type) {
        (Values::Text(texts), FieldType::String) => {
            check_texts(field, texts, &finding, findings)?;
        }
        (Values::Number(numbers), FieldType::Number) => {
            check_numbers(numbers.iter(), constraints, &finding, findings);
        }
        (Values::Integer(integers), FieldType::Integer) => {
            let numbers = integers.iter().map(|v| v.map(|v| v as f64));
            check_numbers(numbers, constraints, &finding, findings);
        }
        _ => findings.push(
            Finding::error(
                "schema_type",
                msg!("schema_type", kind = format!("{:?}", field.field_type)),
            )
            .in_file(label)
            .in_column(&field.name),
        ),
    }
    Ok(())
}

/// Required values, allowed values and patterns of a text column.
fn check_texts(
    field: &Field,
    texts: &StringChunked,
    finding: &dyn Fn(usize, &str, Message) -> Finding,
    findings: &mut Vec<Finding>,
) -> Result<()> {
    let constraints = &field.constraints;
    let pattern =
        match &constraints.pattern {
            Some(pattern) => Some(regex::Regex::new(&format!("^(?:{pattern})$")).map_err(|e| {
                Error::Internal(format!("the pattern of field `{}`: {e}", field.name))
            })?),
            None => None,
        };
    let allowed: Option<Vec<&str>> = constraints.allowed.as_ref().map(|allowed| {
        allowed
            .iter()
            .filter_map(serde_json::Value::as_str)
            .collect()
    });
    // Rows come in runs of one value (the tables are sorted): a value that passed the row
    // before passes again.
    let mut last_passed: Option<&str> = None;
    for (row, value) in texts.iter().enumerate() {
        let Some(text) = value else {
            if constraints.required {
                findings.push(finding(row, "required", msg!("schema_required")));
            }
            continue;
        };
        if last_passed == Some(text) {
            continue;
        }
        let found = findings.len();
        if let Some(allowed) = &allowed
            && !allowed.contains(&text)
        {
            findings.push(finding(row, "enum", msg!("schema_enum")));
        }
        if let Some(pattern) = &pattern
            && !pattern.is_match(text)
        {
            findings.push(finding(
                row,
                "pattern",
                msg!("schema_pattern", pattern = pattern.as_str()),
            ));
        }
        last_passed = (findings.len() == found).then_some(text);
    }
    Ok(())
}

/// Each row's primary key is unique. Each key is kept as its hash and first row: a grown
/// national table has millions of rows, and a set of the keys themselves was gigabytes. Keys
/// are compared in full when hashes meet, and keys whose hash another key already has are kept
/// in full.
fn check_primary_key(
    table: &Table,
    schema: &TableSchema,
    label: &str,
    findings: &mut Vec<Finding>,
) {
    let key_columns: Vec<&Values> = schema
        .primary_key
        .iter()
        .filter_map(|name| table.column(name).map(|c| &c.values))
        .collect();
    let key_of = |row: usize| -> Vec<KeyPart> {
        key_columns
            .iter()
            .map(|values| KeyPart::of(values, row))
            .collect()
    };
    let same_key = |a: usize, b: usize| {
        key_columns
            .iter()
            .all(|values| KeyPart::of(values, a) == KeyPart::of(values, b))
    };
    let mut first_of_hash: FxHashMap<u64, usize> =
        FxHashMap::with_capacity_and_hasher(table.row_count(), Default::default());
    let mut collided: HashSet<Vec<KeyPart>> = HashSet::new();
    for (row, hash) in key_hashes(&key_columns, table.row_count())
        .into_iter()
        .enumerate()
    {
        let repeated = match first_of_hash.entry(hash) {
            std::collections::hash_map::Entry::Vacant(vacant) => {
                vacant.insert(row);
                false
            }
            std::collections::hash_map::Entry::Occupied(first) => {
                same_key(*first.get(), row) || !collided.insert(key_of(row))
            }
        };
        if repeated {
            let shown: Vec<Option<String>> = key_columns
                .iter()
                .map(|values| values.display(row))
                .collect();
            findings.push(
                Finding::error(
                    "primary_key",
                    msg!(
                        "schema_primary_key",
                        key = format!("{:?}", schema.primary_key),
                        values = format!("{shown:?}")
                    ),
                )
                .in_file(label)
                .at_row(row + 1),
            );
        }
    }
}

/// The hash of each row's key, made column by column: walking a column is quicker than
/// finding each of its cells by row.
fn key_hashes(key_columns: &[&Values], rows: usize) -> Vec<u64> {
    use std::hash::{Hash, Hasher};
    let mut hashers = vec![rustc_hash::FxHasher::default(); rows];
    let mut feed = |parts: &mut dyn Iterator<Item = KeyPart>| {
        for (hasher, part) in hashers.iter_mut().zip(parts) {
            part.hash(hasher);
        }
    };
    for values in key_columns {
        match values {
            Values::Text(texts) => feed(&mut texts.iter().map(KeyPart::Text)),
            Values::Number(numbers) => feed(&mut numbers.iter().map(KeyPart::number)),
            Values::Integer(integers) => feed(&mut integers.iter().map(KeyPart::Integer)),
            Values::Flag(flags) => feed(&mut flags.iter().map(KeyPart::flag)),
        }
    }
    hashers.iter().map(Hasher::finish).collect()
}

/// One cell of a primary key, compared as stored (numbers by their bits).
#[derive(PartialEq, Eq, Hash)]
enum KeyPart<'a> {
    Text(Option<&'a str>),
    Bits(Option<u64>),
    Integer(Option<i64>),
}

impl<'a> KeyPart<'a> {
    /// The key part of one row of a column: [`key_hashes`] walks whole columns with the same
    /// constructors.
    fn of(values: &'a Values, row: usize) -> KeyPart<'a> {
        match values {
            Values::Text(values) => KeyPart::Text(values.get(row)),
            Values::Number(values) => KeyPart::number(values.get(row)),
            Values::Integer(values) => KeyPart::Integer(values.get(row)),
            Values::Flag(values) => KeyPart::flag(values.get(row)),
        }
    }

    fn number(value: Option<f64>) -> KeyPart<'a> {
        KeyPart::Bits(value.map(f64::to_bits))
    }

    fn flag(value: Option<bool>) -> KeyPart<'a> {
        KeyPart::Integer(value.map(i64::from))
    }
}

/// Required values, finiteness, ranges and allowed values of a number column.
fn check_numbers(
    values: impl Iterator<Item = Option<f64>>,
    constraints: &Constraints,
    finding: &dyn Fn(usize, &str, Message) -> Finding,
    findings: &mut Vec<Finding>,
) {
    let allowed: Option<Vec<f64>> = constraints.allowed.as_ref().map(|allowed| {
        allowed
            .iter()
            .filter_map(serde_json::Value::as_f64)
            .collect()
    });
    for (row, value) in values.enumerate() {
        let Some(number) = value else {
            if constraints.required {
                findings.push(finding(row, "required", msg!("schema_required")));
            }
            continue;
        };
        if !number.is_finite() {
            findings.push(finding(row, "not_finite", msg!("schema_not_finite")));
        }
        if let Some(minimum) = constraints.minimum
            && number < minimum
        {
            let minimum = minimum.to_string();
            findings.push(finding(
                row,
                "minimum",
                msg!("schema_minimum", minimum = minimum),
            ));
        }
        if let Some(maximum) = constraints.maximum
            && number > maximum
        {
            let maximum = maximum.to_string();
            findings.push(finding(
                row,
                "maximum",
                msg!("schema_maximum", maximum = maximum),
            ));
        }
        if let Some(allowed) = &allowed
            && !allowed.contains(&number)
        {
            findings.push(finding(row, "enum", msg!("schema_enum")));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_schema_parses_and_names_its_key_fields() {
        for table in TableName::ALL {
            let schema = schema_of(table).unwrap();
            for key in &schema.primary_key {
                assert!(
                    schema.fields.iter().any(|f| &f.name == key),
                    "{table:?}: key {key} is not a field"
                );
            }
        }
    }

    #[test]
    fn reports_each_broken_cell() {
        let schema = schema_of(TableName::Observations).unwrap();
        let table = Table::new(TableName::Observations)
            .text("territory", vec![Some("035004"), Some("35004")])
            .text(
                "measure",
                vec![Some("population_total"), Some("population_total")],
            )
            .text("period", vec![Some("2021"), Some("2021")])
            .number("value", vec![Some(10104.0), None])
            .text("unit", vec![Some("abitanti"), Some("abitanti")])
            .text("source", vec![Some("ISTAT"), Some("ISTAT")]);
        let findings = validate(&table, &schema, "observations").unwrap();
        let rules: Vec<&str> = findings.iter().map(|f| f.rule.as_str()).collect();
        assert_eq!(rules, ["pattern", "required"], "{findings:#?}");
        assert_eq!(findings[0].row, Some(2));
        assert_eq!(findings[0].value.as_deref(), Some("35004"));
    }

    /// A value that passed is not checked again on the next row; one that failed is, and is
    /// reported at every row it is in.
    #[test]
    fn a_broken_value_is_reported_at_every_row() {
        let schema = schema_of(TableName::Observations).unwrap();
        let territories = ["035004", "35004", "35004", "035004", "035004", "35004"];
        let column = |value: &'static str| vec![Some(value); territories.len()];
        let table = Table::new(TableName::Observations)
            .text("territory", territories.map(Some))
            .text("measure", column("population_total"))
            .repeated_text(
                "period",
                ["2019", "2020", "2021", "2022", "2023", "2024"].map(Some),
            )
            .number("value", vec![Some(1.0); territories.len()])
            .text("unit", column("abitanti"))
            .text("source", column("ISTAT"));
        let findings = validate(&table, &schema, "observations").unwrap();
        let rows: Vec<(Option<usize>, &str)> =
            findings.iter().map(|f| (f.row, f.rule.as_str())).collect();
        assert_eq!(
            rows,
            [
                (Some(2), "pattern"),
                (Some(3), "pattern"),
                (Some(6), "pattern")
            ]
        );
    }

    #[test]
    fn reports_every_repeated_key_at_its_row() {
        let schema = schema_of(TableName::Observations).unwrap();
        let rows = 5_000;
        let code = |row: usize| format!("{:06}", 1000 + row % 4_000);
        let codes: Vec<String> = (0..rows).map(code).collect();
        let same = |text: &'static str| vec![Some(text); rows];
        let table = Table::new(TableName::Observations)
            .text("territory", codes.iter().map(|c| Some(c.as_str())))
            .text("measure", same("population_total"))
            .text("period", same("2021"))
            .number("value", vec![Some(1.0); rows])
            .text("unit", same("abitanti"))
            .text("source", same("ISTAT"));
        let findings = validate(&table, &schema, "observations").unwrap();
        let repeated: Vec<Option<usize>> = findings
            .iter()
            .filter(|f| f.rule == "primary_key")
            .map(|f| f.row)
            .collect();
        // Codes repeat from row 4,001 on: each of the last thousand rows repeats a key.
        assert_eq!(repeated, (4_001..=5_000).map(Some).collect::<Vec<_>>());
    }
}
