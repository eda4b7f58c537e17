//! The geometry of the maps: shapes projected for Italy (equirectangular, longitudes scaled by
//! the cosine of the map's middle latitude), each shared arc simplified once per map
//! (Douglas–Peucker, its ends kept, so that neighbours still meet), quantized to whole viewBox
//! units and written as compact relative path data; the classes of a choropleth and their
//! colours. `map_markup` writes the SVG.

use std::collections::HashMap;

use crate::istat::Level;
use crate::source::shape::{BoundaryShape, ShapeSet, arc_of};
use crate::text::format_it;

/// The lightest, middle and darkest class: each at least 3:1 from its neighbour; every shape
/// is outlined in [`OUTLINE`], at least 3:1 against the background and the lightest class
/// (WCAG 2.1, 1.4.11: the boundary carries the contrast), and shapes without data are hatched.
pub(crate) const CLASSES: [&str; 3] = ["#E3EEF9", "#4F86C6", "#062E5F"];
pub(crate) const OUTLINE: &str = crate::site::chart::OTHER;
/// The territory a locator map is about, and the shapes around it.
pub(crate) const HIGHLIGHT: &str = crate::site::chart::FOCUS;
pub(crate) const CONTEXT: &str = "#E6E9F2";

/// The width maps are drawn at, and the most height they take.
pub(crate) const WIDTH: f64 = 640.0;
const MAX_HEIGHT: f64 = 600.0;

/// The decoded arcs of every boundaries file, and the shapes by level and code.
pub(crate) struct Atlas<'a> {
    sets: &'a [ShapeSet],
    arcs: Vec<Vec<Vec<[i64; 2]>>>,
    by_code: HashMap<(Level, &'a str), (usize, &'a BoundaryShape)>,
}

/// A shape drawn on a map: its code and name, and its path data.
#[derive(Debug, Clone)]
pub(crate) struct DrawnShape {
    pub(crate) code: String,
    pub(crate) name: String,
    pub(crate) path: String,
}

/// A map's shapes, projected and simplified, in whole viewBox units.
#[derive(Debug, Clone)]
pub(crate) struct Geometry {
    pub(crate) width: i64,
    pub(crate) height: i64,
    pub(crate) shapes: Vec<DrawnShape>,
}

impl<'a> Atlas<'a> {
    pub(crate) fn new(sets: &'a [ShapeSet]) -> Atlas<'a> {
        let mut by_code = HashMap::new();
        for (index, set) in sets.iter().enumerate() {
            for shape in &set.shapes {
                by_code
                    .entry((shape.level, shape.code.as_str()))
                    .or_insert((index, shape));
            }
        }
        Atlas {
            sets,
            arcs: sets.iter().map(ShapeSet::decoded_arcs).collect(),
            by_code,
        }
    }

    /// The shapes of a level that `keep` keeps, in code order.
    pub(crate) fn shapes(
        &self,
        level: Level,
        keep: impl Fn(&BoundaryShape) -> bool,
    ) -> Vec<(usize, &'a BoundaryShape)> {
        let mut found: Vec<(usize, &BoundaryShape)> = self
            .by_code
            .iter()
            .filter(|((l, _), (_, shape))| *l == level && keep(shape))
            .map(|(_, found)| *found)
            .collect();
        found.sort_by(|a, b| a.1.code.cmp(&b.1.code));
        found
    }

    /// Who made the boundaries of the shapes (of the first, when files differ); None without
    /// shapes.
    pub(crate) fn attribution(&self, shapes: &[(usize, &BoundaryShape)]) -> Option<String> {
        let (set, _) = shapes.first()?;
        Some(self.sets[*set].attribution.clone())
    }

    /// The shapes drawn `width` units wide (less when tall), arcs simplified to `tolerance`
    /// units.
    pub(crate) fn draw(
        &self,
        shapes: &[(usize, &BoundaryShape)],
        width: f64,
        tolerance: f64,
    ) -> Geometry {
        let Some(projection) = self.projection(shapes, width) else {
            return Geometry {
                width: 0,
                height: 0,
                shapes: Vec::new(),
            };
        };
        let mut simplified: HashMap<(usize, usize), Vec<[i64; 2]>> = HashMap::new();
        let mut drawn = Vec::with_capacity(shapes.len());
        for &(set, shape) in shapes {
            let mut path = String::new();
            for ring in shape.polygons.iter().flatten() {
                let mut points: Vec<[i64; 2]> = Vec::new();
                for &reference in ring {
                    let (index, reversed) = arc_of(reference);
                    let arc = simplified.entry((set, index)).or_insert_with(|| {
                        let arc = self.arcs[set].get(index).map_or(&[][..], Vec::as_slice);
                        let projected: Vec<[f64; 2]> = arc
                            .iter()
                            .map(|p| projection.apply(self.sets[set].lon_lat(*p)))
                            .collect();
                        quantized(&simplify(&projected, tolerance))
                    });
                    let mut part = arc.clone();
                    if reversed {
                        part.reverse();
                    }
                    let skip = usize::from(!points.is_empty());
                    points.extend(part.into_iter().skip(skip));
                }
                points.dedup();
                if points.len() > 3 {
                    ring_path(&mut path, &points);
                }
            }
            if path.is_empty() {
                // Smaller than the drawing's grain: a dot where it is, so that it is there.
                if let Some(point) = self.first_point(set, shape) {
                    let [x, y] = projection.apply(self.sets[set].lon_lat(point));
                    path = format!("M{} {}h2v2h-2z", x.round() as i64 - 1, y.round() as i64 - 1);
                }
            }
            drawn.push(DrawnShape {
                code: shape.code.clone(),
                name: shape.name.clone(),
                path,
            });
        }
        Geometry {
            width: projection.width,
            height: projection.height,
            shapes: drawn,
        }
    }

    fn first_point(&self, set: usize, shape: &BoundaryShape) -> Option<[i64; 2]> {
        let reference = *shape.polygons.first()?.first()?.first()?;
        self.arcs[set].get(arc_of(reference).0)?.first().copied()
    }

    /// The projection that fits the shapes in `width` units (less, when they are tall).
    fn projection(&self, shapes: &[(usize, &BoundaryShape)], width: f64) -> Option<Projection> {
        let mut bounds = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
        for &(set, shape) in shapes {
            for &reference in shape.polygons.iter().flatten().flatten() {
                for point in self.arcs[set]
                    .get(arc_of(reference).0)
                    .into_iter()
                    .flatten()
                {
                    let [lon, lat] = self.sets[set].lon_lat(*point);
                    bounds = [
                        bounds[0].min(lon),
                        bounds[1].min(lat),
                        bounds[2].max(lon),
                        bounds[3].max(lat),
                    ];
                }
            }
        }
        if bounds[0] > bounds[2] {
            return None;
        }
        let cosine = ((bounds[1] + bounds[3]) / 2.0).to_radians().cos();
        let (span_x, span_y) = ((bounds[2] - bounds[0]) * cosine, bounds[3] - bounds[1]);
        let scale = (width / span_x.max(1e-9)).min(MAX_HEIGHT / span_y.max(1e-9));
        Some(Projection {
            west: bounds[0],
            north: bounds[3],
            cosine,
            scale,
            width: (span_x * scale).ceil() as i64,
            height: (span_y * scale).ceil() as i64,
        })
    }
}

struct Projection {
    west: f64,
    north: f64,
    cosine: f64,
    scale: f64,
    width: i64,
    height: i64,
}

impl Projection {
    fn apply(&self, [lon, lat]: [f64; 2]) -> [f64; 2] {
        [
            (lon - self.west) * self.cosine * self.scale,
            (self.north - lat) * self.scale,
        ]
    }
}

/// Douglas–Peucker: the points of a line that keep it within `tolerance` of itself; its ends
/// always stay.
pub(crate) fn simplify(points: &[[f64; 2]], tolerance: f64) -> Vec<[f64; 2]> {
    if points.len() < 3 {
        return points.to_vec();
    }
    let mut keep = vec![false; points.len()];
    keep[0] = true;
    keep[points.len() - 1] = true;
    let mut stack = vec![(0, points.len() - 1)];
    while let Some((first, last)) = stack.pop() {
        let mut farthest = (0.0, first);
        for at in first + 1..last {
            let distance = distance_to_segment(points[at], points[first], points[last]);
            if distance > farthest.0 {
                farthest = (distance, at);
            }
        }
        if farthest.0 > tolerance {
            keep[farthest.1] = true;
            stack.push((first, farthest.1));
            stack.push((farthest.1, last));
        }
    }
    points
        .iter()
        .zip(keep)
        .filter(|(_, kept)| *kept)
        .map(|(point, _)| *point)
        .collect()
}

fn distance_to_segment(point: [f64; 2], start: [f64; 2], end: [f64; 2]) -> f64 {
    let (dx, dy) = (end[0] - start[0], end[1] - start[1]);
    let length = dx * dx + dy * dy;
    let t = if length == 0.0 {
        0.0
    } else {
        (((point[0] - start[0]) * dx + (point[1] - start[1]) * dy) / length).clamp(0.0, 1.0)
    };
    let (x, y) = (start[0] + t * dx, start[1] + t * dy);
    ((point[0] - x).powi(2) + (point[1] - y).powi(2)).sqrt()
}

fn quantized(points: &[[f64; 2]]) -> Vec<[i64; 2]> {
    let mut out: Vec<[i64; 2]> = points
        .iter()
        .map(|p| [p[0].round() as i64, p[1].round() as i64])
        .collect();
    out.dedup();
    out
}

/// A closed ring as path data: its first point, then each next one relative to the one
/// before (`l` repeated), the numbers separated only where a minus sign does not.
fn ring_path(path: &mut String, points: &[[i64; 2]]) {
    use std::fmt::Write;
    let [x, y] = points[0];
    let _ = write!(path, "M{x} {y}l");
    let mut last = points[0];
    let end = if points.last() == points.first() {
        points.len() - 1
    } else {
        points.len()
    };
    for (at, point) in points[1..end].iter().enumerate() {
        let (dx, dy) = (point[0] - last[0], point[1] - last[1]);
        if at > 0 && dx >= 0 {
            path.push(' ');
        }
        let _ = write!(path, "{dx}");
        if dy >= 0 {
            path.push(' ');
        }
        let _ = write!(path, "{dy}");
        last = *point;
    }
    path.push('z');
}

/// The classes of a choropleth: up to three, each holding about a third of the values, with
/// their limits as written (`da 2,5 a 3,8`) and their colours.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Classes {
    /// The highest value of each class but the last.
    breaks: Vec<f64>,
    pub(crate) labels: Vec<String>,
    pub(crate) colors: Vec<&'static str>,
}

impl Classes {
    /// The classes of the values, at the indicator's decimals; None without values. Each
    /// class is named by the lowest and highest value it holds.
    pub(crate) fn of(values: &[f64], decimals: u8) -> Option<Classes> {
        let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        sorted.sort_by(f64::total_cmp);
        let high = *sorted.last()?;
        let third = |k: usize| sorted[(sorted.len() * k / 3).min(sorted.len() - 1)];
        let mut breaks = vec![third(1), third(2)];
        breaks.dedup();
        breaks.retain(|b| *b < high);
        let mut members: Vec<Vec<f64>> = vec![Vec::new(); breaks.len() + 1];
        for value in &sorted {
            members[breaks.iter().take_while(|b| value > *b).count()].push(*value);
        }
        let labels = members
            .iter()
            .map(|values| {
                let (low, high) = (values.first().copied(), values.last().copied());
                match (low, high) {
                    (Some(low), Some(high)) if low < high => format!(
                        "da {} a {}",
                        format_it(low, decimals),
                        format_it(high, decimals)
                    ),
                    (Some(only), _) => format_it(only, decimals),
                    _ => String::new(),
                }
            })
            .collect::<Vec<_>>();
        let colors = match labels.len() {
            1 => vec![CLASSES[1]],
            2 => vec![CLASSES[0], CLASSES[2]],
            _ => CLASSES.to_vec(),
        };
        Some(Classes {
            breaks,
            labels,
            colors,
        })
    }

    /// The class a value falls in.
    pub(crate) fn of_value(&self, value: f64) -> usize {
        self.breaks.iter().take_while(|b| value > **b).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::chart::{BACKGROUND, contrast};

    #[test]
    fn neighbouring_classes_and_outlines_have_enough_contrast() {
        // WCAG 2.1, 1.4.11: each class is 3:1 from the class beside it; no light fill can also
        // be 3:1 from a white background, so every shape is outlined in a colour 3:1 against
        // the background and against the lightest class, and "nessun dato" is hatched.
        for pair in CLASSES.windows(2) {
            assert!(contrast(pair[0], pair[1]) >= 3.0, "{pair:?}");
        }
        assert!(contrast(CLASSES[0], CLASSES[2]) >= 3.0);
        assert!(contrast(OUTLINE, BACKGROUND) >= 3.0);
        assert!(contrast(OUTLINE, CLASSES[0]) >= 3.0);
        assert!(contrast(OUTLINE, CONTEXT) >= 3.0);
        // A locator map's territory against the shapes around it and the background.
        assert!(contrast(HIGHLIGHT, CONTEXT) >= 3.0);
        assert!(contrast(HIGHLIGHT, BACKGROUND) >= 3.0);
    }

    #[test]
    fn classes_hold_a_third_of_the_values_each_and_name_their_limits_in_italian() {
        let values = [7.1, 1.0, 2.5, 2.6, 3.8, 3.9, 4.0, 5.2, 6.0];
        let classes = Classes::of(&values, 1).unwrap();
        assert_eq!(
            classes.labels,
            ["da 1,0 a 3,8", "da 3,9 a 5,2", "da 6,0 a 7,1"]
        );
        assert_eq!(classes.of_value(1.0), 0);
        assert_eq!(classes.of_value(3.8), 0);
        assert_eq!(classes.of_value(3.9), 1);
        assert_eq!(classes.of_value(7.1), 2);
        assert_eq!(classes.colors, CLASSES);
        let two = Classes::of(&[1.0, 1.0, 2.0], 0).unwrap();
        assert_eq!(two.labels, ["1", "2"]);
        assert_eq!((two.of_value(1.0), two.of_value(2.0)), (0, 1));
        assert_eq!(Classes::of(&[4.0], 0).unwrap().labels, ["4"]);
        assert!(Classes::of(&[], 0).is_none());
    }

    #[test]
    fn simplification_keeps_the_ends_and_the_corners() {
        let line = [
            [0.0, 0.0],
            [1.0, 0.1],
            [2.0, 0.0],
            [2.0, 2.0],
            [2.1, 3.0],
            [2.0, 4.0],
        ];
        assert_eq!(
            simplify(&line, 0.5),
            vec![[0.0, 0.0], [2.0, 0.0], [2.0, 4.0]]
        );
    }

    #[test]
    fn path_data_is_relative_and_compact() {
        let mut path = String::new();
        ring_path(&mut path, &[[10, 20], [13, 18], [12, 25], [10, 20]]);
        assert_eq!(path, "M10 20l3-2-1 7z");
    }
}
