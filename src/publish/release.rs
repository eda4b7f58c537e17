//! Releases: each run writes into a fresh folder under `releases/`, which is renamed into
//! place when complete and made current by replacing the `current` link in one rename; the
//! previous release stays whole until then.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// A release being written.
#[derive(Debug)]
pub struct Release {
    root: PathBuf,
    name: String,
    partial: PathBuf,
}

/// The link that names the current release, inside the pipeline's output folder.
pub const CURRENT: &str = "current";

impl Release {
    /// Starts a release folder for `run_id` under `root/releases/`. A name already taken (two
    /// runs in the same second) gets a numeric suffix.
    pub fn begin(root: &Path, run_id: &str) -> Result<Release> {
        let releases = root.join("releases");
        fs_err::create_dir_all(&releases)?;
        let mut name = run_id.to_owned();
        let mut suffix = 1;
        while releases.join(&name).exists() {
            suffix += 1;
            name = format!("{run_id}-{suffix}");
        }
        let partial = releases.join(format!(".{name}.partial"));
        if partial.exists() {
            // Left by a run that was killed while writing: never current, safe to remove.
            fs_err::remove_dir_all(&partial)?;
        }
        fs_err::create_dir_all(&partial)?;
        Ok(Release {
            root: root.to_path_buf(),
            name,
            partial,
        })
    }

    /// Where files of this release are written until it is committed.
    pub fn dir(&self) -> &Path {
        &self.partial
    }

    /// Moves the finished folder into place and points `current` at it.
    pub fn commit(self) -> Result<PathBuf> {
        let final_dir = self.root.join("releases").join(&self.name);
        fs_err::rename(&self.partial, &final_dir)?;
        let link_tmp = self.root.join(format!(".{CURRENT}.{}", self.name));
        if link_tmp.exists() || link_tmp.symlink_metadata().is_ok() {
            fs_err::remove_file(&link_tmp)?;
        }
        let target = Path::new("releases").join(&self.name);
        std::os::unix::fs::symlink(&target, &link_tmp).map_err(|e| {
            Error::Io(std::io::Error::new(
                e.kind(),
                format!(
                    "creating link {} -> {}: {e}",
                    link_tmp.display(),
                    target.display()
                ),
            ))
        })?;
        fs_err::rename(&link_tmp, self.root.join(CURRENT))?;
        Ok(final_dir)
    }

    /// Removes an unfinished release (when findings stop the run after writing started).
    pub fn abandon(self) -> Result<()> {
        fs_err::remove_dir_all(&self.partial)?;
        Ok(())
    }
}
