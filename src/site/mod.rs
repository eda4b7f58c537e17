//! The release's pages, rendered from the minijinja templates in `templates/` (embedded in the
//! binary, with strict undefined values and escaping of everything that comes from data).

use minijinja::{Environment, UndefinedBehavior, context};
use serde::Serialize;

use crate::error::{Error, Result};

/// A download link of a dataset.
#[derive(Debug, Clone, Serialize)]
pub struct Download {
    pub format: String,
    pub href: String,
    pub size: String,
    pub sha256: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DatasetLink {
    pub name: String,
    pub title: String,
    pub description: Option<String>,
    pub rows: usize,
    pub downloads: Vec<Download>,
}

/// What the index page shows.
#[derive(Debug, Clone, Serialize)]
pub struct IndexPage {
    pub title: String,
    pub description: Option<String>,
    pub publisher: Option<String>,
    pub updated: String,
    pub datasets: Vec<DatasetLink>,
    /// Recomputed figures compared with the published ones, one sentence each.
    pub checks: Vec<String>,
    /// The DCAT-AP_IT catalog files, when the pipeline publishes a catalog.
    pub catalog_files: Vec<String>,
}

fn environment() -> Result<Environment<'static>> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.add_template("index.html", include_str!("../../templates/index.html"))
        .map_err(|e| Error::table("template templates/index.html", e))?;
    Ok(env)
}

pub fn render_index(page: &IndexPage) -> Result<String> {
    let env = environment()?;
    let template = env
        .get_template("index.html")
        .map_err(|e| Error::table("template templates/index.html", e))?;
    template
        .render(context! { page => minijinja::value::Serde(page) })
        .map_err(|e| Error::table("rendering index.html", e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text_from_data() {
        let page = IndexPage {
            title: "<script>alert(1)</script>".into(),
            description: None,
            publisher: Some("Unione Val d'Enza".into()),
            updated: "23/11/2026 09:17 UTC".into(),
            datasets: vec![],
            checks: vec![],
            catalog_files: vec![],
        };
        let html = render_index(&page).unwrap();
        assert!(!html.contains("<script>alert(1)</script>"));
        assert!(html.contains("&lt;script&gt;"));
        assert!(html.contains("lang=\"it\""));
    }
}
