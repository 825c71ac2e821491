//! Lanes: where, across a corridor (or a channel), each straight run of an
//! edge along it goes.
//!
//! A run goes from `lo` to `hi` along the corridor and turns at each end
//! toward one side of it (to a node's port, or into a channel). Two runs
//! that overlap along the corridor need lanes of their own, a visible
//! distance apart, or they would be drawn as one line; two that do not
//! overlap may share a lane. Runs are taken in order of where they start and
//! each takes a free lane (interval colouring, which needs exactly as many
//! lanes as runs overlap at the busiest point), the one where its turns
//! cross the fewest runs already placed: a hub's edges fan out as a
//! staircase instead of a braid. Two turns at nearly the same height toward
//! each other from interleaved lanes would be drawn as one line; a run takes
//! a new lane at either side rather than that.

/// Which side of a corridor a run's end turns toward: the low one (left, or
/// up for a channel) or the high one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Toward {
    Low,
    High,
}

/// One straight run of an edge inside a corridor or a channel.
#[derive(Debug, Clone, Copy)]
pub(super) struct Run {
    pub(super) lo: f32,
    pub(super) hi: f32,
    /// Where the run turns at `lo`.
    pub(super) at_lo: Toward,
    /// Where the run turns at `hi`.
    pub(super) at_hi: Toward,
}

impl Run {
    /// A run between `a` and `b` (in either order), turning toward `at_a`
    /// at `a` and `at_b` at `b`.
    pub(super) fn between(a: f32, at_a: Toward, b: f32, at_b: Toward) -> Run {
        if a <= b {
            Run {
                lo: a,
                hi: b,
                at_lo: at_a,
                at_hi: at_b,
            }
        } else {
            Run {
                lo: b,
                hi: a,
                at_lo: at_b,
                at_hi: at_a,
            }
        }
    }

    /// Whether two runs come closer than `gap` along the corridor.
    fn meets(&self, o: &Run, gap: f32) -> bool {
        self.lo < o.hi + gap && o.lo < self.hi + gap
    }

    fn turns(&self) -> [(f32, Toward); 2] {
        [(self.lo, self.at_lo), (self.hi, self.at_hi)]
    }

    /// Whether this run's turn at `y` toward `dir`, from lane `mine`, crosses
    /// the run `o` in lane `theirs`.
    fn turn_crosses(y: f32, dir: Toward, mine: i64, o: &Run, theirs: i64) -> bool {
        let beyond = match dir {
            Toward::Low => theirs < mine,
            Toward::High => theirs > mine,
        };
        beyond && o.lo < y && y < o.hi
    }

    /// Crossings between this run in lane `mine` and `o` in lane `theirs`.
    fn crossings(&self, mine: i64, o: &Run, theirs: i64) -> usize {
        let mut n = 0;
        for (y, dir) in self.turns() {
            n += usize::from(Run::turn_crosses(y, dir, mine, o, theirs));
        }
        for (y, dir) in o.turns() {
            n += usize::from(Run::turn_crosses(y, dir, theirs, self, mine));
        }
        n
    }

    /// Turns of the two runs closer than `gap` across the corridor that
    /// would lie on top of each other: two edges drawn as one line.
    fn collinear(&self, mine: i64, o: &Run, theirs: i64, gap: f32) -> usize {
        let mut n = 0;
        for (y, dir) in self.turns() {
            for (z, other) in o.turns() {
                let overlap = match (dir, other) {
                    (Toward::High, Toward::Low) => mine < theirs,
                    (Toward::Low, Toward::High) => theirs < mine,
                    _ => true,
                };
                n += usize::from(overlap && (y - z).abs() < gap);
            }
        }
        n
    }
}

/// What a lane choice costs: a turn on top of another edge's is worst, a
/// new lane (more width) next, a crossing least.
const COLLINEAR_COST: usize = 100_000;
const NEW_LANE_COST: usize = 40;

/// The lane of every run (0 is the low side) and the number of lanes. Runs
/// closer than `gap` along the corridor never share a lane, and a run's
/// turns do not lie on another's closer than `across` to it where a new lane
/// at either side can prevent it.
pub(super) fn assign(runs: &[Run], gap: f32, across: f32) -> (Vec<usize>, usize) {
    let mut order: Vec<usize> = (0..runs.len()).collect();
    order.sort_by(|&a, &b| {
        runs[a]
            .lo
            .total_cmp(&runs[b].lo)
            .then(runs[a].hi.total_cmp(&runs[b].hi))
            .then(a.cmp(&b))
    });
    // Lanes are numbered from the low side; a new lane may go below 0, and
    // the numbers are shifted back to start at 0 at the end.
    let (mut low, mut high) = (0i64, depth(runs, &order, gap) as i64 - 1);
    let mut lane = vec![0i64; runs.len()];
    let mut placed: Vec<usize> = Vec::with_capacity(runs.len());
    for &i in &order {
        let run = &runs[i];
        let free = |l: i64| {
            placed
                .iter()
                .all(|&j| lane[j] != l || !run.meets(&runs[j], gap))
        };
        let cost = |l: i64| -> usize {
            let new = if l < low || l > high {
                NEW_LANE_COST
            } else {
                0
            };
            new + placed
                .iter()
                .map(|&j| {
                    run.crossings(l, &runs[j], lane[j])
                        + COLLINEAR_COST * run.collinear(l, &runs[j], lane[j], across)
                })
                .sum::<usize>()
        };
        // The cheapest free lane, the lowest on a tie.
        let best = (low - 1..=high + 1)
            .filter(|&l| free(l))
            .min_by_key(|&l| (cost(l), l))
            .unwrap_or(high + 1);
        low = low.min(best);
        high = high.max(best);
        lane[i] = best;
        placed.push(i);
    }
    let lanes = (high - low + 1).max(0) as usize;
    (
        lane.into_iter().map(|l| (l - low) as usize).collect(),
        lanes,
    )
}

/// How many runs overlap at the busiest point: the lanes needed.
fn depth(runs: &[Run], order: &[usize], gap: f32) -> usize {
    // Sweep the runs by start, keeping the ends of those still open.
    let mut open: Vec<f32> = Vec::new();
    let mut most = 0;
    for &i in order {
        let run = &runs[i];
        open.retain(|&end| end + gap > run.lo);
        open.push(run.hi);
        most = most.max(open.len());
    }
    most
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(lo: f32, hi: f32) -> Run {
        Run::between(lo, Toward::Low, hi, Toward::High)
    }

    #[test]
    fn runs_apart_share_a_lane_and_overlapping_runs_do_not() {
        let runs = [run(0.0, 10.0), run(20.0, 30.0), run(5.0, 25.0)];
        let (lane, lanes) = assign(&runs, 1.0, 1.0);
        assert_eq!(lanes, 2);
        assert_eq!(lane[0], lane[1], "no overlap: one lane");
        assert_ne!(lane[0], lane[2]);
        assert_ne!(lane[1], lane[2]);
    }

    #[test]
    fn a_fan_out_is_a_staircase_without_crossings() {
        // A hub on the high side sends down to targets on the low side, the
        // highest port to the nearest target.
        let runs: Vec<Run> = (0..6)
            .map(|i| {
                let port = i as f32 * 4.0;
                let target = 40.0 + i as f32 * 20.0;
                Run::between(port, Toward::High, target, Toward::Low)
            })
            .collect();
        let (lane, lanes) = assign(&runs, 1.0, 1.0);
        assert_eq!(lanes, 6);
        let crossings: usize = (0..runs.len())
            .flat_map(|a| (0..a).map(move |b| (a, b)))
            .map(|(a, b)| runs[a].crossings(lane[a] as i64, &runs[b], lane[b] as i64))
            .sum();
        assert_eq!(crossings, 0, "lanes {lane:?}");
    }
}
