//! The fields `datavalley init` cannot know and leaves for the data officer to fill, and the
//! check that finds them still unfilled. A placeholder is a valid value (so that a new
//! pipeline runs as it is, for a look at its release) under a domain that can never resolve
//! (`.invalid`, RFC 2606), or the IPA code `da_compilare`; every one left is reported at its
//! line, by `check` and by every run, until the officer writes the real value.

use toml::Spanned;

use crate::error::ConfigProblem;
use crate::message::Message;
use crate::msg;
use crate::spec::{AgentSpec, Item, Spec};

/// The host of every placeholder address and e-mail address.
pub(crate) const HOST: &str = "da-compilare.invalid";
/// The placeholder of an IPA code.
pub(crate) const IPA: &str = "da_compilare";

/// The placeholder of the address a release is served at.
pub(crate) fn base_url(pipeline_id: &str) -> String {
    format!("https://{HOST}/{pipeline_id}/")
}

pub(crate) fn email() -> String {
    format!("da-compilare@{HOST}")
}

pub(crate) fn accessibility_statement() -> String {
    format!("https://{HOST}/dichiarazione-di-accessibilita")
}

fn is_placeholder(value: &str) -> bool {
    value == IPA || value.contains(HOST)
}

/// Every field of the catalog and the site that still holds a placeholder, at its line.
pub(crate) fn unfilled(spec: &Spec) -> Vec<ConfigProblem> {
    let mut found = Vec::new();
    if let Some(catalog) = &spec.catalog {
        let fields = &catalog.spec;
        let mut look = |field: &str, value: Option<&Spanned<String>>, what: Message| {
            look_at(catalog, field, value, what, &mut found);
        };
        look(
            "base_url",
            Some(&fields.base_url),
            msg!("placeholder_base_url"),
        );
        look(
            "homepage",
            fields.homepage.as_ref(),
            msg!("placeholder_homepage"),
        );
        agent(&mut look, "publisher", &fields.publisher);
        if let Some(holder) = &fields.rights_holder {
            agent(&mut look, "rights_holder", holder);
        }
        look(
            "contact.email",
            Some(&fields.contact.email),
            msg!("placeholder_contact_email"),
        );
        look(
            "contact.url",
            fields.contact.url.as_ref(),
            msg!("placeholder_contact_url"),
        );
    }
    if let Some(site) = &spec.site {
        let fields = &site.spec;
        look_at(
            site,
            "accessibility_statement",
            fields.accessibility_statement.as_ref(),
            msg!("placeholder_accessibility_statement"),
            &mut found,
        );
        look_at(
            site,
            "feedback",
            fields.feedback.as_ref(),
            msg!("placeholder_feedback"),
            &mut found,
        );
    }
    found
}

fn agent(
    look: &mut impl FnMut(&str, Option<&Spanned<String>>, Message),
    field: &str,
    spec: &AgentSpec,
) {
    look(
        &format!("{field}.ipa"),
        Some(&spec.ipa),
        msg!("placeholder_ipa"),
    );
}

fn look_at<T>(
    item: &Item<T>,
    field: &str,
    value: Option<&Spanned<String>>,
    what: Message,
    found: &mut Vec<ConfigProblem>,
) {
    if let Some(value) = value
        && is_placeholder(value.get_ref())
    {
        found.push(item.problem_at(
            value.span(),
            field,
            msg!(
                "placeholder_unfilled",
                value = format!("{:?}", value.get_ref()),
                what = what
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_valid_values_that_never_resolve() {
        assert!(crate::plan::catalog::is_absolute_url(&base_url(
            "terre-d-acqua"
        )));
        assert!(crate::plan::catalog::is_email(&email()));
        assert!(crate::plan::catalog::is_absolute_url(
            &accessibility_statement()
        ));
        assert!(is_placeholder(&base_url("x")) && is_placeholder(IPA));
        assert!(!is_placeholder("https://opendata.unionevaldenza.it/"));
        assert!(!is_placeholder("uvde_035"));
    }
}
