//! The DCAT-AP_IT catalog of a release, built as an RDF graph (oxrdf) and written as Turtle,
//! RDF/XML and JSON-LD (oxrdfio), in the shape the national harvester reads: every dataset
//! typed both dcatapit:Dataset and dcat:Dataset, distributions as IRIs, a contact point apart
//! from the publisher, identifiers `<IPA code>:<local id>`, and every referenced resource typed.

use std::path::Path;

use oxrdf::vocab::{rdf, xsd};
use oxrdf::{Literal, NamedNode, NamedOrBlankNode, Term, Triple};
use oxrdfio::{JsonLdProfileSet, RdfFormat, RdfSerializer};

use crate::error::{Error, Result};
use crate::metadata::{self, Catalog, DatasetMetadata, LANGUAGE_ITA};
use crate::plan::Dataset;
use crate::publish::Format;

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
pub const FILES: [(&str, &str); 3] = [
    ("catalog.ttl", "text/turtle"),
    ("catalog.rdf", "application/rdf+xml"),
    ("catalog.jsonld", "application/ld+json"),
];

/// A published file of a dataset.
#[derive(Debug, Clone)]
pub struct FileRecord {
    pub format: Format,
    /// Path inside the release, e.g. `data/indicatori.csv`.
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
}

/// Everything the catalog says of one dataset.
#[derive(Debug, Clone)]
pub struct DatasetRecord<'a> {
    pub dataset: &'a Dataset,
    pub metadata: &'a DatasetMetadata,
    pub files: Vec<FileRecord>,
    /// `YYYY-MM-DD`: changes only when the content changes.
    pub modified: String,
    pub issued: String,
    /// First and last day the data cover.
    pub temporal: Option<(String, String)>,
    /// ISTAT codes and names of the territories covered.
    pub spatial: Vec<(String, String)>,
    /// The page a citizen opens for the dataset, relative to the release.
    pub landing_page: String,
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

/// Builds the catalog graph, sorted so that the same catalog gives the same bytes.
pub fn build(
    catalog: &Catalog,
    pipeline_id: &str,
    records: &[DatasetRecord],
    modified: &str,
) -> Vec<Triple> {
    let mut g = Graph {
        triples: Vec::new(),
    };
    let base = &catalog.base_url;
    let catalog_node = iri(&format!("{base}catalogo"));
    let publisher = agent(&mut g, base, &catalog.publisher);
    let rights_holder = agent(&mut g, base, &catalog.rights_holder);
    let contact = iri(&format!("{base}contatto/{}", catalog.publisher.ipa));
    let homepage = iri(&catalog.homepage);
    let language = iri(LANGUAGE_ITA);
    let scheme = iri(THEME_SCHEME);

    g.types(&catalog_node, &[(DCATAPIT, "Catalog"), (DCAT, "Catalog")]);
    g.add(&catalog_node, term(DCT, "title"), it(&catalog.title));
    g.add(
        &catalog_node,
        term(DCT, "description"),
        it(&catalog.description),
    );
    if let Some(title) = &catalog.title_en {
        g.add(&catalog_node, term(DCT, "title"), en(title));
    }
    if let Some(description) = &catalog.description_en {
        g.add(&catalog_node, term(DCT, "description"), en(description));
    }
    g.add(&catalog_node, term(DCT, "publisher"), publisher.clone());
    g.add(&catalog_node, term(DCT, "modified"), date(modified));
    if let Some(issued) = &catalog.issued {
        g.add(&catalog_node, term(DCT, "issued"), date(issued));
    }
    g.add(&catalog_node, term(DCT, "language"), language.clone());
    g.add(&catalog_node, term(FOAF, "homepage"), homepage.clone());
    g.add(&catalog_node, term(DCAT, "themeTaxonomy"), scheme.clone());
    g.add(
        &catalog_node,
        term(DCT, "license"),
        iri(catalog.license.iri()),
    );
    for (code, _) in records
        .first()
        .map(|r| r.spatial.as_slice())
        .unwrap_or_default()
    {
        g.add(
            &catalog_node,
            term(DCT, "spatial"),
            iri(&format!("{base}territorio/{code}")),
        );
    }
    g.types(&homepage, &[(FOAF, "Document")]);
    g.types(&language, &[(DCT, "LinguisticSystem")]);
    g.types(&scheme, &[(SKOS, "ConceptScheme")]);
    g.add(&scheme, term(DCT, "title"), en("Data Theme"));

    g.types(
        &contact,
        &[
            (DCATAPIT, "Organization"),
            (VCARD, "Organization"),
            (VCARD, "Kind"),
        ],
    );
    g.add(&contact, term(VCARD, "fn"), it(&catalog.contact.name));
    g.add(
        &contact,
        term(VCARD, "hasEmail"),
        iri(&format!("mailto:{}", catalog.contact.email)),
    );
    if let Some(url) = &catalog.contact.url {
        g.add(&contact, term(VCARD, "hasURL"), iri(url));
    }

    let mut licences = vec![catalog.license];
    let stable = iri(AVAILABILITY_STABLE);
    g.types(&stable, &[(SKOS, "Concept")]);
    g.add(&stable, term(SKOS, "prefLabel"), en("stable"));
    for record in records {
        let dataset = iri(&format!("{base}dataset/{}", record.dataset.name));
        let landing = iri(&format!("{base}{}", record.landing_page));
        let metadata = record.metadata;
        g.add(&catalog_node, term(DCAT, "dataset"), dataset.clone());
        g.types(&dataset, &[(DCATAPIT, "Dataset"), (DCAT, "Dataset")]);
        g.add(
            &dataset,
            term(DCT, "identifier"),
            Literal::new_simple_literal(identifier(catalog, pipeline_id, &record.dataset.name)),
        );
        g.add(&dataset, term(DCT, "title"), it(&record.dataset.title));
        g.add(
            &dataset,
            term(DCT, "description"),
            it(record
                .dataset
                .description
                .as_deref()
                .unwrap_or(&record.dataset.title)),
        );
        if let Some(title) = &metadata.title_en {
            g.add(&dataset, term(DCT, "title"), en(title));
        }
        if let Some(description) = &metadata.description_en {
            g.add(&dataset, term(DCT, "description"), en(description));
        }
        g.add(&dataset, term(DCT, "modified"), date(&record.modified));
        g.add(&dataset, term(DCT, "issued"), date(&record.issued));
        for code in &metadata.themes {
            let theme = iri(&format!("{}{code}", metadata::THEME_BASE));
            g.add(&dataset, term(DCAT, "theme"), theme.clone());
            g.types(&theme, &[(SKOS, "Concept")]);
            g.add(&theme, term(SKOS, "inScheme"), scheme.clone());
            g.add(
                &theme,
                term(SKOS, "prefLabel"),
                it(metadata::theme_label(code)),
            );
        }
        for subtheme in &metadata.subthemes {
            let subject = iri(subtheme);
            g.add(&dataset, term(DCT, "subject"), subject.clone());
            g.types(&subject, &[(SKOS, "Concept")]);
            g.add(
                &subject,
                term(SKOS, "prefLabel"),
                Literal::new_simple_literal(subtheme.clone()),
            );
        }
        let frequency = iri(&format!(
            "{}{}",
            metadata::FREQUENCY_BASE,
            metadata.frequency
        ));
        g.add(&dataset, term(DCT, "accrualPeriodicity"), frequency.clone());
        g.types(&frequency, &[(DCT, "Frequency")]);
        g.add(&dataset, term(DCT, "rightsHolder"), rights_holder.clone());
        g.add(&dataset, term(DCT, "publisher"), publisher.clone());
        g.add(&dataset, term(DCAT, "contactPoint"), contact.clone());
        g.add(&dataset, term(DCT, "language"), language.clone());
        for keyword in &metadata.keywords {
            g.add(&dataset, term(DCAT, "keyword"), it(keyword));
        }
        g.add(&dataset, term(DCAT, "landingPage"), landing.clone());
        g.types(&landing, &[(FOAF, "Document")]);
        for standard in &metadata.conforms_to {
            let standard = iri(standard);
            g.add(&dataset, term(DCT, "conformsTo"), standard.clone());
            g.types(&standard, &[(DCT, "Standard")]);
        }
        if let Some((start, end)) = &record.temporal {
            let period = iri(&format!("{base}dataset/{}#periodo", record.dataset.name));
            g.add(&dataset, term(DCT, "temporal"), period.clone());
            g.types(&period, &[(DCT, "PeriodOfTime")]);
            // DCAT-AP_IT, what ckanext-dcatapit reads, and DCAT-AP 2/3.
            for prefix in [DCATAPIT, SCHEMA, DCAT] {
                g.add(&period, term(prefix, "startDate"), date(start));
                g.add(&period, term(prefix, "endDate"), date(end));
            }
        }
        for (code, name) in &record.spatial {
            let location = iri(&format!("{base}territorio/{code}"));
            g.add(&dataset, term(DCT, "spatial"), location.clone());
            g.types(&location, &[(DCT, "Location")]);
            g.add(
                &location,
                term(DCATAPIT, "geographicalIdentifier"),
                Literal::new_simple_literal(code.clone()),
            );
            g.add(&location, term(LOCN, "geographicalName"), it(name));
        }
        let licence = iri(metadata.license.iri());
        if !licences.contains(&metadata.license) {
            licences.push(metadata.license);
        }
        for file in &record.files {
            let extension = file.format.extension();
            let distribution = iri(&format!(
                "{base}dataset/{}/{extension}",
                record.dataset.name
            ));
            g.add(&dataset, term(DCAT, "distribution"), distribution.clone());
            g.types(
                &distribution,
                &[(DCATAPIT, "Distribution"), (DCAT, "Distribution")],
            );
            g.add(
                &distribution,
                term(DCT, "title"),
                it(&format!(
                    "{} ({})",
                    record.dataset.title,
                    file.format.label()
                )),
            );
            g.add(
                &distribution,
                term(DCT, "description"),
                it(file.format.description_it()),
            );
            let file_type = iri(&format!("{FILE_TYPE_BASE}{}", file.format.eu_file_type()));
            g.add(&distribution, term(DCT, "format"), file_type.clone());
            g.types(&file_type, &[(DCT, "MediaTypeOrExtent")]);
            let media_type = iri(&format!("{MEDIA_TYPE_BASE}{}", file.format.media_type()));
            g.add(&distribution, term(DCAT, "mediaType"), media_type.clone());
            g.types(&media_type, &[(DCT, "MediaType")]);
            g.add(&distribution, term(DCAT, "accessURL"), landing.clone());
            g.add(
                &distribution,
                term(DCAT, "downloadURL"),
                iri(&format!("{base}{}", file.path)),
            );
            g.add(&distribution, term(DCT, "license"), licence.clone());
            g.add(&distribution, term(DCATAP, "availability"), stable.clone());
            g.add(&distribution, term(DCT, "modified"), date(&record.modified));
            g.add(
                &distribution,
                term(DCAT, "byteSize"),
                Literal::new_typed_literal(file.bytes.to_string(), xsd::NON_NEGATIVE_INTEGER),
            );
            let checksum = iri(&format!(
                "{base}dataset/{}/{extension}#sha256",
                record.dataset.name
            ));
            g.add(&distribution, term(SPDX, "checksum"), checksum.clone());
            g.types(&checksum, &[(SPDX, "Checksum")]);
            g.add(
                &checksum,
                term(SPDX, "algorithm"),
                term(SPDX, "checksumAlgorithm_sha256"),
            );
            g.add(
                &checksum,
                term(SPDX, "checksumValue"),
                Literal::new_typed_literal(file.sha256.clone(), xsd::HEX_BINARY),
            );
        }
    }
    for licence in licences {
        let node = iri(licence.iri());
        g.types(
            &node,
            &[(DCATAPIT, "LicenseDocument"), (DCT, "LicenseDocument")],
        );
        let attribution = iri("http://purl.org/adms/licencetype/Attribution");
        g.add(&node, term(DCT, "type"), attribution.clone());
        g.add(
            &node,
            term(OWL, "versionInfo"),
            Literal::new_simple_literal(licence.version()),
        );
        g.add(&node, term(FOAF, "name"), it(licence.name_it()));
        g.add(&node, term(FOAF, "name"), en(licence.name_en()));
        g.types(&attribution, &[(SKOS, "Concept")]);
        g.add(&attribution, term(SKOS, "prefLabel"), en("Attribution"));
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
pub fn identifier(catalog: &Catalog, pipeline_id: &str, dataset: &str) -> String {
    format!("{}:{pipeline_id}.{dataset}", catalog.publisher.ipa)
}

/// What the previous release said of each dataset, so that `dct:modified` moves only when the
/// content changes.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct CatalogState {
    pub datasets: std::collections::BTreeMap<String, DatasetState>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DatasetState {
    /// SHA-256 of the dataset's CSV file: the content, whatever its other formats' bytes.
    pub content_sha256: String,
    pub modified: String,
    pub issued: String,
}

/// The file a release keeps its catalog state in.
pub const STATE_FILE: &str = "catalog-state.json";

impl CatalogState {
    /// The state of the current release, if there is one and it is readable.
    pub fn read(release: &Path) -> CatalogState {
        fs_err::read_to_string(release.join(STATE_FILE))
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default()
    }

    /// Dates of a dataset whose content has this checksum, published on `today`.
    pub fn dates(&self, dataset: &str, content_sha256: &str, today: &str) -> DatasetState {
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
pub fn write(dir: &Path, triples: &[Triple]) -> Result<()> {
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
    for ((name, _), format) in FILES.iter().zip(formats) {
        let mut serializer = RdfSerializer::from_format(format);
        if !matches!(format, RdfFormat::JsonLd { .. }) {
            for (prefix, namespace) in prefixes {
                serializer = serializer
                    .with_prefix(prefix, namespace)
                    .map_err(|e| Error::table(format!("prefix {prefix}"), e))?;
            }
        }
        let mut writer = serializer.for_writer(Vec::new());
        for triple in triples {
            writer
                .serialize_triple(triple)
                .map_err(|e| Error::table(format!("writing {name}"), e))?;
        }
        let bytes = writer
            .finish()
            .map_err(|e| Error::table(format!("writing {name}"), e))?;
        fs_err::write(dir.join(name), bytes)?;
    }
    Ok(())
}
