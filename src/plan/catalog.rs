//! Catalog metadata (DCAT-AP_IT): the checked catalog and dataset descriptions, the controlled
//! vocabularies they use (EU data themes, frequencies, the Italian licences), and the AgID
//! mandatory-field checks, so that a data officer learns of a problem from us and not from a
//! rejected harvest.

use std::ops::Range;

use toml::Spanned;

use crate::error::ConfigProblem;
use crate::message::Message;
use crate::msg;
use crate::spec::{AgentSpec, CatalogSpec, ContactSpec, DatasetSpec, Item};

pub(crate) const THEME_BASE: &str = "http://publications.europa.eu/resource/authority/data-theme/";
pub(crate) const FREQUENCY_BASE: &str =
    "http://publications.europa.eu/resource/authority/frequency/";
pub(crate) const LANGUAGE_ITA: &str =
    "http://publications.europa.eu/resource/authority/language/ITA";

/// The EU data themes with their Italian labels.
pub(crate) const THEMES: &[(&str, &str)] = &[
    (
        "AGRI",
        "Agricoltura, pesca, silvicoltura e prodotti alimentari",
    ),
    ("ECON", "Economia e finanze"),
    ("EDUC", "Istruzione, cultura e sport"),
    ("ENER", "Energia"),
    ("ENVI", "Ambiente"),
    ("GOVE", "Governo e settore pubblico"),
    ("HEAL", "Salute"),
    ("INTR", "Tematiche internazionali"),
    ("JUST", "Giustizia, sistema giuridico e sicurezza pubblica"),
    ("OP_DATPRO", "Dati provvisori"),
    ("REGI", "Regioni e città"),
    ("SOCI", "Popolazione e società"),
    ("TECH", "Scienza e tecnologia"),
    ("TRAN", "Trasporti"),
];

/// Codes of the EU frequency authority table, with Italian labels for pages.
pub(crate) const FREQUENCIES: &[(&str, &str)] = &[
    ("ANNUAL", "annuale"),
    ("ANNUAL_2", "semestrale"),
    ("ANNUAL_3", "tre volte all'anno"),
    ("BIENNIAL", "biennale"),
    ("BIMONTHLY", "bimestrale"),
    ("BIWEEKLY", "quindicinale"),
    ("CONT", "continuo"),
    ("DAILY", "giornaliero"),
    ("DAILY_2", "due volte al giorno"),
    ("DECENNIAL", "decennale"),
    ("HOURLY", "orario"),
    ("IRREG", "irregolare"),
    ("MONTHLY", "mensile"),
    ("MONTHLY_2", "due volte al mese"),
    ("MONTHLY_3", "tre volte al mese"),
    ("NEVER", "mai"),
    ("OTHER", "altro"),
    ("QUADRENNIAL", "quadriennale"),
    ("QUARTERLY", "trimestrale"),
    ("QUINQUENNIAL", "quinquennale"),
    ("TRIENNIAL", "triennale"),
    ("UNKNOWN", "sconosciuto"),
    ("UPDATE_CONT", "aggiornamento continuo"),
    ("WEEKLY", "settimanale"),
    ("WEEKLY_2", "due volte alla settimana"),
    ("WEEKLY_3", "tre volte alla settimana"),
];

/// The licences of the Italian licence vocabulary a release may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum License {
    CcBy40,
    Iodl20,
}

impl License {
    fn parse(text: &str) -> Option<License> {
        match text {
            "CC-BY-4.0" => Some(License::CcBy40),
            "IODL-2.0" => Some(License::Iodl20),
            _ => None,
        }
    }

    /// The entry of the national licence vocabulary.
    pub(crate) fn iri(self) -> &'static str {
        match self {
            License::CcBy40 => "https://w3id.org/italia/controlled-vocabulary/licences/A21_CCBY40",
            License::Iodl20 => "https://w3id.org/italia/controlled-vocabulary/licences/A29_IODL20",
        }
    }

    /// The licence's own text.
    pub(crate) fn url(self) -> &'static str {
        match self {
            License::CcBy40 => "https://creativecommons.org/licenses/by/4.0/",
            License::Iodl20 => "https://www.dati.gov.it/iodl/2.0/",
        }
    }

    pub(crate) fn id(self) -> &'static str {
        match self {
            License::CcBy40 => "CC-BY-4.0",
            License::Iodl20 => "IODL-2.0",
        }
    }

    pub(crate) fn name_it(self) -> &'static str {
        match self {
            License::CcBy40 => "Creative Commons Attribuzione 4.0 Internazionale (CC BY 4.0)",
            License::Iodl20 => "Italian Open Data License 2.0 (IODL 2.0)",
        }
    }

    pub(crate) fn name_en(self) -> &'static str {
        match self {
            License::CcBy40 => "Creative Commons Attribution 4.0 International (CC BY 4.0)",
            License::Iodl20 => "Italian Open Data License 2.0 (IODL 2.0)",
        }
    }

    pub(crate) fn version(self) -> &'static str {
        match self {
            License::CcBy40 => "4.0",
            License::Iodl20 => "2.0",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Agent {
    pub(crate) name: String,
    /// The IPA code, lower case.
    pub(crate) ipa: String,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Contact {
    pub(crate) name: String,
    pub(crate) email: String,
    pub(crate) url: Option<String>,
}

/// The checked `[catalog]`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Catalog {
    /// Absolute, ending with `/`.
    pub(crate) base_url: String,
    pub(crate) homepage: String,
    pub(crate) title: String,
    pub(crate) description: String,
    pub(crate) title_en: Option<String>,
    pub(crate) description_en: Option<String>,
    pub(crate) issued: Option<String>,
    pub(crate) publisher: Agent,
    pub(crate) rights_holder: Agent,
    pub(crate) contact: Contact,
    pub(crate) license: License,
}

/// What the catalog says of one dataset, beyond its title and description.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DatasetMetadata {
    /// Theme codes (`GOVE`).
    pub(crate) themes: Vec<String>,
    pub(crate) subthemes: Vec<String>,
    pub(crate) keywords: Vec<String>,
    /// Frequency code (`ANNUAL`).
    pub(crate) frequency: String,
    pub(crate) license: License,
    pub(crate) title_en: Option<String>,
    pub(crate) description_en: Option<String>,
    pub(crate) conforms_to: Vec<String>,
}

pub(crate) fn is_absolute_url(text: &str) -> bool {
    (text.starts_with("https://") || text.starts_with("http://"))
        && text.len() > "https://".len()
        && !text.contains(char::is_whitespace)
}

/// An IPA code as the Indice delle Pubbliche Amministrazioni writes it: `c_h223`, `uvde_035`.
pub(crate) fn is_ipa_code(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

pub(crate) fn is_email(text: &str) -> bool {
    match text.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !text.contains(char::is_whitespace)
                && !domain.contains('@')
        }
        None => false,
    }
}

/// A code from a vocabulary, written as the code or as its URI.
pub(crate) fn code_of<'a>(written: &'a str, base: &str, known: &[(&str, &str)]) -> Option<&'a str> {
    let code = written.strip_prefix(base).unwrap_or(written);
    known.iter().any(|(k, _)| *k == code).then_some(code)
}

struct Checker<'a, T> {
    item: &'a Item<T>,
    problems: Vec<ConfigProblem>,
}

impl<T> Checker<'_, T> {
    /// The contact point: a name and an e-mail address, and a URL when given.
    fn contact(&mut self, spec: &ContactSpec) -> Contact {
        let email = spec
            .email
            .get_ref()
            .trim_start_matches("mailto:")
            .to_owned();
        if !is_email(&email) {
            self.at(
                spec.email.span(),
                "contact.email",
                msg!(
                    "catalog_email_invalid",
                    value = format!("{:?}", spec.email.get_ref())
                ),
            );
        }
        if spec.name.trim().is_empty() {
            self.at(
                spec.email.span(),
                "contact.name",
                msg!("catalog_contact_without_name"),
            );
        }
        let url = spec.url.as_ref().map(|url| self.url("contact.url", url));
        Contact {
            name: spec.name.clone(),
            email,
            url,
        }
    }

    /// A dataset's EU data themes, by code or URI: at least one.
    fn themes(&mut self, written: &[Spanned<String>]) -> Vec<String> {
        let dataset = &self.item.name;
        let codes = || {
            THEMES
                .iter()
                .map(|(code, _)| *code)
                .collect::<Vec<_>>()
                .join(", ")
        };
        if written.is_empty() {
            self.problems.push(self.item.problem(msg!(
                "dataset_without_themes",
                dataset = dataset,
                codes = codes()
            )));
        }
        let mut themes = Vec::new();
        for theme in written {
            match code_of(theme.get_ref(), THEME_BASE, THEMES) {
                Some(code) => themes.push(code.to_owned()),
                None => self.at(
                    theme.span(),
                    "themes",
                    msg!(
                        "theme_unknown",
                        dataset = dataset,
                        value = format!("{:?}", theme.get_ref()),
                        codes = codes(),
                        base = THEME_BASE
                    ),
                ),
            }
        }
        themes
    }

    /// A dataset's EuroVoc subthemes, as URIs.
    fn subthemes(&mut self, written: &[Spanned<String>]) -> Vec<String> {
        let dataset = &self.item.name;
        let mut subthemes = Vec::new();
        for subtheme in written {
            let text = subtheme.get_ref();
            let valid = text
                .strip_prefix("http://eurovoc.europa.eu/")
                .is_some_and(|id| !id.is_empty() && id.chars().all(|c| c.is_ascii_digit()));
            if valid {
                subthemes.push(text.clone());
            } else {
                self.at(
                    subtheme.span(),
                    "subthemes",
                    msg!(
                        "subtheme_not_eurovoc",
                        dataset = dataset,
                        value = format!("{text:?}")
                    ),
                );
            }
        }
        subthemes
    }

    /// A dataset's update frequency: an EU frequency code, which DCAT-AP_IT requires.
    fn frequency(&mut self, written: Option<&Spanned<String>>) -> String {
        let dataset = &self.item.name;
        let Some(frequency) = written else {
            self.problems.push(
                self.item
                    .problem(msg!("dataset_without_frequency", dataset = dataset)),
            );
            return String::new();
        };
        match code_of(frequency.get_ref(), FREQUENCY_BASE, FREQUENCIES) {
            Some(code) => code.to_owned(),
            None => {
                self.at(
                    frequency.span(),
                    "frequency",
                    msg!(
                        "frequency_unknown",
                        dataset = dataset,
                        value = format!("{:?}", frequency.get_ref())
                    ),
                );
                String::new()
            }
        }
    }

    fn at(&mut self, span: Range<usize>, field: &str, message: Message) {
        self.problems
            .push(self.item.problem_at(span, field, message));
    }

    fn agent(&mut self, field: &str, spec: &AgentSpec) -> Agent {
        if spec.name.trim().is_empty() {
            self.at(
                spec.ipa.span(),
                &format!("{field}.name"),
                msg!("catalog_agent_name_empty"),
            );
        }
        let ipa = spec.ipa.get_ref();
        if !is_ipa_code(ipa) {
            self.at(
                spec.ipa.span(),
                &format!("{field}.ipa"),
                msg!("catalog_ipa_code_invalid", value = format!("{ipa:?}")),
            );
        }
        Agent {
            name: spec.name.clone(),
            ipa: ipa.clone(),
        }
    }

    fn url(&mut self, field: &str, written: &Spanned<String>) -> String {
        if !is_absolute_url(written.get_ref()) {
            self.at(
                written.span(),
                field,
                msg!(
                    "catalog_url_not_absolute",
                    value = format!("{:?}", written.get_ref())
                ),
            );
        }
        written.get_ref().clone()
    }

    fn license(&mut self, field: &str, written: &Spanned<String>) -> License {
        License::parse(written.get_ref()).unwrap_or_else(|| {
            let message = if written.get_ref().trim().is_empty() {
                msg!("catalog_license_empty")
            } else {
                msg!(
                    "catalog_license_unknown",
                    value = format!("{:?}", written.get_ref())
                )
            };
            self.at(written.span(), field, message);
            License::CcBy40
        })
    }
}

/// Checks `[catalog]` against the AgID mandatory fields.
pub(crate) fn check_catalog(
    item: &Item<CatalogSpec>,
    pipeline_title: &str,
    pipeline_description: Option<&str>,
) -> Result<Catalog, Vec<ConfigProblem>> {
    let spec = &item.spec;
    let mut check = Checker {
        item,
        problems: Vec::new(),
    };
    let mut base_url = check.url("base_url", &spec.base_url);
    if !base_url.ends_with('/') {
        base_url.push('/');
    }
    let homepage = match &spec.homepage {
        Some(homepage) => check.url("homepage", homepage),
        None => base_url.clone(),
    };
    let publisher = check.agent("publisher", &spec.publisher);
    let rights_holder = match &spec.rights_holder {
        Some(holder) => check.agent("rights_holder", holder),
        None => publisher.clone(),
    };
    let contact = check.contact(&spec.contact);
    if let Some(issued) = &spec.issued
        && !crate::text::is_iso_date(issued.get_ref())
    {
        check.at(
            issued.span(),
            "issued",
            msg!(
                "catalog_issued_not_a_date",
                value = format!("{:?}", issued.get_ref())
            ),
        );
    }
    let license = match &spec.license {
        Some(license) => check.license("license", license),
        None => License::CcBy40,
    };
    let description = spec
        .description
        .clone()
        .or_else(|| pipeline_description.map(str::to_owned));
    if description.as_deref().is_none_or(|d| d.trim().is_empty()) {
        check
            .problems
            .push(item.problem(msg!("catalog_without_description")));
    }
    if check.problems.is_empty() {
        Ok(Catalog {
            base_url,
            homepage,
            title: spec
                .title
                .clone()
                .unwrap_or_else(|| pipeline_title.to_owned()),
            description: description.unwrap_or_default(),
            title_en: spec.title_en.clone(),
            description_en: spec.description_en.clone(),
            issued: spec.issued.as_ref().map(|i| i.get_ref().clone()),
            publisher,
            rights_holder,
            contact,
            license,
        })
    } else {
        Err(check.problems)
    }
}

/// Checks one dataset's catalog fields: themes, frequency, licence, description and the rest.
pub(crate) fn check_dataset(
    item: &Item<DatasetSpec>,
    default_license: License,
) -> Result<DatasetMetadata, Vec<ConfigProblem>> {
    let spec = &item.spec;
    let mut check = Checker {
        item,
        problems: Vec::new(),
    };
    let dataset = &item.name;
    let themes = check.themes(&spec.themes);
    let subthemes = check.subthemes(&spec.subthemes);
    let frequency = check.frequency(spec.frequency.as_ref());
    let license = match &spec.license {
        Some(license) => check.license("license", license),
        None => default_license,
    };
    if spec
        .description
        .as_deref()
        .is_none_or(|d| d.trim().is_empty())
    {
        check
            .problems
            .push(item.problem(msg!("dataset_without_description", dataset = dataset)));
    }
    let conforms_to = spec
        .conforms_to
        .iter()
        .map(|uri| check.url("conforms_to", uri))
        .collect();
    if check.problems.is_empty() {
        Ok(DatasetMetadata {
            themes,
            subthemes,
            keywords: spec.keywords.clone(),
            frequency,
            license,
            title_en: spec.title_en.clone(),
            description_en: spec.description_en.clone(),
            conforms_to,
        })
    } else {
        Err(check.problems)
    }
}

pub(crate) fn theme_label(code: &str) -> &'static str {
    THEMES
        .iter()
        .find(|(c, _)| *c == code)
        .map_or("", |(_, label)| label)
}

pub(crate) fn frequency_label(code: &str) -> &'static str {
    FREQUENCIES
        .iter()
        .find(|(c, _)| *c == code)
        .map_or("", |(_, label)| label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_codes_and_uris_of_vocabularies() {
        assert_eq!(code_of("GOVE", THEME_BASE, THEMES), Some("GOVE"));
        assert_eq!(
            code_of(
                "http://publications.europa.eu/resource/authority/data-theme/SOCI",
                THEME_BASE,
                THEMES
            ),
            Some("SOCI")
        );
        assert_eq!(code_of("Popolazione e società", THEME_BASE, THEMES), None);
        assert_eq!(
            code_of("ANNUAL", FREQUENCY_BASE, FREQUENCIES),
            Some("ANNUAL")
        );
        assert!(is_email("urp@comune.esempio.it"));
        assert!(!is_email("info@comune"));
        assert!(!is_email("info comune.it"));
        assert_eq!(License::parse("IODL-2.0"), Some(License::Iodl20));
        assert_eq!(License::parse("CC BY"), None);
    }
}
