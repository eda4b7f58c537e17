//! Sources over HTTP: conditional GET against a local cache of verified bodies, polite pacing
//! per host, timeouts, retries with backoff only where a retry can help, a size limit, an
//! offline mode, and a guard against sources that silently shrink.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{digest, files};

use crate::clock::RunTime;
use crate::error::{Error, Result};
use crate::message::Message;
use crate::msg;

/// A checked URL with how to fetch it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Remote {
    pub(crate) url: String,
    pub(crate) sha256: Option<String>,
    pub(crate) connect_timeout: Duration,
    pub(crate) timeout: Duration,
    pub(crate) retries: u32,
    pub(crate) min_interval: Duration,
    pub(crate) max_bytes: u64,
    pub(crate) max_shrink: f64,
    /// The Accept header a source kind asks with (SDMX-CSV, say).
    pub(crate) accept: Option<String>,
}

/// What the cache keeps beside a body.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Meta {
    url: String,
    etag: Option<String>,
    last_modified: Option<String>,
    sha256: String,
    bytes: u64,
    /// When the body was downloaded (UTC).
    retrieved_at: String,
    headers: BTreeMap<String, String>,
    /// Rows of the last version a run accepted, for the shrink guard.
    accepted_rows: Option<usize>,
}

/// How a body was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Freshness {
    Downloaded,
    /// The server answered 304: the cached body is current.
    NotModified,
    /// `--offline`: the cached body, not checked with the server.
    Cached,
}

/// A body ready to read.
#[derive(Debug, Clone)]
pub(crate) struct Fetched {
    pub(crate) path: PathBuf,
    pub(crate) freshness: Freshness,
    pub(crate) retrieved_at: String,
    /// The server's `Last-Modified` header for the body, when it sent one.
    pub(crate) last_modified: Option<String>,
}

/// Options of a run that govern fetching.
#[derive(Debug, Clone)]
pub(crate) struct FetchOptions {
    pub(crate) cache_dir: PathBuf,
    pub(crate) offline: bool,
    pub(crate) accept_shrink: bool,
}

/// Fetches URLs through the cache, one request at a time per host.
pub(crate) struct Fetcher {
    options: FetchOptions,
    last_request: Mutex<BTreeMap<String, Instant>>,
    /// Bodies already fetched in this run: a URL is asked for once per run.
    fetched: Mutex<BTreeMap<String, Fetched>>,
}

/// The outcome of the shrink guard.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ShrinkCheck {
    Accepted,
    /// Fewer rows than allowed: the previous accepted count and the new one.
    Shrank {
        previous: usize,
        now: usize,
    },
}

impl Fetcher {
    pub(crate) fn new(options: FetchOptions) -> Self {
        Fetcher {
            options,
            last_request: Mutex::new(BTreeMap::new()),
            fetched: Mutex::new(BTreeMap::new()),
        }
    }

    fn entry_dir(&self, url: &str) -> PathBuf {
        let digest = digest::sha256(url.as_bytes());
        self.options.cache_dir.join("http").join(&digest[..32])
    }

    fn read_meta(dir: &Path) -> Option<Meta> {
        let text = fs_err::read_to_string(dir.join("meta.json")).ok()?;
        serde_json::from_str(&text).ok()
    }

    fn write_meta(dir: &Path, meta: &Meta) -> Result<()> {
        let text = serde_json::to_string_pretty(meta)
            .map_err(|e| Error::json(msg!("writing_cache_index"), e))?;
        files::write_atomic(&dir.join("meta.json"), text.as_bytes())?;
        Ok(())
    }

    /// The cached body of `url`, when it is there and whole.
    fn cached(&self, url: &str) -> Option<(PathBuf, Meta)> {
        let dir = self.entry_dir(url);
        let meta = Self::read_meta(&dir)?;
        let body = dir.join("body");
        let bytes = fs_err::read(&body).ok()?;
        (bytes.len() as u64 == meta.bytes && digest::sha256(&bytes) == meta.sha256)
            .then_some((body, meta))
    }

    pub(crate) fn fetch(&self, source_name: &str, remote: &Remote) -> Result<Fetched> {
        if let Some(done) = self
            .fetched
            .lock()
            .ok()
            .and_then(|memo| memo.get(&remote.url).cloned())
        {
            return Ok(done);
        }
        let fetched = self.fetch_once(source_name, remote)?;
        if let Ok(mut memo) = self.fetched.lock() {
            memo.insert(remote.url.clone(), fetched.clone());
        }
        Ok(fetched)
    }

    fn fetch_once(&self, source_name: &str, remote: &Remote) -> Result<Fetched> {
        let fail = |message: Message| Error::Source {
            source_name: source_name.to_owned(),
            file: PathBuf::from(&remote.url),
            message,
        };
        let cached = self.cached(&remote.url);
        if self.options.offline {
            return match cached {
                Some((path, meta)) => Ok(Fetched {
                    path,
                    freshness: Freshness::Cached,
                    last_modified: meta.last_modified,
                    retrieved_at: meta.retrieved_at,
                }),
                None => Err(fail(msg!(
                    "offline_not_cached",
                    cache = self.options.cache_dir.display()
                ))),
            };
        }
        let dir = self.entry_dir(&remote.url);
        fs_err::create_dir_all(&dir)?;
        // reqwest is built without a crypto provider of its own; the first call installs ring's,
        // a later call finds it installed and leaves it.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::blocking::Client::builder()
            .connect_timeout(remote.connect_timeout)
            .timeout(remote.timeout)
            .user_agent(concat!("datavalley/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| fail(msg!("http_client", detail = e.to_string())))?;
        let mut attempt = 0;
        loop {
            self.pace(&remote.url, remote.min_interval);
            let mut request = client.get(&remote.url);
            if let Some(accept) = &remote.accept {
                request = request.header(reqwest::header::ACCEPT, accept);
            }
            if let Some((_, meta)) = &cached {
                if let Some(etag) = &meta.etag {
                    request = request.header(reqwest::header::IF_NONE_MATCH, etag);
                }
                if let Some(modified) = &meta.last_modified {
                    request = request.header(reqwest::header::IF_MODIFIED_SINCE, modified);
                }
            }
            let outcome = match request.send() {
                Ok(response) => self.receive(response, remote, &dir, cached.as_ref()),
                Err(error) if error.is_timeout() => Attempt::Retry {
                    reason: msg!("http_timeout", detail = error.to_string()),
                    after: None,
                },
                Err(error) => {
                    Attempt::Fail(msg!("http_request_failed", detail = error_chain(&error)))
                }
            };
            match outcome {
                Attempt::Done(fetched) => return Ok(fetched),
                Attempt::Fail(message) => return Err(fail(message)),
                Attempt::Retry { reason, after } => {
                    if attempt >= remote.retries {
                        return Err(fail(msg!(
                            "http_gave_up",
                            reason = reason,
                            attempts = attempt + 1
                        )));
                    }
                    std::thread::sleep(after.unwrap_or_else(|| backoff(attempt)));
                    attempt += 1;
                }
            }
        }
    }

    fn receive(
        &self,
        response: reqwest::blocking::Response,
        remote: &Remote,
        dir: &Path,
        cached: Option<&(PathBuf, Meta)>,
    ) -> Attempt {
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after);
        match status {
            304 => match cached {
                Some((path, meta)) => Attempt::Done(Fetched {
                    path: path.clone(),
                    freshness: Freshness::NotModified,
                    last_modified: meta.last_modified.clone(),
                    retrieved_at: meta.retrieved_at.clone(),
                }),
                None => Attempt::Fail(msg!("http_not_modified_uncached")),
            },
            408 | 425 | 429 | 500..=599 => Attempt::Retry {
                reason: msg!("http_status", status = status.to_string()),
                after: retry_after,
            },
            200..=299 => self.store(response, remote, dir),
            other => Attempt::Fail(msg!("http_status", status = other.to_string())),
        }
    }

    /// Streams the body to a temporary file and moves it into the cache only when it is
    /// complete and verified; the previous copy stays until then.
    fn store(
        &self,
        mut response: reqwest::blocking::Response,
        remote: &Remote,
        dir: &Path,
    ) -> Attempt {
        let expected_length = response.content_length();
        if let Some(length) = expected_length
            && length > remote.max_bytes
        {
            return Attempt::Fail(msg!(
                "http_body_too_long",
                bytes = length,
                limit = remote.max_bytes
            ));
        }
        let headers: BTreeMap<String, String> = response
            .headers()
            .iter()
            .filter_map(|(k, v)| {
                v.to_str()
                    .ok()
                    .map(|v| (k.as_str().to_owned(), v.to_owned()))
            })
            .collect();
        let progress = crate::progress::bytes(expected_length, &remote.url);
        let body = dir.join("body");
        // Written aside and moved into the cache only when complete and verified; the
        // previous copy stays until then.
        let stored = files::write_atomic_with(&body, |writer| {
            let (total, sha256) =
                receive(&mut response, writer, remote, expected_length, &progress)?;
            if let Some(expected) = &remote.sha256
                && *expected != sha256
            {
                return Err(Attempt::Fail(msg!(
                    "http_checksum",
                    sha256 = &sha256,
                    expected = expected
                )));
            }
            Ok((total, sha256))
        });
        progress.finish_and_clear();
        let (bytes, sha256) = match stored {
            Ok(done) => done,
            Err(attempt) => return attempt,
        };
        let previous_rows = Self::read_meta(dir).and_then(|m| m.accepted_rows);
        let meta = Meta {
            url: remote.url.clone(),
            etag: headers.get("etag").cloned(),
            last_modified: headers.get("last-modified").cloned(),
            sha256: sha256.clone(),
            bytes,
            retrieved_at: RunTime::now().iso(),
            headers,
            accepted_rows: previous_rows,
        };
        match Self::write_meta(dir, &meta) {
            Ok(()) => Attempt::Done(Fetched {
                path: body,
                freshness: Freshness::Downloaded,
                last_modified: meta.last_modified,
                retrieved_at: meta.retrieved_at,
            }),
            Err(error) => Attempt::Fail(msg!("http_cache_store", detail = error.to_string())),
        }
    }

    /// Compares the rows read from a URL with the last accepted version and records the new
    /// count when it is accepted.
    pub(crate) fn check_rows(&self, remote: &Remote, rows: usize) -> Result<ShrinkCheck> {
        let dir = self.entry_dir(&remote.url);
        let Some(mut meta) = Self::read_meta(&dir) else {
            return Ok(ShrinkCheck::Accepted);
        };
        if let Some(previous) = meta.accepted_rows
            && (rows as f64) < previous as f64 * (1.0 - remote.max_shrink)
            && !self.options.accept_shrink
        {
            return Ok(ShrinkCheck::Shrank {
                previous,
                now: rows,
            });
        }
        if meta.accepted_rows != Some(rows) {
            meta.accepted_rows = Some(rows);
            Self::write_meta(&dir, &meta)?;
        }
        Ok(ShrinkCheck::Accepted)
    }

    /// Waits until the host's minimum interval since the last request has passed.
    fn pace(&self, url: &str, interval: Duration) {
        let host = host_of(url);
        let wait = {
            let Ok(mut last) = self.last_request.lock() else {
                return;
            };
            let now = Instant::now();
            let wait = last
                .get(&host)
                .map(|&previous| (previous + interval).saturating_duration_since(now))
                .unwrap_or_default();
            last.insert(host, now + wait);
            wait
        };
        if !wait.is_zero() {
            std::thread::sleep(wait);
        }
    }
}

enum Attempt {
    Done(Fetched),
    Retry {
        reason: Message,
        after: Option<Duration>,
    },
    Fail(Message),
}

impl From<std::io::Error> for Attempt {
    fn from(error: std::io::Error) -> Self {
        Attempt::Fail(msg!("file_error", detail = error.to_string()))
    }
}

/// Streams a response's body into `writer`, hashing it, within the size limit and the
/// announced length.
fn receive(
    response: &mut reqwest::blocking::Response,
    writer: &mut dyn Write,
    remote: &Remote,
    expected_length: Option<u64>,
    progress: &indicatif::ProgressBar,
) -> std::result::Result<(u64, String), Attempt> {
    let mut hasher = Sha256::new();
    let mut total: u64 = 0;
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let read = match response.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(error) if is_timeout(&error) => {
                return Err(Attempt::Retry {
                    reason: msg!("http_body_stalled", bytes = total),
                    after: None,
                });
            }
            Err(error) => {
                let detail = error.to_string();
                return Err(Attempt::Fail(match expected_length {
                    Some(length) => msg!(
                        "http_body_cut_of",
                        bytes = total,
                        length = length,
                        detail = detail
                    ),
                    None => msg!("http_body_cut", bytes = total, detail = detail),
                }));
            }
        };
        total += read as u64;
        if total > remote.max_bytes {
            return Err(Attempt::Fail(msg!(
                "http_body_over_limit",
                limit = remote.max_bytes
            )));
        }
        hasher.update(&buffer[..read]);
        progress.inc(read as u64);
        writer.write_all(&buffer[..read])?;
    }
    if let Some(length) = expected_length
        && length != total
    {
        return Err(Attempt::Fail(msg!(
            "http_body_short",
            bytes = total,
            length = length
        )));
    }
    Ok((total, digest::hex(&hasher.finalize())))
}

/// 0.5 s, 1 s, 2 s, ... capped at 30 s, plus up to half of it again as jitter, so that many
/// clients retrying do not hit the server in step.
fn backoff(attempt: u32) -> Duration {
    let base = (0.5 * 2f64.powi(attempt.min(6) as i32)).min(30.0);
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let jitter = base * 0.5 * (f64::from(nanos % 1000) / 1000.0);
    Duration::from_secs_f64(base + jitter)
}

/// `Retry-After` as seconds or as an HTTP date; capped at ten minutes.
fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    let seconds = match value.parse::<u64>() {
        Ok(seconds) => seconds,
        Err(_) => {
            let when = httpdate::parse_http_date(value).ok()?;
            when.duration_since(SystemTime::now())
                .map(|d| d.as_secs())
                .unwrap_or(0)
        }
    };
    Some(Duration::from_secs(seconds.min(600)))
}

fn is_timeout(error: &std::io::Error) -> bool {
    if error.kind() == std::io::ErrorKind::TimedOut {
        return true;
    }
    let mut source = std::error::Error::source(error);
    while let Some(inner) = source {
        if let Some(reqwest_error) = inner.downcast_ref::<reqwest::Error>()
            && reqwest_error.is_timeout()
        {
            return true;
        }
        source = inner.source();
    }
    false
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(inner) = source {
        let message = inner.to_string();
        if !text.contains(&message) {
            text.push_str(": ");
            text.push_str(&message);
        }
        source = inner.source();
    }
    text
}

/// The host of a URL, lower-cased: requests are paced per host.
pub(crate) fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or("", |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    host_port
        .split(':')
        .next()
        .unwrap_or_default()
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_of_urls() {
        assert_eq!(
            host_of("https://esploradati.istat.it/SDMXWS/rest/data/x"),
            "esploradati.istat.it"
        );
        assert_eq!(host_of("http://user@127.0.0.1:8080/a.csv"), "127.0.0.1");
    }

    #[test]
    fn retry_after_in_seconds_and_dates() {
        assert_eq!(parse_retry_after("1"), Some(Duration::from_secs(1)));
        assert_eq!(parse_retry_after("99999"), Some(Duration::from_secs(600)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon"), None);
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        assert!(
            backoff(0) >= Duration::from_millis(500) && backoff(0) <= Duration::from_millis(750)
        );
        assert!(backoff(10) <= Duration::from_secs(45));
    }
}
