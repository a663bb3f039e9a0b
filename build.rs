//! Rebuilds the binary when anything under `seeds/`, `src/http/assets/vendor/` or the
//! explorer's page `src/http/assets/explore/` changes, including files added or removed: the
//! dataset and the browser assets are embedded with `include_dir!`, which on stable Rust only
//! tracks the files that existed at the last build.

fn main() {
    println!("cargo:rerun-if-changed=seeds");
    println!("cargo:rerun-if-changed=src/http/assets/vendor");
    println!("cargo:rerun-if-changed=src/http/assets/explore");
}
