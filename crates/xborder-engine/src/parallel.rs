//! Work on every core: judging the runs of a large map's flows and making their findings,
//! compressing the page streams of an audit.
//!
//! Each job's result comes back in the jobs' order, so what is built from the parts does not
//! depend on how many cores there are.

/// The cores this process may use (1 when the system cannot say).
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
}

/// Runs each job on its own thread (the first on this one) and returns their results in
/// the jobs' order. A job that panics panics here.
pub fn in_parallel<R: Send, J: FnOnce() -> R + Send>(jobs: impl IntoIterator<Item = J>) -> Vec<R> {
    let mut jobs = jobs.into_iter();
    let Some(first) = jobs.next() else {
        return Vec::new();
    };
    std::thread::scope(|scope| {
        let others: Vec<_> = jobs.map(|job| scope.spawn(job)).collect();
        let mut results = vec![first()];
        for handle in others {
            match handle.join() {
                Ok(result) => results.push(result),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        results
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_the_order_of_the_jobs() {
        let parts: Vec<Vec<u32>> = (0..5u32).map(|p| (p * 10..p * 10 + 10).collect()).collect();
        let sums = in_parallel(parts.iter().map(|part| move || part.iter().sum::<u32>()));
        assert_eq!(sums, vec![45, 145, 245, 345, 445]);
        assert!(in_parallel(std::iter::empty::<fn() -> u8>()).is_empty());
    }
}
