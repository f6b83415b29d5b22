//! The benchmark helpers' command-line arguments: `--name value` pairs, read by hand because
//! these programs are tools for `jobs/bench/bench_*.sh`, not part of the product's CLI.

/// The value after `name` on the command line, or `default`.
pub fn arg(name: &str, default: &str) -> String {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
        .unwrap_or_else(|| default.to_owned())
}
