//! `xborder check MAP --as-of DATE [--base OLD] [--format …]`: judges the map and sets the
//! exit code; the result is written by the module of its format (`output::format`).

use xborder_engine::{Baseline, Finding};

use crate::cli::{CheckArgs, FailOn, Global};
use crate::exit;
use crate::input::{self, Failure};
use crate::output;

pub fn run(global: &Global, args: &CheckArgs) -> Result<u8, Failure> {
    let unusable = |failure| output::unusable::report(failure, args.format);
    let rulebook = input::rulebook(global).map_err(&unusable)?;
    let (mut loaded, map) = input::valid_map(&args.map, &rulebook).map_err(unusable)?;
    let base = args
        .base
        .as_deref()
        .map(|spec| input::base_map(spec, &rulebook))
        .transpose()
        .map_err(unusable)?;
    let acceptances = args
        .accept
        .as_deref()
        .map(|path| input::acceptances(path, &map, &rulebook))
        .transpose()
        .map_err(unusable)?;
    let as_of = args.as_of.unwrap_or_else(super::today);
    super::warn_outside_period(&mut loaded, &map, as_of);
    let format = output::format(args.format);
    if !format.quotes_map() {
        // Only a format that quotes the map's lines needs its text (as large as the map
        // file) kept while the map is judged.
        loaded.text = String::new();
    }
    let options = super::what_if_options(&args.assume_invalid, &rulebook)?;
    let mut eval = xborder_engine::check(&map, &rulebook, as_of, &options);
    if let Some(days) = args.horizon {
        let expiring = xborder_engine::expiring(
            &map,
            &rulebook,
            as_of,
            as_of + chrono::Duration::days(days),
            &options,
        );
        xborder_engine::add_horizon_findings(&mut eval, &expiring, &rulebook);
    }
    if let Some(file) = &acceptances {
        xborder_engine::accept(&mut eval, &map, &file.list, &file.path, &rulebook);
    }
    let comparison = base.as_ref().map(|(_, base_map)| {
        let mut base_eval = xborder_engine::check(base_map, &rulebook, as_of, &options);
        if let Some(days) = args.horizon {
            let expiring = xborder_engine::expiring(
                base_map,
                &rulebook,
                as_of,
                as_of + chrono::Duration::days(days),
                &options,
            );
            xborder_engine::add_horizon_findings(&mut base_eval, &expiring, &rulebook);
        }
        xborder_engine::compare(base_map, &base_eval, &map, &eval)
    });
    // What if: the same map as the law stands, to show which hops the assumption changes.
    let what_if = args.what_if.then(|| {
        let actual =
            xborder_engine::check(&map, &rulebook, as_of, &xborder_engine::Options::default());
        xborder_review::what_if(&actual, &eval, &args.assume_invalid)
    });
    let states: Vec<(Baseline, &Finding)> = match &comparison {
        Some(c) => c.current.iter().map(|(b, f)| (*b, f)).collect(),
        None => eval.findings.iter().map(|f| (Baseline::New, f)).collect(),
    };
    let resolved: Vec<&Finding> = comparison
        .as_ref()
        .map(|c| c.resolved.iter().collect())
        .unwrap_or_default();
    let with_base = comparison.is_some();

    let result = output::CheckResult {
        eval: &eval,
        loaded: &loaded,
        map: &map,
        rulebook: &rulebook,
        states: &states,
        resolved: &resolved,
        with_base,
        what_if: what_if.as_ref(),
        acceptances: acceptances.as_ref(),
        min_severity: args.min_severity,
    };
    format.result(&result)?;
    let failing =
        |b: Baseline, f: &Finding| f.fails() && (args.fail_on == FailOn::Any || b == Baseline::New);
    let fail = args.fail_on != FailOn::Never && states.iter().any(|(b, f)| failing(*b, f));
    drop(states);
    // The process ends after this: freeing a large map and its evaluation one allocation at
    // a time costs about a tenth of a big check, for memory the system takes back at exit.
    std::mem::forget(eval);
    std::mem::forget(map);
    std::mem::forget(loaded);
    Ok(if fail { exit::FINDINGS } else { exit::OK })
}
