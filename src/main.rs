//! The `datavalley` binary: everything happens in the library's `cli` module; the binary picks
//! the memory allocator.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    datavalley::cli::main()
}
