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

/// Runs `jobs` on every core, as many at a time as there are cores, and adds what they make
/// to `into` in the jobs' order: the first job of each wave adds to `into` directly, each
/// other job to a part of its own (`fresh`), added with `join` as the wave ends. Work split
/// in more jobs than cores so holds only a wave's parts twice (the part and its copy in
/// `into`) where one job per core held half of everything twice; what `into` ends up
/// with does not depend on the number of cores.
pub fn in_waves<J: Send, T: Send>(
    into: &mut T,
    jobs: impl IntoIterator<Item = J>,
    run: impl Fn(J, &mut T) + Sync,
    fresh: impl Fn(&J) -> T + Sync,
    mut join: impl FnMut(&mut T, T),
) {
    let wave = cores();
    let (run, fresh) = (&run, &fresh);
    let mut jobs = jobs.into_iter().peekable();
    while jobs.peek().is_some() {
        let mut first = Some(&mut *into);
        let parts = in_parallel(jobs.by_ref().take(wave).map(|job| {
            let target = first.take();
            move || match target {
                Some(into) => {
                    run(job, into);
                    None
                }
                None => {
                    let mut part = fresh(&job);
                    run(job, &mut part);
                    Some(part)
                }
            }
        }));
        for part in parts.into_iter().flatten() {
            join(into, part);
        }
    }
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

    #[test]
    fn waves_add_every_part_in_the_order_of_the_jobs() {
        for jobs in [0u32, 1, 2, 3, 7, 16] {
            let mut all: Vec<u32> = Vec::new();
            in_waves(
                &mut all,
                0..jobs,
                |job, into: &mut Vec<u32>| into.extend(job * 10..job * 10 + 3),
                |_| Vec::new(),
                |into, part| into.extend(part),
            );
            let expected: Vec<u32> = (0..jobs).flat_map(|j| j * 10..j * 10 + 3).collect();
            assert_eq!(all, expected, "{jobs} jobs");
        }
    }
}
