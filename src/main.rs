//! The `datavalley` binary: everything happens in the library's `cli` module.

fn main() -> std::process::ExitCode {
    datavalley::cli::main()
}
