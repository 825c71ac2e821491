//! `--rules DIR` with one arbitrary file: the first input byte picks its name (one of the
//! built-in files, which it replaces, or a new name, which extends the rulebook), the rest is
//! its text. A rulebook that loads is then queried as `xborder rules` does and a small map is
//! validated and judged against it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use xborder_law::Rulebook;
use xborder_model::Syntax;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let base = xborder_fuzz::rulebook();
    let names = base.sources();
    let name = match names.get(usize::from(selector) % (names.len() + 1)) {
        Some((name, _)) => name.clone(),
        None => "extra.yaml".to_owned(),
    };
    let text = String::from_utf8_lossy(rest).into_owned();
    let rulebook = match Rulebook::with_overrides(base, vec![(name, text)]) {
        Ok(rulebook) => rulebook,
        Err(errors) => {
            for error in &errors {
                std::hint::black_box(error.to_string());
            }
            return;
        }
    };
    let as_of = xborder_fuzz::as_of(data);
    std::hint::black_box(rulebook.in_force(as_of, None));
    let vocabulary = xborder_engine::vocabulary(&rulebook);
    let (map, diagnostics) = xborder_model::load(xborder_fuzz::SMALL_MAP, &vocabulary);
    xborder_fuzz::check_diagnostics(xborder_fuzz::SMALL_MAP, &diagnostics, Syntax::Yaml);
    if let Some(map) = map {
        let options = xborder_engine::Options::default();
        std::hint::black_box(xborder_engine::check(&map, &rulebook, as_of, &options));
    }
});
