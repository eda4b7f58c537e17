//! Millions of rows put in the order of their texts: each distinct text is ranked once, the
//! rows are sorted by numbers, then moved to their places. Comparing the texts behind their
//! pointers at every step of a sort misses the cache when the rows are millions.

use std::sync::Arc;

use rustc_hash::FxHashMap;

/// The rank of each text among the distinct texts given, in text order (equal texts share a
/// rank, whether or not they are one shared copy).
pub(crate) fn ranks<'a>(texts: impl Iterator<Item = &'a Arc<str>>) -> Vec<u32> {
    let mut slot_of: FxHashMap<*const u8, u32> = FxHashMap::default();
    let mut distinct: Vec<&str> = Vec::new();
    // Rows come in runs of one shared text: the last one is looked at first.
    let mut last: Option<(*const u8, u32)> = None;
    let slots: Vec<u32> = texts
        .map(|text| {
            let pointer = text.as_ptr();
            if let Some((known, slot)) = last
                && known == pointer
            {
                return slot;
            }
            let slot = *slot_of.entry(pointer).or_insert_with(|| {
                distinct.push(text);
                distinct.len() as u32 - 1
            });
            last = Some((pointer, slot));
            slot
        })
        .collect();
    let mut order: Vec<u32> = (0..distinct.len() as u32).collect();
    order.sort_unstable_by(|a, b| distinct[*a as usize].cmp(distinct[*b as usize]));
    let mut rank_of = vec![0u32; distinct.len()];
    let mut rank = 0;
    for (at, slot) in order.iter().enumerate() {
        if at > 0 && distinct[order[at - 1] as usize] != distinct[*slot as usize] {
            rank += 1;
        }
        rank_of[*slot as usize] = rank;
    }
    slots
        .into_iter()
        .map(|slot| rank_of[slot as usize])
        .collect()
}

/// A text field of an item, for callers whose fields are closures.
pub(crate) type TextField<'f, T> = &'f (dyn Fn(&T) -> &Arc<str> + Sync);

/// The ranks of each field's texts among the items, the fields ranked side by side.
pub(crate) fn ranks_by_field<T: Sync, F>(items: &[T], fields: &[F]) -> Vec<Vec<u32>>
where
    F: Fn(&T) -> &Arc<str> + Sync,
{
    crate::parallel::map(fields, true, |field| ranks(items.iter().map(field)))
}

/// Sorts `items` by keys given as parts, most significant first: `parts[p][i]` is part `p` of
/// item `i`'s key (a rank, or any number whose order is the key's). Items with equal keys keep
/// their order.
pub(crate) fn sort_by_parts<T>(items: &mut [T], parts: &[Vec<u32>]) {
    let order = match packed_keys(items.len(), parts) {
        Some((keys, index_width)) => order_of_packed(keys, index_width),
        None => order_by_comparing(items.len(), parts),
    };
    place(items, &order);
}

/// Each item's key packed in one number with its index below it, when they fit: one number
/// compared is quicker than a row of them, and the index makes the order stable.
fn packed_keys(count: usize, parts: &[Vec<u32>]) -> Option<(Vec<u128>, u32)> {
    let bits = |largest: u64| u64::BITS - largest.leading_zeros();
    let widths: Vec<u32> = parts
        .iter()
        .map(|part| bits(part.iter().copied().max().unwrap_or(0).into()))
        .collect();
    let index_width = bits(count as u64);
    if widths.iter().sum::<u32>() + index_width > u128::BITS {
        return None;
    }
    let keys = (0..count)
        .map(|at| {
            let key = parts.iter().zip(&widths).fold(0u128, |key, (part, width)| {
                key << width | u128::from(part[at])
            });
            key << index_width | at as u128
        })
        .collect();
    Some((keys, index_width))
}

/// The indices of the items in the order of their packed keys, whose lowest `index_width` bits
/// are the index: the two halves are sorted side by side and merged.
fn order_of_packed(mut keys: Vec<u128>, index_width: u32) -> Vec<u32> {
    let mask = (1u128 << index_width) - 1;
    let index_of = |key: &u128| (key & mask) as u32;
    let middle = keys.len() / 2;
    let (left, right) = keys.split_at_mut(middle);
    std::thread::scope(|scope| {
        let sorting = scope.spawn(|| left.sort_unstable());
        right.sort_unstable();
        crate::parallel::join_scoped(sorting);
    });
    let (mut left, mut right) = (
        keys[..middle].iter().peekable(),
        keys[middle..].iter().peekable(),
    );
    let mut order = Vec::with_capacity(keys.len());
    loop {
        let next = match (left.peek(), right.peek()) {
            (Some(l), Some(r)) if l <= r => left.next(),
            (Some(_), Some(_)) => right.next(),
            (Some(_), None) => left.next(),
            (None, _) => right.next(),
        };
        match next {
            Some(key) => order.push(index_of(key)),
            None => return order,
        }
    }
}

/// The indices of the items sorted by comparing their keys part by part, for keys too wide to
/// pack.
fn order_by_comparing(count: usize, parts: &[Vec<u32>]) -> Vec<u32> {
    let mut order: Vec<u32> = (0..count as u32).collect();
    order.sort_by(|a, b| {
        let (a, b) = (*a as usize, *b as usize);
        parts
            .iter()
            .map(|part| part[a].cmp(&part[b]))
            .find(|ordering| ordering.is_ne())
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    order
}

/// Moves each item to its place, `order[at]` being the index of the item that goes at `at`,
/// by following the cycles of the order: no second copy of the items.
fn place<T>(items: &mut [T], order: &[u32]) {
    let mut placed = vec![false; items.len()];
    for start in 0..items.len() {
        let mut at = start;
        while !placed[at] {
            placed[at] = true;
            let from = order[at] as usize;
            if from == start {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_share_a_rank_and_equal_keys_keep_their_order() {
        let texts: Vec<Arc<str>> = ["b", "a", "b", "c", "a"]
            .iter()
            .map(|t| Arc::from(*t))
            .collect();
        assert_eq!(ranks(texts.iter()), [1, 0, 1, 2, 0]);
        let mut items = vec!['p', 'q', 'r', 's', 't'];
        sort_by_parts(&mut items, &[ranks(texts.iter())]);
        assert_eq!(items, ['q', 't', 'p', 'r', 's']);
    }

    /// Keys packed in one number and keys too wide for it, compared part by part, give the
    /// order of a stable sort by the parts.
    #[test]
    fn sorts_by_parts_as_a_stable_sort_would() {
        let mut state = 7u64;
        let mut next = |limit: u64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((state >> 33) % limit) as u32
        };
        for (count, limit, part_count) in
            [(1000, 5, 3), (1001, 40, 2), (999, u64::from(u32::MAX), 4)]
        {
            let parts: Vec<Vec<u32>> = (0..part_count)
                .map(|_| (0..count).map(|_| next(limit)).collect())
                .collect();
            let key = |at: usize| parts.iter().map(|part| part[at]).collect::<Vec<u32>>();
            let mut expected: Vec<usize> = (0..count).collect();
            expected.sort_by_key(|at| key(*at));
            let mut items: Vec<usize> = (0..count).collect();
            sort_by_parts(&mut items, &parts);
            assert_eq!(items, expected, "{count} items, parts below {limit}");
        }
        assert!(packed_keys(999, &vec![vec![u32::MAX; 999]; 4]).is_none());
    }
}
