//! `datapackage.json`: a Frictionless Tabular Data Package describing every CSV of a release,
//! with the Table Schemas from `schemas/` that validation uses, its licence and its sources.

use serde_json::{Value, json};

use crate::error::Result;
use crate::plan::Plan;
use crate::plan::catalog::License;
use crate::report::SourceSummary;
use crate::table::TableName;
use crate::table::schema;

/// One CSV file of a dataset.
#[derive(Debug, Clone)]
pub(crate) struct Resource<'a> {
    pub(crate) name: &'a str,
    pub(crate) title: &'a str,
    pub(crate) description: Option<&'a str>,
    pub(crate) table: TableName,
    /// Path inside the release.
    pub(crate) path: String,
    pub(crate) bytes: u64,
    pub(crate) sha256: String,
}

pub(crate) const FILE: &str = "datapackage.json";

pub(crate) fn build(
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
            .map_err(|e| crate::error::Error::json(crate::msg!("serializing_table_schema"), e))?;
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
