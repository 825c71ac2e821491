//! `xborder validate` / `xborder check` on arbitrary text, read both as a YAML map and as a
//! JSON map (`MAP.json`): load and validate it against the built-in rulebook, render every
//! diagnostic, and judge a valid map as of a date. The map is loaded a second time with its
//! flows read on the parser's thread (as a large map's are while the checking thread is
//! behind), which must give the same map and the same diagnostics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use xborder_model::Syntax;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for syntax in [Syntax::Yaml, Syntax::Json] {
        let (map, diagnostics) = xborder_model::load_as(syntax, &text, xborder_fuzz::vocabulary());
        xborder_fuzz::check_diagnostics(&text, &diagnostics, syntax);
        let (ahead, ahead_diagnostics) =
            xborder_model::load_as_reading_ahead(syntax, &text, xborder_fuzz::vocabulary());
        assert_eq!(
            ahead_diagnostics, diagnostics,
            "diagnostics differ when read ahead"
        );
        assert_eq!(
            format!("{ahead:?}"),
            format!("{map:?}"),
            "the map differs when read ahead"
        );
        if let Some(map) = map {
            let rulebook = xborder_fuzz::rulebook();
            let options = xborder_engine::Options::default();
            let evaluation =
                xborder_engine::check(&map, rulebook, xborder_fuzz::as_of(data), &options);
            std::hint::black_box(evaluation);
        }
    }
});
