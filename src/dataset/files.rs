//! Where the dataset's files come from: a folder on disk, or the copy built into the binary.
//!
//! The binary embeds the `seeds/` folder it was built with, so `nkhr` runs from any working
//! directory with no files beside it; `--seeds <folder>` reads another folder instead. Either
//! way the loader sees the same thing: every file, by its path relative to the folder root,
//! with `/` as separator.

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
};

use anyhow::Context;
use sha2::{Digest, Sha256};

static EMBEDDED: include_dir::Dir<'static> = include_dir::include_dir!("$CARGO_MANIFEST_DIR/seeds");

/// The files of one dataset, read into memory.
#[derive(Debug, Clone)]
pub struct DatasetFiles {
    origin: String,
    files: BTreeMap<String, Vec<u8>>,
}

impl DatasetFiles {
    /// The dataset the binary was built with.
    pub fn embedded() -> Self {
        let mut files = BTreeMap::new();
        collect_embedded(&EMBEDDED, &mut files);
        Self {
            origin: "the built-in dataset".to_owned(),
            files,
        }
    }

    /// Every file under `root`, read from disk.
    pub fn read_dir(root: &Path) -> anyhow::Result<Self> {
        let mut files = BTreeMap::new();
        collect_dir(root, root, &mut files)
            .with_context(|| format!("reading the dataset folder {}", root.display()))?;
        Ok(Self {
            origin: root.display().to_string(),
            files,
        })
    }

    /// Files given directly, by relative path: for tests and tools that build a dataset in memory.
    pub fn from_files<P: Into<String>, C: Into<Vec<u8>>>(
        origin: &str,
        files: impl IntoIterator<Item = (P, C)>,
    ) -> Self {
        let files = files
            .into_iter()
            .map(|(path, bytes)| (path.into(), bytes.into()))
            .collect();
        Self {
            origin: origin.to_owned(),
            files,
        }
    }

    /// Where the files were read from, for messages.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Every file, by relative path, in path order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files
            .iter()
            .map(|(path, bytes)| (path.as_str(), bytes.as_slice()))
    }

    /// One file's bytes, by relative path.
    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(Vec::as_slice)
    }

    /// A digest of every file's path and contents: the dataset's version.
    pub fn digest(&self) -> String {
        let mut hasher = Sha256::new();
        for (path, bytes) in &self.files {
            hasher.update((path.len() as u64).to_le_bytes());
            hasher.update(path.as_bytes());
            hasher.update((bytes.len() as u64).to_le_bytes());
            hasher.update(bytes);
        }
        hex::encode(hasher.finalize())
    }
}

fn collect_embedded(dir: &include_dir::Dir<'static>, files: &mut BTreeMap<String, Vec<u8>>) {
    for file in dir.files() {
        let path = file.path().to_string_lossy().replace('\\', "/");
        files.insert(path, file.contents().to_vec());
    }
    for child in dir.dirs() {
        collect_embedded(child, files);
    }
}

fn collect_dir(
    root: &Path,
    dir: &Path,
    files: &mut BTreeMap<String, Vec<u8>>,
) -> anyhow::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("listing {}", dir.display()))?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .with_context(|| format!("listing {}", dir.display()))?;
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect_dir(root, &path, files)?;
        } else {
            let relative = path.strip_prefix(root).unwrap_or(&path);
            let key = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            let bytes =
                std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
            files.insert(key, bytes);
        }
    }
    Ok(())
}
