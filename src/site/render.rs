//! The site's templates and assets, embedded in the binary, and the writer that renders a
//! page with the context every page shares: strict about undefined values, escaping
//! everything that comes from data (the charts' SVG, written by `markup`, escapes alike).

use std::sync::atomic::{AtomicU64, Ordering};

use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::istat::Level;
use crate::plan::site::Link;
use crate::publish::Files;
use crate::report::OutputFile;
use crate::site::chart::{self, Chart};
use crate::site::input::{SiteInput, TerritoryLink, applications, links, next_update};
use crate::site::map_markup::{self, MapFigure};
use crate::site::markup;

const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("home.html", include_str!("../../templates/home.html")),
    (
        "territory.html",
        include_str!("../../templates/territory.html"),
    ),
    (
        "territories.html",
        include_str!("../../templates/territories.html"),
    ),
    (
        "territories_region.html",
        include_str!("../../templates/territories_region.html"),
    ),
    (
        "challenges.html",
        include_str!("../../templates/challenges.html"),
    ),
    (
        "challenge.html",
        include_str!("../../templates/challenge.html"),
    ),
    ("data.html", include_str!("../../templates/data.html")),
    ("dataset.html", include_str!("../../templates/dataset.html")),
    ("news.html", include_str!("../../templates/news.html")),
    (
        "projects.html",
        include_str!("../../templates/projects.html"),
    ),
    ("project.html", include_str!("../../templates/project.html")),
    (
        "projects_macros.html",
        include_str!("../../templates/projects_macros.html"),
    ),
    (
        "projects_filter.html",
        include_str!("../../templates/projects_filter.html"),
    ),
    (
        "applications_region.html",
        include_str!("../../templates/applications_region.html"),
    ),
];

/// The files every release carries for its pages: path inside the release, bytes. Bootstrap
/// Italia's stylesheet is the purged one (`tools/purge-css.mjs`): only the rules the templates
/// and this module's code can use, 18 KB of the full 612 KB.
const ASSETS: &[(&str, &[u8])] = &[
    (
        "assets/css/bootstrap-italia.min.css",
        include_bytes!("../../assets/bootstrap-italia/bootstrap-italia.purged.min.css"),
    ),
    (
        "assets/css/bootstrap-italia.LICENSE.txt",
        include_bytes!("../../assets/bootstrap-italia/LICENSE"),
    ),
    (
        "assets/css/datavalley.css",
        include_bytes!("../../assets/css/datavalley.css"),
    ),
    (
        "assets/fonts/titillium-web-v10-latin-ext_latin-regular.woff2",
        include_bytes!(
            "../../assets/fonts/titillium-web/titillium-web-v10-latin-ext_latin-regular.woff2"
        ),
    ),
    (
        "assets/fonts/titillium-web-v10-latin-ext_latin-italic.woff2",
        include_bytes!(
            "../../assets/fonts/titillium-web/titillium-web-v10-latin-ext_latin-italic.woff2"
        ),
    ),
    (
        "assets/fonts/titillium-web-v10-latin-ext_latin-600.woff2",
        include_bytes!(
            "../../assets/fonts/titillium-web/titillium-web-v10-latin-ext_latin-600.woff2"
        ),
    ),
    (
        "assets/fonts/titillium-web-v10-latin-ext_latin-700.woff2",
        include_bytes!(
            "../../assets/fonts/titillium-web/titillium-web-v10-latin-ext_latin-700.woff2"
        ),
    ),
    (
        "assets/favicon.svg",
        include_bytes!("../../assets/icons/favicon.svg"),
    ),
    (
        "assets/fonts/OFL.txt",
        include_bytes!("../../assets/fonts/titillium-web/OFL.txt"),
    ),
];

#[derive(Debug, Clone, Serialize)]
struct Icons {
    download: &'static str,
}

const ICONS: Icons = Icons {
    download: include_str!("../../assets/icons/it-download.svg"),
};

pub(crate) fn environment() -> Result<Environment<'static>> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html") {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    for (name, source) in TEMPLATES {
        env.add_template(name, source).map_err(|e| {
            Error::template(
                crate::msg!("template_compiling", name = *name),
                describe(&e),
            )
        })?;
    }
    Ok(env)
}

/// A serializable value for a template.
pub(crate) fn v<T: Serialize>(value: T) -> Value {
    Value::from(minijinja::value::Serde(value))
}

pub(crate) fn render(env: &Environment, template: &str, context: Value) -> Result<String> {
    env.get_template(template)
        .and_then(|t| t.render(context))
        .map_err(|e| {
            Error::template(
                crate::msg!("template_rendering", name = template),
                describe(&e),
            )
        })
}

fn describe(error: &minijinja::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(inner) = source {
        text.push_str(&format!(": {inner}"));
        source = inner.source();
    }
    text
}

#[derive(Debug, Clone, Serialize)]
struct Focus {
    code: String,
    name: String,
    members: Vec<TerritoryLink>,
}

/// What every page says of the site: its title, publisher, focus, licence, dates and links.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SiteContext {
    title: String,
    description: Option<String>,
    publisher: String,
    focus: Option<Focus>,
    license: Link,
    updated: String,
    next_update: String,
    accessibility_statement: Option<String>,
    feedback: Option<Link>,
    has_projects: bool,
    base_url: Option<String>,
}

/// The context every page shares.
pub(crate) fn context(input: &SiteInput) -> SiteContext {
    let about = &input.about;
    let focus = about.focus.and_then(|code| {
        let territory = input.territories.get(code)?;
        Some(Focus {
            code: territory.code.clone(),
            name: territory.name.clone(),
            members: if territory.level == Level::Union {
                links(input.territories, input.territories.members(code))
            } else {
                Vec::new()
            },
        })
    });
    let has_applications = applications(input).is_some_and(|t| t.row_count() > 0);
    SiteContext {
        title: about.title.to_owned(),
        description: about.description.map(str::to_owned),
        publisher: about.publisher.clone(),
        focus,
        license: Link {
            href: about.license.url().to_owned(),
            label: about.license.name_it().to_owned(),
        },
        updated: input.run_time.date_it(),
        next_update: next_update(input.run_time, about.settings.update_frequency.as_deref()),
        accessibility_statement: about.settings.accessibility_statement.clone(),
        feedback: about.settings.feedback.clone(),
        has_projects: !input.projects.is_empty() || has_applications,
        base_url: about.base_url.map(str::to_owned),
    }
}

#[derive(Debug, Clone, Serialize)]
struct Crumb {
    label: String,
    href: String,
}

/// Renders the pages and writes them, with the site's assets, through the release's writer.
pub(crate) struct Writer<'a> {
    env: Environment<'static>,
    files: &'a Files<'a>,
    site: SiteContext,
    written: Vec<OutputFile>,
    progress: indicatif::ProgressBar,
    pages_written: AtomicU64,
}

impl<'a> Writer<'a> {
    pub(crate) fn new(files: &'a Files<'a>, site: SiteContext) -> Result<Self> {
        Ok(Writer {
            env: environment()?,
            files,
            site,
            written: Vec::new(),
            progress: crate::progress::counter(&crate::msg!("progress_pages")),
            pages_written: AtomicU64::new(0),
        })
    }

    /// The stylesheet, fonts and their licences every page links.
    pub(crate) fn assets(&mut self) -> Result<()> {
        for (path, bytes) in ASSETS {
            self.write(path, bytes)?;
        }
        Ok(())
    }

    pub(crate) fn has_projects(&self) -> bool {
        self.site.has_projects
    }

    /// The files written, once every page is.
    pub(crate) fn finish(self) -> Vec<OutputFile> {
        self.progress.finish_and_clear();
        self.written
    }

    /// Renders a page of the site with the context every page shares and its own.
    pub(crate) fn page(
        &mut self,
        path: &str,
        template: &str,
        title: &str,
        section: &str,
        crumbs: &[(&str, &str)],
        extra: Value,
    ) -> Result<()> {
        let file = self.page_file(path, template, title, section, crumbs, extra)?;
        self.written.push(file);
        Ok(())
    }

    /// Writes a page for each of `items`, side by side on the machine's cores, each worker
    /// writing its pages as it makes them; the files written keep the order of the items.
    pub(crate) fn pages_side_by_side<T: Sync>(
        &mut self,
        items: &[T],
        page: impl Fn(&Writer, &T) -> Result<OutputFile> + Sync,
    ) -> Result<()> {
        let workers = std::thread::available_parallelism().map_or(1, usize::from);
        let chunks: Vec<&[T]> = items.chunks(items.len().div_ceil(workers).max(1)).collect();
        let this = &*self;
        let written = crate::parallel::map(&chunks, true, |chunk| {
            chunk
                .iter()
                .map(|item| page(this, item))
                .collect::<Result<Vec<OutputFile>>>()
        });
        for files in written {
            self.written.extend(files?);
        }
        Ok(())
    }

    /// Renders a page and writes it; the file written is for the caller to list.
    pub(crate) fn page_file(
        &self,
        path: &str,
        template: &str,
        title: &str,
        section: &str,
        crumbs: &[(&str, &str)],
        extra: Value,
    ) -> Result<OutputFile> {
        let root = "../".repeat(path.matches('/').count());
        let breadcrumbs = breadcrumbs(path, &root, title, crumbs);
        let context = minijinja::context! {
            site => v(&self.site),
            path => path,
            root => root,
            section => section,
            page_title => title,
            breadcrumbs => v(breadcrumbs),
            icons => v(&ICONS),
            ..extra
        };
        let html = render(&self.env, template, context)?;
        let file = self.files.write(path, html.as_bytes())?;
        self.progress.inc(1);
        self.progress.set_message(path.to_owned());
        // One worker of several reaches the count: the progress bar's position may skip it.
        let pages = self.pages_written.fetch_add(1, Ordering::Relaxed) + 1;
        if pages == PAUSE_AFTER_PAGES {
            crate::pause::point("publish.pages");
        }
        Ok(file)
    }

    /// Draws a chart once, for its page and its downloads.
    pub(crate) fn render_chart(&self, chart: &mut Chart) {
        let figure = markup::figure(chart, &markup::svg(chart), ICONS.download);
        chart.rendered = Some(chart::Rendered { figure });
    }

    /// Writes a map of values' SVG and CSV under `mappe/`, and links its figure to them from a
    /// page one folder down.
    pub(crate) fn map_downloads(
        &mut self,
        figure: MapFigure,
        files: &map_markup::Downloads,
    ) -> Result<MapFigure> {
        let svg = map_markup::file(&figure.id, "svg");
        let csv = map_markup::file(&figure.id, "csv");
        self.write(&svg, files.svg.as_bytes())?;
        self.write(&csv, files.csv.as_bytes())?;
        Ok(MapFigure {
            svg_href: Some(format!("../{svg}")),
            csv_href: Some(format!("../{csv}")),
            ..figure
        })
    }

    pub(crate) fn write(&mut self, path: &str, bytes: &[u8]) -> Result<()> {
        self.written.push(self.files.write(path, bytes)?);
        Ok(())
    }
}

/// Home, the sections above the page, and the page itself (unless it is the home page).
fn breadcrumbs(path: &str, root: &str, title: &str, crumbs: &[(&str, &str)]) -> Vec<Crumb> {
    let mut breadcrumbs = vec![Crumb {
        label: "Home".into(),
        href: format!("{root}index.html"),
    }];
    breadcrumbs.extend(crumbs.iter().map(|(label, href)| Crumb {
        label: (*label).to_owned(),
        href: format!("{root}{href}"),
    }));
    if path != "index.html" {
        breadcrumbs.push(Crumb {
            label: title.to_owned(),
            href: String::new(),
        });
    }
    breadcrumbs
}

/// The crash tests stop a run after this many pages: some written, most not.
const PAUSE_AFTER_PAGES: u64 = 3;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text_from_data_in_pages() {
        let env = environment().unwrap();
        let html = env
            .render_named_str(
                "page.html",
                "<p>{{ text }}</p>",
                minijinja::context! { text => "<script>alert(1)</script>" },
            )
            .unwrap();
        assert_eq!(html, "<p>&lt;script&gt;alert(1)&lt;&#x2f;script&gt;</p>");
    }
}
