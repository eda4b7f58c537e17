//! The `istat_sdmx` source kind: ISTAT statistics from its SDMX REST service (a dataflow and a
//! key), or a saved response. SDMX-CSV is asked for; SDMX-ML responses, generic and
//! structure-specific, are read too. Area codes stay text ("035004"); NUTS codes of regions and
//! provinces are translated through the list of comuni.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use quick_xml::events::{BytesStart, Event};
use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::error::{ConfigProblem, Result};
use crate::fetch::HttpSpec;
use crate::observation::{Observation, Origin};
use crate::source::{self, IngestContext, Ingested, Location, Paths, SourceSpec};
use crate::spec::Item;
use crate::table::{Delimited, TextTable};
use crate::text::{self, DecimalMark, Encoding};
use crate::validate::Finding;

/// ISTAT's current SDMX REST endpoint.
pub const DEFAULT_ENDPOINT: &str = "https://esploradati.istat.it/SDMXWS/rest";

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct IstatSdmxSpec {
    /// A saved response, relative to the pipeline file's folder.
    pub file: Option<Spanned<String>>,
    /// A full REST URL; or give `dataflow` (and `key`).
    pub url: Option<Spanned<String>>,
    /// Dataflow id, e.g. "22_289".
    pub dataflow: Option<Spanned<String>>,
    /// Series key, dots between dimensions, empty for all: "A.IT.JAN.9.TOTAL.99".
    pub key: Option<String>,
    /// Default ISTAT's esploradati service.
    pub endpoint: Option<String>,
    pub http: Option<HttpSpec>,
    /// The measure name of the observations; `split_by` dimensions are appended to it.
    pub measure: String,
    pub unit: String,
    pub title: Option<String>,
    /// Dimensions whose values become part of the measure name: `["SEX"]` gives
    /// `population_sex_1`, `population_sex_2`, ...
    #[serde(default)]
    pub split_by: Vec<String>,
    /// The dimension with the territory; default REF_AREA, or ITTER107 in older dataflows.
    pub area_dimension: Option<String>,
}

#[derive(Debug, Clone)]
pub struct IstatSdmxSource {
    pub location: Location,
    pub measure: String,
    pub unit: String,
    pub title: String,
    pub split_by: Vec<String>,
    pub area_dimension: Option<String>,
}

const AREA_DIMENSIONS: &[&str] = &["REF_AREA", "ITTER107"];
const NOT_DIMENSIONS: &[&str] = &["DATAFLOW", "STRUCTURE", "STRUCTURE_ID", "ACTION"];

impl IstatSdmxSource {
    pub fn check(
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
                source::remote(item, "istat_sdmx", &url, spec.http.as_ref()).map(Location::Url)
            }
            (Some(_), _, _) => Err(vec![item.problem(
                "give `dataflow` (and `key`), or a whole `url`, or a `file`: one of them",
            )]),
            (None, url, file) => {
                if spec.key.is_some() || spec.endpoint.is_some() {
                    problems.push(item.problem("`key` and `endpoint` go with `dataflow`"));
                }
                source::locate(
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
            problems
                .push(item.problem(format!("measure name `{}` is not snake_case", spec.measure)));
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

    pub fn ingest(&self, name: &str, context: &IngestContext) -> Result<Ingested> {
        let mut ingested = Ingested::default();
        let mut loaded = context.load(name, &self.location)?;
        let Some(text) = source::decode(&loaded, Encoding::Auto, &mut ingested.findings) else {
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
            match source::parse_table(&loaded.label, &text, layout, &mut ingested.findings) {
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
                Finding::error(
                    "unreadable_sdmx",
                    format!("not an SDMX data message this tool reads: {message}"),
                )
                .in_file(&loaded.label),
            ),
        }
        ingested.read.push(loaded.read);
        Ok(ingested)
    }

    fn observations(&self, raw: &[RawObservation], label: &str, ingested: &mut Ingested) {
        if raw.is_empty() {
            ingested.findings.push(
                Finding::warning("no_observations", "the message holds no observations")
                    .in_file(label),
            );
            return;
        }
        let dimensions: BTreeSet<&str> = raw
            .iter()
            .flat_map(|o| o.dimensions.keys().map(String::as_str))
            .collect();
        let area = match &self.area_dimension {
            Some(area) => Some(area.as_str()),
            None => AREA_DIMENSIONS
                .iter()
                .copied()
                .find(|d| dimensions.contains(d)),
        };
        let Some(area) = area.filter(|a| dimensions.contains(a)) else {
            ingested.findings.push(
                Finding::error(
                    "missing_dimension",
                    format!(
                        "no territory dimension ({}); the dimensions are {}: set `area_dimension`",
                        self.area_dimension
                            .as_deref()
                            .unwrap_or("REF_AREA or ITTER107"),
                        dimensions.iter().copied().collect::<Vec<_>>().join(", ")
                    ),
                )
                .in_file(label),
            );
            return;
        };
        for split in &self.split_by {
            if !dimensions.contains(split.as_str()) {
                ingested.findings.push(
                    Finding::error(
                        "missing_dimension",
                        format!("`split_by` names {split}, which the message does not have"),
                    )
                    .in_file(label),
                );
                return;
            }
        }
        // A dimension that varies and is not split on would give two values for one measure.
        let mut values_of: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for observation in raw {
            for (dimension, value) in &observation.dimensions {
                values_of.entry(dimension).or_default().insert(value);
            }
        }
        let mut ambiguous = false;
        for (dimension, values) in &values_of {
            if *dimension != area
                && !self.split_by.iter().any(|s| s == dimension)
                && values.len() > 1
            {
                ambiguous = true;
                ingested.findings.push(
                    Finding::error(
                        "ambiguous_dimension",
                        format!(
                            "dimension {dimension} has several values ({}): add it to `split_by` or narrow the `key`",
                            values.iter().copied().collect::<Vec<_>>().join(", ")
                        ),
                    )
                    .in_file(label)
                    .in_column(*dimension),
                );
            }
        }
        if ambiguous {
            return;
        }
        let file: Arc<str> = Arc::from(label);
        let column: Arc<str> = Arc::from(area);
        let mut shared = crate::observation::Shared::default();
        let place = shared.place(&file, &column);
        for (index, observation) in raw.iter().enumerate() {
            let row = index + 1;
            let Some(raw_value) = observation
                .value
                .as_deref()
                .filter(|v| !v.is_empty() && *v != "NaN")
            else {
                ingested.findings.push(
                    Finding::warning("missing_value", "an observation without a value; skipped")
                        .in_file(label)
                        .at_row(row),
                );
                continue;
            };
            let Some(value) = text::parse_number(raw_value, DecimalMark::Point) else {
                ingested.findings.push(
                    Finding::error("not_a_number", "OBS_VALUE is not a number")
                        .in_file(label)
                        .at_row(row)
                        .in_column("OBS_VALUE")
                        .with_value(raw_value),
                );
                continue;
            };
            let mut measure = self.measure.clone();
            for split in &self.split_by {
                let part: String = observation.dimensions[split.as_str()]
                    .to_lowercase()
                    .chars()
                    .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                    .collect();
                measure.push('_');
                measure.push_str(&split.to_lowercase());
                measure.push('_');
                measure.push_str(&part);
            }
            ingested.observations.push(Observation {
                territory: shared.territory(&observation.dimensions[area]),
                measure: shared.get(&measure),
                period: shared.get(&observation.period),
                value,
                unit: shared.get(&self.unit),
                source: shared.get(&self.title),
                origin: Origin::new(&place, row),
            });
        }
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
fn parse_csv(table: &TextTable) -> std::result::Result<Vec<RawObservation>, String> {
    let headers: Vec<String> = table
        .headers()
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    let time = headers
        .iter()
        .position(|h| h == "TIME_PERIOD")
        .ok_or("no TIME_PERIOD column")?;
    let value = headers
        .iter()
        .position(|h| h == "OBS_VALUE")
        .ok_or("no OBS_VALUE column")?;
    let dimensions: Vec<usize> = (0..time)
        .filter(|&i| !NOT_DIMENSIONS.contains(&headers[i].as_str()))
        .collect();
    let mut observations = Vec::with_capacity(table.row_count());
    for row in 0..table.row_count() {
        let Some(period) = table.cell(time, row) else {
            return Err(format!("row {} has no TIME_PERIOD", row + 1));
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
fn parse_xml(text: &str) -> std::result::Result<Vec<RawObservation>, String> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut observations = Vec::new();
    let mut series: BTreeMap<String, String> = BTreeMap::new();
    let mut in_series_key = false;
    let mut obs: Option<RawObservation> = None;
    let mut saw_dataset = false;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("XML error at byte {}: {e}", reader.buffer_position()))?;
        match event {
            Event::Start(element) | Event::Empty(element) => {
                let local = local_name(&element);
                match local.as_str() {
                    "DataSet" => saw_dataset = true,
                    "Series" => {
                        series = attributes(&element)?;
                        in_series_key = false;
                    }
                    "SeriesKey" => in_series_key = true,
                    "Value" if in_series_key => {
                        let attrs = attributes(&element)?;
                        if let (Some(id), Some(value)) = (attrs.get("id"), attrs.get("value")) {
                            series.insert(id.clone(), value.clone());
                        }
                    }
                    "Obs" => {
                        let mut attrs = attributes(&element)?;
                        let period = attrs.remove("TIME_PERIOD").unwrap_or_default();
                        let value = attrs.remove("OBS_VALUE");
                        let observation = RawObservation {
                            dimensions: series.clone(),
                            period,
                            value,
                        };
                        if value_present_in_generic(&observation) {
                            obs = Some(observation);
                        } else {
                            // Structure-specific: everything is in the element's attributes.
                            observations.push(observation);
                        }
                    }
                    "ObsDimension" => {
                        if let Some(current) = obs.as_mut() {
                            current.period =
                                attributes(&element)?.remove("value").unwrap_or_default();
                        }
                    }
                    "ObsValue" => {
                        if let Some(current) = obs.as_mut() {
                            current.value = attributes(&element)?.remove("value");
                        }
                    }
                    _ => {}
                }
            }
            Event::End(element) => {
                let name = element.local_name();
                match name.as_ref() {
                    "SeriesKey" => in_series_key = false,
                    "Obs" => {
                        if let Some(done) = obs.take() {
                            observations.push(done);
                        }
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_dataset {
        return Err("no DataSet element: is this a structure message rather than data?".to_owned());
    }
    if observations.iter().any(|o| o.period.is_empty()) {
        return Err("an observation has no TIME_PERIOD".to_owned());
    }
    Ok(observations)
}

/// A generic-format `Obs` has neither TIME_PERIOD nor OBS_VALUE attributes: its children say.
fn value_present_in_generic(observation: &RawObservation) -> bool {
    observation.period.is_empty() && observation.value.is_none()
}

fn local_name(element: &BytesStart) -> String {
    element.local_name().as_ref().to_owned()
}

fn attributes(element: &BytesStart) -> std::result::Result<BTreeMap<String, String>, String> {
    let mut map = BTreeMap::new();
    for attribute in element.attributes() {
        let attribute = attribute.map_err(|e| e.to_string())?;
        let key = attribute.key.as_ref().to_owned();
        if key.starts_with("xmlns") || key.contains(':') {
            continue;
        }
        let value = attribute
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|e| e.to_string())?
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
}
