//! `xborder view`: the whole data map as one self-contained HTML page — the graph of
//! entities and flows grouped by country, search and filters, the selected hop with its
//! findings and witness path, and a time slider over every date on which a verdict changes.
//!
//! Pure like the engine: a map, a rulebook and a date in, the page's bytes out — no clock,
//! no files, no randomness, so the same inputs give the same bytes. The page needs no
//! server and no network: its style and script are inlined (`assets/`) and its
//! Content-Security-Policy allows nothing else; every verdict it shows was computed here by
//! the engine, for every date of the slider (`history.rs`).

mod history;
mod layout;
mod page;
mod strings;

use std::collections::BTreeSet;

use chrono::NaiveDate;
use xborder_law::Rulebook;
use xborder_model::Map;

pub use history::LOOK_AHEAD_DAYS;

/// What the page is made from.
#[derive(Debug)]
pub struct ViewInput<'a> {
    pub map: &'a Map,
    /// The map's path as given on the command line (shown with every location).
    pub map_path: &'a str,
    /// SHA-256 of the map file's bytes, hex.
    pub map_sha256: &'a str,
    pub rulebook: &'a Rulebook,
    /// The date the slider starts on.
    pub as_of: NaiveDate,
    /// An earlier version of the map: findings are marked new or unchanged against it.
    pub base: Option<&'a Map>,
    pub base_path: Option<&'a str>,
    /// Filled in by [`render`] from `base`: the flows of `map` that the base has too.
    in_base: Option<BTreeSet<usize>>,
}

impl<'a> ViewInput<'a> {
    pub fn new(
        map: &'a Map,
        map_path: &'a str,
        map_sha256: &'a str,
        rulebook: &'a Rulebook,
        as_of: NaiveDate,
    ) -> Self {
        ViewInput {
            map,
            map_path,
            map_sha256,
            rulebook,
            as_of,
            base: None,
            base_path: None,
            in_base: None,
        }
    }

    /// Compares with `base` (its path as given, for the page to name it).
    pub fn with_base(mut self, base: &'a Map, path: &'a str) -> Self {
        self.base = Some(base);
        self.base_path = Some(path);
        self
    }
}

/// A rendered page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The HTML, UTF-8.
    pub html: String,
    /// The dates of the slider.
    pub dates: Vec<NaiveDate>,
    /// Hops over all dates (a hop is a flow, regime and destination).
    pub hops: usize,
}

/// The page for `input`.
pub fn render(input: &ViewInput<'_>) -> Page {
    let mut strings = strings::Strings::default();
    let history = history::build(
        input.map,
        input.rulebook,
        input.as_of,
        input.base,
        &mut strings,
    );
    let layout = layout::layout(input.map);
    let in_base = input.base.map(|base| {
        let identities: BTreeSet<String> = (0..base.flows.len())
            .map(|f| xborder_engine::flow_identity(base, f))
            .collect();
        (0..input.map.flows.len())
            .filter(|&f| identities.contains(&xborder_engine::flow_identity(input.map, f)))
            .collect()
    });
    let input = ViewInput { in_base, ..*input };
    Page {
        html: page::page(&input, &history, &layout, strings),
        dates: history.stops.clone(),
        hops: history.hops.len(),
    }
}
