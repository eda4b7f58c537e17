//! The citizens' site: static pages in Italian, one file per page kind under `pages/`, rendered
//! from the minijinja templates in `templates/` (see `render`), with their own copy of
//! Bootstrap Italia and Titillium Web, inline SVG charts with their data (`markup`), and no
//! JavaScript.
//! The site is told what it shows ([`SiteInput`]) and writes through the release's writer.

pub(crate) mod chart;
pub(crate) mod dashboard;
pub(crate) mod drawn;
pub(crate) mod input;
pub(crate) mod map;
pub(crate) mod map_markup;
pub(crate) mod markup;
pub(crate) mod pages;
pub(crate) mod progress;
pub(crate) mod render;
pub(crate) mod shared;
pub(crate) mod stacked;
pub(crate) mod territory_map;
pub(crate) mod timeline;

use crate::error::Result;
use crate::publish::Files;
use crate::report::OutputFile;
use input::challenge_titles;
pub(crate) use input::{About, DatasetInput, Feeds, News, SiteInput, SourceInput};
use render::Writer;

/// Writes every page, chart and asset of the site; returns the files written.
pub(crate) fn write(files: &Files, input: &SiteInput) -> Result<Vec<OutputFile>> {
    let mut writer = Writer::new(files, render::context(input))?;
    writer.assets()?;
    let challenges = challenge_titles(input);
    let shared = shared::Shared::of(input)?;
    pages::home::write(&mut writer, input, &challenges)?;
    pages::challenge::write(&mut writer, input, &challenges, &shared.atlas)?;
    pages::territory::write(&mut writer, input, &challenges, &shared)?;
    pages::dataset::write(&mut writer, input)?;
    pages::news::write(&mut writer, input)?;
    if writer.has_projects() {
        pages::projects::write(&mut writer, input, &challenges, &shared)?;
    }
    Ok(writer.finish())
}
