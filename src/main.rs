fn main() -> std::process::ExitCode {
    obole::cli::main()
}
