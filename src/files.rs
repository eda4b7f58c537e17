//! Files written whole or not at all: written beside their place under a temporary name and
//! renamed over it, so that a reader (or a run killed half-way) never sees half a file. The
//! download cache, the kept source results and the release's state files use it.

use std::io::Write;
use std::path::{Path, PathBuf};

/// The temporary name a file is written under before it is renamed into place.
fn aside(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".tmp-{}", std::process::id()));
    path.with_file_name(name)
}

/// Writes `bytes` to `path` through a temporary file renamed into place.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = aside(path);
    fs_err::write(&tmp, bytes)?;
    fs_err::rename(&tmp, path)
}

/// Writes what `write` makes to `path` through a buffered temporary file renamed into place;
/// on failure the temporary file is removed and `path` is as it was.
pub(crate) fn write_atomic_with<T, E: From<std::io::Error>>(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<T, E>,
) -> Result<T, E> {
    let tmp = aside(path);
    let written = (|| {
        let mut writer = std::io::BufWriter::new(fs_err::File::create(&tmp)?);
        let made = write(&mut writer)?;
        writer.flush()?;
        Ok(made)
    })();
    match written {
        Ok(made) => {
            fs_err::rename(&tmp, path)?;
            Ok(made)
        }
        Err(error) => {
            let _ = fs_err::remove_file(&tmp);
            Err(error)
        }
    }
}

/// Removes a file, and is content when it is not there.
pub(crate) fn remove_if_present(path: &Path) -> std::io::Result<()> {
    match fs_err::remove_file(path) {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_whole_files_and_leaves_nothing_aside() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        write_atomic(&path, b"{}").unwrap();
        let failed: Result<(), std::io::Error> = write_atomic_with(&path, |writer| {
            writer.write_all(b"half")?;
            Err(std::io::Error::other("stopped"))
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read(&path).unwrap(), b"{}");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1);
        remove_if_present(&path).unwrap();
        remove_if_present(&path).unwrap();
    }
}
