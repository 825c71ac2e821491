//! `xborder vendor review` on arbitrary intake text against the January 2021 Coursera map:
//! load and validate the intake, render every diagnostic, and review a valid intake (merge
//! the vendor into the map and judge the map with and without it).
#![no_main]

use libfuzzer_sys::fuzz_target;
use xborder_model::Syntax;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let map = xborder_fuzz::coursera_map();
    let (intake, diagnostics) = xborder_model::load_intake(&text, xborder_fuzz::vocabulary(), map);
    xborder_fuzz::check_diagnostics(&text, &diagnostics, Syntax::Yaml);
    if let Some(intake) = intake {
        let review = xborder_review::review(
            map,
            &intake,
            xborder_fuzz::rulebook(),
            xborder_fuzz::as_of(data),
            &xborder_engine::Options::default(),
        );
        std::hint::black_box(review);
    }
});
