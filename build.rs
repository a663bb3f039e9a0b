//! Rebuilds the binary when anything under `seeds/` or the explorer's page changes, including files added or
//! removed: the dataset is embedded with `include_dir!`, which on stable Rust only tracks the
//! files that existed at the last build.

fn main() {
    println!("cargo:rerun-if-changed=seeds");
    println!("cargo:rerun-if-changed=src/http/assets/explore");
}
