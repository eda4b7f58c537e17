//! The observations indexed for indicators: a value by measure, territory and period, read
//! directly or summed from an aggregate's comuni (numerators and denominators are summed,
//! ratios never averaged).

use std::collections::BTreeSet;

// Keys are short territory codes, measures and periods from our own files: a quick hash
// suits them better than the default one, made to resist crafted keys.
use rustc_hash::FxHashMap as HashMap;

use crate::observation::Observation;
use crate::source::ComuneDefault;
use crate::territory::{Level, Territories};

/// Keys borrow the observations' text: a national run has hundreds of thousands of values.
#[derive(Debug, Default)]
struct MeasureData<'a> {
    values: HashMap<(&'a str, &'a str), (f64, usize)>,
    periods: BTreeSet<&'a str>,
    /// Territories with a direct value, by period.
    territories: HashMap<&'a str, BTreeSet<&'a str>>,
    /// The value of every comune without a row, by period, with its source and, when it
    /// holds for some comuni only, which.
    defaults: HashMap<&'a str, (f64, usize, Option<BTreeSet<&'a str>>)>,
}

/// A value found for a territory.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub value: f64,
    /// Indexes into the source names, for the row's `source` column.
    pub sources: BTreeSet<usize>,
    /// How many comuni were summed; 0 when read directly.
    pub summed_members: usize,
}

/// Why no value was found.
#[derive(Debug, Clone, PartialEq)]
pub enum Missing {
    /// Nothing for that territory and period.
    None,
    /// An aggregate whose comuni are only partly known.
    Partial { have: usize, of: usize },
}

pub struct Data<'a> {
    measures: HashMap<&'a str, MeasureData<'a>>,
    sources: Vec<&'a str>,
    pub territories: &'a Territories,
    aggregate: BTreeSet<Level>,
}

impl<'a> Data<'a> {
    pub fn new(
        observations: &'a [Observation],
        defaults: &'a [ComuneDefault],
        territories: &'a Territories,
        aggregate: BTreeSet<Level>,
    ) -> Self {
        let mut measures: HashMap<&'a str, MeasureData<'a>> = HashMap::default();
        let mut sources: Vec<&'a str> = Vec::new();
        let mut source_index: HashMap<&'a str, usize> = HashMap::default();
        // Sources are kept once each and referred to by index: national runs repeat them
        // hundreds of thousands of times.
        let mut intern = |name: &'a str| {
            *source_index.entry(name).or_insert_with(|| {
                sources.push(name);
                sources.len() - 1
            })
        };
        for default in defaults {
            let source = intern(&default.source);
            let data = measures.entry(&default.measure).or_default();
            data.periods.insert(&default.period);
            let scope = default.scope.as_ref().map(|codes| {
                codes
                    .iter()
                    .flat_map(|code| {
                        let members = territories.members(code);
                        if members.is_empty() {
                            vec![code.as_str()]
                        } else {
                            members.iter().map(String::as_str).collect()
                        }
                    })
                    .collect()
            });
            data.defaults
                .insert(&default.period, (default.value, source, scope));
        }
        for observation in observations {
            let source = intern(&observation.source);
            let data = measures.entry(&observation.measure).or_default();
            data.values.insert(
                (&observation.territory, &observation.period),
                (observation.value, source),
            );
            data.periods.insert(&observation.period);
            data.territories
                .entry(&observation.period)
                .or_default()
                .insert(&observation.territory);
        }
        Data {
            measures,
            sources,
            territories,
            aggregate,
        }
    }

    pub fn has_measure(&self, measure: &str) -> bool {
        self.measures.contains_key(measure)
    }

    pub fn periods(&self, measure: &str) -> Vec<String> {
        self.measures
            .get(measure)
            .map(|m| m.periods.iter().map(|p| (*p).to_owned()).collect())
            .unwrap_or_default()
    }

    /// Territories with a direct value of `measure` in `period` (every comune, when the
    /// measure has a value for comuni without a row).
    pub fn direct_territories(&self, measure: &str, period: &str) -> Vec<String> {
        let Some(data) = self.measures.get(measure) else {
            return Vec::new();
        };
        let mut territories: BTreeSet<&str> =
            data.territories.get(period).cloned().unwrap_or_default();
        if let Some((_, _, scope)) = data.defaults.get(period) {
            territories.extend(
                self.territories
                    .iter()
                    .filter(|t| t.level == Level::Comune)
                    .filter(|t| scope.as_ref().is_none_or(|s| s.contains(t.code.as_str())))
                    .map(|t| t.code.as_str()),
            );
        }
        territories.into_iter().map(str::to_owned).collect()
    }

    pub fn source_names(&self, sources: &BTreeSet<usize>) -> String {
        sources
            .iter()
            .map(|&i| self.sources[i])
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub fn direct(&self, measure: &str, territory: &str, period: &str) -> Option<Found> {
        let data = self.measures.get(measure)?;
        let (value, source) = match data.values.get(&(territory, period)) {
            Some(found) => *found,
            None => {
                let (value, source, scope) = data.defaults.get(period)?;
                let comune = self
                    .territories
                    .get(territory)
                    .is_some_and(|t| t.level == Level::Comune);
                if !comune || scope.as_ref().is_some_and(|s| !s.contains(territory)) {
                    return None;
                }
                (*value, *source)
            }
        };
        Some(Found {
            value,
            sources: BTreeSet::from([source]),
            summed_members: 0,
        })
    }

    /// Whether values of `territory` may be summed from its comuni.
    pub fn aggregates(&self, territory: &str) -> bool {
        self.territories
            .get(territory)
            .is_some_and(|t| self.aggregate.contains(&t.level))
            && !self.territories.members(territory).is_empty()
    }

    /// Territories whose values may be summed from their comuni, in stable order.
    pub fn aggregate_territories(&self) -> Vec<String> {
        self.territories
            .iter()
            .filter(|t| self.aggregate.contains(&t.level))
            .map(|t| t.code.clone())
            .collect()
    }

    /// The sum over an aggregate's comuni, when every one has a value.
    pub fn sum_of_members(
        &self,
        measure: &str,
        territory: &str,
        period: &str,
    ) -> Result<Found, Missing> {
        let members = self.territories.members(territory);
        let mut found = Found {
            value: 0.0,
            sources: BTreeSet::new(),
            summed_members: members.len(),
        };
        let mut have = 0;
        for member in members {
            if let Some(value) = self.direct(measure, member, period) {
                found.value += value.value;
                found.sources.extend(value.sources);
                have += 1;
            }
        }
        match have {
            0 => Err(Missing::None),
            n if n == members.len() => Ok(found),
            n => Err(Missing::Partial {
                have: n,
                of: members.len(),
            }),
        }
    }

    /// A direct value, or else the sum over the territory's comuni where it aggregates.
    pub fn resolve(&self, measure: &str, territory: &str, period: &str) -> Result<Found, Missing> {
        if let Some(found) = self.direct(measure, territory, period) {
            return Ok(found);
        }
        if self.aggregates(territory) {
            return self.sum_of_members(measure, territory, period);
        }
        Err(Missing::None)
    }
}
