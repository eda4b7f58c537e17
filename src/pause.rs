//! Named points where a run stops and waits when `DATAVALLEY_PAUSE_AT` names them, so that the
//! crash tests can kill it at a known moment: in the middle of the Parquet files, of the pages,
//! just before the switch of `current`.

use std::time::Duration;

/// The environment variable that names the point to stop at.
pub(crate) const VARIABLE: &str = "DATAVALLEY_PAUSE_AT";

/// How long a paused run waits for its killer before it goes on.
const WAIT: Duration = Duration::from_secs(60);

/// Stops here for a while when the variable names `point`; announces it on stderr.
pub(crate) fn point(point: &str) {
    if std::env::var_os(VARIABLE).is_some_and(|value| value == point) {
        eprintln!("paused at {point}");
        std::thread::sleep(WAIT);
    }
}
