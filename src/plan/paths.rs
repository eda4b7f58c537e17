//! Where a pipeline file's paths and URLs lead: paths resolved against the file's folder (and
//! kept inside it unless the pipeline allows otherwise), URLs checked with their `http` options.
//! Every source kind locates its input with these, so that all say the same thing the same way.

use std::path::{Path, PathBuf};
use std::time::Duration;

use toml::Spanned;

use crate::error::ConfigProblem;
use crate::fetch::{Remote, host_of};
use crate::message::Message;
use crate::msg;
use crate::spec::{HttpSpec, Item};

/// Where a source's bytes come from.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Location {
    File(PathBuf),
    Url(Remote),
}

impl Location {
    /// How findings and the report name it.
    pub(crate) fn label(&self) -> String {
        match self {
            Location::File(path) => path.display().to_string(),
            Location::Url(remote) => remote.url.clone(),
        }
    }
}

/// Checks `file` / `url` and the `http` table of a source that reads one location.
pub(crate) fn locate<T>(
    item: &Item<T>,
    kind: &str,
    file: Option<&Spanned<String>>,
    url: Option<&Spanned<String>>,
    http: Option<&HttpSpec>,
    base: &Paths,
) -> std::result::Result<Location, Vec<ConfigProblem>> {
    match (file, url) {
        (Some(file), None) => {
            if http.is_some() {
                return Err(vec![item.problem(msg!("http_without_url", kind = kind))]);
            }
            resolve_path(item, &format!("{kind}.file"), file, base, false)
                .map(Location::File)
                .map_err(|p| vec![p])
        }
        (None, Some(url)) => remote(item, kind, url, http).map(Location::Url),
        (Some(_), Some(_)) => Err(vec![item.problem(msg!("file_and_url"))]),
        (None, None) => Err(vec![item.problem(msg!("neither_file_nor_url"))]),
    }
}

/// Checks a URL and the `http` table.
pub(crate) fn remote<T>(
    item: &Item<T>,
    kind: &str,
    url: &Spanned<String>,
    http: Option<&HttpSpec>,
) -> std::result::Result<Remote, Vec<ConfigProblem>> {
    remote_of(&http.cloned().unwrap_or_default(), url.get_ref()).map_err(|problems| {
        problems
            .into_iter()
            .map(|(field, message)| {
                let field = if field == "url" {
                    "url".to_owned()
                } else {
                    format!("http.{field}")
                };
                item.problem_at(url.span(), &format!("{kind}.{field}"), message)
            })
            .collect()
    })
}

/// Where paths written in a pipeline file lead from.
#[derive(Debug, Clone)]
pub(crate) struct Paths {
    /// The pipeline file's folder.
    pub(crate) base: PathBuf,
    /// Whether a path may lead outside it (absolute, or climbing with `..`).
    pub(crate) allow_outside: bool,
}

/// Whether a path written in a pipeline file stays inside its folder: relative, and never
/// climbing above it with `..`.
fn stays_inside(written: &str) -> bool {
    let path = Path::new(written);
    if path.is_absolute() {
        return false;
    }
    let mut depth: i32 = 0;
    for component in path.components() {
        match component {
            std::path::Component::ParentDir => depth -= 1,
            std::path::Component::Normal(_) => depth += 1,
            std::path::Component::CurDir => {}
            _ => return false,
        }
        if depth < 0 {
            return false;
        }
    }
    true
}

/// Resolves a path written in the pipeline file against the pipeline's folder and checks that
/// it is there, of the expected kind, and inside the folder unless the pipeline allows
/// otherwise.
// The problem goes straight into the caller's list of problems; a box would only be unboxed.
pub(crate) fn resolve_path<T>(
    item: &Item<T>,
    field: &str,
    written: &Spanned<String>,
    base: &Paths,
    want_dir: bool,
) -> std::result::Result<PathBuf, ConfigProblem> {
    if !base.allow_outside && !stays_inside(written.get_ref()) {
        let path = format!("{:?}", written.get_ref());
        return Err(item.problem_at(
            written.span(),
            field,
            msg!("path_outside_folder", path = path),
        ));
    }
    let path = base.base.join(written.get_ref());
    let shown = path.display();
    let message = match (fs_err::metadata(&path), want_dir) {
        (Ok(meta), _) if meta.is_dir() == want_dir => return Ok(path),
        (Ok(_), true) => msg!("path_not_a_folder", path = shown),
        (Ok(_), false) => msg!("path_not_a_file", path = shown),
        (Err(_), true) => msg!("path_folder_not_found", path = shown),
        (Err(_), false) => msg!("path_file_not_found", path = shown),
    };
    Err(item.problem_at(written.span(), field, message))
}

/// Parses a one-character separator option.
pub(crate) fn separator<T>(
    item: &Item<T>,
    written: Option<&Spanned<String>>,
    default: u8,
) -> std::result::Result<u8, ConfigProblem> {
    match written {
        None => Ok(default),
        Some(written) => match written.get_ref().as_str() {
            "," => Ok(b','),
            ";" => Ok(b';'),
            "\t" => Ok(b'\t'),
            "|" => Ok(b'|'),
            other => Err(item.problem_at(
                written.span(),
                "separator",
                msg!("separator_unknown", separator = format!("{other:?}")),
            )),
        },
    }
}

/// A URL with the default `http` settings, for reading outside a pipeline file (`init`).
pub(crate) fn default_remote(url: &str) -> std::result::Result<Remote, Message> {
    remote_of(&HttpSpec::default(), url).map_err(|problems| {
        problems
            .into_iter()
            .map(|(_, message)| message)
            .reduce(|first, then| msg!("http_problems_joined", first = first, then = then))
            // Refused without a problem cannot happen; with the defaults only the URL can be wrong.
            .unwrap_or_else(|| msg!("http_url_invalid", url = format!("{url:?}")))
    })
}

/// Problems with the fields of an `http` table, each with the field it is about.
type FieldProblems = Vec<(&'static str, Message)>;

/// Fills in the defaults of an `http` table for a URL; problems are returned as messages
/// about fields.
fn remote_of(spec: &HttpSpec, url: &str) -> std::result::Result<Remote, FieldProblems> {
    let mut problems = Vec::new();
    let host = host_of(url);
    if !(url.starts_with("http://") || url.starts_with("https://")) || host.is_empty() {
        problems.push(("url", msg!("http_url_invalid", url = format!("{url:?}"))));
    }
    let seconds =
        |field: &'static str, value: Option<f64>, default: f64, problems: &mut FieldProblems| {
            let value = value.unwrap_or(default);
            if !(value.is_finite() && value >= 0.0) {
                let value = value.to_string();
                problems.push((field, msg!("http_seconds_invalid", value = value)));
                return Duration::ZERO;
            }
            Duration::from_secs_f64(value)
        };
    let istat = host == "istat.it" || host.ends_with(".istat.it");
    let remote = Remote {
        url: url.to_owned(),
        sha256: spec.sha256.as_ref().map(|s| s.to_lowercase()),
        connect_timeout: seconds(
            "connect_timeout_seconds",
            spec.connect_timeout_seconds,
            10.0,
            &mut problems,
        ),
        timeout: seconds(
            "timeout_seconds",
            spec.timeout_seconds,
            300.0,
            &mut problems,
        ),
        retries: spec.retries.unwrap_or(3),
        // ISTAT's SDMX service bans clients that send more than a few requests a minute.
        min_interval: seconds(
            "min_interval_seconds",
            spec.min_interval_seconds,
            if istat { 12.0 } else { 1.0 },
            &mut problems,
        ),
        max_bytes: spec.max_bytes.unwrap_or(512 * 1024 * 1024),
        max_shrink: spec.max_shrink.unwrap_or(0.2),
        accept: None,
    };
    if let Some(sha) = &remote.sha256
        && (sha.len() != 64 || !sha.chars().all(|c| c.is_ascii_hexdigit()))
    {
        problems.push(("sha256", msg!("http_sha256_invalid")));
    }
    if !(0.0..=1.0).contains(&remote.max_shrink) {
        problems.push(("max_shrink", msg!("http_max_shrink_invalid")));
    }
    if remote.timeout.is_zero() {
        problems.push(("timeout_seconds", msg!("http_timeout_zero")));
    }
    if problems.is_empty() {
        Ok(remote)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_take_the_defaults_of_their_host() {
        let istat = remote_of(
            &HttpSpec::default(),
            "https://esploradati.istat.it/SDMXWS/rest",
        )
        .unwrap();
        assert_eq!(istat.min_interval, Duration::from_secs(12));
        let other = remote_of(&HttpSpec::default(), "https://raw.githubusercontent.com/x").unwrap();
        assert_eq!(other.min_interval, Duration::from_secs(1));
        let spec = HttpSpec {
            sha256: Some("abc".into()),
            max_shrink: Some(2.0),
            ..HttpSpec::default()
        };
        let problems = remote_of(&spec, "ftp://x").unwrap_err();
        let fields: Vec<&str> = problems.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["url", "sha256", "max_shrink"]);
    }

    #[test]
    fn paths_stay_inside_the_pipeline_folder() {
        assert!(stays_inside("val-d-enza/comuni.csv"));
        assert!(stays_inside("a/../b.csv"));
        assert!(!stays_inside("../shared/data/x.csv"));
        assert!(!stays_inside("/etc/passwd"));
    }
}
