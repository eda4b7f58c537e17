//! The territories a run knows: the comune → union → province → region → Italia hierarchy
//! built from the list of comuni and the declared unions, which aggregates and benchmarks walk,
//! and what a code in the data stands for (itself, a NUTS alias, or a changed code).

use std::collections::BTreeSet;

use rustc_hash::FxHashMap;

use crate::istat::{ITALY, Level};
use crate::message::{Argument, Message};
use crate::msg;
use crate::plan::UnionEntry;
use crate::source::Comune;

/// One territory of the registry.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Territory {
    pub(crate) code: String,
    pub(crate) name: String,
    pub(crate) level: Level,
    /// The province and region a territory lies in, when it lies in exactly one.
    pub(crate) province: Option<String>,
    pub(crate) region: Option<String>,
}

/// A change of an ISTAT code: comuni merged, split off or moved to another province.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CodeChange {
    pub(crate) old: String,
    pub(crate) new: String,
    pub(crate) date: String,
}

/// The file of code changes, indexed by old and by new code: a grown national file has tens
/// of thousands of changes, and each changed code of the data is looked up in it.
#[derive(Debug, Clone, Default)]
pub(crate) struct CodeChanges {
    changes: Vec<CodeChange>,
    by_old: FxHashMap<String, Vec<usize>>,
    by_new: FxHashMap<String, Vec<usize>>,
}

impl CodeChanges {
    pub(crate) fn new(changes: Vec<CodeChange>) -> Self {
        let mut by_old: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        let mut by_new: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        for (at, change) in changes.iter().enumerate() {
            by_old.entry(change.old.clone()).or_default().push(at);
            by_new.entry(change.new.clone()).or_default().push(at);
        }
        CodeChanges {
            changes,
            by_old,
            by_new,
        }
    }

    pub(crate) fn iter(&self) -> std::slice::Iter<'_, CodeChange> {
        self.changes.iter()
    }

    /// The changes from `code`, in the file's order.
    fn leaving(&self, code: &str) -> impl Iterator<Item = &CodeChange> {
        let at = self.by_old.get(code).map(Vec::as_slice).unwrap_or_default();
        at.iter().map(|&at| &self.changes[at])
    }

    /// The changes to `code`, in the file's order.
    fn reaching(&self, code: &str) -> impl Iterator<Item = &CodeChange> {
        let at = self.by_new.get(code).map(Vec::as_slice).unwrap_or_default();
        at.iter().map(|&at| &self.changes[at])
    }
}

/// Every territory a run knows, with the comuni that make up each aggregate.
#[derive(Debug, Clone, Default)]
pub(crate) struct Territories {
    // Looked up by code for every row of the data: hashed, since a grown national list has
    // hundreds of thousands of codes that a tree compares as text at every level.
    by_code: FxHashMap<String, Territory>,
    /// The codes in [`Territories::iter`]'s order: by level, then by code.
    order: Vec<String>,
    members: FxHashMap<String, Vec<String>>,
    /// Other names of territories: NUTS codes of regions and provinces.
    aliases: FxHashMap<String, String>,
}

/// Two codes of the same length that differ in one digit.
fn one_digit_apart(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).filter(|(x, y)| x != y).count() == 1
}

/// Known codes a mistaken one may have meant, as one phrase: "a", "a or b", "a or b or c".
fn alternatives(names: &[String]) -> Argument {
    match names {
        [first, second] => msg!("hint_two_codes", first = first, second = second).into(),
        [first, second, third, ..] => msg!(
            "hint_three_codes",
            first = first,
            second = second,
            third = third
        )
        .into(),
        _ => names.concat().into(),
    }
}

/// What a code in the data stands for.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Resolved {
    Known,
    Renamed { to: String, why: Message },
    Unknown,
}

/// A declared union member that is not in the list of comuni.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct UnknownMember {
    pub(crate) union: String,
    pub(crate) member: String,
}

impl Territories {
    /// Builds the registry from the ISTAT list of comuni and the declared unions. Provinces,
    /// regions and Italy are derived from the list.
    pub(crate) fn build<'a>(
        comuni: impl IntoIterator<Item = &'a Comune>,
        unions: &[UnionEntry],
    ) -> (Self, Vec<UnknownMember>) {
        let mut registry = Territories::default();
        let mut listed = false;
        for comune in comuni {
            listed = true;
            registry.add_comune(comune);
        }
        if listed {
            registry.insert(Territory {
                code: ITALY.to_owned(),
                name: "Italia".to_owned(),
                level: Level::Italy,
                province: None,
                region: None,
            });
        }
        let mut unknown = Vec::new();
        for union in unions {
            unknown.extend(registry.add_union(union));
        }
        for members in registry.members.values_mut() {
            members.sort();
            members.dedup();
        }
        let mut order: Vec<(Level, &String)> = registry
            .by_code
            .values()
            .map(|t| (t.level, &t.code))
            .collect();
        order.sort_unstable();
        registry.order = order.into_iter().map(|(_, code)| code.clone()).collect();
        (registry, unknown)
    }

    /// A comune of the list, with its province and region, as a member of both and of Italy.
    fn add_comune(&mut self, comune: &Comune) {
        self.insert(Territory {
            code: comune.code.clone(),
            name: comune.name.clone(),
            level: Level::Comune,
            province: Some(comune.province_code.clone()),
            region: Some(comune.region_code.clone()),
        });
        self.by_code
            .entry(comune.province_code.clone())
            .or_insert_with(|| Territory {
                code: comune.province_code.clone(),
                name: comune.province_name.clone(),
                level: Level::Province,
                province: None,
                region: Some(comune.region_code.clone()),
            });
        self.by_code
            .entry(comune.region_code.clone())
            .or_insert_with(|| Territory {
                code: comune.region_code.clone(),
                name: comune.region_name.clone(),
                level: Level::Region,
                province: None,
                region: None,
            });
        for aggregate in [
            &comune.province_code,
            &comune.region_code,
            &ITALY.to_owned(),
        ] {
            self.members
                .entry(aggregate.clone())
                .or_default()
                .push(comune.code.clone());
        }
        if let Some(nuts) = &comune.nuts3 {
            self.aliases
                .insert(nuts.clone(), comune.province_code.clone());
        }
        if let Some(nuts) = &comune.nuts2 {
            self.aliases
                .insert(nuts.clone(), comune.region_code.clone());
        }
    }

    /// A declared union, in the province and region its members share when they share one;
    /// the members that are not comuni of the list.
    fn add_union(&mut self, union: &UnionEntry) -> Vec<UnknownMember> {
        let mut provinces = BTreeSet::new();
        let mut regions = BTreeSet::new();
        let mut unknown = Vec::new();
        for member in &union.members {
            match self.by_code.get(member) {
                Some(comune) if comune.level == Level::Comune => {
                    provinces.extend(comune.province.clone());
                    regions.extend(comune.region.clone());
                }
                _ => unknown.push(UnknownMember {
                    union: union.code.clone(),
                    member: member.clone(),
                }),
            }
        }
        let only = |set: BTreeSet<String>| match set.len() {
            1 => set.into_iter().next(),
            _ => None,
        };
        self.insert(Territory {
            code: union.code.clone(),
            name: union.name.clone(),
            level: Level::Union,
            province: only(provinces),
            region: only(regions),
        });
        self.members
            .insert(union.code.clone(), union.members.clone());
        unknown
    }

    fn insert(&mut self, territory: Territory) {
        self.by_code.insert(territory.code.clone(), territory);
    }

    pub(crate) fn get(&self, code: &str) -> Option<&Territory> {
        self.by_code.get(code)
    }

    pub(crate) fn contains(&self, code: &str) -> bool {
        self.by_code.contains_key(code)
    }

    pub(crate) fn is_alias(&self, code: &str) -> bool {
        self.aliases.contains_key(code)
    }

    /// What a code in the data stands for: itself, an alias (a NUTS code), or, through the
    /// code changes, a comune of the list (forward from an old code to its new one, or back
    /// from a new code to the old one the list still has).
    pub(crate) fn resolve(&self, code: &str, changes: &CodeChanges) -> Resolved {
        if self.by_code.contains_key(code) {
            return Resolved::Known;
        }
        if let Some(target) = self.aliases.get(code) {
            return Resolved::Renamed {
                to: target.clone(),
                why: msg!("renamed_nuts", code = code, target = target),
            };
        }
        let forward: Vec<&CodeChange> = changes
            .leaving(code)
            .filter(|c| self.by_code.contains_key(&c.new))
            .collect();
        if let [change] = forward[..] {
            return Resolved::Renamed {
                to: change.new.clone(),
                why: match change.date.as_str() {
                    "" => msg!("renamed_forward", code = code, new = &change.new),
                    date => msg!(
                        "renamed_forward_on",
                        code = code,
                        new = &change.new,
                        date = date
                    ),
                },
            };
        }
        let backward: Vec<&CodeChange> = changes
            .reaching(code)
            .filter(|c| self.by_code.contains_key(&c.old))
            .collect();
        if let [change] = backward[..] {
            return Resolved::Renamed {
                to: change.old.clone(),
                why: msg!(
                    "renamed_backward",
                    code = code,
                    old = &change.old,
                    date = &change.date
                ),
            };
        }
        Resolved::Unknown
    }

    /// What an unknown code may have meant, as a sentence for the finding: the known code it
    /// is once the leading zeros a spreadsheet drops are back (a comune, or a province or
    /// region given where a comune was expected), a known comune one digit away, or why a
    /// comune code of a province the list does not have, or of a known one, is not there.
    pub(crate) fn hint(&self, code: &str) -> Option<Message> {
        let digits = !code.is_empty() && code.chars().all(|c| c.is_ascii_digit());
        if !digits || self.by_code.is_empty() {
            return None;
        }
        for width in [6, 3, 2] {
            let padded = format!("{code:0>width$}");
            if code.len() < width
                && let Some(known) = self.get(&padded)
            {
                return Some(msg!(
                    "hint_leading_zeros",
                    code = padded,
                    name = &known.name,
                    level = known.level.label_it()
                ));
            }
        }
        if code.len() != 6 {
            return None;
        }
        let province = &code[..3];
        if !self.contains(province) {
            return Some(msg!("hint_unknown_province", province = province));
        }
        let near: Vec<String> = self
            .members(province)
            .iter()
            .filter(|known| one_digit_apart(known, code))
            .filter_map(|known| Some(format!("{known} ({})", self.get(known)?.name)))
            .take(3)
            .collect();
        Some(match near.as_slice() {
            [] => msg!("hint_not_listed"),
            names => msg!("hint_one_digit_apart", near = alternatives(names)),
        })
    }

    /// The comuni of an aggregate territory; empty for a comune.
    pub(crate) fn members(&self, code: &str) -> &[String] {
        self.members.get(code).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The provinces a territory and its comuni lie in: a comune's, the one or more of a
    /// union's members, a province itself, a region's.
    pub(crate) fn provinces_of(&self, code: &str) -> BTreeSet<String> {
        let own = [code.to_owned()];
        self.members(code)
            .iter()
            .chain(&own)
            .filter_map(|code| {
                let territory = self.get(code)?;
                match territory.level {
                    Level::Province => Some(territory.code.clone()),
                    _ => territory.province.clone(),
                }
            })
            .collect()
    }

    /// Territories in a stable order: by level, then by code.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &Territory> {
        self.order.iter().filter_map(|code| self.by_code.get(code))
    }

    pub(crate) fn len(&self) -> usize {
        self.by_code.len()
    }

    /// The territory a benchmark of `level` is read from, for a territory: its province or its
    /// region (for a union, only when all its members share one), or Italy.
    pub(crate) fn benchmark_of(&self, code: &str, level: Level) -> Option<&Territory> {
        let territory = self.get(code)?;
        let target = match level {
            Level::Province => territory.province.as_deref()?,
            Level::Region => territory.region.as_deref()?,
            Level::Italy => ITALY,
            Level::Comune | Level::Union => return None,
        };
        if target == code {
            return None;
        }
        self.get(target)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::Language;

    fn comune(code: &str, name: &str, province: &str, region: &str) -> Comune {
        Comune {
            code: code.into(),
            name: name.into(),
            province_code: province.into(),
            province_name: format!("Provincia {province}"),
            region_code: region.into(),
            region_name: format!("Regione {region}"),
            nuts2: None,
            nuts3: None,
        }
    }

    #[test]
    fn a_territory_lies_in_its_own_provinces_and_its_comunis() {
        let comuni = [
            comune("035004", "Bibbiano", "035", "08"),
            comune("034001", "Albareto", "034", "08"),
            comune("111001", "Arbus", "111", "20"),
        ];
        let unions = [UnionEntry {
            code: "across".into(),
            name: "Unione a cavallo".into(),
            members: vec!["035004".into(), "034001".into()],
        }];
        let (registry, _) = Territories::build(&comuni, &unions);
        let provinces = |code: &str| registry.provinces_of(code).into_iter().collect::<Vec<_>>();
        assert_eq!(provinces("035004"), ["035"]);
        assert_eq!(provinces("across"), ["034", "035"]);
        assert_eq!(provinces("111"), ["111"]);
        assert_eq!(provinces("08"), ["034", "035"]);
        assert_eq!(provinces(ITALY), ["034", "035", "111"]);
    }

    #[test]
    fn an_unknown_code_gets_the_nearest_known_one_and_why() {
        let comuni = [
            comune("035004", "Bibbiano", "035", "08"),
            comune("035046", "Ventasso", "035", "08"),
            comune("111001", "Arbus", "111", "20"),
        ];
        let (registry, _) = Territories::build(&comuni, &[]);
        let hint = |code: &str| {
            registry
                .hint(code)
                .map(|hint| hint.render(Language::English))
                .unwrap_or_default()
        };
        let italian = |code: &str| {
            registry
                .hint(code)
                .map(|hint| hint.render(Language::Italian))
                .unwrap_or_default()
        };
        assert!(
            hint("35004").starts_with("did you mean 035004 (Bibbiano, comune)? The code seems to have lost its leading zeros"),
            "{}",
            hint("35004")
        );
        assert!(hint("35").starts_with("did you mean 035 (Provincia 035, provincia)?"));
        assert!(hint("8").starts_with("did you mean 08 (Regione 08, regione)?"));
        assert!(
            hint("035005")
                .starts_with("did you mean 035004 (Bibbiano)? Else, if the comune was merged"),
            "{}",
            hint("035005")
        );
        // Ventasso's four comuni were merged in 2016: their old codes are two digits away.
        assert!(hint("035013").starts_with("not a comune of the list; if the comune was merged"));
        // A comune of a Sardinian province abolished in 2016.
        assert!(hint("104012").starts_with("province 104 is not in the list of comuni"));
        assert_eq!(registry.hint("Bibbiano"), None);
        assert!(
            italian("35004").starts_with(
                "forse 035004 (Bibbiano, comune)? Il codice sembra aver perso gli zeri iniziali"
            ),
            "{}",
            italian("35004")
        );
        assert!(
            italian("035005").starts_with("forse 035004 (Bibbiano)? Altrimenti, se il comune"),
            "{}",
            italian("035005")
        );
        assert!(italian("104012").starts_with("la provincia 104 non è nell'elenco dei comuni"));
        assert!(
            hint("035044")
                .starts_with("did you mean 035004 (Bibbiano) or 035046 (Ventasso)? Else,")
        );
        assert!(
            italian("035044")
                .starts_with("forse 035004 (Bibbiano) o 035046 (Ventasso)? Altrimenti,")
        );
    }

    #[test]
    fn builds_the_hierarchy_and_union_benchmarks() {
        let comuni = [
            comune("035004", "Bibbiano", "035", "08"),
            comune("035010", "Campegine", "035", "08"),
            comune("051002", "Arezzo", "051", "09"),
        ];
        let unions = [UnionEntry {
            code: "val_d_enza".into(),
            name: "Unione Val d'Enza".into(),
            members: vec!["035010".into(), "035004".into(), "099999".into()],
        }];
        let (registry, unknown) = Territories::build(&comuni, &unions);
        assert_eq!(
            unknown,
            vec![UnknownMember {
                union: "val_d_enza".into(),
                member: "099999".into()
            }]
        );
        assert_eq!(registry.members("035"), ["035004", "035010"]);
        assert_eq!(registry.members("IT").len(), 3);
        let union = registry.get("val_d_enza").unwrap();
        assert_eq!(union.province.as_deref(), Some("035"));
        assert_eq!(
            registry
                .benchmark_of("val_d_enza", Level::Region)
                .unwrap()
                .code,
            "08"
        );
        assert_eq!(registry.benchmark_of("035", Level::Province), None);
        assert_eq!(
            registry
                .benchmark_of("035004", Level::Province)
                .unwrap()
                .code,
            "035"
        );
    }

    #[test]
    fn resolves_aliases_and_code_changes() {
        let mut bibbiano = comune("035004", "Bibbiano", "035", "08");
        bibbiano.nuts3 = Some("ITH53".into());
        bibbiano.nuts2 = Some("ITH5".into());
        let comuni = [
            bibbiano,
            comune("005122", "Moransengo-Tonengo", "005", "01"),
            comune("090064", "Sassari", "090", "20"),
        ];
        let (registry, _) = Territories::build(&comuni, &[]);
        let changes = CodeChanges::new(vec![
            CodeChange {
                old: "005079".into(),
                new: "005122".into(),
                date: "2023-02-15".into(),
            },
            CodeChange {
                old: "090064".into(),
                new: "112050".into(),
                date: String::new(),
            },
        ]);
        assert_eq!(registry.resolve("035004", &changes), Resolved::Known);
        let renamed = |code: &str| match registry.resolve(code, &changes) {
            Resolved::Renamed { to, .. } => Some(to),
            _ => None,
        };
        assert_eq!(renamed("ITH53").as_deref(), Some("035"));
        assert_eq!(renamed("ITH5").as_deref(), Some("08"));
        assert_eq!(renamed("005079").as_deref(), Some("005122"));
        assert_eq!(renamed("112050").as_deref(), Some("090064"));
        assert_eq!(registry.resolve("013256", &changes), Resolved::Unknown);
        let Resolved::Renamed { why, .. } = registry.resolve("005079", &changes) else {
            panic!("005079 is renamed");
        };
        assert_eq!(
            why.render(Language::English),
            "005079 became 005122 on 2023-02-15"
        );
        assert_eq!(
            why.render(Language::Italian),
            "005079 è diventato 005122 il 2023-02-15"
        );
    }
}
