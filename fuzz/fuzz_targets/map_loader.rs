//! `xborder validate` / `xborder check` on arbitrary text, read both as a YAML map and as a
//! JSON map (`MAP.json`): load and validate it against the built-in rulebook, render every
//! diagnostic, and judge a valid map as of a date. The map is loaded three more times: with
//! everything the parser's thread reads while the checking thread is behind read there for
//! every flow item, and with the items read from their nodes (rather than from the text, as
//! a JSON map's are where they allow it) on either thread: each must give the same map and
//! the same diagnostics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use xborder_model::{FlowReading, Syntax};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for syntax in [Syntax::Yaml, Syntax::Json] {
        let (map, diagnostics) = xborder_model::load_as(syntax, &text, xborder_fuzz::vocabulary());
        xborder_fuzz::check_diagnostics(&text, &diagnostics, syntax);
        for reading in [
            FlowReading::Ahead,
            FlowReading::FromNodes,
            FlowReading::AheadFromNodes,
        ] {
            let (other, other_diagnostics) =
                xborder_model::load_reading(syntax, &text, xborder_fuzz::vocabulary(), reading);
            assert_eq!(
                other_diagnostics, diagnostics,
                "diagnostics differ when read {reading:?}"
            );
            assert_eq!(
                format!("{other:?}"),
                format!("{map:?}"),
                "the map differs when read {reading:?}"
            );
        }
        if let Some(map) = map {
            let rulebook = xborder_fuzz::rulebook();
            let options = xborder_engine::Options::default();
            let evaluation =
                xborder_engine::check(&map, rulebook, xborder_fuzz::as_of(data), &options);
            std::hint::black_box(evaluation);
        }
    }
});
