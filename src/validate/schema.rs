//! Table schemas (Frictionless Table Schema, the files in `schemas/`) and the check of a table
//! against its schema, before anything is published.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::table::{Table, TableName, Values};
use crate::validate::Finding;

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TableSchema {
    pub fields: Vec<Field>,
    #[serde(rename = "primaryKey")]
    pub primary_key: Vec<String>,
    #[serde(rename = "missingValues")]
    pub missing_values: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    pub name: String,
    #[serde(rename = "type")]
    pub field_type: FieldType,
    /// Italian title and description, shown on dataset pages and in datapackage.json.
    pub title: String,
    pub description: String,
    #[serde(default, skip_serializing_if = "Constraints::is_empty")]
    pub constraints: Constraints,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    String,
    Number,
    Integer,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Constraints {
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimum: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maximum: Option<f64>,
    #[serde(rename = "enum", skip_serializing_if = "Option::is_none")]
    pub allowed: Option<Vec<serde_json::Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
}

impl Constraints {
    fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}

/// The schema of a published table, from `schemas/`.
pub fn schema_of(table: TableName) -> Result<TableSchema> {
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
    };
    serde_json::from_str(text).map_err(|e| Error::table(format!("reading {file}"), e))
}

/// Checks a table against its schema: columns and types, required values, allowed values,
/// ranges, patterns and the uniqueness of the primary key. `label` names the table in findings.
pub fn validate(table: &Table, schema: &TableSchema, label: &str) -> Result<Vec<Finding>> {
    let mut findings = Vec::new();
    let names: Vec<&str> = table.columns.iter().map(|c| c.name.as_str()).collect();
    let expected: Vec<&str> = schema.fields.iter().map(|f| f.name.as_str()).collect();
    if names != expected {
        findings.push(
            Finding::error(
                "schema_columns",
                format!("columns are {names:?}, the schema wants {expected:?}"),
            )
            .in_file(label),
        );
        return Ok(findings);
    }
    for (field, column) in schema.fields.iter().zip(&table.columns) {
        let pattern = match &field.constraints.pattern {
            Some(pattern) => Some(
                regex::Regex::new(&format!("^(?:{pattern})$"))
                    .map_err(|e| Error::table(format!("pattern of field `{}`", field.name), e))?,
            ),
            None => None,
        };
        let type_matches = matches!(
            (&column.values, field.field_type),
            (Values::Text(_), FieldType::String)
                | (Values::Number(_), FieldType::Number)
                | (Values::Integer(_), FieldType::Integer)
        );
        if !type_matches {
            findings.push(
                Finding::error(
                    "schema_type",
                    format!("the schema wants type {:?}", field.field_type),
                )
                .in_file(label)
                .in_column(&field.name),
            );
            continue;
        }
        for row in 0..column.values.len() {
            let finding = |rule: &str, message: String| {
                let mut finding = Finding::error(rule, message)
                    .in_file(label)
                    .at_row(row + 1)
                    .in_column(&field.name);
                if let Some(value) = column.values.display(row) {
                    finding = finding.with_value(value);
                }
                finding
            };
            if column.values.is_missing(row) {
                if field.constraints.required {
                    findings.push(finding("required", "a value is required".to_owned()));
                }
                continue;
            }
            let number = match &column.values {
                Values::Number(values) => values[row],
                Values::Integer(values) => values[row].map(|v| v as f64),
                Values::Text(_) => None,
            };
            if let Some(number) = number {
                if !number.is_finite() {
                    findings.push(finding(
                        "not_finite",
                        "the value is not a finite number".to_owned(),
                    ));
                }
                if let Some(minimum) = field.constraints.minimum
                    && number < minimum
                {
                    findings.push(finding("minimum", format!("below the minimum {minimum}")));
                }
                if let Some(maximum) = field.constraints.maximum
                    && number > maximum
                {
                    findings.push(finding("maximum", format!("above the maximum {maximum}")));
                }
            }
            if let Some(allowed) = &field.constraints.allowed {
                let ok = allowed
                    .iter()
                    .any(|candidate| match (candidate, &column.values) {
                        (serde_json::Value::String(s), Values::Text(values)) => {
                            values[row].as_deref() == Some(s)
                        }
                        (serde_json::Value::Number(n), _) => n.as_f64() == number,
                        _ => false,
                    });
                if !ok {
                    findings.push(finding("enum", "not one of the allowed values".to_owned()));
                }
            }
            if let (Some(pattern), Values::Text(values)) = (&pattern, &column.values)
                && let Some(text) = &values[row]
                && !pattern.is_match(text)
            {
                findings.push(finding(
                    "pattern",
                    format!("does not match the pattern {}", pattern.as_str()),
                ));
            }
        }
    }
    let key_columns: Vec<&Values> = schema
        .primary_key
        .iter()
        .filter_map(|name| table.column(name).map(|c| &c.values))
        .collect();
    let mut seen = BTreeSet::new();
    for row in 0..table.row_count() {
        let key: Vec<Option<String>> = key_columns
            .iter()
            .map(|values| values.display(row))
            .collect();
        if !seen.insert(key.clone()) {
            findings.push(
                Finding::error(
                    "primary_key",
                    format!("the key {:?} = {key:?} appears twice", schema.primary_key),
                )
                .in_file(label)
                .at_row(row + 1),
            );
        }
    }
    Ok(findings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_schema_parses_and_names_its_key_fields() {
        for table in [
            TableName::Indicators,
            TableName::Observations,
            TableName::Projects,
            TableName::ProjectKpis,
            TableName::PnrrProjects,
        ] {
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
            .text(
                "territory",
                vec![Some("035004".into()), Some("35004".into())],
            )
            .text(
                "measure",
                vec![
                    Some("population_total".into()),
                    Some("population_total".into()),
                ],
            )
            .text("period", vec![Some("2021".into()), Some("2021".into())])
            .number("value", vec![Some(10104.0), None])
            .text(
                "unit",
                vec![Some("abitanti".into()), Some("abitanti".into())],
            )
            .text("source", vec![Some("ISTAT".into()), Some("ISTAT".into())]);
        let findings = validate(&table, &schema, "observations").unwrap();
        let rules: Vec<&str> = findings.iter().map(|f| f.rule.as_str()).collect();
        assert_eq!(rules, ["pattern", "required"], "{findings:#?}");
        assert_eq!(findings[0].row, Some(2));
        assert_eq!(findings[0].value.as_deref(), Some("35004"));
    }
}
