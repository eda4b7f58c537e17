//! The Atom feed of a release (`feed.xml`, RFC 4287): one entry per release of the history,
//! newest first, with what it changed, so that a subscriber's reader says when the data move.
//! Its ids are stable across releases: from the catalog's address when there is one, else
//! `urn:uuid:` names made from the pipeline's id and the release.

use quick_xml::escape::escape;

use crate::clock;
use crate::digest;
use crate::history::ReleaseChanges;
use crate::history::diff::Changes;

pub(crate) const FEED_FILE: &str = "feed.xml";
/// Entries a feed carries at most: readers keep what they have already seen.
const ENTRIES: usize = 100;

/// What the feed is about.
pub(crate) struct FeedInput<'a> {
    pub(crate) pipeline_id: &'a str,
    pub(crate) title: &'a str,
    pub(crate) publisher: &'a str,
    /// Where the release is served (the catalog's `base_url`, ending in `/`).
    pub(crate) base_url: Option<&'a str>,
    /// The releases of the history, oldest first.
    pub(crate) timeline: &'a [ReleaseChanges],
    /// Records (projects, funded applications) the newest release changed.
    pub(crate) records_changed: usize,
}

/// The feed's XML.
pub(crate) fn atom(input: &FeedInput) -> String {
    let link = |page: &str| match input.base_url {
        Some(base) => format!("{base}{page}"),
        None => page.to_owned(),
    };
    let updated = input
        .timeline
        .last()
        .map_or_else(String::new, |r| r.run_time.clone());
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"it\">\n");
    element(&mut xml, 1, "id", &id(input, None));
    element(&mut xml, 1, "title", &format!("Novità: {}", input.title));
    element(&mut xml, 1, "updated", &updated);
    xml.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        escape(input.publisher)
    ));
    xml.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        escape(link(FEED_FILE))
    ));
    xml.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        escape(link("novita.html"))
    ));
    xml.push_str(&format!(
        "  <generator version=\"{}\">datavalley</generator>\n",
        env!("CARGO_PKG_VERSION")
    ));
    let newest = input.timeline.len().saturating_sub(1);
    for (index, release) in input.timeline.iter().enumerate().rev().take(ENTRIES) {
        let records = if index == newest {
            input.records_changed
        } else {
            0
        };
        entry(&mut xml, input, release, &link("novita.html"), records);
    }
    xml.push_str("</feed>\n");
    xml
}

fn entry(
    xml: &mut String,
    input: &FeedInput,
    release: &ReleaseChanges,
    href: &str,
    records: usize,
) {
    let date = clock::date_it(&release.run_time);
    xml.push_str("  <entry>\n");
    element(xml, 2, "id", &id(input, Some(&release.release)));
    element(xml, 2, "title", &format!("Aggiornamento del {date}"));
    element(xml, 2, "updated", &release.run_time);
    xml.push_str(&format!(
        "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        escape(href)
    ));
    element(xml, 2, "summary", &summary(release.changes, records));
    xml.push_str("  </entry>\n");
}

fn element(xml: &mut String, depth: usize, name: &str, text: &str) {
    xml.push_str(&format!(
        "{}<{name}>{}</{name}>\n",
        "  ".repeat(depth),
        escape(text)
    ));
}

/// The feed's id (no release) or an entry's: under the catalog's address, or a name-based
/// UUID when the release is not served at a known address.
fn id(input: &FeedInput, release: Option<&str>) -> String {
    match (input.base_url, release) {
        (Some(base), None) => format!("{base}{FEED_FILE}"),
        (Some(base), Some(release)) => format!("{base}{FEED_FILE}#{release}"),
        (None, release) => {
            let name = format!("datavalley/{}/{}", input.pipeline_id, release.unwrap_or(""));
            let hex = digest::sha256(name.as_bytes());
            // RFC 9562 version 8 (custom), variant 10.
            format!(
                "urn:uuid:{}-{}-8{}-a{}-{}",
                &hex[0..8],
                &hex[8..12],
                &hex[13..16],
                &hex[17..20],
                &hex[20..32]
            )
        }
    }
}

/// What a release changed, in one Italian sentence.
fn summary(changes: Changes, records: usize) -> String {
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut parts = vec![
        count(changes.changed, "valore cambiato", "valori cambiati"),
        count(changes.new, "valore nuovo", "valori nuovi"),
        count(
            changes.removed,
            "valore non più pubblicato",
            "valori non più pubblicati",
        ),
        count(changes.revised, "revisione", "revisioni"),
    ];
    if records > 0 {
        parts.push(count(
            records,
            "progetto o candidatura cambiati",
            "progetti o candidature cambiati",
        ));
    }
    format!("{}.", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_come_newest_first_with_stable_ids() {
        let release = |name: &str, time: &str, changed: usize| ReleaseChanges {
            release: name.into(),
            run_time: time.into(),
            changes: Changes {
                changed,
                ..Changes::default()
            },
        };
        let timeline = [
            release("20261123T100000Z", "2026-11-23T10:00:00Z", 0),
            release("20261124T100000Z", "2026-11-24T10:00:00Z", 9),
        ];
        let mut input = FeedInput {
            pipeline_id: "val-d-enza",
            title: "Dati & indicatori",
            publisher: "Unione Val d'Enza",
            base_url: None,
            timeline: &timeline,
            records_changed: 2,
        };
        let xml = atom(&input);
        assert!(xml.contains("<title>Novità: Dati &amp; indicatori</title>"));
        let first = xml
            .find("2026-11-24T10:00:00Z</updated>\n    <link")
            .unwrap();
        let second = xml
            .find("2026-11-23T10:00:00Z</updated>\n    <link")
            .unwrap();
        assert!(first < second, "{xml}");
        assert!(xml.contains("9 valori cambiati, 0 valori nuovi, 0 valori non più pubblicati, 0 revisioni, 2 progetti o candidature cambiati."));
        assert!(xml.contains("<id>urn:uuid:"));
        assert_eq!(xml, atom(&input));
        input.base_url = Some("https://example.org/dati/");
        assert!(
            atom(&input).contains("<id>https://example.org/dati/feed.xml#20261124T100000Z</id>")
        );
    }
}
