//! Sources: one file per kind, each checking its own options and turning its input into
//! observations (the long table's rows) and, where it has them, the list of comuni, project
//! records and tables of its own (the funded applications of PA digitale). The enum is the
//! registry of kinds: generic code asks it, never a kind by name.

pub(crate) mod boundaries;
pub(crate) mod csv;
pub(crate) mod freshness;
pub(crate) mod istat_population;
pub(crate) mod istat_sdmx;
pub(crate) mod padigitale;
pub(crate) mod project;
pub(crate) mod project_records;
pub(crate) mod read;
pub(crate) mod result;
pub(crate) mod rows;
pub(crate) mod shape;
pub(crate) mod territories;

use crate::error::{ConfigProblem, Result};
use crate::plan::{Location, Paths};
use crate::spec::source::SourceKindSpec;
use crate::spec::{Item, SourceSpec};
use crate::table::TableName;

pub(crate) use read::IngestContext;
pub(crate) use result::{Harmonized, Ingested, ReadFile, files_in};
pub(crate) use rows::Comune;

/// A checked source, ready to read.
#[derive(Debug, Clone)]
pub(crate) enum Source {
    Csv(csv::CsvSource),
    IstatPopulation(istat_population::IstatPopulationSource),
    IstatSdmx(istat_sdmx::IstatSdmxSource),
    Territories(territories::TerritoriesSource),
    ProjectRecords(project_records::ProjectRecordsSource),
    Padigitale(padigitale::PadigitaleSource),
    Boundaries(boundaries::BoundariesSource),
}

impl Source {
    /// Resolves paths against the pipeline file's folder and checks the kind's options.
    pub(crate) fn check(
        item: &Item<SourceSpec>,
        base: &Paths,
    ) -> std::result::Result<Source, Vec<ConfigProblem>> {
        match &item.spec.kind {
            SourceKindSpec::Csv(spec) => csv::CsvSource::check(item, spec, base).map(Source::Csv),
            SourceKindSpec::IstatPopulation(spec) => {
                istat_population::IstatPopulationSource::check(item, spec, base)
                    .map(Source::IstatPopulation)
            }
            SourceKindSpec::IstatSdmx(spec) => {
                istat_sdmx::IstatSdmxSource::check(item, spec, base).map(Source::IstatSdmx)
            }
            SourceKindSpec::Padigitale(spec) => {
                padigitale::PadigitaleSource::check(item, spec, base).map(Source::Padigitale)
            }
            SourceKindSpec::Territories(spec) => {
                territories::TerritoriesSource::check(item, spec, base).map(Source::Territories)
            }
            SourceKindSpec::ProjectRecords(spec) => {
                project_records::ProjectRecordsSource::check(item, spec, base)
                    .map(Source::ProjectRecords)
            }
            SourceKindSpec::Boundaries(spec) => {
                boundaries::BoundariesSource::check(item, spec, base).map(Source::Boundaries)
            }
        }
    }

    /// The kind as the pipeline file writes it, for the report and the provenance.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Source::Csv(_) => "csv",
            Source::IstatPopulation(_) => "istat_population",
            Source::IstatSdmx(_) => "istat_sdmx",
            Source::Territories(_) => "territories",
            Source::ProjectRecords(_) => "project_records",
            Source::Padigitale(_) => "padigitale",
            Source::Boundaries(_) => "boundaries",
        }
    }

    /// What the source is, in Italian, as the dataset pages name it.
    pub(crate) fn label_it(&self) -> &'static str {
        match self {
            Source::Csv(_) => "tabella di dati",
            Source::IstatPopulation(_) => "ISTAT, popolazione residente per età e sesso",
            Source::IstatSdmx(_) => "ISTAT, servizio di dati statistici (SDMX)",
            Source::Territories(_) => "ISTAT, elenco dei comuni italiani",
            Source::ProjectRecords(_) => "schede dei progetti",
            Source::Padigitale(_) => "PA digitale 2026, candidature finanziate",
            Source::Boundaries(_) => "confini amministrativi",
        }
    }

    /// Whether the source gives the list of comuni every territory code is checked against.
    pub(crate) fn gives_territory_list(&self) -> bool {
        matches!(self, Source::Territories(_))
    }

    /// Whether the source gives data to the published tables: boundaries only draw maps.
    pub(crate) fn gives_data(&self) -> bool {
        !matches!(self, Source::Boundaries(_))
    }

    /// The published tables the source gives rows of, besides observations.
    pub(crate) fn tables(&self) -> &'static [TableName] {
        match self {
            Source::ProjectRecords(_) => project_records::TABLES,
            Source::Padigitale(_) => padigitale::TABLES,
            Source::Csv(_)
            | Source::IstatPopulation(_)
            | Source::IstatSdmx(_)
            | Source::Territories(_)
            | Source::Boundaries(_) => &[],
        }
    }

    /// The locations the source reads; for a folder of records, its files one by one.
    pub(crate) fn inputs(&self) -> Result<Vec<Location>> {
        Ok(match self {
            Source::Csv(s) => vec![s.location.clone()],
            Source::IstatPopulation(s) => vec![s.location.clone()],
            Source::IstatSdmx(s) => vec![s.location.clone()],
            Source::Territories(s) => vec![s.location.clone()],
            Source::Padigitale(s) => s.locations.clone(),
            Source::Boundaries(s) => s.locations()?,
            Source::ProjectRecords(s) => {
                files_in(&s.dir)?.into_iter().map(Location::File).collect()
            }
        })
    }

    /// Where the source reads, as the plan shows it.
    pub(crate) fn describe_location(&self) -> String {
        match self {
            Source::ProjectRecords(source) => source.dir.display().to_string(),
            _ => self
                .inputs()
                .unwrap_or_default()
                .iter()
                .map(Location::label)
                .collect::<Vec<_>>()
                .join(", "),
        }
    }

    pub(crate) fn ingest(&self, name: &str, context: &IngestContext) -> Result<Ingested> {
        match self {
            Source::Csv(source) => source.ingest(name, context),
            Source::IstatPopulation(source) => source.ingest(name, context),
            Source::IstatSdmx(source) => source.ingest(name, context),
            Source::Territories(source) => source.ingest(name, context),
            Source::ProjectRecords(source) => source.ingest(name),
            Source::Padigitale(source) => source.ingest(name, context),
            Source::Boundaries(source) => source.ingest(name, context),
        }
    }

    /// The kind's own step once territory codes are harmonized: PA digitale derives its
    /// per-comune measures from the renamed applications, project records check the
    /// territories and challenges they name, boundaries are matched to the territories.
    pub(crate) fn after_harmonization(
        &self,
        name: &str,
        ingested: &mut Ingested,
        harmonized: &Harmonized,
    ) -> Result<()> {
        match self {
            Source::Padigitale(source) => source.derive(name, ingested, harmonized.run_date),
            Source::ProjectRecords(_) => {
                project_records::check_references(ingested, harmonized);
                Ok(())
            }
            Source::Boundaries(_) => {
                boundaries::check_matches(ingested, harmonized);
                Ok(())
            }
            Source::Csv(_)
            | Source::IstatPopulation(_)
            | Source::IstatSdmx(_)
            | Source::Territories(_) => Ok(()),
        }
    }
}
