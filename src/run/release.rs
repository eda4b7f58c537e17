//! The release step: everything a release holds, written into its folder while it is not
//! current yet: the data files of each dataset in every format, the DCAT-AP_IT catalog and
//! its state, the data package, the citizens' pages, the report and the provenance.

use std::path::Path;

use crate::clock::RunTime;
use crate::error::Result;
use crate::plan::Dataset;
use crate::publish::datapackage::{self, Resource};
use crate::publish::dcat::{self, CatalogState, DatasetRecord, FileRecord};
use crate::publish::feed::{self, FeedInput};
use crate::publish::provenance::{Provenance, SourceProvenance};
use crate::publish::{Files, Format};
use crate::report::{OutputFile, Report};
use crate::run::compute::Computed;
use crate::run::history::Recorded;
use crate::run::pipeline::Pipeline;
use crate::site::{self, About, DatasetInput, Feeds, News, SiteInput, SourceInput};
use crate::table::Table;

/// What a release is written from, besides what was computed.
pub(crate) struct Contents<'a> {
    pub(crate) computed: &'a Computed,
    /// The current release's catalog state, for stable modification dates.
    pub(crate) previous: &'a CatalogState,
    pub(crate) fingerprint: &'a str,
    pub(crate) run_time: RunTime,
    /// The pipeline's history, with this release's values.
    pub(crate) history: &'a Recorded,
}

/// A dataset with its table and the files it was written to, in the order of [`Format::ALL`].
struct Written<'a> {
    dataset: &'a Dataset,
    /// The table as published.
    table: Table,
    files: Vec<(Format, OutputFile)>,
}

/// Writes the release into `dir`; returns when the data part and the pages were done, by
/// `clock`.
pub(crate) fn write(
    pipeline: &Pipeline,
    contents: &Contents,
    report: &mut Report,
    dir: &Path,
    clock: &mut dyn FnMut() -> f64,
) -> Result<[(&'static str, f64); 2]> {
    let files = Files::new(dir);
    fs_err::create_dir_all(dir.join("data"))?;
    let written = write_data_files(pipeline, &contents.computed.tables, &files)?;
    for dataset in &written {
        report
            .outputs
            .extend(dataset.files.iter().map(|(_, file)| file.clone()));
    }
    let catalog_files = write_catalog(pipeline, contents, &written, &files, report)?;
    write_datapackage(pipeline, &written, &files, report)?;
    let data_done = clock();
    let origins = Provenance::sources(report, contents.run_time);
    if pipeline.plan.site.pages {
        write_pages(
            pipeline,
            contents,
            &written,
            &origins,
            catalog_files,
            &files,
            report,
        )?;
        write_feed(pipeline, contents, &files, report)?;
    }
    let text = report.to_json();
    report
        .outputs
        .push(files.write("report.json", text.as_bytes())?);
    Provenance::of(
        &pipeline.plan,
        origins,
        report,
        contents.fingerprint,
        contents.run_time,
    )
    .write(&files)?;
    Ok([("data", data_done), ("pages", clock())])
}

/// The Atom feed of the history's releases, beside the pages that it links to.
fn write_feed(
    pipeline: &Pipeline,
    contents: &Contents,
    files: &Files,
    report: &mut Report,
) -> Result<()> {
    let plan = &pipeline.plan;
    let about = About::of(plan);
    let xml = feed::atom(&FeedInput {
        pipeline_id: &plan.id,
        title: about.title,
        publisher: &about.publisher,
        base_url: plan.catalog.as_ref().map(|c| c.base_url.as_str()),
        timeline: &contents.history.timeline,
        records_changed: contents.history.records.len(),
    });
    report
        .outputs
        .push(files.write(feed::FEED_FILE, xml.as_bytes())?);
    Ok(())
}

/// Every data file at once, side by side: they are independent and each writer uses one core
/// for most of its work.
fn write_data_files<'a>(
    pipeline: &'a Pipeline,
    tables: &'a [Table],
    files: &Files,
) -> Result<Vec<Written<'a>>> {
    let published: Vec<(&Dataset, Table)> = pipeline
        .plan
        .datasets
        .iter()
        .filter_map(|dataset| {
            let table = tables.iter().find(|t| t.name == dataset.table)?;
            Some((dataset, table.published()))
        })
        .collect();
    let jobs: Vec<(&Table, Format, String)> = published
        .iter()
        .flat_map(|(dataset, table)| {
            Format::ALL.into_iter().map(move |format| {
                let relative = format!("data/{}.{}", dataset.name, format.extension());
                (table, format, relative)
            })
        })
        .collect();
    let described = crate::parallel::map(&jobs, true, |(table, format, relative)| {
        files.stream(relative, |writer, path| format.write(table, writer, path))
    })
    .into_iter()
    .collect::<Result<Vec<_>>>()?;
    crate::pause::point("publish.parquet");
    // In the order of the jobs: dataset by dataset, every format of each.
    let mut described = described.into_iter();
    Ok(published
        .into_iter()
        .map(|(dataset, table)| Written {
            dataset,
            table,
            files: Format::ALL.into_iter().zip(described.by_ref()).collect(),
        })
        .collect())
}

/// The catalog in its three serializations and its state, when the pipeline publishes one;
/// the names of its files.
fn write_catalog(
    pipeline: &Pipeline,
    contents: &Contents,
    written: &[Written],
    files: &Files,
    report: &mut Report,
) -> Result<Vec<String>> {
    let Some(catalog) = &pipeline.plan.catalog else {
        return Ok(Vec::new());
    };
    let iso = contents.run_time.iso();
    let today = &iso[..10];
    let mut state = CatalogState::default();
    let mut records = Vec::new();
    for dataset in written {
        let Some(metadata) = &dataset.dataset.metadata else {
            continue;
        };
        let csv = &dataset.files[0].1;
        let dates = contents
            .previous
            .dates(&dataset.dataset.name, &csv.sha256, today);
        state
            .datasets
            .insert(dataset.dataset.name.clone(), dates.clone());
        records.push(DatasetRecord {
            dataset: dataset.dataset,
            metadata,
            files: dataset
                .files
                .iter()
                .map(|(format, file)| FileRecord {
                    format: *format,
                    path: file.path.clone(),
                    bytes: file.bytes,
                    sha256: file.sha256.clone(),
                })
                .collect(),
            modified: dates.modified,
            issued: dates.issued,
            temporal: dcat::temporal_coverage(&dataset.table),
            spatial: contents.computed.spatial.clone(),
            landing_page: format!("dataset/{}.html", dataset.dataset.name),
        });
    }
    // The catalog changes when a dataset does: its date is the latest of theirs.
    let modified = records
        .iter()
        .map(|r| r.modified.clone())
        .max()
        .unwrap_or_else(|| today.to_owned());
    let triples = dcat::build(catalog, &pipeline.plan.id, &records, &modified);
    report.outputs.extend(dcat::write(files, &triples)?);
    state.write(files)?;
    Ok(dcat::FILES
        .iter()
        .map(|(name, _)| (*name).to_owned())
        .collect())
}

fn write_datapackage(
    pipeline: &Pipeline,
    written: &[Written],
    files: &Files,
    report: &mut Report,
) -> Result<()> {
    let resources: Vec<Resource> = written
        .iter()
        .map(|dataset| {
            let csv = &dataset.files[0].1;
            Resource {
                name: &dataset.dataset.name,
                title: &dataset.dataset.title,
                description: dataset.dataset.description.as_deref(),
                table: dataset.dataset.table,
                path: csv.path.clone(),
                bytes: csv.bytes,
                sha256: csv.sha256.clone(),
            }
        })
        .collect();
    let plan = &pipeline.plan;
    let package = datapackage::build(
        plan,
        plan.catalog.as_ref().map(|c| c.license),
        &report.sources,
        &resources,
    )?;
    let text = serde_json::to_string_pretty(&package)
        .map_err(|e| crate::error::Error::json(crate::msg!("writing_datapackage"), e))?;
    report
        .outputs
        .push(files.write(datapackage::FILE, (text + "\n").as_bytes())?);
    Ok(())
}

/// The citizens' pages, from what the release holds; the pages are listed among the outputs,
/// the site's own assets are not.
fn write_pages(
    pipeline: &Pipeline,
    contents: &Contents,
    written: &[Written],
    origins: &[SourceProvenance],
    catalog_files: Vec<String>,
    files: &Files,
    report: &mut Report,
) -> Result<()> {
    let sources: Vec<SourceInput> = origins
        .iter()
        .zip(&pipeline.sources)
        .map(|(provenance, planned)| SourceInput {
            provenance,
            feeds: match planned.source.gives_territory_list() {
                true => Feeds::Every,
                false if !planned.source.gives_data() => Feeds::Maps,
                false => Feeds::Tables(planned.source.tables()),
            },
        })
        .collect();
    let computed = contents.computed;
    let plan = &pipeline.plan;
    let input = SiteInput {
        about: About::of(plan),
        indicators: &pipeline.indicators,
        run_time: contents.run_time,
        rows: &computed.rows,
        history: &contents.history.replay,
        news: News {
            changes: &contents.history.changes,
            records: &contents.history.records,
            timeline: &contents.history.timeline,
        },
        territories: &computed.territories,
        projects: &computed.projects,
        shapes: &computed.shapes,
        tables: &computed.tables,
        datasets: written
            .iter()
            .map(|w| DatasetInput {
                dataset: w.dataset,
                table: &w.table,
                files: &w.files,
                identifier: plan
                    .catalog
                    .as_ref()
                    .map(|c| dcat::identifier(c, &plan.id, &w.dataset.name)),
            })
            .collect(),
        checks: &report.checks,
        summaries: &report.sources,
        sources,
        catalog_files,
    };
    let pages = site::write(files, &input)?;
    report.outputs.extend(
        pages
            .into_iter()
            .filter(|file| file.path.ends_with(".html")),
    );
    Ok(())
}
