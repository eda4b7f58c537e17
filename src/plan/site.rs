//! The checked `[site]`: what the citizens' pages say beyond the data (the accessibility
//! statement, where to send feedback, how often the pipeline runs).

use serde::Serialize;

use crate::error::ConfigProblem;
use crate::msg;
use crate::plan::catalog::{self, FREQUENCIES, FREQUENCY_BASE};
use crate::spec::{Item, SiteSpec};

/// The checked `[site]`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SiteSettings {
    pub(crate) accessibility_statement: Option<String>,
    pub(crate) feedback: Option<Link>,
    /// EU frequency code.
    pub(crate) update_frequency: Option<String>,
    /// Whether a release has pages (and their feed), or data files and metadata only.
    pub(crate) pages: bool,
}

impl Default for SiteSettings {
    fn default() -> Self {
        SiteSettings {
            accessibility_statement: None,
            feedback: None,
            update_frequency: None,
            pages: true,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Link {
    pub(crate) href: String,
    pub(crate) label: String,
}

pub(crate) fn check(
    item: &Item<SiteSpec>,
) -> std::result::Result<SiteSettings, Vec<ConfigProblem>> {
    let spec = &item.spec;
    let mut problems = Vec::new();
    let mut settings = SiteSettings {
        pages: spec.pages.unwrap_or(true),
        ..SiteSettings::default()
    };
    if let Some(url) = &spec.accessibility_statement {
        if catalog::is_absolute_url(url.get_ref()) {
            settings.accessibility_statement = Some(url.get_ref().clone());
        } else {
            problems.push(item.problem_at(
                url.span(),
                "accessibility_statement",
                msg!("site_absolute_url_due"),
            ));
        }
    }
    if let Some(feedback) = &spec.feedback {
        let text = feedback.get_ref().trim_start_matches("mailto:");
        if catalog::is_email(text) {
            settings.feedback = Some(Link {
                href: format!("mailto:{text}"),
                label: text.to_owned(),
            });
        } else if catalog::is_absolute_url(text) {
            settings.feedback = Some(Link {
                href: text.to_owned(),
                label: text.to_owned(),
            });
        } else {
            problems.push(item.problem_at(
                feedback.span(),
                "feedback",
                msg!("site_feedback_not_address"),
            ));
        }
    }
    if let Some(frequency) = &spec.update_frequency {
        match catalog::code_of(frequency.get_ref(), FREQUENCY_BASE, FREQUENCIES) {
            Some(code) => settings.update_frequency = Some(code.to_owned()),
            None => problems.push(item.problem_at(
                frequency.span(),
                "update_frequency",
                msg!(
                    "site_update_frequency_unknown",
                    value = format!("{:?}", frequency.get_ref())
                ),
            )),
        }
    }
    if problems.is_empty() {
        Ok(settings)
    } else {
        Err(problems)
    }
}
