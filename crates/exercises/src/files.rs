//! A pack as one thing to hand out: its TOML and the data files it names, by path. The same
//! shape comes from a pack file alone (events inline), from a zip of the pack and its data, or
//! from a share link (its JSON), so every way in loads the same way.

use crate::load::{load, LoadedPack, PackError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Archives whose files add up to more than this are refused (a zip is someone else's file).
pub const MAX_UNPACKED: u64 = 64 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackFiles {
    /// The pack's TOML: a key of `files`.
    pub pack: String,
    /// Every file by its path, `/`-separated; data files are named relative to the pack's folder.
    pub files: BTreeMap<String, String>,
}

impl PackFiles {
    /// A pack file alone: its datasets must be inline.
    pub fn single(name: &str, text: &str) -> PackFiles {
        PackFiles { pack: name.to_string(), files: BTreeMap::from([(name.to_string(), text.to_string())]) }
    }

    /// The pack's TOML text.
    pub fn pack_text(&self) -> &str {
        self.files.get(&self.pack).map_or("", String::as_str)
    }

    /// Reads the pack; problems name `label/` + the file (the zip's or link's name).
    pub fn load(&self, label: &str) -> Result<LoadedPack, Vec<PackError>> {
        let folder = self.pack.rsplit_once('/').map_or("", |(dir, _)| dir);
        let read = |name: &str| {
            let path = resolve(folder, name).ok_or_else(|| format!("`{name}` leaves the pack's folder"))?;
            match self.files.get(&path) {
                Some(text) => Ok(text.clone()),
                None if self.files.len() == 1 => Err("a pack file alone carries its events inline (`events = '''…'''`)".to_string()),
                None => Err(format!("{path} is not beside the pack")),
            }
        };
        let shown = match label {
            "" => self.pack.clone(),
            label if label == self.pack => label.to_string(),
            label => format!("{label}/{}", self.pack),
        };
        load(self.pack_text(), &shown, &read)
    }

    /// The files of a zip archive holding one pack TOML (folders and other files may sit
    /// beside it; files that are not UTF-8 text are left out).
    #[cfg(feature = "zip")]
    pub fn from_zip(bytes: &[u8]) -> Result<PackFiles, String> {
        let files = archive::text_files(bytes, MAX_UNPACKED)?;
        let packs: Vec<&String> = files.keys().filter(|n| n.ends_with(".toml")).collect();
        match packs.as_slice() {
            [pack] => Ok(PackFiles { pack: (*pack).clone(), files }),
            [] => Err("the zip holds no .toml pack file".into()),
            many => Err(format!(
                "the zip holds several .toml files ({}); keep only the pack's",
                many.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
            )),
        }
    }
}

/// `name` (relative, `/` or `\` separated) inside `folder`; `None` when it climbs out.
fn resolve(folder: &str, name: &str) -> Option<String> {
    let mut parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
    if name.starts_with('/') {
        return None;
    }
    for part in name.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => return None,
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PACK: &str = r#"
[pack]
id = "p"
title = "P"
version = "1"

[[datasets]]
id = "main"
file = "data/main.ndjson"

[[exercises]]
id = "ex1"
title = "One"
dataset = "main"
task = "Find the process events."
reference_query = "process where true"
"#;

    fn two_files(folder: &str) -> PackFiles {
        PackFiles {
            pack: format!("{folder}course.toml"),
            files: BTreeMap::from([
                (format!("{folder}course.toml"), PACK.to_string()),
                (format!("{folder}data/main.ndjson"), "{\"event\":{\"category\":\"process\"}}\n".to_string()),
            ]),
        }
    }

    #[test]
    fn data_files_are_found_beside_the_pack_in_any_folder() {
        for folder in ["", "course/", "a/b/"] {
            let loaded = two_files(folder).load("pack.zip").expect("loads");
            assert_eq!(loaded.dataset("main").map(|d| d.all_names().len()), Some(1), "{folder}");
        }
    }

    #[test]
    fn a_missing_data_file_is_an_error_at_its_line() {
        let mut files = two_files("");
        files.files.remove("data/main.ndjson");
        files.files.insert("README.md".into(), "# P".into());
        let errors = files.load("pack.zip").expect_err("fails");
        assert_eq!(errors[0].file, "pack.zip/course.toml");
        assert_eq!(errors[0].line, 8);
        assert!(errors[0].message.contains("cannot read data/main.ndjson: data/main.ndjson is not beside the pack"), "{errors:?}");
        let alone = PackFiles::single("course.toml", PACK).load("").expect_err("fails");
        assert!(alone[0].message.contains("inline"), "{alone:?}");
    }

    #[test]
    fn names_never_climb_out_of_the_pack() {
        assert_eq!(resolve("a", "b/./c.ndjson").as_deref(), Some("a/b/c.ndjson"));
        assert_eq!(resolve("", "..\\x"), None);
        assert_eq!(resolve("a", "../x"), None);
        assert_eq!(resolve("a", "/etc/passwd"), None);
    }

    #[cfg(feature = "zip")]
    #[test]
    fn a_zip_opens_with_its_pack_found_and_junk_ignored() {
        let zip = zip_of(&[
            ("course/course.toml", PACK.as_bytes()),
            ("course/data/main.ndjson", b"{\"event\":{\"category\":\"process\"}}\n"),
            ("__MACOSX/course/._course.toml", b"\0\x05junk"),
            ("course/logo.png", b"\x89PNG\xff\xfe"),
        ]);
        let files = PackFiles::from_zip(&zip).expect("opens");
        assert_eq!(files.pack, "course/course.toml");
        assert!(!files.files.contains_key("course/logo.png"));
        assert!(files.load("course.zip").is_ok());
    }

    #[cfg(feature = "zip")]
    #[test]
    fn broken_and_ambiguous_zips_are_errors() {
        assert!(PackFiles::from_zip(b"PK\x03\x04 not really").is_err());
        assert!(PackFiles::from_zip(&zip_of(&[("a.ndjson", b"{}")])).is_err_and(|e| e.contains("no .toml")));
        let two = zip_of(&[("a.toml", b""), ("b.toml", b"")]);
        assert!(PackFiles::from_zip(&two).is_err_and(|e| e.contains("a.toml, b.toml")));
    }

    #[cfg(feature = "zip")]
    #[test]
    fn a_zip_bomb_is_refused() {
        let big = vec![b'a'; (MAX_UNPACKED + 1) as usize];
        let zip = zip_of(&[("a.toml", &big)]);
        assert!(zip.len() < 1024 * 1024, "deflated to {}", zip.len());
        assert!(PackFiles::from_zip(&zip).is_err_and(|e| e.contains("more than 64 MB")));
    }

    #[cfg(feature = "zip")]
    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        archive::zip_of(entries)
    }
}
