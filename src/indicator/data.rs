//! The observations indexed for indicators: a value by measure, territory and period, read
//! directly or summed from an aggregate's comuni (numerators and denominators are summed,
//! ratios never averaged).

use std::collections::{BTreeMap, BTreeSet};

// Keys are short territory codes, measures and periods from our own files: a quick hash
// suits them better than the default one, made to resist crafted keys.
use rustc_hash::FxHashMap as HashMap;

use crate::istat::Level;
use crate::observation::{ComuneDefault, Observation};
use crate::territory::Territories;

/// One measure's values in one period, a slot per territory: a national run has hundreds of
/// thousands of values and a grown one millions, and a slot is twelve bytes where a map entry
/// keyed by text was ten times that.
#[derive(Debug)]
struct MeasureColumn<'a> {
    values: Vec<f64>,
    /// The source of each value, [`NO_VALUE`] where the territory has none.
    sources: Vec<u32>,
    /// The value of every comune without a row, with its source and, when it holds for some
    /// comuni only, which.
    default: Option<(f64, u32, Option<BTreeSet<&'a str>>)>,
}

const NO_VALUE: u32 = u32::MAX;

impl MeasureColumn<'_> {
    fn new(territories: usize) -> Self {
        MeasureColumn {
            values: vec![0.0; territories],
            sources: vec![NO_VALUE; territories],
            default: None,
        }
    }
}

/// A value found for a territory.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Found {
    pub(crate) value: f64,
    /// Indexes into the source names, for the row's `source` column.
    pub(crate) sources: BTreeSet<usize>,
    /// How many comuni were summed; 0 when read directly.
    pub(crate) summed_members: usize,
}

/// Why no value was found.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Missing {
    /// Nothing for that territory and period.
    None,
    /// An aggregate whose comuni are only partly known.
    Partial { have: usize, of: usize },
}

pub(crate) struct Data<'a> {
    /// By measure, then period.
    measures: HashMap<&'a str, BTreeMap<&'a str, MeasureColumn<'a>>>,
    sources: Vec<&'a str>,
    pub(crate) territories: &'a Territories,
    /// Every territory's slot in the columns: territories in code order.
    slots: HashMap<&'a str, usize>,
    codes: Vec<&'a str>,
    comune: Vec<bool>,
    /// The territories whose level is summed from comuni, in stable order.
    aggregate_list: Vec<String>,
    /// For each slot, the slots of its comuni when its values may be summed from them
    /// ([`NO_SLOT`] for a member the territories do not know), else nothing.
    member_slots: Vec<Option<Vec<u32>>>,
}

const NO_SLOT: u32 = u32::MAX;

/// Source names kept once each and referred to by index: national runs repeat them hundreds
/// of thousands of times.
#[derive(Default)]
struct SourceNames<'a> {
    names: Vec<&'a str>,
    index: HashMap<&'a str, u32>,
}

impl<'a> SourceNames<'a> {
    fn of(&mut self, name: &'a str) -> u32 {
        *self.index.entry(name).or_insert_with(|| {
            self.names.push(name);
            u32::try_from(self.names.len() - 1).unwrap_or(NO_VALUE - 1)
        })
    }
}

/// The columns of values, by measure then period.
type Measures<'a> = HashMap<&'a str, BTreeMap<&'a str, MeasureColumn<'a>>>;

impl<'a> Data<'a> {
    /// Indexes the observations; each must be about one of the territories (the run leaves
    /// out or blocks on the others before).
    pub(crate) fn new(
        observations: &'a [Observation],
        defaults: &'a [ComuneDefault],
        territories: &'a Territories,
        aggregate: BTreeSet<Level>,
    ) -> Self {
        let mut known: Vec<(&'a str, bool)> = territories
            .iter()
            .map(|t| (t.code.as_str(), t.level == Level::Comune))
            .collect();
        known.sort_unstable();
        let (codes, comune): (Vec<&'a str>, Vec<bool>) = known.into_iter().unzip();
        let slots: HashMap<&'a str, usize> = codes
            .iter()
            .enumerate()
            .map(|(at, code)| (*code, at))
            .collect();
        let mut sources = SourceNames::default();
        let mut measures: Measures<'a> = HashMap::default();
        add_defaults(
            &mut measures,
            &mut sources,
            defaults,
            territories,
            codes.len(),
        );
        for observation in observations {
            let Some(&slot) = slots.get(&*observation.territory) else {
                continue;
            };
            let source = sources.of(&observation.source);
            let column = measures
                .entry(&observation.measure)
                .or_default()
                .entry(&observation.period)
                .or_insert_with(|| MeasureColumn::new(codes.len()));
            column.values[slot] = observation.value;
            column.sources[slot] = source;
        }
        let aggregate_list: Vec<String> = territories
            .iter()
            .filter(|t| aggregate.contains(&t.level))
            .map(|t| t.code.clone())
            .collect();
        let member_slots = member_slots(&aggregate_list, territories, &slots);
        Data {
            measures,
            sources: sources.names,
            territories,
            slots,
            codes,
            comune,
            aggregate_list,
            member_slots,
        }
    }

    fn column(&self, measure: &str, period: &str) -> Option<&MeasureColumn<'a>> {
        self.measures.get(measure)?.get(period)
    }

    /// The measure of the data closest to `measure`, when `measure` has no observations and
    /// one is close enough to be a misspelling of it.
    pub(crate) fn closest_measure(&self, measure: &str) -> Option<&'a str> {
        if self.measures.contains_key(measure) {
            return None;
        }
        let mut known: Vec<&'a str> = self.measures.keys().copied().collect();
        known.sort_unstable();
        crate::text::closest(measure, &known)
    }

    pub(crate) fn periods(&self, measure: &str) -> Vec<String> {
        self.measures
            .get(measure)
            .map(|periods| periods.keys().map(|p| (*p).to_owned()).collect())
            .unwrap_or_default()
    }

    /// Territories with a direct value of `measure` in `period` (every comune, when the
    /// measure has a value for comuni without a row), in code order.
    pub(crate) fn direct_territories(&self, measure: &str, period: &str) -> Vec<String> {
        let Some(column) = self.column(measure, period) else {
            return Vec::new();
        };
        (0..self.codes.len())
            .filter(|&slot| self.value_at(column, slot).is_some())
            .map(|slot| self.codes[slot].to_owned())
            .collect()
    }

    /// The territories with a direct value, then the aggregates without one.
    pub(crate) fn direct_and_aggregate_territories(
        &self,
        measure: &str,
        period: &str,
    ) -> Vec<String> {
        let mut territories = self.direct_territories(measure, period);
        let column = self.column(measure, period);
        let has_direct = |code: &str| {
            column
                .zip(self.slots.get(code))
                .is_some_and(|(column, &slot)| self.value_at(column, slot).is_some())
        };
        territories.extend(
            self.aggregate_list
                .iter()
                .filter(|aggregate| !has_direct(aggregate))
                .cloned(),
        );
        territories
    }

    pub(crate) fn source_names(&self, sources: &BTreeSet<usize>) -> String {
        sources
            .iter()
            .map(|&i| self.sources[i])
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub(crate) fn direct(&self, measure: &str, territory: &str, period: &str) -> Option<Found> {
        let column = self.column(measure, period)?;
        let slot = *self.slots.get(territory)?;
        let (value, source) = self.value_at(column, slot)?;
        Some(Found {
            value,
            sources: BTreeSet::from([source as usize]),
            summed_members: 0,
        })
    }

    /// A territory's own value in a column, or the column's value for comuni without a row.
    fn value_at(&self, column: &MeasureColumn, slot: usize) -> Option<(f64, u32)> {
        if column.sources[slot] != NO_VALUE {
            return Some((column.values[slot], column.sources[slot]));
        }
        let (value, source, scope) = column.default.as_ref()?;
        if !self.comune[slot]
            || scope
                .as_ref()
                .is_some_and(|s| !s.contains(self.codes[slot]))
        {
            return None;
        }
        Some((*value, *source))
    }

    /// Whether values of `territory` may be summed from its comuni.
    pub(crate) fn aggregates(&self, territory: &str) -> bool {
        self.members_of(territory).is_some()
    }

    fn members_of(&self, territory: &str) -> Option<&[u32]> {
        let slot = *self.slots.get(territory)?;
        self.member_slots[slot].as_deref()
    }

    /// The direct value of each of an aggregate's comuni, with its source (an index into the
    /// source names), in the order of the comuni; nothing for a territory that does not
    /// aggregate. Read slot by slot: an aggregate of a grown run has thousands of comuni.
    pub(crate) fn member_values<'s>(
        &'s self,
        measure: &str,
        territory: &str,
        period: &str,
    ) -> impl Iterator<Item = Option<(f64, usize)>> + 's {
        let column = self.column(measure, period);
        let members = self.members_of(territory).unwrap_or_default();
        members.iter().map(move |&member| {
            let column = column.filter(|_| member != NO_SLOT)?;
            let (value, source) = self.value_at(column, member as usize)?;
            Some((value, source as usize))
        })
    }

    /// Territories whose values may be summed from their comuni, in stable order.
    pub(crate) fn aggregate_territories(&self) -> Vec<String> {
        self.aggregate_list.clone()
    }

    /// The sum over an aggregate's comuni, when every one has a value.
    pub(crate) fn sum_of_members(
        &self,
        measure: &str,
        territory: &str,
        period: &str,
    ) -> Result<Found, Missing> {
        let members = self.members_of(territory).unwrap_or_default();
        let mut found = Found {
            value: 0.0,
            sources: BTreeSet::new(),
            summed_members: members.len(),
        };
        let mut have = 0;
        if let Some(column) = self.column(measure, period) {
            for &member in members {
                if member == NO_SLOT {
                    continue;
                }
                if let Some((value, source)) = self.value_at(column, member as usize) {
                    found.value += value;
                    found.sources.insert(source as usize);
                    have += 1;
                }
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
    pub(crate) fn resolve(
        &self,
        measure: &str,
        territory: &str,
        period: &str,
    ) -> Result<Found, Missing> {
        if let Some(found) = self.direct(measure, territory, period) {
            return Ok(found);
        }
        if self.aggregates(territory) {
            return self.sum_of_members(measure, territory, period);
        }
        Err(Missing::None)
    }
}

/// The value of every comune without a row, column by column, for the comuni (or the comuni of
/// the unions) it holds for.
fn add_defaults<'a>(
    measures: &mut Measures<'a>,
    sources: &mut SourceNames<'a>,
    defaults: &'a [ComuneDefault],
    territories: &'a Territories,
    slot_count: usize,
) {
    for default in defaults {
        let source = sources.of(&default.source);
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
        measures
            .entry(&default.measure)
            .or_default()
            .entry(&default.period)
            .or_insert_with(|| MeasureColumn::new(slot_count))
            .default = Some((default.value, source, scope));
    }
}

/// For each slot, the slots of its comuni when its values may be summed from them.
fn member_slots(
    aggregates: &[String],
    territories: &Territories,
    slots: &HashMap<&str, usize>,
) -> Vec<Option<Vec<u32>>> {
    let mut member_slots: Vec<Option<Vec<u32>>> = vec![None; slots.len()];
    for code in aggregates {
        let members = territories.members(code);
        if let (Some(&slot), false) = (slots.get(code.as_str()), members.is_empty()) {
            member_slots[slot] = Some(
                members
                    .iter()
                    .map(|member| {
                        slots
                            .get(member.as_str())
                            .and_then(|&at| u32::try_from(at).ok())
                            .unwrap_or(NO_SLOT)
                    })
                    .collect(),
            );
        }
    }
    member_slots
}
