//! A published value as the history keeps it: what identifies it (indicator, territory,
//! period), the value with its numerator, denominator and unit, and the release that gave it.

use std::sync::Arc;

/// What identifies a published value: territory, indicator and period.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Key {
    pub(crate) indicator: Arc<str>,
    pub(crate) territory: Arc<str>,
    pub(crate) period: Arc<str>,
}

/// A published value, rounded as published.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Value {
    pub(crate) value: f64,
    pub(crate) numerator: Option<f64>,
    pub(crate) denominator: Option<f64>,
    pub(crate) unit: Arc<str>,
}

/// A value as one release published it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Version {
    pub(crate) value: Value,
    pub(crate) release: Arc<str>,
}

/// The value of `key` in a map read in key order, skipping the entries before it: walking two
/// maps side by side in their order costs one step per entry, where looking every key up in
/// the other map costs a descent of its tree (millions of keys at scale, each compared as text).
pub(crate) fn seek<'m, K: Ord, V>(
    entries: &mut std::iter::Peekable<std::collections::btree_map::Iter<'m, K, V>>,
    key: &K,
) -> Option<&'m V> {
    while entries.next_if(|(at, _)| *at < key).is_some() {}
    entries
        .next_if(|(at, _)| *at == key)
        .map(|(_, value)| value)
}
