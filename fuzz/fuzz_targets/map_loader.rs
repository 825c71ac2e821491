//! `xborder validate` / `xborder check` on arbitrary text, read both as a YAML map and as a
//! JSON map (`MAP.json`): load and validate it against the built-in rulebook, render every
//! diagnostic, and judge a valid map as of a date.
#![no_main]

use libfuzzer_sys::fuzz_target;
use xborder_model::Syntax;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for syntax in [Syntax::Yaml, Syntax::Json] {
        let (map, diagnostics) = xborder_model::load_as(syntax, &text, xborder_fuzz::vocabulary());
        xborder_fuzz::check_diagnostics(&text, &diagnostics, syntax);
        if let Some(map) = map {
            let rulebook = xborder_fuzz::rulebook();
            let options = xborder_engine::Options::default();
            let evaluation =
                xborder_engine::check(&map, rulebook, xborder_fuzz::as_of(data), &options);
            std::hint::black_box(evaluation);
        }
    }
});
