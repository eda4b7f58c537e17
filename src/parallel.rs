//! Work done side by side on threads: results in the order of the items, and a worker's panic
//! is its caller's.

/// Runs `work` on every item, side by side when `side_by_side` and there are several items,
/// else one after the other.
pub(crate) fn map<T: Sync, R: Send>(
    items: &[T],
    side_by_side: bool,
    work: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    if !side_by_side || items.len() < 2 {
        return items.iter().map(work).collect();
    }
    std::thread::scope(|scope| {
        let work = &work;
        let workers: Vec<_> = items
            .iter()
            .map(|item| scope.spawn(move || work(item)))
            .collect();
        workers.into_iter().map(join_scoped).collect()
    })
}

/// Waits for a thread started with `std::thread::spawn`.
pub(crate) fn join<R>(handle: std::thread::JoinHandle<R>) -> R {
    handle
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// Waits for a thread started in a `std::thread::scope`.
pub(crate) fn join_scoped<R>(handle: std::thread::ScopedJoinHandle<'_, R>) -> R {
    handle
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_the_order_of_the_items() {
        let items: Vec<u64> = (0..8).collect();
        for side_by_side in [false, true] {
            let squares = super::map(&items, side_by_side, |n| {
                std::thread::sleep(std::time::Duration::from_millis(8 - n));
                n * n
            });
            assert_eq!(squares, [0, 1, 4, 9, 16, 25, 36, 49]);
        }
    }
}
