//! The `istat_sdmx` source kind: ISTAT statistics from its SDMX REST service (a dataflow and a
//! key), or a saved response. SDMX-CSV is asked for; SDMX-ML responses, generic and
//! structure-specific, are read too. Area codes stay text ("035004"); NUTS codes of regions and
//! provinces are translated through the list of comuni.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use quick_xml::events::{BytesStart, Event};
use toml::Spanned;

use crate::error::{ConfigProblem, Result};
use crate::finding::Finding;
use crate::message::Message;
use crate::msg;
use crate::plan::{Location, Paths, paths};
use crate::source::read::{self, IngestContext};
use crate::source::result::Ingested;
use crate::source::rows::{Observation, Origin, Place, Shared};
use crate::spec::Item;
use crate::spec::SourceSpec;
use crate::spec::source::IstatSdmxSpec;
use crate::table::{Delimited, TextTable};
use crate::text::{self, DecimalMark, Encoding};

/// ISTAT's current SDMX REST endpoint.
pub(crate) const DEFAULT_ENDPOINT: &str = "https://esploradati.istat.it/SDMXWS/rest";

#[derive(Debug, Clone)]
pub(crate) struct IstatSdmxSource {
    pub(crate) location: Location,
    pub(crate) measure: String,
    pub(crate) unit: String,
    pub(crate) title: String,
    pub(crate) split_by: Vec<String>,
    pub(crate) area_dimension: Option<String>,
}

const AREA_DIMENSIONS: &[&str] = &["REF_AREA", "ITTER107"];
const NOT_DIMENSIONS: &[&str] = &["DATAFLOW", "STRUCTURE", "STRUCTURE_ID", "ACTION"];

impl IstatSdmxSource {
    pub(crate) fn check(
        item: &Item<SourceSpec>,
        spec: &IstatSdmxSpec,
        base: &Paths,
    ) -> std::result::Result<Self, Vec<ConfigProblem>> {
        let mut problems = Vec::new();
        let location = match (&spec.dataflow, &spec.url, &spec.file) {
            (Some(dataflow), None, None) => {
                let endpoint = spec
                    .endpoint
                    .as_deref()
                    .unwrap_or(DEFAULT_ENDPOINT)
                    .trim_end_matches('/');
                let key = spec
                    .key
                    .as_deref()
                    .filter(|k| !k.is_empty())
                    .unwrap_or("all");
                let url = Spanned::new(
                    dataflow.span(),
                    format!("{endpoint}/data/{}/{key}", dataflow.get_ref()),
                );
                paths::remote(item, "istat_sdmx", &url, spec.http.as_ref()).map(Location::Url)
            }
            (Some(_), _, _) => Err(vec![item.problem(msg!("sdmx_one_location"))]),
            (None, url, file) => {
                if spec.key.is_some() || spec.endpoint.is_some() {
                    problems.push(item.problem(msg!("sdmx_key_without_dataflow")));
                }
                paths::locate(
                    item,
                    "istat_sdmx",
                    file.as_ref(),
                    url.as_ref(),
                    spec.http.as_ref(),
                    base,
                )
            }
        };
        let location = location.map_err(|p| problems.extend(p));
        if !text::is_snake_case(&spec.measure) {
            problems.push(item.problem(msg!("measure_not_snake_case", measure = &spec.measure)));
        }
        match location {
            Ok(location) if problems.is_empty() => Ok(IstatSdmxSource {
                location: match location {
                    Location::Url(mut remote) => {
                        remote.accept = Some(
                            "application/vnd.sdmx.data+csv;version=1.0.0, application/vnd.sdmx.genericdata+xml;version=2.1;q=0.5"
                                .to_owned(),
                        );
                        Location::Url(remote)
                    }
                    file => file,
                },
                measure: spec.measure.clone(),
                unit: spec.unit.clone(),
                title: spec.title.clone().unwrap_or_else(|| "ISTAT".to_owned()),
                split_by: spec.split_by.clone(),
                area_dimension: spec.area_dimension.clone(),
            }),
            _ => Err(problems),
        }
    }

    pub(crate) fn ingest(&self, name: &str, context: &IngestContext) -> Result<Ingested> {
        let mut ingested = Ingested::default();
        let mut loaded = context.load(name, &self.location)?;
        let Some(text) = read::decode(&loaded, Encoding::Auto, &mut ingested.findings) else {
            ingested.read.push(loaded.read);
            return Ok(ingested);
        };
        let parsed = if text.trim_start().starts_with('<') {
            parse_xml(&text)
        } else {
            let layout = Delimited {
                separator: if text
                    .lines()
                    .next()
                    .is_some_and(|l| l.contains(';') && !l.contains(','))
                {
                    b';'
                } else {
                    b','
                },
                skip_lines: 0,
                footer_lines: 0,
            };
            match read::parse_table(&loaded.label, &text, layout, &mut ingested.findings) {
                Some(table) => parse_csv(&table),
                None => {
                    ingested.read.push(loaded.read);
                    return Ok(ingested);
                }
            }
        };
        match parsed {
            Ok(raw) => {
                loaded.read.rows = raw.len();
                self.observations(&raw, &loaded.label, &mut ingested);
            }
            Err(message) => ingested.findings.push(
                Finding::error("unreadable_sdmx", msg!("unreadable_sdmx", detail = message))
                    .in_file(&loaded.label),
            ),
        }
        ingested.read.push(loaded.read);
        Ok(ingested)
    }

    fn observations(&self, raw: &[RawObservation], label: &str, ingested: &mut Ingested) {
        if raw.is_empty() {
            ingested
                .findings
                .push(Finding::warning("no_observations", msg!("no_observations")).in_file(label));
            return;
        }
        let dimensions: BTreeSet<&str> = raw
            .iter()
            .flat_map(|o| o.dimensions.keys().map(String::as_str))
            .collect();
        let area = match self.area(&dimensions) {
            Ok(area) => area,
            Err(finding) => return ingested.findings.push(finding.in_file(label)),
        };
        let problems = self.dimension_problems(raw, &dimensions, area);
        if !problems.is_empty() {
            ingested
                .findings
                .extend(problems.into_iter().map(|f| f.in_file(label)));
            return;
        }
        let file: Arc<str> = Arc::from(label);
        let column: Arc<str> = Arc::from(area);
        let mut shared = Shared::default();
        let place = shared.place(&file, &column);
        for (index, observation) in raw.iter().enumerate() {
            let row = index + 1;
            match self.observation(observation, area, &mut shared, &place, row) {
                Ok(observation) => ingested.observations.push(observation),
                Err(finding) => ingested.findings.push(finding.in_file(label).at_row(row)),
            }
        }
    }

    /// The dimension that names the territory: the one declared, or REF_AREA or ITTER107.
    fn area<'d>(
        &self,
        dimensions: &BTreeSet<&'d str>,
    ) -> std::result::Result<&'d str, Box<Finding>> {
        let wanted: Vec<&str> = match &self.area_dimension {
            Some(area) => vec![area.as_str()],
            None => AREA_DIMENSIONS.to_vec(),
        };
        wanted
            .iter()
            .find_map(|w| dimensions.iter().copied().find(|d| d == w))
            .ok_or_else(|| {
                let present = dimensions.iter().copied().collect::<Vec<_>>().join(", ");
                let message = match &self.area_dimension {
                    Some(area) => msg!(
                        "missing_area_dimension_declared",
                        area = area,
                        dimensions = present
                    ),
                    None => msg!("missing_area_dimension", dimensions = present),
                };
                Box::new(Finding::error("missing_dimension", message))
            })
    }

    /// Dimensions `split_by` names that the message lacks, or else those that vary without
    /// being split on, which would give two values for one measure.
    fn dimension_problems(
        &self,
        raw: &[RawObservation],
        dimensions: &BTreeSet<&str>,
        area: &str,
    ) -> Vec<Finding> {
        if let Some(split) = self
            .split_by
            .iter()
            .find(|split| !dimensions.contains(split.as_str()))
        {
            return vec![Finding::error(
                "missing_dimension",
                msg!("missing_split_dimension", dimension = split),
            )];
        }
        let mut values_of: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for observation in raw {
            for (dimension, value) in &observation.dimensions {
                values_of.entry(dimension).or_default().insert(value);
            }
        }
        values_of
            .iter()
            .filter(|(dimension, values)| {
                **dimension != area
                    && !self.split_by.iter().any(|s| s == *dimension)
                    && values.len() > 1
            })
            .map(|(dimension, values)| {
                Finding::error(
                    "ambiguous_dimension",
                    msg!(
                        "ambiguous_dimension",
                        dimension = *dimension,
                        values = values.iter().copied().collect::<Vec<_>>().join(", ")
                    ),
                )
                .in_column(*dimension)
            })
            .collect()
    }

    /// One observation of the message, or the finding that says why it is none.
    fn observation(
        &self,
        observation: &RawObservation,
        area: &str,
        shared: &mut Shared,
        place: &Arc<Place>,
        row: usize,
    ) -> std::result::Result<Observation, Box<Finding>> {
        let Some(raw_value) = observation
            .value
            .as_deref()
            .filter(|v| !v.is_empty() && *v != "NaN")
        else {
            return Err(Box::new(Finding::warning(
                "missing_value",
                msg!("missing_observation_value"),
            )));
        };
        let Some(value) = text::parse_number(raw_value, DecimalMark::Point) else {
            return Err(Box::new(
                Finding::error("not_a_number", msg!("obs_value_not_a_number"))
                    .in_column("OBS_VALUE")
                    .with_value(raw_value),
            ));
        };
        let dimension = |name: &str| {
            observation.dimensions.get(name).ok_or_else(|| {
                Box::new(
                    Finding::error(
                        "missing_dimension",
                        msg!("observation_without_dimension", dimension = name),
                    )
                    .in_column(name),
                )
            })
        };
        let mut measure = self.measure.clone();
        for split in &self.split_by {
            let part: String = dimension(split)?
                .to_lowercase()
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .collect();
            measure.push('_');
            measure.push_str(&split.to_lowercase());
            measure.push('_');
            measure.push_str(&part);
        }
        Ok(Observation {
            territory: shared.territory(dimension(area)?),
            measure: shared.get(&measure),
            period: shared.get(&observation.period),
            value,
            unit: shared.get(&self.unit),
            source: shared.get(&self.title),
            origin: Origin::new(place, row),
        })
    }
}

/// One observation with its dimensions, as the message gives it.
#[derive(Debug, Clone, PartialEq)]
struct RawObservation {
    dimensions: BTreeMap<String, String>,
    period: String,
    value: Option<String>,
}

/// SDMX-CSV: dimension columns, then TIME_PERIOD and OBS_VALUE, then attributes.
fn parse_csv(table: &TextTable) -> std::result::Result<Vec<RawObservation>, Message> {
    let headers: Vec<String> = table
        .headers()
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    let time = headers
        .iter()
        .position(|h| h == "TIME_PERIOD")
        .ok_or_else(|| msg!("sdmx_no_column", column = "TIME_PERIOD"))?;
    let value = headers
        .iter()
        .position(|h| h == "OBS_VALUE")
        .ok_or_else(|| msg!("sdmx_no_column", column = "OBS_VALUE"))?;
    let dimensions: Vec<usize> = (0..time)
        .filter(|&i| !NOT_DIMENSIONS.contains(&headers[i].as_str()))
        .collect();
    let mut observations = Vec::with_capacity(table.row_count());
    for row in 0..table.row_count() {
        let Some(period) = table.cell(time, row) else {
            return Err(msg!("sdmx_row_without_period", row = (row + 1).to_string()));
        };
        observations.push(RawObservation {
            dimensions: dimensions
                .iter()
                .map(|&i| {
                    (
                        headers[i].clone(),
                        table.cell(i, row).unwrap_or_default().to_owned(),
                    )
                })
                .collect(),
            period: period.to_owned(),
            value: table.cell(value, row).map(str::to_owned),
        });
    }
    Ok(observations)
}

/// SDMX-ML 2.1 data messages, generic or structure-specific.
fn parse_xml(text: &str) -> std::result::Result<Vec<RawObservation>, Message> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut message = DataMessage::default();
    loop {
        let event = reader.read_event().map_err(|e| {
            msg!(
                "sdmx_xml_error",
                position = reader.buffer_position().to_string(),
                detail = e.to_string()
            )
        })?;
        match event {
            Event::Start(element) | Event::Empty(element) => message.start(&element)?,
            Event::End(element) => message.end(element.local_name().as_ref()),
            Event::Eof => break,
            _ => {}
        }
    }
    if !message.saw_dataset {
        return Err(msg!("sdmx_no_dataset"));
    }
    if message.observations.iter().any(|o| o.period.is_empty()) {
        return Err(msg!("sdmx_observation_without_period"));
    }
    Ok(message.observations)
}

/// An SDMX-ML message being read: generic (series keys, observations with their own
/// dimension and value elements) or structure-specific (everything in attributes).
#[derive(Default)]
struct DataMessage {
    observations: Vec<RawObservation>,
    /// The dimensions of the series being read.
    series: BTreeMap<String, String>,
    in_series_key: bool,
    /// A generic observation being read.
    open: Option<RawObservation>,
    saw_dataset: bool,
}

impl DataMessage {
    fn start(&mut self, element: &BytesStart) -> std::result::Result<(), Message> {
        match local_name(element).as_str() {
            "DataSet" => self.saw_dataset = true,
            "Series" => {
                self.series = attributes(element)?;
                self.in_series_key = false;
            }
            "SeriesKey" => self.in_series_key = true,
            "Value" if self.in_series_key => {
                let attrs = attributes(element)?;
                if let (Some(id), Some(value)) = (attrs.get("id"), attrs.get("value")) {
                    self.series.insert(id.clone(), value.clone());
                }
            }
            "Obs" => {
                let mut attrs = attributes(element)?;
                let observation = RawObservation {
                    dimensions: self.series.clone(),
                    period: attrs.remove("TIME_PERIOD").unwrap_or_default(),
                    value: attrs.remove("OBS_VALUE"),
                };
                if value_present_in_generic(&observation) {
                    self.open = Some(observation);
                } else {
                    // Structure-specific: everything is in the element's attributes.
                    self.observations.push(observation);
                }
            }
            "ObsDimension" => {
                if let Some(current) = self.open.as_mut() {
                    current.period = attributes(element)?.remove("value").unwrap_or_default();
                }
            }
            "ObsValue" => {
                if let Some(current) = self.open.as_mut() {
                    current.value = attributes(element)?.remove("value");
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn end(&mut self, name: &str) {
        match name {
            "SeriesKey" => self.in_series_key = false,
            "Obs" => self.observations.extend(self.open.take()),
            _ => {}
        }
    }
}

/// A generic-format `Obs` has neither TIME_PERIOD nor OBS_VALUE attributes: its children say.
fn value_present_in_generic(observation: &RawObservation) -> bool {
    observation.period.is_empty() && observation.value.is_none()
}

fn local_name(element: &BytesStart) -> String {
    element.local_name().as_ref().to_owned()
}

/// The attributes of an element; one the XML reader cannot read is said in its own words.
fn attributes(element: &BytesStart) -> std::result::Result<BTreeMap<String, String>, Message> {
    let unreadable = |detail: String| msg!("sdmx_bad_attribute", detail = detail);
    let mut map = BTreeMap::new();
    for attribute in element.attributes() {
        let attribute = attribute.map_err(|e| unreadable(e.to_string()))?;
        let key = attribute.key.as_ref().to_owned();
        if key.starts_with("xmlns") || key.contains(':') {
            continue;
        }
        let value = attribute
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|e| unreadable(e.to_string()))?
            .into_owned();
        map.insert(key, value);
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_structure_specific_and_generic_messages() {
        let specific = r#"<message:StructureSpecificData xmlns:message="m"><message:DataSet>
            <Series FREQ="A" REF_AREA="IT" SEX="1"><Obs TIME_PERIOD="2021" OBS_VALUE="28866226"/></Series>
            <Series FREQ="A" REF_AREA="IT" SEX="2"><Obs TIME_PERIOD="2022" OBS_VALUE="30235705" OBS_STATUS="e"/></Series>
            </message:DataSet></message:StructureSpecificData>"#;
        let observations = parse_xml(specific).unwrap();
        assert_eq!(observations.len(), 2);
        assert_eq!(observations[1].dimensions["SEX"], "2");
        assert_eq!(
            (
                observations[1].period.as_str(),
                observations[1].value.as_deref()
            ),
            ("2022", Some("30235705"))
        );

        let generic = r#"<message:GenericData xmlns:generic="g" xmlns:message="m"><message:DataSet>
            <generic:Series><generic:SeriesKey><generic:Value id="REF_AREA" value="001001"/></generic:SeriesKey>
            <generic:Attributes><generic:Value id="UNIT_MEAS" value="N"/></generic:Attributes>
            <generic:Obs><generic:ObsDimension id="TIME_PERIOD" value="2013"/><generic:ObsValue value="12"/></generic:Obs>
            </generic:Series></message:DataSet></message:GenericData>"#;
        let observations = parse_xml(generic).unwrap();
        assert_eq!(observations.len(), 1);
        assert_eq!(
            observations[0].dimensions,
            BTreeMap::from([("REF_AREA".to_owned(), "001001".to_owned())])
        );
        assert_eq!(
            (
                observations[0].period.as_str(),
                observations[0].value.as_deref()
            ),
            ("2013", Some("12"))
        );

        assert!(parse_xml("<Structure><Codelists/></Structure>").is_err());
    }

    // On the real public files in ../shared/data (see its README).
    use crate::source::read::testing::{file, ingest, shared_data};
    use crate::source::result::Ingested;
    use std::path::Path;

    fn sdmx(data: &Path, file_name: &str, split_by: &[&str]) -> Ingested {
        let source = IstatSdmxSource {
            location: file(data, &format!("istat/sdmx/{file_name}")),
            measure: "value".into(),
            unit: "n.".into(),
            title: "ISTAT".into(),
            split_by: split_by.iter().map(|s| s.to_string()).collect(),
            area_dimension: None,
        };
        ingest(|context| source.ingest("sdmx", context))
    }

    #[test]
    #[cfg_attr(
        shared_data_absent,
        ignore = "skipped: ../shared/data (the real public files) is absent"
    )]
    fn istat_sdmx_messages_are_read_in_all_three_forms() {
        let Some(data) = shared_data() else {
            return;
        };
        // Structure-specific SDMX-ML: population of Italy by sex, 2019-2022.
        let specific = sdmx(&data, "22_289.xml", &["SEX"]);
        assert!(specific.findings.is_empty(), "{:#?}", specific.findings);
        let value = |ingested: &Ingested, measure: &str, period: &str| {
            ingested
                .observations
                .iter()
                .find(|o| &*o.measure == measure && &*o.period == period && &*o.territory == "IT")
                .map(|o| o.value)
        };
        assert_eq!(specific.observations.len(), 8);
        assert_eq!(value(&specific, "value_sex_1", "2021"), Some(28_866_226.0));
        assert_eq!(value(&specific, "value_sex_2", "2022"), Some(30_235_705.0));
        // Without splitting on SEX, two values would share one measure: refused, with the reason.
        let ambiguous = sdmx(&data, "22_289.xml", &[]);
        assert!(
            ambiguous
                .findings
                .iter()
                .any(|f| f.rule == "ambiguous_dimension" && f.column.as_deref() == Some("SEX"))
        );
        assert!(ambiguous.observations.is_empty());

        // Generic SDMX-ML from esploradati.istat.it: codes of comuni stay text.
        let generic = sdmx(
            &data,
            "recorded_b1957b05ba522041.xml",
            &[
                "DATA_TYPE",
                "TYPE_SOCIO_EDUC_SERVICE",
                "TYPE_MANAGEMENT",
                "HOLDER_SECTOR_PUBPRIV",
            ],
        );
        assert!(
            generic
                .findings
                .iter()
                .all(|f| f.rule != "ambiguous_dimension"),
            "{:#?}",
            generic.findings
        );
        assert!(!generic.observations.is_empty());
        assert!(
            generic
                .observations
                .iter()
                .all(|o| &*o.territory == "001001" || &*o.territory == "001002")
        );
        assert!(generic.observations.iter().any(|o| &*o.period == "2013"));

        // SDMX-CSV from the older endpoint, whose territory dimension is ITTER107.
        let csv = sdmx(&data, "esempi_filtro_esempio02.csv", &[]);
        assert!(csv.findings.is_empty(), "{:#?}", csv.findings);
        let first = csv
            .observations
            .iter()
            .find(|o| &*o.period == "2001")
            .unwrap();
        assert_eq!((&*first.territory, first.value), ("082053", 3764.0));

        // A structure message is not data.
        let structure = sdmx(&data, "22_289-structure.xml", &[]);
        assert!(
            structure
                .findings
                .iter()
                .any(|f| f.rule == "unreadable_sdmx")
        );
    }
}
