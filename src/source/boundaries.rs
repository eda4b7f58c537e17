//! The `boundaries` source kind: administrative boundaries of comuni, provinces or regions as
//! TopoJSON (quantized, delta-encoded arcs shared by neighbours, `~i` an arc reversed) or
//! GeoJSON files, each shape named by the ISTAT code it carries. Once codes are known, shapes
//! are matched to the list of territories: a territory without a shape and a shape whose code
//! the list does not have are reported by name. The maps of the pages are drawn from them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde_json::{Map, Value};

use crate::error::{ConfigProblem, Result};
use crate::finding::Finding;
use crate::istat::Level;
use crate::message::{self, Message};
use crate::msg;
use crate::plan::{Location, Paths, paths};
use crate::source::read::IngestContext;
use crate::source::result::{Harmonized, Ingested, files_in};
use crate::source::shape::{BoundaryShape, ShapeSet};
use crate::spec::Item;
use crate::spec::SourceSpec;
use crate::spec::source::BoundariesSpec;

/// The attribution of the openpolis boundaries, when the pipeline gives none.
const OPENPOLIS: &str = "Confini: ISTAT, elaborazione openpolis (CC BY 4.0)";
/// A GeoJSON file's degrees are kept to a millionth (about 10 cm).
const GEOJSON_SCALE: f64 = 1e-6;

#[derive(Debug, Clone)]
pub(crate) struct BoundariesSource {
    pub(crate) files: Vec<PathBuf>,
    pub(crate) dir: Option<PathBuf>,
    pub(crate) level: Option<Level>,
    pub(crate) attribution: String,
}

/// The properties a shape's code and name are read from, by level.
fn properties_of(level: Level) -> Option<(&'static str, &'static str)> {
    match level {
        Level::Comune => Some(("com_istat_code", "name")),
        Level::Province => Some(("prov_istat_code", "prov_name")),
        Level::Region => Some(("reg_istat_code", "reg_name")),
        Level::Union | Level::Italy => None,
    }
}

const LEVELS: [Level; 3] = [Level::Comune, Level::Province, Level::Region];

impl BoundariesSource {
    pub(crate) fn check(
        item: &Item<SourceSpec>,
        spec: &BoundariesSpec,
        base: &Paths,
    ) -> std::result::Result<Self, Vec<ConfigProblem>> {
        let mut problems = Vec::new();
        let mut files = Vec::new();
        for file in &spec.files {
            match paths::resolve_path(item, "boundaries.files", file, base, false) {
                Ok(path) => files.push(path),
                Err(problem) => problems.push(problem),
            }
        }
        let dir = match &spec.dir {
            Some(dir) => match paths::resolve_path(item, "boundaries.dir", dir, base, true) {
                Ok(path) => Some(path),
                Err(problem) => {
                    problems.push(problem);
                    None
                }
            },
            None => None,
        };
        if spec.files.is_empty() == spec.dir.is_none() {
            problems.push(item.problem(msg!("boundaries_files_or_dir")));
        }
        let level = spec.level.as_ref().and_then(|written| {
            let level = LEVELS.into_iter().find(|l| l.as_str() == written.get_ref());
            if level.is_none() {
                problems.push(item.problem_at(
                    written.span(),
                    "boundaries.level",
                    msg!("boundaries_level", level = written.get_ref()),
                ));
            }
            level
        });
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(BoundariesSource {
            files,
            dir,
            level,
            attribution: spec
                .attribution
                .clone()
                .unwrap_or_else(|| OPENPOLIS.to_owned()),
        })
    }

    /// The files read: those listed, or the boundaries files of the folder in name order.
    pub(crate) fn locations(&self) -> Result<Vec<Location>> {
        let mut files = self.files.clone();
        if let Some(dir) = &self.dir {
            files.extend(files_in(dir)?.into_iter().filter(|path| {
                let name = path.to_string_lossy();
                [".topo.json", ".topojson", ".geojson"]
                    .iter()
                    .any(|end| name.ends_with(end))
            }));
        }
        Ok(files.into_iter().map(Location::File).collect())
    }

    pub(crate) fn ingest(&self, name: &str, context: &IngestContext) -> Result<Ingested> {
        let mut ingested = Ingested::default();
        for location in self.locations()? {
            let loaded = context.load(name, &location)?;
            let label = loaded.label.clone();
            let mut read = loaded.read;
            match decode(&loaded.bytes, &label, self.level, &self.attribution) {
                Ok((set, findings)) => {
                    read.rows = set.shapes.len();
                    ingested.findings.extend(findings);
                    ingested.shapes.push(set);
                }
                Err(message) => ingested
                    .findings
                    .push(Finding::error("invalid_boundaries", message).in_file(&label)),
            }
            ingested.read.push(read);
        }
        if ingested.shapes.iter().all(|s| s.shapes.is_empty()) && !ingested.has_errors() {
            let files = self.dir.iter().chain(&self.files);
            let file = files.map(|f| f.display().to_string()).next();
            ingested.findings.push(
                Finding::error("invalid_boundaries", msg!("boundaries_no_shapes"))
                    .in_file(file.unwrap_or_default()),
            );
        }
        Ok(ingested)
    }
}

/// A TopoJSON or GeoJSON file's shapes, with a finding for each feature left out; a file that
/// is neither is the message.
pub(crate) fn decode(
    bytes: &[u8],
    label: &str,
    level: Option<Level>,
    attribution: &str,
) -> std::result::Result<(ShapeSet, Vec<Finding>), Message> {
    let root: Value = serde_json::from_slice(bytes)
        .map_err(|e| msg!("boundaries_not_json", detail = e.to_string()))?;
    let mut set = ShapeSet {
        file: label.to_owned(),
        scale: [1.0, 1.0],
        translate: [0.0, 0.0],
        arcs: Vec::new(),
        shapes: Vec::new(),
        attribution: attribution.to_owned(),
    };
    let mut findings = Vec::new();
    match root.get("type").and_then(Value::as_str) {
        Some("Topology") => topology(&root, &mut set, level, &mut findings)?,
        Some("FeatureCollection") => features(&root, &mut set, level, &mut findings)?,
        other => {
            return Err(msg!(
                "boundaries_not_topology",
                found = other.unwrap_or("-").to_owned()
            ));
        }
    }
    let mut seen = BTreeSet::new();
    set.shapes.retain(|shape| {
        let first = seen.insert((shape.level, shape.code.clone()));
        if !first {
            findings.push(
                Finding::warning(
                    "boundaries_duplicate",
                    msg!(
                        "boundaries_duplicate",
                        code = &shape.code,
                        name = &shape.name
                    ),
                )
                .in_file(label),
            );
        }
        first
    });
    Ok((set, findings))
}

/// A Topology's arcs (with its transform, when quantized) and the shapes of every object.
fn topology(
    root: &Value,
    set: &mut ShapeSet,
    level: Option<Level>,
    findings: &mut Vec<Finding>,
) -> std::result::Result<(), Message> {
    let transform = root.get("transform");
    if let Some(transform) = transform {
        set.scale = pair(transform.get("scale")).ok_or_else(|| msg!("boundaries_transform"))?;
        set.translate =
            pair(transform.get("translate")).ok_or_else(|| msg!("boundaries_transform"))?;
    } else {
        set.scale = [GEOJSON_SCALE, GEOJSON_SCALE];
    }
    let arcs = root
        .get("arcs")
        .and_then(Value::as_array)
        .ok_or_else(|| msg!("boundaries_key_missing", key = "arcs"))?;
    for (index, arc) in arcs.iter().enumerate() {
        let points = arc.as_array().and_then(|points| {
            points
                .iter()
                .map(|p| pair(Some(p)))
                .collect::<Option<Vec<[f64; 2]>>>()
        });
        let points = points.ok_or_else(|| msg!("boundaries_bad_arc", arc = index))?;
        set.arcs.push(match transform {
            // Quantized arcs are already integers, delta-encoded.
            Some(_) => points.iter().map(|p| [p[0] as i64, p[1] as i64]).collect(),
            None => delta_encode(points.iter().map(|p| quantize(*p))),
        });
    }
    let objects = root
        .get("objects")
        .and_then(Value::as_object)
        .ok_or_else(|| msg!("boundaries_key_missing", key = "objects"))?;
    for object in objects.values() {
        let geometries = match object.get("geometries").and_then(Value::as_array) {
            Some(geometries) => geometries.iter().collect(),
            None => vec![object],
        };
        for (index, geometry) in geometries.into_iter().enumerate() {
            let arcs = geometry.get("arcs");
            let polygons = match geometry.get("type").and_then(Value::as_str) {
                Some("Polygon") => arc_rings(arcs).map(|rings| vec![rings]),
                Some("MultiPolygon") => arcs
                    .and_then(Value::as_array)
                    .and_then(|all| all.iter().map(|p| arc_rings(Some(p))).collect()),
                _ => None,
            };
            let in_range =
                |polygons: &Vec<Vec<Vec<i64>>>| {
                    polygons.iter().flatten().flatten().all(|&reference| {
                        crate::source::shape::arc_of(reference).0 < set.arcs.len()
                    })
                };
            let polygons = polygons.filter(in_range);
            add_shape(set, geometry, polygons, level, index, findings);
        }
    }
    Ok(())
}

/// A polygon's rings of arc references.
fn arc_rings(value: Option<&Value>) -> Option<Vec<Vec<i64>>> {
    value?
        .as_array()?
        .iter()
        .map(|ring| ring.as_array()?.iter().map(Value::as_i64).collect())
        .collect()
}

/// A FeatureCollection's features, each ring an arc of its own.
fn features(
    root: &Value,
    set: &mut ShapeSet,
    level: Option<Level>,
    findings: &mut Vec<Finding>,
) -> std::result::Result<(), Message> {
    set.scale = [GEOJSON_SCALE, GEOJSON_SCALE];
    let features = root
        .get("features")
        .and_then(Value::as_array)
        .ok_or_else(|| msg!("boundaries_key_missing", key = "features"))?;
    for (index, feature) in features.iter().enumerate() {
        let geometry = feature.get("geometry");
        let coordinates = geometry.and_then(|g| g.get("coordinates"));
        let kind = geometry.and_then(|g| g.get("type")).and_then(Value::as_str);
        let polygons: Option<Vec<&Value>> = match kind {
            Some("Polygon") => coordinates.map(|c| vec![c]),
            Some("MultiPolygon") => coordinates
                .and_then(Value::as_array)
                .map(|all| all.iter().collect()),
            _ => None,
        };
        let polygons = polygons.and_then(|polygons| {
            polygons
                .into_iter()
                .map(|polygon| {
                    polygon
                        .as_array()?
                        .iter()
                        .map(|ring| ring_arc(set, ring))
                        .collect()
                })
                .collect()
        });
        add_shape(set, feature, polygons, level, index, findings);
    }
    Ok(())
}

/// A GeoJSON ring as an arc of its own, added to the set: the one arc reference of the ring.
fn ring_arc(set: &mut ShapeSet, ring: &Value) -> Option<Vec<i64>> {
    let points = ring
        .as_array()?
        .iter()
        .map(|p| pair(Some(p)).map(quantize))
        .collect::<Option<Vec<[i64; 2]>>>()?;
    set.arcs.push(delta_encode(points.into_iter()));
    Some(vec![i64::try_from(set.arcs.len() - 1).ok()?])
}

/// A shape from its feature's properties and polygons; a finding when it has neither a code
/// of its level nor polygons.
fn add_shape(
    set: &mut ShapeSet,
    feature: &Value,
    polygons: Option<Vec<Vec<Vec<i64>>>>,
    level: Option<Level>,
    index: usize,
    findings: &mut Vec<Finding>,
) {
    let empty = Map::new();
    let properties = feature
        .get("properties")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let text = |key: &str| {
        properties
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let found = match level {
        Some(level) => properties_of(level).map(|keys| (level, keys)),
        None => LEVELS.into_iter().find_map(|level| {
            let keys = properties_of(level)?;
            properties.contains_key(keys.0).then_some((level, keys))
        }),
    };
    let code = found.and_then(|(_, (code_key, _))| text(code_key));
    let (Some((level, (_, name_key))), Some(code)) = (found, code) else {
        let place = format!("{}[{index}]", set.file);
        let finding = Finding::warning(
            "boundaries_no_code",
            msg!("boundaries_no_code", feature = place),
        )
        .in_file(&set.file);
        findings.push(match found {
            Some((_, (code_key, _))) => finding.in_column(code_key),
            None => finding,
        });
        return;
    };
    let name = text(name_key).unwrap_or_else(|| code.clone());
    let Some(polygons) = polygons.filter(|p| !p.is_empty()) else {
        findings.push(
            Finding::warning(
                "boundaries_no_geometry",
                msg!("boundaries_no_geometry", code = &code, name = &name),
            )
            .in_file(&set.file),
        );
        return;
    };
    set.shapes.push(BoundaryShape {
        code,
        name,
        level,
        province: text("prov_istat_code").filter(|_| level == Level::Comune),
        region: text("reg_istat_code").filter(|_| level != Level::Region),
        polygons,
    });
}

fn pair(value: Option<&Value>) -> Option<[f64; 2]> {
    match value?.as_array()?.as_slice() {
        [x, y, ..] => Some([x.as_f64()?, y.as_f64()?]),
        _ => None,
    }
}

fn quantize(point: [f64; 2]) -> [i64; 2] {
    [
        (point[0] / GEOJSON_SCALE).round() as i64,
        (point[1] / GEOJSON_SCALE).round() as i64,
    ]
}

fn delta_encode(points: impl Iterator<Item = [i64; 2]>) -> Vec<[i64; 2]> {
    let mut last = [0, 0];
    points
        .map(|point| {
            let delta = [point[0] - last[0], point[1] - last[1]];
            last = point;
            delta
        })
        .collect()
}

/// How many names a warning about shapes lists: all of a real run's (34 in the sample, 3
/// nationally), not the tens of thousands of a grown national run.
const NAMES_SHOWN: usize = 100;

/// Once codes are known: every territory of a level the files draw without a shape, and
/// every shape whose code the list does not have, reported by name (one finding each way
/// per level, its first names and how many more). Shapes not in the list stay: a province's
/// map draws them as its context.
pub(crate) fn check_matches(ingested: &mut Ingested, harmonized: &Harmonized) {
    name_as_listed(ingested, harmonized);
    let mut drawn: BTreeMap<Level, BTreeSet<&str>> = BTreeMap::new();
    let mut unlisted: BTreeMap<(Level, &str), Vec<String>> = BTreeMap::new();
    for set in &ingested.shapes {
        for shape in &set.shapes {
            drawn.entry(shape.level).or_default().insert(&shape.code);
            if !(harmonized.is_known)(&shape.code) {
                unlisted
                    .entry((shape.level, &set.file))
                    .or_default()
                    .push(format!("{} ({})", shape.name, shape.code));
            }
        }
    }
    let mut findings = Vec::new();
    for ((level, file), names) in unlisted {
        findings.push(
            Finding::warning(
                "boundaries_not_listed",
                msg!(
                    "boundaries_not_listed",
                    count = names.len(),
                    level = level.label_it(),
                    names = message::first_of(&names, NAMES_SHOWN)
                ),
            )
            .in_file(file),
        );
    }
    let files: Vec<&str> = ingested.shapes.iter().map(|s| s.file.as_str()).collect();
    for (level, codes) in &drawn {
        let missing: Vec<String> = (harmonized.listed)(*level)
            .into_iter()
            .filter(|(code, _)| !codes.contains(code.as_str()))
            .map(|(code, name)| format!("{name} ({code})"))
            .collect();
        if !missing.is_empty() {
            findings.push(
                Finding::warning(
                    "boundaries_no_shape",
                    msg!(
                        "boundaries_no_shape",
                        count = missing.len(),
                        level = level.label_it(),
                        names = message::first_of(&missing, NAMES_SHOWN)
                    ),
                )
                .in_file(files.join(", ")),
            );
        }
    }
    ingested.findings.extend(findings);
}

/// A shape the list has takes the list's name: ISTAT's spelling is the official one, and a
/// boundaries file may carry its names garbled (openpolis' "San Floriano del Collio-\u{8a}teverjan"
/// for "-Števerjan").
fn name_as_listed(ingested: &mut Ingested, harmonized: &Harmonized) {
    let levels: BTreeSet<Level> = ingested
        .shapes
        .iter()
        .flat_map(|set| set.shapes.iter().map(|shape| shape.level))
        .collect();
    let names: BTreeMap<(Level, String), String> = levels
        .into_iter()
        .flat_map(|level| {
            (harmonized.listed)(level)
                .into_iter()
                .map(move |(code, name)| ((level, code), name))
        })
        .collect();
    for shape in ingested
        .shapes
        .iter_mut()
        .flat_map(|set| set.shapes.iter_mut())
    {
        if let Some(name) = names.get(&(shape.level, shape.code.clone())) {
            shape.name.clone_from(name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::read::testing::shared_data;
    use crate::source::shape::ring_points;

    /// Two unit squares side by side sharing their middle edge (arc 1), quantized with a
    /// transform: the right square walks the shared arc backwards (`~1`, written -2).
    const TWO_SQUARES: &str = r#"{
        "type": "Topology",
        "transform": {"scale": [0.5, 0.25], "translate": [10.0, 44.0]},
        "arcs": [
            [[2, 0], [-2, 0], [0, 4], [2, 0]],
            [[2, 4], [0, -4]],
            [[2, 4], [2, 0], [0, -4], [-2, 0]]
        ],
        "objects": {"municipalities": {"type": "GeometryCollection", "geometries": [
            {"type": "Polygon", "arcs": [[0, 1]],
             "properties": {"com_istat_code": "035001", "name": "Sinistra & <Co>",
                            "prov_istat_code": "035", "reg_istat_code": "08"}},
            {"type": "MultiPolygon", "arcs": [[[2, -2]]],
             "properties": {"com_istat_code": "035002", "name": "Destra"}},
            {"type": "Polygon", "arcs": [[7]], "properties": {"com_istat_code": "035003"}},
            {"type": "Polygon", "arcs": [[0]], "properties": {"prov_name": "senza codice"}}
        ]}}
    }"#;

    fn lon_lat_rings(set: &ShapeSet, shape: &BoundaryShape) -> Vec<Vec<[f64; 2]>> {
        let arcs = set.decoded_arcs();
        shape
            .polygons
            .iter()
            .flatten()
            .map(|ring| {
                ring_points(&arcs, ring)
                    .into_iter()
                    .map(|p| set.lon_lat(p))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn decodes_quantized_delta_encoded_and_reversed_arcs_exactly() {
        let (set, findings) = decode(TWO_SQUARES.as_bytes(), "two.json", None, "a").unwrap();
        assert_eq!(set.shapes.len(), 2, "{:?}", set.shapes);
        let left = &set.shapes[0];
        assert_eq!(
            (left.code.as_str(), left.name.as_str(), left.level),
            ("035001", "Sinistra & <Co>", Level::Comune)
        );
        assert_eq!(
            (left.province.as_deref(), left.region.as_deref()),
            (Some("035"), Some("08"))
        );
        assert_eq!(
            lon_lat_rings(&set, left),
            vec![vec![
                [11.0, 44.0],
                [10.0, 44.0],
                [10.0, 45.0],
                [11.0, 45.0],
                [11.0, 44.0]
            ]]
        );
        // Arc 2 then arc 1 reversed: from (11, 45) round the right square to (11, 44), and up
        // the shared edge, back where it started.
        assert_eq!(
            lon_lat_rings(&set, &set.shapes[1]),
            vec![vec![
                [11.0, 45.0],
                [12.0, 45.0],
                [12.0, 44.0],
                [11.0, 44.0],
                [11.0, 45.0]
            ]]
        );
        // An arc that is not there, and a feature without a code: left out, each said.
        let rules: Vec<&str> = findings.iter().map(|f| f.rule.as_str()).collect();
        assert_eq!(rules, ["boundaries_no_geometry", "boundaries_no_code"]);
        assert!(findings.iter().all(|f| !f.is_error()));
    }

    #[test]
    fn reads_geojson_rings_as_arcs_of_their_own() {
        let geojson = r#"{"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"reg_istat_code": "08", "reg_name": "Emilia-Romagna"},
             "geometry": {"type": "Polygon", "coordinates": [[[9.5, 44.0], [12.75, 44.0], [12.75, 45.125], [9.5, 44.0]]]}}
        ]}"#;
        let (set, findings) = decode(geojson.as_bytes(), "r.geojson", None, "a").unwrap();
        assert!(findings.is_empty());
        let region = &set.shapes[0];
        assert_eq!((region.level, region.code.as_str()), (Level::Region, "08"));
        assert_eq!(
            lon_lat_rings(&set, region)[0],
            vec![[9.5, 44.0], [12.75, 44.0], [12.75, 45.125], [9.5, 44.0]]
        );
        // A level given by the pipeline reads that level's property, whatever else is there.
        let (set, findings) =
            decode(geojson.as_bytes(), "r.geojson", Some(Level::Province), "a").unwrap();
        assert!(set.shapes.is_empty());
        assert_eq!(findings[0].rule, "boundaries_no_code");
    }

    #[test]
    fn a_file_that_is_not_boundaries_is_said_so() {
        let message = decode(b"{\"type\": \"Feature\"}", "x", None, "a").unwrap_err();
        assert!(message.to_string().contains("Feature"), "{message}");
        assert!(decode(b"not json", "x", None, "a").is_err());
        let no_arcs = br#"{"type": "Topology", "objects": {}}"#;
        assert!(decode(no_arcs, "x", None, "a").is_err());
    }

    #[test]
    fn a_territory_without_a_shape_and_a_shape_without_a_territory_are_named() {
        let (set, _) = decode(TWO_SQUARES.as_bytes(), "two.json", None, "a").unwrap();
        let mut ingested = Ingested {
            shapes: vec![set],
            ..Ingested::default()
        };
        let is_known = |code: &str| code == "035001" || code == "035009";
        let listed = |level: Level| match level {
            Level::Comune => vec![
                (
                    "035001".to_owned(),
                    "Sinistra & <Co> (come nell'elenco)".to_owned(),
                ),
                ("035009".to_owned(), "Senza confine".to_owned()),
            ],
            _ => Vec::new(),
        };
        let harmonized = Harmonized {
            is_known: &is_known,
            suggestion: &|_| None,
            listed: &listed,
            run_date: "2026-11-23",
            challenges: &BTreeMap::new(),
        };
        check_matches(&mut ingested, &harmonized);
        let said: Vec<(String, String)> = ingested
            .findings
            .iter()
            .map(|f| (f.rule.clone(), f.message.to_string()))
            .collect();
        assert_eq!(said.len(), 2, "{said:?}");
        assert_eq!(said[0].0, "boundaries_not_listed");
        assert!(said[0].1.contains("Destra (035002)"), "{}", said[0].1);
        assert_eq!(said[1].0, "boundaries_no_shape");
        assert!(
            said[1].1.contains("Senza confine (035009)"),
            "{}",
            said[1].1
        );
        assert!(ingested.findings.iter().all(|f| !f.is_error()));
        // Shapes not in the list stay, to be drawn as context; a listed one takes the list's
        // name.
        let names: Vec<&str> = ingested.shapes[0]
            .shapes
            .iter()
            .map(|s| s.name.as_str())
            .collect();
        assert_eq!(names, ["Sinistra & <Co> (come nell'elenco)", "Destra"]);
    }

    /// The smallest distance from a point to the segments of a shape's rings.
    fn distance_to_rings(point: [f64; 2], rings: &[Vec<[f64; 2]>]) -> f64 {
        let mut best = f64::MAX;
        for ring in rings {
            for pair in ring.windows(2) {
                let (a, b) = (pair[0], pair[1]);
                let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
                let length = dx * dx + dy * dy;
                let t = if length == 0.0 {
                    0.0
                } else {
                    (((point[0] - a[0]) * dx + (point[1] - a[1]) * dy) / length).clamp(0.0, 1.0)
                };
                let (x, y) = (a[0] + t * dx, a[1] + t * dy);
                best = best.min(((point[0] - x).powi(2) + (point[1] - y).powi(2)).sqrt());
            }
        }
        best
    }

    fn bounds(rings: &[Vec<[f64; 2]>]) -> [f64; 4] {
        rings
            .iter()
            .flatten()
            .fold([f64::MAX, f64::MAX, f64::MIN, f64::MIN], |b, p| {
                [
                    b[0].min(p[0]),
                    b[1].min(p[1]),
                    b[2].max(p[0]),
                    b[3].max(p[1]),
                ]
            })
    }

    #[test]
    #[cfg_attr(
        shared_data_absent,
        ignore = "skipped: ../shared/data (the real public files) is absent"
    )]
    fn the_topojson_of_reggio_emilia_decodes_to_its_geojson() {
        let Some(data) = shared_data() else {
            return;
        };
        let read = |name: &str| {
            let bytes = fs_err::read(data.join("boundaries").join(name)).unwrap();
            let (set, findings) = decode(&bytes, name, None, OPENPOLIS).unwrap();
            assert!(findings.is_empty(), "{name}: {findings:?}");
            set
        };
        let topo = read("limits_P_35_municipalities.topo.json");
        let geo = read("limits_P_35_municipalities.geojson");
        assert_eq!(topo.shapes.len(), 42);
        let codes = |set: &ShapeSet| -> Vec<(String, String)> {
            set.shapes
                .iter()
                .map(|s| (s.code.clone(), s.name.clone()))
                .collect()
        };
        assert_eq!(codes(&topo), codes(&geo));
        // The TopoJSON is simplified (it keeps a fifth of the points) and quantized to about
        // 1e-4 degrees: its points lie on the GeoJSON's outline within a few quanta, its
        // bounds within a few hundred metres, with as many rings.
        let quantum = topo.scale[0].max(topo.scale[1]);
        for (shape, twin) in topo.shapes.iter().zip(&geo.shapes) {
            let (rings, twin_rings) = (lon_lat_rings(&topo, shape), lon_lat_rings(&geo, twin));
            assert_eq!(rings.len(), twin_rings.len(), "{}", shape.name);
            for ring in &rings {
                assert_eq!(ring.first(), ring.last(), "{}: a ring closes", shape.name);
                for point in ring {
                    let off = distance_to_rings(*point, &twin_rings);
                    assert!(
                        off < 3.0 * quantum,
                        "{}: {point:?} is {off} off",
                        shape.name
                    );
                }
            }
            let (a, b) = (bounds(&rings), bounds(&twin_rings));
            for side in 0..4 {
                assert!(
                    (a[side] - b[side]).abs() < 0.005,
                    "{}: {a:?} {b:?}",
                    shape.name
                );
            }
        }
        // Neighbours share arcs: there are fewer arcs than rings' sides would make.
        let references: usize = topo
            .shapes
            .iter()
            .flat_map(|s| s.polygons.iter().flatten())
            .map(Vec::len)
            .sum();
        assert!(
            topo.arcs.len() < references,
            "{} arcs, {references} references",
            topo.arcs.len()
        );
    }
}
