//! Rebuilds the binary when anything under `seeds/` or `src/http/assets/vendor/` changes,
//! including files added or removed: the dataset and the browser assets are embedded with
//! `include_dir!`, which on stable Rust only tracks the files that existed at the last build.

fn main() {
    println!("cargo:rerun-if-changed=seeds");
    println!("cargo:rerun-if-changed=src/http/assets/vendor");
}
