//! `datapackage.json`: a Frictionless Tabular Data Package describing every CSV of a release,
//! with the Table Schemas from `schemas/` that validation uses, its licence and its sources.

use serde_json::{Value, json};

use crate::error::Result;
use crate::metadata::License;
use crate::plan::Plan;
use crate::report::SourceSummary;
use crate::table::TableName;
use crate::validate::schema;

/// One CSV file of a dataset.
#[derive(Debug, Clone)]
pub struct Resource<'a> {
    pub name: &'a str,
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub table: TableName,
    /// Path inside the release.
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
}

pub const FILE: &str = "datapackage.json";

pub fn build(
    plan: &Plan,
    license: Option<License>,
    sources: &[SourceSummary],
    resources: &[Resource],
) -> Result<Value> {
    let mut package = json!({
        "profile": "tabular-data-package",
        "name": plan.id,
        "title": plan.title,
    });
    if let Some(description) = &plan.description {
        package["description"] = json!(description);
    }
    if let Some(license) = license {
        package["licenses"] = json!([{
            "name": license.id(),
            "path": license.url(),
            "title": license.name_it(),
        }]);
    }
    package["sources"] = Value::Array(
        sources
            .iter()
            .map(|source| {
                let mut entry = json!({ "title": format!("{} ({})", source.name, source.kind) });
                if source.location.starts_with("http://") || source.location.starts_with("https://")
                {
                    entry["path"] = json!(source.location);
                }
                entry
            })
            .collect(),
    );
    let mut items = Vec::new();
    for resource in resources {
        let schema = serde_json::to_value(schema::schema_of(resource.table)?)
            .map_err(|e| crate::error::Error::table("serializing a table schema", e))?;
        let mut item = json!({
            "name": resource.name,
            "path": resource.path,
            "profile": "tabular-data-resource",
            "title": resource.title,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "bytes": resource.bytes,
            "hash": format!("sha256:{}", resource.sha256),
            "dialect": { "delimiter": ",", "header": true },
            "schema": schema,
        });
        if let Some(description) = resource.description {
            item["description"] = json!(description);
        }
        items.push(item);
    }
    package["resources"] = Value::Array(items);
    Ok(package)
}
