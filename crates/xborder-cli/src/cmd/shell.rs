//! `xborder completions SHELL` and `xborder man [--out DIR]`: generated from the clap
//! definitions, so they never drift from the real command line.

use clap::CommandFactory;

use crate::cli::Cli;
use crate::cli_interop::{CompletionsArgs, ManArgs};
use crate::exit;
use crate::input::Failure;
use crate::write;

pub fn completions(args: &CompletionsArgs) -> Result<u8, Failure> {
    let mut command = Cli::command();
    // Generated into memory first: the generator panics on a write error (a closed pipe).
    let mut bytes = Vec::new();
    clap_complete::generate(args.shell, &mut command, "xborder", &mut bytes);
    crate::stdout::with(|out| out.write_all(&bytes))?;
    Ok(exit::OK)
}

fn render(command: clap::Command) -> Result<Vec<u8>, Failure> {
    let mut bytes = Vec::new();
    clap_mangen::Man::new(command)
        .render(&mut bytes)
        .map_err(|e| Failure::new(format!("error: cannot render the man page: {e}")))?;
    Ok(bytes)
}

/// Every page: `xborder.1`, then one per subcommand, nested ones joined with `-`.
fn pages(command: &clap::Command, prefix: &str, out: &mut Vec<(String, clap::Command)>) {
    for sub in command.get_subcommands() {
        if sub.get_name() == "help" {
            continue;
        }
        let name = format!("{prefix}-{}", sub.get_name());
        let page = sub
            .clone()
            .name(name.clone())
            .bin_name(name.replace('-', " "));
        pages(sub, &name, out);
        out.push((name, page));
    }
}

pub fn man(args: &ManArgs) -> Result<u8, Failure> {
    let mut command = Cli::command();
    command.build();
    let Some(dir) = &args.out else {
        let bytes = render(command)?;
        crate::stdout::with(|out| out.write_all(&bytes))?;
        return Ok(exit::OK);
    };
    std::fs::create_dir_all(dir).map_err(|e| {
        Failure::new(format!(
            "error: cannot create {}: {e}\n  hint: --out takes a directory",
            dir.display()
        ))
    })?;
    let mut all = vec![("xborder".to_string(), command.clone())];
    pages(&command, "xborder", &mut all);
    all.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, page) in all {
        let bytes = render(page)?;
        write::write_atomic(&dir.join(format!("{name}.1")), &bytes, false, true)?;
    }
    Ok(exit::OK)
}
