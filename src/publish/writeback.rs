//! A release's files written back to disk while the run is still writing more: the `syncfs`
//! before the switch then finds little left to flush, and the disk works while the cores
//! compute and render instead of after them.

use std::fs::File;
use std::path::Path;
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// How long the writer waits between two write-backs: the pages of a national release are
/// written in under a second, so a dozen write-backs keep the disk busy while they are.
const PAUSE: Duration = Duration::from_millis(50);

/// A thread that asks the file system of a release folder to write back what is dirty, over
/// and over until stopped. Its write-backs are only a head start: durability is the final
/// `syncfs`, whose error is the one reported, so a failed write-back here is ignored. (Asking
/// for each file's write-back as it is closed, `sync_file_range`, was tried: it puts the
/// kernel's work on the threads that render the pages, and the national run took longer.)
#[derive(Debug)]
pub(crate) struct Writeback {
    stopped: Arc<(Mutex<bool>, Condvar)>,
    thread: Option<JoinHandle<()>>,
}

impl Writeback {
    /// Starts writing back the file system of `dir`; without a way to open it (or off Linux)
    /// nothing is started and the final flush does it all.
    pub(crate) fn start(dir: &Path) -> Writeback {
        let stopped = Arc::new((Mutex::new(false), Condvar::new()));
        let thread = cfg!(target_os = "linux")
            .then(|| File::open(dir).ok())
            .flatten()
            .and_then(|folder| {
                let stopped = Arc::clone(&stopped);
                std::thread::Builder::new()
                    .name("writeback".into())
                    .spawn(move || write_back_until_stopped(&folder, &stopped))
                    .ok()
            });
        Writeback { stopped, thread }
    }

    /// Stops the write-backs and waits for the one under way.
    pub(crate) fn stop(mut self) {
        self.halt();
    }

    fn halt(&mut self) {
        let (flag, wake) = &*self.stopped;
        if let Ok(mut stopped) = flag.lock() {
            *stopped = true;
        }
        wake.notify_all();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Writeback {
    fn drop(&mut self) {
        self.halt();
    }
}

fn write_back_until_stopped(folder: &File, stopped: &(Mutex<bool>, Condvar)) {
    let (flag, wake) = stopped;
    loop {
        let _ = syncfs(folder);
        let Ok(guard) = flag.lock() else {
            return;
        };
        match wake.wait_timeout_while(guard, PAUSE, |stopped| !*stopped) {
            Ok((stopped, _)) if !*stopped => continue,
            _ => return,
        }
    }
}

/// Flushes the whole file system that holds the open `folder`.
#[cfg(target_os = "linux")]
pub(crate) fn syncfs(folder: &File) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    // SAFETY: the descriptor is open for the duration of the call; syncfs reads nothing else.
    match unsafe { libc::syncfs(folder.as_raw_fd()) } {
        0 => Ok(()),
        _ => Err(std::io::Error::last_os_error()),
    }
}

#[cfg(not(target_os = "linux"))]
pub(crate) fn syncfs(_folder: &File) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_back_beside_the_writing_until_stopped() {
        let dir = tempfile::tempdir().unwrap();
        let writeback = Writeback::start(dir.path());
        assert_eq!(writeback.thread.is_some(), cfg!(target_os = "linux"));
        let bytes: Vec<u8> = (0..=255).cycle().take(1 << 20).collect();
        for n in 0..20 {
            std::fs::write(dir.path().join(format!("{n}.bin")), &bytes).unwrap();
        }
        writeback.stop();
        for n in 0..20 {
            assert_eq!(
                std::fs::read(dir.path().join(format!("{n}.bin"))).unwrap(),
                bytes
            );
        }
    }

    #[test]
    fn a_folder_that_cannot_be_opened_starts_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let writeback = Writeback::start(&dir.path().join("missing"));
        assert!(writeback.thread.is_none());
    }
}
