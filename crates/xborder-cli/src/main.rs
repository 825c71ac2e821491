//! The `xborder` binary: everything happens in the library.

/// mimalloc instead of the system allocator: judging a large map makes and frees millions of
/// small objects (hops, findings, their lists) from both cores, and glibc's allocator hands
/// freed memory back to the system only to fault it in again (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    xborder_cli::main()
}
