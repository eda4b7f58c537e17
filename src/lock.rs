//! One run at a time per output folder: an exclusive lock on a file beside the releases. The
//! operating system releases it when the process ends, however it ends, so a lock left by a
//! killed run never blocks the next one.

use std::fs::{File, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use crate::clock::RunTime;
use crate::error::{Error, Result};

pub(crate) const LOCK_FILE: &str = ".lock";

/// Held for as long as the run lasts.
#[derive(Debug)]
pub(crate) struct Lock {
    _file: File,
}

/// Takes the lock of an output folder, or says who holds it. Never waits.
pub(crate) fn acquire(root: &Path) -> Result<Lock> {
    fs_err::create_dir_all(root)?;
    let path: PathBuf = root.join(LOCK_FILE);
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| {
            Error::Io(std::io::Error::new(
                e.kind(),
                crate::msg!(
                    "lock_opening",
                    file = path.display(),
                    detail = e.to_string()
                )
                .to_string(),
            ))
        })?;
    match file.try_lock() {
        Ok(()) => {
            file.set_len(0)?;
            file.rewind()?;
            writeln!(
                file,
                "pid {} since {}",
                std::process::id(),
                RunTime::now().iso()
            )?;
            file.flush()?;
            Ok(Lock { _file: file })
        }
        Err(TryLockError::WouldBlock) => {
            let mut holder = String::new();
            let _ = file.read_to_string(&mut holder);
            Err(Error::Locked {
                folder: root.to_path_buf(),
                holder: holder.trim().to_owned(),
            })
        }
        Err(TryLockError::Error(error)) => Err(Error::Io(std::io::Error::new(
            error.kind(),
            crate::msg!(
                "lock_locking",
                file = path.display(),
                detail = error.to_string()
            )
            .to_string(),
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_is_refused_and_released_with_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let first = acquire(dir.path()).unwrap();
        match acquire(dir.path()) {
            Err(Error::Locked { holder, .. }) => assert!(holder.starts_with("pid "), "{holder}"),
            other => panic!("expected the lock to be held: {other:?}"),
        }
        drop(first);
        acquire(dir.path()).unwrap();
    }
}
