//! The dataset pages: for each published dataset, its columns (from its schema), a preview of
//! its first rows, its downloads with size and SHA-256, its licence and catalog fields, and
//! the input files it is made from; and the index of the open data with the catalog's files.

use std::collections::BTreeSet;
use std::path::Path;

use serde::Serialize;

use crate::clock::{self, RunTime};
use crate::error::Result;
use crate::plan::catalog;
use crate::plan::site::Link;
use crate::site::input::{DatasetInput, SiteInput, SourceInput};
use crate::site::render::{Writer, v};
use crate::table::schema::{self, FieldType};
use crate::table::{Table, TableName};
use crate::text::size_it;

/// The rows a dataset page previews.
const PREVIEW: usize = 10;

/// A download link of a dataset.
#[derive(Debug, Clone, Serialize)]
struct Download {
    format: String,
    href: String,
    size: String,
    sha256: String,
}

#[derive(Debug, Clone, Serialize)]
struct ColumnDoc {
    name: String,
    title: String,
    kind: String,
    description: String,
}

/// What a dataset page shows.
#[derive(Debug, Clone, Serialize)]
struct DatasetPage {
    name: String,
    title: String,
    description: Option<String>,
    rows: usize,
    downloads: Vec<Download>,
    columns: Vec<ColumnDoc>,
    preview_rows: Vec<Vec<String>>,
    license: Link,
    themes: Vec<String>,
    frequency: Option<String>,
    keywords: Vec<String>,
    identifier: Option<String>,
    sources: Vec<String>,
    /// The input files, from the release's provenance.
    origins: Vec<InputFile>,
    /// How the sources it is made from date their values, where they say it.
    datings: Vec<String>,
    /// Sources whose data is older than their expected update allows, in Italian.
    stale: Vec<String>,
}

/// One input file of a dataset, as its page shows it.
#[derive(Debug, Clone, Serialize)]
struct InputFile {
    /// The source's name in the pipeline.
    source: String,
    /// What the source is, in Italian.
    label: String,
    /// A local file's name, or a download's address.
    file: String,
    href: Option<String>,
    /// When it was read or downloaded (dd/mm/yyyy).
    date: String,
    downloaded: bool,
    size: String,
    sha256: String,
}

pub(crate) fn write(writer: &mut Writer, input: &SiteInput) -> Result<()> {
    let catalog = catalog_links(&input.catalog_files);
    let pages = input
        .datasets
        .iter()
        .map(|dataset| page(input, dataset))
        .collect::<Result<Vec<_>>>()?;
    for dataset in &pages {
        writer.page(
            &format!("dataset/{}.html", dataset.name),
            "dataset.html",
            &dataset.title,
            "data",
            &[("Dati aperti", "dati.html")],
            minijinja::context! {
                dataset => v(dataset),
                catalog_files => v(&catalog),
            },
        )?;
    }
    writer.page(
        "dati.html",
        "data.html",
        "Dati aperti",
        "data",
        &[],
        minijinja::context! {
            datasets => v(&pages),
            catalog_files => v(&catalog),
        },
    )
}

fn catalog_links(files: &[String]) -> Vec<Link> {
    files
        .iter()
        .map(|file| Link {
            href: file.clone(),
            label: match file.rsplit('.').next() {
                Some("rdf") => {
                    format!("Catalogo DCAT-AP_IT in RDF/XML ({file}), da registrare su dati.gov.it")
                }
                Some("ttl") => format!("Catalogo DCAT-AP_IT in Turtle ({file})"),
                Some("jsonld") => format!("Catalogo DCAT-AP_IT in JSON-LD ({file})"),
                _ => file.clone(),
            },
        })
        .collect()
}

/// What a dataset's page shows: its metadata, columns from the schema, the first rows.
fn page(input: &SiteInput, published: &DatasetInput) -> Result<DatasetPage> {
    let (dataset, table) = (published.dataset, published.table);
    let metadata = dataset.metadata.as_ref();
    let license = metadata.map_or(input.about.license, |m| m.license);
    Ok(DatasetPage {
        name: dataset.name.clone(),
        title: dataset.title.clone(),
        description: dataset.description.clone(),
        rows: table.row_count(),
        downloads: published
            .files
            .iter()
            .map(|(format, file)| Download {
                format: format.label().to_owned(),
                href: file.path.clone(),
                size: size_it(file.bytes),
                sha256: file.sha256.clone(),
            })
            .collect(),
        columns: columns(dataset.table)?,
        preview_rows: preview(table),
        license: Link {
            href: license.url().to_owned(),
            label: license.name_it().to_owned(),
        },
        themes: metadata
            .map(|m| {
                m.themes
                    .iter()
                    .map(|t| catalog::theme_label(t).to_owned())
                    .collect()
            })
            .unwrap_or_default(),
        frequency: metadata.map(|m| catalog::frequency_label(&m.frequency).to_owned()),
        keywords: metadata.map(|m| m.keywords.clone()).unwrap_or_default(),
        identifier: published.identifier.clone(),
        sources: sources(input, table),
        origins: input_files(dataset.table, &input.sources),
        datings: input
            .sources
            .iter()
            .filter(|source| source.feeds.reaches(dataset.table))
            .filter_map(|source| source.provenance.dates.dated.clone())
            .collect(),
        stale: stale_sources(input, dataset.table),
    })
}

/// What the page says of each source feeding the table whose data is stale.
fn stale_sources(input: &SiteInput, table: TableName) -> Vec<String> {
    input
        .sources
        .iter()
        .filter(|source| source.feeds.reaches(table))
        .filter_map(|source| {
            let stale = source.provenance.dates.stale.as_ref()?;
            Some(format!(
                "Dato non aggiornato dal {}: la fonte «{}» ({}) doveva essere aggiornata entro il {}.",
                clock::date_it(&stale.as_of),
                source.provenance.label,
                source.provenance.name,
                clock::date_it(&stale.since)
            ))
        })
        .collect()
}

/// The columns of a table, from its schema.
fn columns(table: TableName) -> Result<Vec<ColumnDoc>> {
    let schema = schema::schema_of(table)?;
    Ok(schema
        .fields
        .iter()
        .map(|field| ColumnDoc {
            name: field.name.clone(),
            title: field.title.clone(),
            kind: match field.field_type {
                FieldType::String => "testo",
                FieldType::Number => "numero",
                FieldType::Integer => "numero intero",
            }
            .to_owned(),
            description: field.description.clone(),
        })
        .collect())
}

fn preview(table: &Table) -> Vec<Vec<String>> {
    (0..table.row_count().min(PREVIEW))
        .map(|row| {
            table
                .columns
                .iter()
                .map(|c| c.values.display(row).unwrap_or_default())
                .collect()
        })
        .collect()
}

/// The sources a table names row by row, or else the pipeline's.
fn sources(input: &SiteInput, table: &Table) -> Vec<String> {
    let named: BTreeSet<String> = table
        .column("source")
        .map(|column| {
            column
                .values
                .distinct_display()
                .into_iter()
                .flat_map(|text| text.split("; ").map(str::to_owned).collect::<Vec<_>>())
                .collect()
        })
        .unwrap_or_default();
    if !named.is_empty() {
        return named.into_iter().collect();
    }
    input
        .summaries
        .iter()
        .map(|s| format!("{} ({})", s.name, s.location))
        .collect()
}

/// The input files a table is made from, as its page lists them: a local file by its name,
/// a download by its address, each with the date it was read.
fn input_files(table: TableName, sources: &[SourceInput]) -> Vec<InputFile> {
    sources
        .iter()
        .filter(|source| source.feeds.reaches(table))
        .flat_map(|source| {
            let provenance = source.provenance;
            provenance.files.iter().map(move |file| {
                let remote =
                    file.location.starts_with("http://") || file.location.starts_with("https://");
                InputFile {
                    source: provenance.name.clone(),
                    label: provenance.label.clone(),
                    file: if remote {
                        file.location.clone()
                    } else {
                        Path::new(&file.location)
                            .file_name()
                            .map_or_else(|| file.location.clone(), |n| n.to_string_lossy().into())
                    },
                    href: remote.then(|| file.location.clone()),
                    date: RunTime::parse(&file.retrieved_at)
                        .map_or_else(|| file.retrieved_at.clone(), RunTime::date_it),
                    downloaded: remote,
                    size: size_it(file.bytes),
                    sha256: file.sha256.clone(),
                }
            })
        })
        .collect()
}
