//! The checked `[territories]`: the unions a pipeline declares with their member comuni, the
//! levels summed from comuni, the file of code changes, and the focus of the site; and the one
//! source that gives the list of comuni every territory code is checked against.

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::error::ConfigProblem;
use crate::istat::{Level, level_of_istat_code};
use crate::msg;
use crate::plan::paths::{self, Paths};
use crate::spec::{Item, Spec, TerritoriesSpec, UnionSpec};
use crate::text;

/// A union of comuni declared in the pipeline file.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct UnionEntry {
    pub(crate) code: String,
    pub(crate) name: String,
    pub(crate) members: Vec<String>,
}

/// What `[territories]` declares.
#[derive(Debug, Default)]
pub(crate) struct Declared {
    pub(crate) unions: Vec<UnionEntry>,
    pub(crate) aggregate: BTreeSet<Level>,
    pub(crate) code_changes: Option<PathBuf>,
}

/// A pipeline reads exactly one list of comuni.
pub(crate) fn check_source_count(spec: &Spec, problems: &mut Vec<ConfigProblem>) {
    let lists: Vec<_> = spec
        .sources
        .iter()
        .filter(|item| item.spec.kind.gives_territory_list())
        .collect();
    match lists.len() {
        0 => problems.push(spec.file_problem(msg!("territories_source_missing"))),
        1 => {}
        _ => {
            for item in &lists[1..] {
                problems.push(item.problem(msg!("territories_source_again")));
            }
        }
    }
}

pub(crate) fn check(spec: &Spec, base: &Paths, problems: &mut Vec<ConfigProblem>) -> Declared {
    let Some(item) = &spec.territories else {
        return Declared::default();
    };
    let code_changes = item.spec.code_changes.as_ref().and_then(|written| {
        paths::resolve_path(item, "code_changes", written, base, false)
            .map_err(|problem| problems.push(problem))
            .ok()
    });
    Declared {
        unions: item
            .spec
            .union
            .iter()
            .map(|(name, union)| check_union(item, name, union, problems))
            .collect(),
        aggregate: check_aggregate(item, problems),
        code_changes,
    }
}

/// The levels summed from comuni: any but the comune itself.
fn check_aggregate(
    item: &Item<TerritoriesSpec>,
    problems: &mut Vec<ConfigProblem>,
) -> BTreeSet<Level> {
    let mut aggregate = BTreeSet::new();
    for level in &item.spec.aggregate {
        match level.get_ref() {
            Level::Comune => {
                problems.push(item.problem_at(level.span(), "aggregate", msg!("aggregate_comune")))
            }
            other => {
                aggregate.insert(*other);
            }
        }
    }
    aggregate
}

/// A union: a snake_case name (its code in the outputs) and distinct comune codes.
fn check_union(
    item: &Item<TerritoriesSpec>,
    name: &str,
    union: &UnionSpec,
    problems: &mut Vec<ConfigProblem>,
) -> UnionEntry {
    let key = format!("territories.union.{name}");
    if !text::is_snake_case(name) {
        problems.push(item.file.problem(
            item.span.clone(),
            &key,
            msg!("union_name_not_snake_case"),
        ));
    }
    if union.members.is_empty() {
        problems.push(
            item.file
                .problem(item.span.clone(), &key, msg!("union_without_members")),
        );
    }
    let mut seen = BTreeSet::new();
    for member in &union.members {
        let code = member.get_ref();
        let message = if level_of_istat_code(code) != Some(Level::Comune) {
            msg!("union_member_not_a_code", code = format!("{code:?}"))
        } else if !seen.insert(code.clone()) {
            msg!("union_member_twice", code = code)
        } else {
            continue;
        };
        problems.push(
            item.file
                .problem(member.span(), &format!("{key}.members"), message),
        );
    }
    UnionEntry {
        code: name.to_owned(),
        name: union.name.clone(),
        members: union.members.iter().map(|m| m.get_ref().clone()).collect(),
    }
}

/// The focus of the site is an ISTAT code or a declared union.
pub(crate) fn check_focus(spec: &Spec, unions: &[UnionEntry], problems: &mut Vec<ConfigProblem>) {
    let Some(item) = &spec.pipeline else { return };
    let Some(focus) = &item.spec.focus else {
        return;
    };
    let declared = unions.iter().any(|u| &u.code == focus.get_ref());
    if !declared && level_of_istat_code(focus.get_ref()).is_none() {
        problems.push(item.problem_at(
            focus.span(),
            "focus",
            msg!("focus_unknown", focus = format!("{:?}", focus.get_ref())),
        ));
    }
}
