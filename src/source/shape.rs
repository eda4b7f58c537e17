//! Boundaries as a source gives them: the shapes of one file, each named by its ISTAT code,
//! made of rings of arcs that neighbouring shapes share (TopoJSON's topology; a GeoJSON file's
//! rings are arcs of their own), with the points quantized to integers as TopoJSON keeps them.

use serde::{Deserialize, Serialize};

use crate::istat::Level;

/// The shapes of one boundaries file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct ShapeSet {
    /// The file, as the report names it.
    pub(crate) file: String,
    /// Longitude and latitude of a point are `x * scale + translate`.
    pub(crate) scale: [f64; 2],
    pub(crate) translate: [f64; 2],
    /// Each arc's points, quantized and delta-encoded as in TopoJSON (the first point is
    /// absolute, each next one the difference from the one before): kept results stay small.
    pub(crate) arcs: Vec<Vec<[i64; 2]>>,
    pub(crate) shapes: Vec<BoundaryShape>,
    /// Who made the boundaries, shown under every map.
    pub(crate) attribution: String,
}

/// One territory's boundary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct BoundaryShape {
    pub(crate) code: String,
    pub(crate) name: String,
    pub(crate) level: Level,
    /// The codes of its province and region, when the file gives them: a province's map
    /// draws its comuni whether the list of comuni has them or not.
    pub(crate) province: Option<String>,
    pub(crate) region: Option<String>,
    /// Polygons, each a list of rings, each a list of arcs: `i` is arc `i`, a negative `!i`
    /// (TopoJSON's `~i`) is arc `i` reversed. Rings wind either way: they are drawn
    /// even-odd, never by their orientation.
    pub(crate) polygons: Vec<Vec<Vec<i64>>>,
}

impl ShapeSet {
    /// Every arc's points, absolute.
    pub(crate) fn decoded_arcs(&self) -> Vec<Vec<[i64; 2]>> {
        self.arcs
            .iter()
            .map(|arc| {
                let mut at = [0, 0];
                arc.iter()
                    .map(|delta| {
                        at = [at[0] + delta[0], at[1] + delta[1]];
                        at
                    })
                    .collect()
            })
            .collect()
    }

    /// A quantized point as longitude and latitude.
    pub(crate) fn lon_lat(&self, point: [i64; 2]) -> [f64; 2] {
        [
            point[0] as f64 * self.scale[0] + self.translate[0],
            point[1] as f64 * self.scale[1] + self.translate[1],
        ]
    }
}

/// The arc a reference names, and whether it is reversed.
pub(crate) fn arc_of(reference: i64) -> (usize, bool) {
    if reference < 0 {
        (usize::try_from(!reference).unwrap_or(usize::MAX), true)
    } else {
        (usize::try_from(reference).unwrap_or(usize::MAX), false)
    }
}

/// A ring's points, absolute and in order, from the decoded arcs it is made of: each arc after
/// the first starts where the one before ended, so its first point is not repeated. (The maps
/// join simplified arcs the same way, in `site::map`.)
#[cfg(test)]
pub(crate) fn ring_points(arcs: &[Vec<[i64; 2]>], ring: &[i64]) -> Vec<[i64; 2]> {
    let mut points: Vec<[i64; 2]> = Vec::new();
    for &reference in ring {
        let (index, reversed) = arc_of(reference);
        let Some(arc) = arcs.get(index) else { continue };
        let mut part: Vec<[i64; 2]> = arc.clone();
        if reversed {
            part.reverse();
        }
        let skip = usize::from(!points.is_empty());
        points.extend(part.into_iter().skip(skip));
    }
    points
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reversed_arc_is_walked_backwards_and_joins_without_repeating_a_point() {
        let arcs = vec![vec![[0, 0], [2, 0], [2, 2]], vec![[0, 0], [0, 2], [2, 2]]];
        assert_eq!(arc_of(!1), (1, true));
        assert_eq!(
            ring_points(&arcs, &[0, !1]),
            vec![[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]
        );
    }
}
