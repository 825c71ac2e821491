//! A small fixed-width bitset over data categories.

/// A set of category indices. All sets of one evaluation have the same width.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Bits(Vec<u64>);

impl Bits {
    pub fn empty(width: usize) -> Self {
        Bits(vec![0; width.div_ceil(64)])
    }

    pub fn full(width: usize) -> Self {
        let mut bits = Bits::empty(width);
        for i in 0..width {
            bits.insert(i);
        }
        bits
    }

    pub fn insert(&mut self, i: usize) {
        if let Some(word) = self.0.get_mut(i / 64) {
            *word |= 1 << (i % 64);
        }
    }

    pub fn contains(&self, i: usize) -> bool {
        self.0.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|w| *w == 0)
    }

    /// `self ∩ other`.
    pub fn and(&self, other: &Bits) -> Bits {
        Bits(self.0.iter().zip(&other.0).map(|(a, b)| a & b).collect())
    }

    /// Adds `other` into `self`; returns whether anything new was added.
    pub fn union_with(&mut self, other: &Bits) -> bool {
        let mut grew = false;
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            let merged = *a | b;
            grew |= merged != *a;
            *a = merged;
        }
        grew
    }

    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.iter().enumerate().flat_map(|(w, word)| {
            (0..64)
                .filter(move |b| word & (1 << b) != 0)
                .map(move |b| w * 64 + b)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn union_reports_growth_once() {
        let mut a = Bits::empty(70);
        let mut b = Bits::empty(70);
        b.insert(65);
        assert!(a.union_with(&b));
        assert!(!a.union_with(&b));
        assert_eq!(a.iter().collect::<Vec<_>>(), vec![65]);
        assert!(Bits::full(70).contains(69));
        assert!(!Bits::full(70).contains(70));
    }
}
