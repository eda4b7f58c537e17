//! What several page kinds use, made once for the site (`Shared`): the boundaries' arcs
//! decoded, the PA digitale applications by comune, and the territories that have a page.

use std::collections::BTreeSet;

use crate::error::Result;
use crate::site::input::SiteInput;
use crate::site::map::Atlas;
use crate::site::pages::applications::Applications;
use crate::territory::Territory;

/// What several page kinds use, made once for the site.
pub(crate) struct Shared<'a> {
    pub(crate) atlas: Atlas<'a>,
    pub(crate) applications: Option<Applications<'a>>,
    /// In the order their pages are written.
    pub(crate) with_pages: Vec<&'a Territory>,
    /// Their codes, for the links to them.
    pub(crate) paged: BTreeSet<&'a str>,
}

impl<'a> Shared<'a> {
    pub(crate) fn of(input: &SiteInput<'a>) -> Result<Shared<'a>> {
        let with_pages = with_pages(input);
        Ok(Shared {
            atlas: Atlas::new(input.shapes),
            applications: Applications::of(input)?,
            paged: with_pages.iter().map(|t| t.code.as_str()).collect(),
            with_pages,
        })
    }
}

/// The territories with a page: those with indicators, the focus and its comuni.
fn with_pages<'a>(input: &SiteInput<'a>) -> Vec<&'a Territory> {
    let focus = input.about.focus;
    let with_rows: BTreeSet<&str> = input.rows.iter().map(|r| &*r.territory).collect();
    let mut pages: Vec<&Territory> = input
        .territories
        .iter()
        .filter(|t| with_rows.contains(t.code.as_str()) || Some(t.code.as_str()) == focus)
        .collect();
    if let Some(focus) = focus {
        // The focus may be Italy, whose members are every comune: a set, not a scan per member.
        let mut listed: BTreeSet<&str> = pages.iter().map(|t| t.code.as_str()).collect();
        for member in input.territories.members(focus) {
            if let Some(territory) = input.territories.get(member)
                && listed.insert(territory.code.as_str())
            {
                pages.push(territory);
            }
        }
    }
    pages
}
