//! A small fixed-width bitset over data categories.

/// A set of category indices. All sets of one evaluation have the same width.
///
/// The first 64 categories live in the set itself and only the rest on the heap: a map names
/// a few dozen categories, and there is one set per flow, so most maps never allocate one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Bits {
    first: u64,
    rest: Box<[u64]>,
}

impl Bits {
    pub fn empty(width: usize) -> Self {
        Bits {
            first: 0,
            rest: vec![0; width.div_ceil(64).saturating_sub(1)].into_boxed_slice(),
        }
    }

    pub fn full(width: usize) -> Self {
        let mut bits = Bits::empty(width);
        for i in 0..width {
            bits.insert(i);
        }
        bits
    }

    fn word(&self, w: usize) -> Option<&u64> {
        match w {
            0 => Some(&self.first),
            _ => self.rest.get(w - 1),
        }
    }

    fn words(&self) -> impl Iterator<Item = &u64> {
        std::iter::once(&self.first).chain(self.rest.iter())
    }

    pub fn insert(&mut self, i: usize) {
        let word = match i / 64 {
            0 => Some(&mut self.first),
            w => self.rest.get_mut(w - 1),
        };
        if let Some(word) = word {
            *word |= 1 << (i % 64);
        }
    }

    pub fn contains(&self, i: usize) -> bool {
        self.word(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    pub fn is_empty(&self) -> bool {
        self.words().all(|w| *w == 0)
    }

    /// `self ∩ other`.
    pub fn and(&self, other: &Bits) -> Bits {
        Bits {
            first: self.first & other.first,
            rest: self
                .rest
                .iter()
                .zip(other.rest.iter())
                .map(|(a, b)| a & b)
                .collect(),
        }
    }

    /// Adds `other` into `self`; returns whether anything new was added.
    pub fn union_with(&mut self, other: &Bits) -> bool {
        let mut grew = false;
        let mine = std::iter::once(&mut self.first).chain(self.rest.iter_mut());
        for (a, b) in mine.zip(other.words()) {
            let merged = *a | b;
            grew |= merged != *a;
            *a = merged;
        }
        grew
    }

    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.words().enumerate().flat_map(|(w, &word)| {
            // Each step takes the lowest set bit off the word.
            std::iter::successors((word != 0).then_some(word), |rest| {
                let next = rest & (rest - 1);
                (next != 0).then_some(next)
            })
            .map(move |rest| w * 64 + rest.trailing_zeros() as usize)
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
        assert_eq!(Bits::full(70).iter().count(), 70);
        assert_eq!(a.and(&Bits::full(70)).iter().collect::<Vec<_>>(), vec![65]);
    }
}
