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

/// Sorts `items` by `keys` (one per item, in the items' order), keeping the order of items
/// with equal keys.
pub(crate) fn sort_by_keys<T, K: Ord>(items: &mut [T], keys: Vec<K>) {
    let mut keyed: Vec<(K, u32)> = keys.into_iter().zip(0..).collect();
    keyed.sort_unstable();
    // Each item is moved to its place by following the cycles of the order.
    let mut placed = vec![false; items.len()];
    for start in 0..items.len() {
        let mut at = start;
        while !placed[at] {
            placed[at] = true;
            let from = keyed[at].1 as usize;
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
        sort_by_keys(&mut items, ranks(texts.iter()));
        assert_eq!(items, ['q', 't', 'p', 'r', 's']);
    }
}
