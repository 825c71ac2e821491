//! Where each group goes: a cell of the grid of group columns and bands.
//!
//! A figure of data flows is usually a star — one company receives from data
//! subjects everywhere and sends to vendors — and a grid filled in input
//! order puts the hub in a corner, its edges crossing the whole figure side
//! by side. Here the group with the most edges takes the middle cell and
//! every other group, the most connected to those already placed first,
//! takes the free cell closest to the groups it exchanges edges with. The
//! input order breaks every tie, so the result is deterministic.

/// A cell of the grid: the band (row of group columns, top down) and the
/// column in it (left to right).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Cell {
    pub(super) band: usize,
    pub(super) col: usize,
}

/// Crossing into another band costs this many columns: bands are tall, and
/// an edge between them runs the length of a column and through a channel.
const BAND_COST: usize = 2;

/// How far apart two cells are, for an edge between them.
fn distance(a: Cell, b: Cell) -> usize {
    a.col.abs_diff(b.col) + BAND_COST * a.band.abs_diff(b.band)
}

/// The cell of every group, for `n_groups` groups in columns of `n_cols`;
/// `links` are the groups at the two ends of every edge (edges inside one
/// group do not count).
pub(super) fn place_groups(n_groups: usize, n_cols: usize, links: &[(usize, usize)]) -> Vec<Cell> {
    let n_cols = n_cols.max(1);
    let n_bands = n_groups.div_ceil(n_cols).max(1);
    // Edges between every two groups.
    let mut weight = vec![vec![0usize; n_groups]; n_groups];
    for &(a, b) in links {
        if a != b && a < n_groups && b < n_groups {
            weight[a][b] += 1;
            weight[b][a] += 1;
        }
    }
    let total: Vec<usize> = weight.iter().map(|w| w.iter().sum()).collect();
    let mut cells: Vec<Option<Cell>> = vec![None; n_groups];
    let mut taken = vec![vec![false; n_cols]; n_bands];
    for _ in 0..n_groups {
        // The unplaced group most connected to the placed ones; then the
        // busiest; then the first.
        let Some(g) = (0..n_groups)
            .filter(|&g| cells[g].is_none())
            .max_by(|&a, &b| {
                let to_placed = |g: usize| -> usize {
                    (0..n_groups)
                        .filter(|&h| cells[h].is_some())
                        .map(|h| weight[g][h])
                        .sum()
                };
                to_placed(a)
                    .cmp(&to_placed(b))
                    .then(total[a].cmp(&total[b]))
                    .then(b.cmp(&a))
            })
        else {
            break;
        };
        let cell = if cells.iter().all(Option::is_none) {
            Cell {
                band: (n_bands - 1) / 2,
                col: (n_cols - 1) / 2,
            }
        } else {
            best_free_cell(g, &weight, &cells, &taken)
        };
        taken[cell.band][cell.col] = true;
        cells[g] = Some(cell);
    }
    cells
        .into_iter()
        .map(|c| c.unwrap_or(Cell { band: 0, col: 0 }))
        .collect()
}

/// The free cell where group `g`'s edges to the placed groups are shortest;
/// the first such cell in reading order.
fn best_free_cell(
    g: usize,
    weight: &[Vec<usize>],
    cells: &[Option<Cell>],
    taken: &[Vec<bool>],
) -> Cell {
    let mut best: Option<(usize, Cell)> = None;
    for (band, row) in taken.iter().enumerate() {
        for (col, used) in row.iter().enumerate() {
            if *used {
                continue;
            }
            let here = Cell { band, col };
            let cost: usize = cells
                .iter()
                .enumerate()
                .filter_map(|(h, c)| c.map(|c| weight[g][h] * distance(here, c)))
                .sum();
            if best.is_none_or(|(b, _)| cost < b) {
                best = Some((cost, here));
            }
        }
    }
    best.map_or(Cell { band: 0, col: 0 }, |(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hub_sits_in_the_middle_and_its_partners_beside_it() {
        // Group 3 exchanges edges with every other group, most with 0 and 5.
        let mut links = vec![(3, 0), (3, 0), (3, 0), (3, 5), (3, 5), (3, 5)];
        links.extend([(3, 1), (3, 2), (3, 4), (3, 6)]);
        let cells = place_groups(7, 3, &links);
        assert_eq!(cells[3], Cell { band: 1, col: 1 });
        for partner in [0, 5] {
            assert_eq!(
                distance(cells[partner], cells[3]),
                1,
                "group {partner} beside the hub: {cells:?}"
            );
        }
        let mut seen = cells.clone();
        seen.sort_by_key(|c| (c.band, c.col));
        seen.dedup();
        assert_eq!(seen.len(), 7, "every group has a cell of its own");
        assert!(cells.iter().all(|c| c.band < 3 && c.col < 3));
    }

    #[test]
    fn unlinked_groups_fill_the_grid_in_input_order() {
        let cells = place_groups(4, 4, &[]);
        assert_eq!(
            cells[0],
            Cell { band: 0, col: 1 },
            "the first in the middle"
        );
        assert_eq!(cells[1], Cell { band: 0, col: 0 });
        assert_eq!(cells[2], Cell { band: 0, col: 2 });
        assert_eq!(cells[3], Cell { band: 0, col: 3 });
    }
}
