//! The rows source kinds give: observations (territory, measure, period, value, unit, source)
//! with where each was read, the value a measure has for every comune a census does not list,
//! and the comuni of ISTAT's list. Texts are shared between rows, since a national source repeats a few dozen
//! measures, periods and sources hundreds of thousands of times.

use std::sync::Arc;

use rustc_hash::FxHashSet;

use serde::{Deserialize, Serialize};

/// The value of a measure for every comune the source has no row for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct ComuneDefault {
    pub(crate) measure: String,
    pub(crate) period: String,
    pub(crate) value: f64,
    pub(crate) unit: String,
    pub(crate) source: String,
    /// The comuni or unions the default holds for; all comuni when absent.
    pub(crate) scope: Option<Vec<String>>,
}

/// Where an observation was read, so that findings can point at it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Origin {
    /// The file and column, shared by the observations read from them.
    place: Arc<Place>,
    /// 1-based data row.
    row: u32,
}

/// A file and the column territory codes were read from in it.
#[derive(Debug, PartialEq)]
pub(crate) struct Place {
    pub(crate) file: Arc<str>,
    pub(crate) territory_column: Arc<str>,
}

impl Origin {
    pub(crate) fn new(place: &Arc<Place>, row: usize) -> Origin {
        Origin {
            place: Arc::clone(place),
            row: u32::try_from(row).unwrap_or(u32::MAX),
        }
    }

    pub(crate) fn place(&self) -> &Arc<Place> {
        &self.place
    }

    pub(crate) fn file(&self) -> &str {
        &self.place.file
    }

    pub(crate) fn row(&self) -> usize {
        self.row as usize
    }

    pub(crate) fn territory_column(&self) -> &str {
        &self.place.territory_column
    }
}

impl Place {
    pub(crate) fn new(file: &Arc<str>, territory_column: &Arc<str>) -> Arc<Place> {
        Arc::new(Place {
            file: Arc::clone(file),
            territory_column: Arc::clone(territory_column),
        })
    }
}

/// One value of a measure for a territory and period. Texts are shared between the
/// observations of a source rather than copied into each: a grown national run holds
/// millions of observations, and each is about a hundred bytes.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Observation {
    /// ISTAT code as text ("035004", "035", "08", "IT") or a declared union's name.
    pub(crate) territory: Arc<str>,
    /// snake_case measure name, e.g. `population_total`.
    pub(crate) measure: Arc<str>,
    /// Reference period as text: "2021", "2021-01-01", "2022-S1".
    pub(crate) period: Arc<str>,
    pub(crate) value: f64,
    pub(crate) unit: Arc<str>,
    /// Who published the figure, as citizens read it.
    pub(crate) source: Arc<str>,
    pub(crate) origin: Origin,
}

/// Texts that many observations repeat (territory codes, measures, periods, units, sources,
/// files), kept once each: a national source gives a hundred thousand observations of a few
/// dozen measures, several for each territory.
#[derive(Debug, Default)]
pub(crate) struct Shared {
    // Looked up for every cell a source reads: a quick hash, the texts being the run's own.
    texts: FxHashSet<Arc<str>>,
    places: Vec<Arc<Place>>,
    last: Option<Arc<str>>,
}

impl Shared {
    /// The shared copy of a text.
    pub(crate) fn get(&mut self, text: &str) -> Arc<str> {
        if let Some(known) = self.texts.get(text) {
            return Arc::clone(known);
        }
        let new: Arc<str> = Arc::from(text);
        self.texts.insert(Arc::clone(&new));
        new
    }

    /// The shared copy of a territory code: sources give a territory's values one after
    /// the other, so the last code is looked at first.
    pub(crate) fn territory(&mut self, code: &str) -> Arc<str> {
        if let Some(last) = &self.last
            && **last == *code
        {
            return Arc::clone(last);
        }
        let shared = self.get(code);
        self.last = Some(Arc::clone(&shared));
        shared
    }

    /// The shared place of a file and column (a source reads from a few).
    pub(crate) fn place(&mut self, file: &str, territory_column: &str) -> Arc<Place> {
        if let Some(known) = self
            .places
            .iter()
            .find(|p| &*p.file == file && &*p.territory_column == territory_column)
        {
            return Arc::clone(known);
        }
        let place = Place::new(&self.get(file), &self.get(territory_column));
        self.places.push(Arc::clone(&place));
        place
    }
}

/// A comune as listed by ISTAT.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Comune {
    pub(crate) code: String,
    pub(crate) name: String,
    pub(crate) province_code: String,
    pub(crate) province_name: String,
    pub(crate) region_code: String,
    pub(crate) region_name: String,
    /// NUTS 2 (region) and NUTS 3 (province) codes, when the list gives them.
    pub(crate) nuts2: Option<String>,
    pub(crate) nuts3: Option<String>,
}
