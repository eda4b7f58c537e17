//! The DCAT-AP_IT catalog of a release, built as an RDF graph (oxrdf) and written as Turtle,
//! RDF/XML and JSON-LD (oxrdfio), in the shape the national harvester reads: every dataset
//! typed both dcatapit:Dataset and dcat:Dataset, distributions as IRIs, a contact point apart
//! from the publisher, identifiers `<IPA code>:<local id>`, and every referenced resource typed.

use std::path::Path;

use oxrdf::vocab::{rdf, xsd};
use oxrdf::{Literal, NamedNode, NamedOrBlankNode, Term, Triple};
use oxrdfio::{JsonLdProfileSet, RdfFormat, RdfSerializer};

use crate::error::{Error, Result};
use crate::plan::Dataset;
use crate::plan::catalog::{self as metadata, Catalog, DatasetMetadata, LANGUAGE_ITA};
use crate::publish::{Files, Format};
use crate::report::OutputFile;
use crate::table::Table;

const DCAT: &str = "http://www.w3.org/ns/dcat#";
const DCATAPIT: &str = "http://dati.gov.it/onto/dcatapit#";
const DCT: &str = "http://purl.org/dc/terms/";
const FOAF: &str = "http://xmlns.com/foaf/0.1/";
const VCARD: &str = "http://www.w3.org/2006/vcard/ns#";
const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
const OWL: &str = "http://www.w3.org/2002/07/owl#";
const SCHEMA: &str = "http://schema.org/";
const LOCN: &str = "http://www.w3.org/ns/locn#";
const SPDX: &str = "http://spdx.org/rdf/terms#";
const FILE_TYPE_BASE: &str = "http://publications.europa.eu/resource/authority/file-type/";
const MEDIA_TYPE_BASE: &str = "http://www.iana.org/assignments/media-types/";
const THEME_SCHEME: &str = "http://publications.europa.eu/resource/authority/data-theme";
const DCATAP: &str = "http://data.europa.eu/r5r/";
/// Files of a release stay where they are until the next release replaces them.
const AVAILABILITY_STABLE: &str =
    "http://publications.europa.eu/resource/authority/planned-availability/STABLE";
const LOCAL_AUTHORITY: &str = "http://purl.org/adms/publishertype/LocalAuthority";

/// The catalog files of a release, in the order they are written.
pub(crate) const FILES: [(&str, &str); 3] = [
    ("catalog.ttl", "text/turtle"),
    ("catalog.rdf", "application/rdf+xml"),
    ("catalog.jsonld", "application/ld+json"),
];

/// A published file of a dataset.
#[derive(Debug, Clone)]
pub(crate) struct FileRecord {
    pub(crate) format: Format,
    /// Path inside the release, e.g. `data/indicatori.csv`.
    pub(crate) path: String,
    pub(crate) bytes: u64,
    pub(crate) sha256: String,
}

/// Everything the catalog says of one dataset.
#[derive(Debug, Clone)]
pub(crate) struct DatasetRecord<'a> {
    pub(crate) dataset: &'a Dataset,
    pub(crate) metadata: &'a DatasetMetadata,
    pub(crate) files: Vec<FileRecord>,
    /// `YYYY-MM-DD`: changes only when the content changes.
    pub(crate) modified: String,
    pub(crate) issued: String,
    /// First and last day the data cover.
    pub(crate) temporal: Option<(String, String)>,
    /// ISTAT codes and names of the territories covered.
    pub(crate) spatial: Vec<(String, String)>,
    /// The page a citizen opens for the dataset, relative to the release.
    pub(crate) landing_page: String,
}

struct Graph {
    triples: Vec<Triple>,
}

fn iri(text: &str) -> NamedNode {
    NamedNode::new_unchecked(text)
}

fn term(prefix: &str, local: &str) -> NamedNode {
    iri(&format!("{prefix}{local}"))
}

fn it(text: &str) -> Literal {
    Literal::new_language_tagged_literal_unchecked(text, "it")
}

fn en(text: &str) -> Literal {
    Literal::new_language_tagged_literal_unchecked(text, "en")
}

fn date(text: &str) -> Literal {
    Literal::new_typed_literal(text, xsd::DATE)
}

impl Graph {
    fn add(&mut self, subject: &NamedNode, predicate: NamedNode, object: impl Into<Term>) {
        self.triples.push(Triple::new(
            NamedOrBlankNode::NamedNode(subject.clone()),
            predicate,
            object,
        ));
    }

    fn types(&mut self, subject: &NamedNode, classes: &[(&str, &str)]) {
        for (prefix, local) in classes {
            self.add(subject, rdf::TYPE.into_owned(), term(prefix, local));
        }
    }
}

/// The nodes every dataset of the catalog points at.
struct Nodes {
    base: String,
    catalog: NamedNode,
    publisher: NamedNode,
    rights_holder: NamedNode,
    contact: NamedNode,
    language: NamedNode,
    scheme: NamedNode,
    stable: NamedNode,
}

/// Builds the catalog graph, sorted so that the same catalog gives the same bytes.
pub(crate) fn build(
    catalog: &Catalog,
    pipeline_id: &str,
    records: &[DatasetRecord],
    modified: &str,
) -> Vec<Triple> {
    let mut g = Graph {
        triples: Vec::new(),
    };
    let base = catalog.base_url.clone();
    let shared = Nodes {
        catalog: iri(&format!("{base}catalogo")),
        publisher: agent(&mut g, &base, &catalog.publisher),
        rights_holder: agent(&mut g, &base, &catalog.rights_holder),
        contact: iri(&format!("{base}contatto/{}", catalog.publisher.ipa)),
        language: iri(LANGUAGE_ITA),
        scheme: iri(THEME_SCHEME),
        stable: iri(AVAILABILITY_STABLE),
        base,
    };
    catalog_node(&mut g, &shared, catalog, records, modified);
    contact_point(&mut g, &shared, catalog);
    let mut licences = vec![catalog.license];
    for record in records {
        dataset(&mut g, &shared, catalog, pipeline_id, record);
        if !licences.contains(&record.metadata.license) {
            licences.push(record.metadata.license);
        }
    }
    for licence in licences {
        licence_document(&mut g, licence);
    }
    let mut triples = g.triples;
    triples.sort_by_cached_key(|t| {
        (
            t.subject.to_string(),
            t.predicate.to_string(),
            t.object.to_string(),
        )
    });
    triples.dedup();
    triples
}

/// The catalog itself: titles, publisher, dates, language, themes, licence, territories.
fn catalog_node(
    g: &mut Graph,
    shared: &Nodes,
    catalog: &Catalog,
    records: &[DatasetRecord],
    modified: &str,
) {
    let node = &shared.catalog;
    let homepage = iri(&catalog.homepage);
    g.types(node, &[(DCATAPIT, "Catalog"), (DCAT, "Catalog")]);
    g.add(node, term(DCT, "title"), it(&catalog.title));
    g.add(node, term(DCT, "description"), it(&catalog.description));
    if let Some(title) = &catalog.title_en {
        g.add(node, term(DCT, "title"), en(title));
    }
    if let Some(description) = &catalog.description_en {
        g.add(node, term(DCT, "description"), en(description));
    }
    g.add(node, term(DCT, "publisher"), shared.publisher.clone());
    g.add(node, term(DCT, "modified"), date(modified));
    if let Some(issued) = &catalog.issued {
        g.add(node, term(DCT, "issued"), date(issued));
    }
    g.add(node, term(DCT, "language"), shared.language.clone());
    g.add(node, term(FOAF, "homepage"), homepage.clone());
    g.add(node, term(DCAT, "themeTaxonomy"), shared.scheme.clone());
    g.add(node, term(DCT, "license"), iri(catalog.license.iri()));
    let spatial = records
        .first()
        .map(|r| r.spatial.as_slice())
        .unwrap_or_default();
    for (code, _) in spatial {
        let location = iri(&format!("{}territorio/{code}", shared.base));
        g.add(node, term(DCT, "spatial"), location);
    }
    g.types(&homepage, &[(FOAF, "Document")]);
    g.types(&shared.language, &[(DCT, "LinguisticSystem")]);
    g.types(&shared.scheme, &[(SKOS, "ConceptScheme")]);
    g.add(&shared.scheme, term(DCT, "title"), en("Data Theme"));
    g.types(&shared.stable, &[(SKOS, "Concept")]);
    g.add(&shared.stable, term(SKOS, "prefLabel"), en("stable"));
}

/// The office that answers questions, apart from the publisher.
fn contact_point(g: &mut Graph, shared: &Nodes, catalog: &Catalog) {
    let contact = &shared.contact;
    g.types(
        contact,
        &[
            (DCATAPIT, "Organization"),
            (VCARD, "Organization"),
            (VCARD, "Kind"),
        ],
    );
    g.add(contact, term(VCARD, "fn"), it(&catalog.contact.name));
    g.add(
        contact,
        term(VCARD, "hasEmail"),
        iri(&format!("mailto:{}", catalog.contact.email)),
    );
    if let Some(url) = &catalog.contact.url {
        g.add(contact, term(VCARD, "hasURL"), iri(url));
    }
}

/// One dataset: what it is, who answers for it, when and where it holds, its files.
fn dataset(
    g: &mut Graph,
    shared: &Nodes,
    catalog: &Catalog,
    pipeline_id: &str,
    record: &DatasetRecord,
) {
    let name = &record.dataset.name;
    let node = iri(&format!("{}dataset/{name}", shared.base));
    let landing = iri(&format!("{}{}", shared.base, record.landing_page));
    let metadata = record.metadata;
    g.add(&shared.catalog, term(DCAT, "dataset"), node.clone());
    g.types(&node, &[(DCATAPIT, "Dataset"), (DCAT, "Dataset")]);
    let id = identifier(catalog, pipeline_id, name);
    g.add(
        &node,
        term(DCT, "identifier"),
        Literal::new_simple_literal(id),
    );
    let title = &record.dataset.title;
    let description = record.dataset.description.as_deref().unwrap_or(title);
    g.add(&node, term(DCT, "title"), it(title));
    g.add(&node, term(DCT, "description"), it(description));
    if let Some(title) = &metadata.title_en {
        g.add(&node, term(DCT, "title"), en(title));
    }
    if let Some(description) = &metadata.description_en {
        g.add(&node, term(DCT, "description"), en(description));
    }
    g.add(&node, term(DCT, "modified"), date(&record.modified));
    g.add(&node, term(DCT, "issued"), date(&record.issued));
    g.add(
        &node,
        term(DCT, "rightsHolder"),
        shared.rights_holder.clone(),
    );
    g.add(&node, term(DCT, "publisher"), shared.publisher.clone());
    g.add(&node, term(DCAT, "contactPoint"), shared.contact.clone());
    g.add(&node, term(DCT, "language"), shared.language.clone());
    for keyword in &metadata.keywords {
        g.add(&node, term(DCAT, "keyword"), it(keyword));
    }
    g.add(&node, term(DCAT, "landingPage"), landing.clone());
    g.types(&landing, &[(FOAF, "Document")]);
    subjects(g, shared, &node, metadata);
    coverage(g, shared, &node, record);
    for file in &record.files {
        distribution(g, shared, &node, &landing, record, file);
    }
}

/// A dataset's themes, subthemes, frequency and the standards it conforms to.
fn subjects(g: &mut Graph, shared: &Nodes, node: &NamedNode, metadata: &DatasetMetadata) {
    for code in &metadata.themes {
        let theme = iri(&format!("{}{code}", metadata::THEME_BASE));
        g.add(node, term(DCAT, "theme"), theme.clone());
        g.types(&theme, &[(SKOS, "Concept")]);
        g.add(&theme, term(SKOS, "inScheme"), shared.scheme.clone());
        g.add(
            &theme,
            term(SKOS, "prefLabel"),
            it(metadata::theme_label(code)),
        );
    }
    for subtheme in &metadata.subthemes {
        let subject = iri(subtheme);
        g.add(node, term(DCT, "subject"), subject.clone());
        g.types(&subject, &[(SKOS, "Concept")]);
        let label = Literal::new_simple_literal(subtheme.clone());
        g.add(&subject, term(SKOS, "prefLabel"), label);
    }
    let frequency = iri(&format!(
        "{}{}",
        metadata::FREQUENCY_BASE,
        metadata.frequency
    ));
    g.add(node, term(DCT, "accrualPeriodicity"), frequency.clone());
    g.types(&frequency, &[(DCT, "Frequency")]);
    for standard in &metadata.conforms_to {
        let standard = iri(standard);
        g.add(node, term(DCT, "conformsTo"), standard.clone());
        g.types(&standard, &[(DCT, "Standard")]);
    }
}

/// The period and the territories a dataset covers.
fn coverage(g: &mut Graph, shared: &Nodes, node: &NamedNode, record: &DatasetRecord) {
    let name = &record.dataset.name;
    if let Some((start, end)) = &record.temporal {
        let period = iri(&format!("{}dataset/{name}#periodo", shared.base));
        g.add(node, term(DCT, "temporal"), period.clone());
        g.types(&period, &[(DCT, "PeriodOfTime")]);
        // DCAT-AP_IT, what ckanext-dcatapit reads, and DCAT-AP 2/3.
        for prefix in [DCATAPIT, SCHEMA, DCAT] {
            g.add(&period, term(prefix, "startDate"), date(start));
            g.add(&period, term(prefix, "endDate"), date(end));
        }
    }
    for (code, name) in &record.spatial {
        let location = iri(&format!("{}territorio/{code}", shared.base));
        g.add(node, term(DCT, "spatial"), location.clone());
        g.types(&location, &[(DCT, "Location")]);
        let identifier = Literal::new_simple_literal(code.clone());
        g.add(
            &location,
            term(DCATAPIT, "geographicalIdentifier"),
            identifier,
        );
        g.add(&location, term(LOCN, "geographicalName"), it(name));
    }
}

/// One file of a dataset: its format, where to download it, its licence, size and SHA-256.
fn distribution(
    g: &mut Graph,
    shared: &Nodes,
    dataset: &NamedNode,
    landing: &NamedNode,
    record: &DatasetRecord,
    file: &FileRecord,
) {
    let (base, name) = (&shared.base, &record.dataset.name);
    let extension = file.format.extension();
    let node = iri(&format!("{base}dataset/{name}/{extension}"));
    g.add(dataset, term(DCAT, "distribution"), node.clone());
    g.types(&node, &[(DCATAPIT, "Distribution"), (DCAT, "Distribution")]);
    let title = format!("{} ({})", record.dataset.title, file.format.label());
    g.add(&node, term(DCT, "title"), it(&title));
    g.add(
        &node,
        term(DCT, "description"),
        it(file.format.description_it()),
    );
    let file_type = iri(&format!("{FILE_TYPE_BASE}{}", file.format.eu_file_type()));
    g.add(&node, term(DCT, "format"), file_type.clone());
    g.types(&file_type, &[(DCT, "MediaTypeOrExtent")]);
    let media_type = iri(&format!("{MEDIA_TYPE_BASE}{}", file.format.media_type()));
    g.add(&node, term(DCAT, "mediaType"), media_type.clone());
    g.types(&media_type, &[(DCT, "MediaType")]);
    g.add(&node, term(DCAT, "accessURL"), landing.clone());
    g.add(
        &node,
        term(DCAT, "downloadURL"),
        iri(&format!("{base}{}", file.path)),
    );
    g.add(
        &node,
        term(DCT, "license"),
        iri(record.metadata.license.iri()),
    );
    g.add(&node, term(DCATAP, "availability"), shared.stable.clone());
    g.add(&node, term(DCT, "modified"), date(&record.modified));
    let size = Literal::new_typed_literal(file.bytes.to_string(), xsd::NON_NEGATIVE_INTEGER);
    g.add(&node, term(DCAT, "byteSize"), size);
    let checksum = iri(&format!("{base}dataset/{name}/{extension}#sha256"));
    g.add(&node, term(SPDX, "checksum"), checksum.clone());
    g.types(&checksum, &[(SPDX, "Checksum")]);
    let algorithm = term(SPDX, "checksumAlgorithm_sha256");
    g.add(&checksum, term(SPDX, "algorithm"), algorithm);
    let value = Literal::new_typed_literal(file.sha256.clone(), xsd::HEX_BINARY);
    g.add(&checksum, term(SPDX, "checksumValue"), value);
}

/// A licence of the national vocabulary, typed and named.
fn licence_document(g: &mut Graph, licence: metadata::License) {
    let node = iri(licence.iri());
    g.types(
        &node,
        &[(DCATAPIT, "LicenseDocument"), (DCT, "LicenseDocument")],
    );
    let attribution = iri("http://purl.org/adms/licencetype/Attribution");
    g.add(&node, term(DCT, "type"), attribution.clone());
    let version = Literal::new_simple_literal(licence.version());
    g.add(&node, term(OWL, "versionInfo"), version);
    g.add(&node, term(FOAF, "name"), it(licence.name_it()));
    g.add(&node, term(FOAF, "name"), en(licence.name_en()));
    g.types(&attribution, &[(SKOS, "Concept")]);
    g.add(&attribution, term(SKOS, "prefLabel"), en("Attribution"));
}

fn agent(g: &mut Graph, base: &str, agent: &metadata::Agent) -> NamedNode {
    let node = iri(&format!("{base}agente/{}", agent.ipa));
    g.types(&node, &[(DCATAPIT, "Agent"), (FOAF, "Agent")]);
    g.add(
        &node,
        term(DCT, "identifier"),
        Literal::new_simple_literal(agent.ipa.clone()),
    );
    g.add(&node, term(FOAF, "name"), it(&agent.name));
    // Comuni, unions, provinces and regions are all local authorities in the ADMS sense.
    let kind = iri(LOCAL_AUTHORITY);
    g.add(&node, term(DCT, "type"), kind.clone());
    g.types(&kind, &[(SKOS, "Concept")]);
    g.add(&kind, term(SKOS, "prefLabel"), en("Local Authority"));
    node
}

/// The dataset's identifier in the AgID form `<IPA code>:<local id>`, stable across runs as
/// long as the pipeline's and the dataset's names are.
pub(crate) fn identifier(catalog: &Catalog, pipeline_id: &str, dataset: &str) -> String {
    format!("{}:{pipeline_id}.{dataset}", catalog.publisher.ipa)
}

/// What the previous release said of each dataset, so that `dct:modified` moves only when the
/// content changes.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct CatalogState {
    pub(crate) datasets: std::collections::BTreeMap<String, DatasetState>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub(crate) struct DatasetState {
    /// SHA-256 of the dataset's CSV file: the content, whatever its other formats' bytes.
    pub(crate) content_sha256: String,
    pub(crate) modified: String,
    pub(crate) issued: String,
}

/// The file a release keeps its catalog state in.
pub(crate) const STATE_FILE: &str = "catalog-state.json";

impl CatalogState {
    /// The state of the current release, if there is one and it is readable.
    pub(crate) fn read(release: &Path) -> CatalogState {
        fs_err::read_to_string(release.join(STATE_FILE))
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default()
    }

    /// Keeps the state in the release, for the next one.
    pub(crate) fn write(&self, files: &Files) -> Result<()> {
        let text = serde_json::to_string_pretty(self)
            .map_err(|e| Error::json(crate::msg!("writing_catalog_state"), e))?;
        files.write(STATE_FILE, (text + "\n").as_bytes())?;
        Ok(())
    }

    /// Dates of a dataset whose content has this checksum, published on `today`.
    pub(crate) fn dates(&self, dataset: &str, content_sha256: &str, today: &str) -> DatasetState {
        match self.datasets.get(dataset) {
            Some(previous) if previous.content_sha256 == content_sha256 => previous.clone(),
            Some(previous) => DatasetState {
                content_sha256: content_sha256.to_owned(),
                modified: today.to_owned(),
                issued: previous.issued.clone(),
            },
            None => DatasetState {
                content_sha256: content_sha256.to_owned(),
                modified: today.to_owned(),
                issued: today.to_owned(),
            },
        }
    }
}

/// Writes the graph in the three serializations.
pub(crate) fn write(files: &Files, triples: &[Triple]) -> Result<Vec<OutputFile>> {
    let prefixes = [
        ("dcat", DCAT),
        ("dcatapit", DCATAPIT),
        ("dct", DCT),
        ("foaf", FOAF),
        ("vcard", VCARD),
        ("skos", SKOS),
        ("owl", OWL),
        ("schema", SCHEMA),
        ("locn", LOCN),
        ("spdx", SPDX),
        ("dcatap", DCATAP),
        ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ];
    let formats = [
        RdfFormat::Turtle,
        RdfFormat::RdfXml,
        RdfFormat::JsonLd {
            profile: JsonLdProfileSet::empty(),
        },
    ];
    let mut written = Vec::new();
    for ((name, _), format) in FILES.iter().zip(formats) {
        let mut serializer = RdfSerializer::from_format(format);
        if !matches!(format, RdfFormat::JsonLd { .. }) {
            for (prefix, namespace) in prefixes {
                serializer = serializer
                    .with_prefix(prefix, namespace)
                    .map_err(|e| Error::rdf(crate::msg!("rdf_prefix", prefix = prefix), e))?;
            }
        }
        let mut writer = serializer.for_writer(Vec::new());
        for triple in triples {
            writer
                .serialize_triple(triple)
                .map_err(|e| Error::rdf(crate::msg!("rdf_writing", file = *name), e))?;
        }
        let bytes = writer
            .finish()
            .map_err(|e| Error::rdf(crate::msg!("rdf_writing", file = *name), e))?;
        written.push(files.write(name, &bytes)?);
    }
    Ok(written)
}

/// The first and last day the rows of a table cover, from its `period`, `year` or
/// `funded_on` column (years, months and dates).
pub(crate) fn temporal_coverage(table: &Table) -> Option<(String, String)> {
    let column = ["period", "year", "funded_on"]
        .iter()
        .find_map(|name| table.column(name))?;
    let mut first: Option<String> = None;
    let mut last: Option<String> = None;
    for text in column.values.distinct_display() {
        let Some((start, end)) = period_bounds(&text) else {
            continue;
        };
        if first.as_ref().is_none_or(|f| start < *f) {
            first = Some(start);
        }
        if last.as_ref().is_none_or(|l| end > *l) {
            last = Some(end);
        }
    }
    first.zip(last)
}

/// "2021" -> 2021-01-01..2021-12-31; "2021-03" -> the month; "2021-03-04" -> the day.
fn period_bounds(period: &str) -> Option<(String, String)> {
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let parts: Vec<&str> = period.split('-').collect();
    match parts[..] {
        [year] if year.len() == 4 && digits(year) => {
            Some((format!("{year}-01-01"), format!("{year}-12-31")))
        }
        [year, month] if year.len() == 4 && digits(year) && month.len() == 2 && digits(month) => {
            let last_day = match month {
                "02" => {
                    let y: i32 = year.parse().ok()?;
                    if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 {
                        29
                    } else {
                        28
                    }
                }
                "04" | "06" | "09" | "11" => 30,
                _ => 31,
            };
            Some((
                format!("{year}-{month}-01"),
                format!("{year}-{month}-{last_day}"),
            ))
        }
        [year, month, day]
            if year.len() == 4
                && month.len() == 2
                && day.len() == 2
                && parts.iter().all(|p| digits(p)) =>
        {
            Some((period.to_owned(), period.to_owned()))
        }
        _ => None,
    }
}
