//! Releases: each run writes into a fresh folder under `releases/`, which is renamed into
//! place when complete and made current by replacing the `current` link in one rename; the
//! previous release stays whole until then. The last few releases are kept for rollback.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::publish::writeback::{self, Writeback};

/// A release being written.
#[derive(Debug)]
pub(crate) struct Release {
    root: PathBuf,
    name: String,
    partial: PathBuf,
    writeback: Writeback,
}

/// The link that names the current release, inside the pipeline's output folder.
pub(crate) const CURRENT: &str = "current";
pub(crate) const RELEASES: &str = "releases";
const PARTIAL_SUFFIX: &str = ".partial";

impl Release {
    /// Starts a release folder for `run_id` under `root/releases/`. A name already taken (two
    /// runs in the same second) gets a numeric suffix. Folders left by runs that were killed
    /// while writing are removed first: they were never current, and the caller holds the lock.
    pub(crate) fn begin(root: &Path, run_id: &str) -> Result<Release> {
        let releases = root.join(RELEASES);
        fs_err::create_dir_all(&releases)?;
        for entry in fs_err::read_dir(&releases)? {
            let path = entry?.path();
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            if name.starts_with('.') && name.ends_with(PARTIAL_SUFFIX) {
                fs_err::remove_dir_all(&path)?;
            }
        }
        // A link made for a switch that a killed run did not finish.
        for entry in fs_err::read_dir(root)? {
            let path = entry?.path();
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            if name.starts_with(&format!(".{CURRENT}.")) {
                fs_err::remove_file(&path)?;
            }
        }
        let mut name = run_id.to_owned();
        let mut suffix = 1;
        while releases.join(&name).exists() {
            suffix += 1;
            name = format!("{run_id}-{suffix}");
        }
        let partial = releases.join(format!(".{name}{PARTIAL_SUFFIX}"));
        fs_err::create_dir_all(&partial)?;
        let writeback = Writeback::start(&partial);
        Ok(Release {
            root: root.to_path_buf(),
            name,
            partial,
            writeback,
        })
    }

    /// The release's name: its run id, with a suffix when another release had it.
    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    /// Where files of this release are written until it is committed.
    pub(crate) fn dir(&self) -> &Path {
        &self.partial
    }

    /// Moves the finished folder into place and points `current` at it.
    pub(crate) fn commit(self) -> Result<PathBuf> {
        self.writeback.stop();
        sync_tree(&self.partial)?;
        let final_dir = self.root.join(RELEASES).join(&self.name);
        fs_err::rename(&self.partial, &final_dir)?;
        crate::pause::point("publish.switch");
        point_current(&self.root, &self.name)?;
        Ok(final_dir)
    }

    /// Removes an unfinished release (when an error stops the run after writing started).
    pub(crate) fn abandon(self) -> Result<()> {
        self.writeback.stop();
        fs_err::remove_dir_all(&self.partial)?;
        Ok(())
    }
}

/// Flushes every file of a release to disk before it becomes current, so that a power cut
/// after the switch cannot leave a current release with empty files. On Linux one `syncfs`
/// flushes the whole file system: a national site has tens of thousands of files, and one
/// `fsync` each took longer than writing them.
#[cfg(target_os = "linux")]
fn sync_tree(dir: &Path) -> Result<()> {
    let folder = fs_err::File::open(dir)?;
    if let Err(error) = writeback::syncfs(folder.file()) {
        return Err(Error::Io(std::io::Error::new(
            error.kind(),
            crate::msg!(
                "release_flushing",
                folder = dir.display(),
                detail = error.to_string()
            )
            .to_string(),
        )));
    }
    Ok(())
}

#[cfg(not(target_os = "linux"))]
fn sync_tree(dir: &Path) -> Result<()> {
    for entry in fs_err::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            sync_tree(&path)?;
        } else {
            fs_err::File::open(&path)?.sync_all()?;
        }
    }
    Ok(())
}

/// Replaces the `current` link in one rename.
fn point_current(root: &Path, name: &str) -> Result<()> {
    let link_tmp = root.join(format!(".{CURRENT}.{name}"));
    if link_tmp.symlink_metadata().is_ok() {
        fs_err::remove_file(&link_tmp)?;
    }
    let target = Path::new(RELEASES).join(name);
    std::os::unix::fs::symlink(&target, &link_tmp).map_err(|e| {
        Error::Io(std::io::Error::new(
            e.kind(),
            crate::msg!(
                "release_linking",
                link = link_tmp.display(),
                target = target.display(),
                detail = e.to_string()
            )
            .to_string(),
        ))
    })?;
    fs_err::rename(&link_tmp, root.join(CURRENT))?;
    Ok(())
}

/// A published release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ReleaseInfo {
    pub(crate) name: String,
    pub(crate) current: bool,
}

/// The release `current` points at.
pub(crate) fn current(root: &Path) -> Option<String> {
    let target = fs_err::read_link(root.join(CURRENT)).ok()?;
    target.file_name()?.to_str().map(str::to_owned)
}

/// The complete releases, oldest first.
pub(crate) fn list(root: &Path) -> Result<Vec<ReleaseInfo>> {
    let releases = root.join(RELEASES);
    if !releases.is_dir() {
        return Ok(Vec::new());
    }
    let current = current(root);
    let mut names: Vec<String> = fs_err::read_dir(&releases)?
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.path().is_dir())
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| !name.starts_with('.'))
        .collect();
    // Run ids sort in time order; "-2", "-3" of runs in the same second sort after their base.
    names.sort_by_key(|name| match name.rsplit_once('-') {
        Some((base, suffix)) if suffix.chars().all(|c| c.is_ascii_digit()) => {
            (base.to_owned(), suffix.parse::<u32>().unwrap_or(0))
        }
        _ => (name.clone(), 1),
    });
    Ok(names
        .into_iter()
        .map(|name| ReleaseInfo {
            current: current.as_deref() == Some(name.as_str()),
            name,
        })
        .collect())
}

/// Removes the oldest releases beyond `keep`, never the current one.
pub(crate) fn prune(root: &Path, keep: usize) -> Result<Vec<String>> {
    let releases = list(root)?;
    let excess = releases.len().saturating_sub(keep.max(1));
    let mut removed = Vec::new();
    for release in releases.iter().take(excess).filter(|r| !r.current) {
        fs_err::remove_dir_all(root.join(RELEASES).join(&release.name))?;
        removed.push(release.name.clone());
    }
    Ok(removed)
}

/// Makes an earlier release current again, atomically: the one named, or the one before
/// the current.
pub(crate) fn rollback(root: &Path, to: Option<&str>) -> Result<String> {
    let releases = list(root)?;
    let target = match to {
        Some(name) => releases
            .iter()
            .find(|r| r.name == name)
            .ok_or_else(|| {
                Error::Usage(crate::msg!(
                    "no_such_release",
                    release = name,
                    folder = root.join(RELEASES).display()
                ))
            })?
            .name
            .clone(),
        None => {
            let position = releases.iter().position(|r| r.current).ok_or_else(|| {
                Error::Usage(crate::msg!("no_current_release", folder = root.display()))
            })?;
            if position == 0 {
                return Err(Error::Usage(crate::msg!("current_release_is_oldest")));
            }
            releases[position - 1].name.clone()
        }
    };
    point_current(root, &target)?;
    Ok(target)
}
