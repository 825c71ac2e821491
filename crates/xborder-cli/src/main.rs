//! The `xborder` binary: everything happens in the library.

fn main() -> std::process::ExitCode {
    xborder_cli::main()
}
