//! A rule pack as users hand it over: a Kibana export (any number of rules in one NDJSON),
//! detection-rules TOML files, several files at once, a zip of them (feature `zip`) — whatever
//! the mix, one list of rules, each named by the file it came from, and the problems of what
//! could not be read, each naming its file (and line). `eqlplay scan` and the page's rule
//! reader both read packs through here.

#[cfg(feature = "read")]
use crate::load::{load_rules_partial, Format};
use crate::Rule;

/// A zip's files may add up to this much (the detection-rules repository's rules are ~15 MB).
pub const MAX_UNPACKED: u64 = 256 * 1024 * 1024;

#[derive(Debug, Default, Clone)]
pub struct Collection {
    /// (file, rule), in the order the files were given (a zip's entries by name).
    pub rules: Vec<(String, Rule)>,
    /// `file: problem` for each file or object that is not a readable rule.
    pub problems: Vec<String>,
    /// The exception items of the JSON files: a Kibana rule export carries the lists its rules
    /// name, and an exception list export can be given beside the rules.
    pub exceptions: Vec<crate::exceptions::ExceptionItem>,
}

/// Whether a file's name says it may hold rules (what a folder or a zip is searched for).
#[cfg(feature = "read")]
pub fn is_rule_file(name: &str) -> bool {
    name.rsplit_once('.').and_then(|(_, ext)| Format::from_extension(ext)).is_some()
}

impl Collection {
    /// Files as they travel to the rule reader: (name, bytes), postcard.
    pub fn files_to_bytes(files: &[(String, Vec<u8>)]) -> Vec<u8> {
        postcard::to_allocvec(files).unwrap_or_default()
    }

    /// The collection of [`files_to_bytes`](Collection::files_to_bytes)' files, taken in name
    /// order (as `eqlplay scan` walks a folder), so a pack's order does not depend on the order
    /// files were chosen or dropped in. Files from a folder (paths with `/`) are read only when
    /// their name says they may hold rules.
    #[cfg(feature = "read")]
    pub fn read_files_bytes(bytes: &[u8]) -> Collection {
        let mut collection = Collection::default();
        match postcard::from_bytes::<Vec<(String, Vec<u8>)>>(bytes) {
            Ok(mut files) => {
                files.sort_by(|a, b| a.0.cmp(&b.0));
                // A folder's other files (READMEs, images) are passed over, as `eqlplay scan`
                // walks one; a file chosen by itself is read whatever its name.
                let wanted = |name: &str| !name.contains('/') || is_rule_file(name) || name.to_ascii_lowercase().ends_with(".zip");
                files.into_iter().filter(|(name, _)| wanted(name)).for_each(|(name, bytes)| collection.add(&name, bytes))
            }
            Err(e) => collection.problems.push(format!("the files did not arrive whole: {e}")),
        }
        collection
    }

    /// Adds one file: a zip is opened and its rule files added; anything else is read as text.
    #[cfg(feature = "read")]
    pub fn add(&mut self, name: &str, bytes: Vec<u8>) {
        #[cfg(feature = "zip")]
        if archive::is_zip(&bytes) {
            match archive::text_files(&bytes, MAX_UNPACKED) {
                Ok(files) => {
                    for (inner, text) in files.iter().filter(|(n, _)| is_rule_file(n)) {
                        self.add_text(&format!("{name}/{inner}"), text);
                    }
                }
                Err(e) => self.problems.push(format!("{name}: {e}")),
            }
            return;
        }
        match String::from_utf8(bytes) {
            Ok(text) => self.add_text(name, &text),
            Err(_) => self.problems.push(format!("{name}: not a rule file (not UTF-8 text)")),
        }
    }

    /// Adds the rules of one rule file's text (the format from its extension, else its content).
    #[cfg(feature = "read")]
    pub fn add_text(&mut self, name: &str, text: &str) {
        let hint = name.rsplit_once('.').and_then(|(_, ext)| Format::from_extension(ext));
        let (rules, errors) = load_rules_partial(text, hint);
        // What is not an item here (the rules, the summaries) was the rule reader's to judge.
        let items = match hint.unwrap_or_else(|| Format::detect(text)) {
            Format::Toml => Vec::new(),
            _ => crate::exceptions::parse(text).0,
        };
        // An exception list export holds no rule, and is no failed rule file: its items are
        // for the rules.
        let only_items = rules.is_empty() && !items.is_empty();
        let problems = errors.iter().filter(|e| !(only_items && e.kind == crate::error::RuleErrorKind::NotARule));
        self.problems.extend(problems.map(|e| format!("{name}: {e}")));
        self.exceptions.extend(items);
        self.rules.extend(rules.into_iter().map(|r| (name.to_string(), r)));
    }
}

#[cfg(all(test, feature = "read"))]
mod tests {
    use super::*;

    const EQL: &str = "[rule]\nname = \"a\"\ntype = \"eql\"\nlanguage = \"eql\"\nquery = \"process where true\"\n";
    const EXPORT: &str = "{\"name\":\"b\",\"type\":\"eql\",\"query\":\"any where true\"}\n\
                          {\"name\":\"ml\",\"type\":\"machine_learning\"}\n\
                          {\"exported_count\":2}\n";

    #[test]
    fn files_of_every_kind_make_one_list_with_their_sources() {
        let mut c = Collection::default();
        c.add("a.toml", EQL.as_bytes().to_vec());
        c.add("export.ndjson", EXPORT.as_bytes().to_vec());
        c.add("broken.toml", b"[rule\n".to_vec());
        c.add("photo.jpg", vec![0xff, 0xd8, 0xff]);
        let names: Vec<(&str, &str)> = c.rules.iter().map(|(f, r)| (f.as_str(), r.name.as_str())).collect();
        assert_eq!(names, [("a.toml", "a"), ("export.ndjson", "b"), ("export.ndjson", "ml")]);
        assert_eq!(c.problems.len(), 2, "{:?}", c.problems);
        assert!(c.problems[0].starts_with("broken.toml: line 1"), "{:?}", c.problems);
        assert!(c.problems[1].starts_with("photo.jpg: not a rule file"), "{:?}", c.problems);
    }

    /// A Kibana rule export carries the exception lists its rules name after them; an exception
    /// list export can come as a file of its own. Their items come along; TOML has none.
    #[test]
    fn exception_items_come_with_the_rules() {
        let export = concat!(
            r#"{"name":"b","type":"eql","query":"any where true","exceptions_list":[{"list_id":"l1","id":"x","type":"detection","namespace_type":"single"}]}"#,
            "\n",
            r#"{"list_id":"l1","type":"detection","name":"exceptions","namespace_type":"single"}"#,
            "\n",
            r#"{"item_id":"i1","list_id":"l1","name":"admins","type":"simple","entries":[{"field":"user.name","operator":"included","type":"match","value":"admin"}]}"#,
            "\n",
            r#"{"exported_count":3}"#,
            "\n"
        );
        let list = concat!(
            r#"{"list_id":"l2","type":"detection","name":"more","namespace_type":"single"}"#,
            "\n",
            r#"{"item_id":"i2","list_id":"l2","name":"eve","type":"simple","entries":[{"field":"user.name","operator":"included","type":"match","value":"eve"}]}"#,
            "\n",
            r#"{"exported_exception_list_count":1,"exported_exception_list_item_count":1}"#,
            "\n"
        );
        let mut c = Collection::default();
        c.add("rules.ndjson", export.as_bytes().to_vec());
        c.add("exceptions.ndjson", list.as_bytes().to_vec());
        c.add("a.toml", EQL.as_bytes().to_vec());
        let items: Vec<&str> = c.exceptions.iter().map(|i| i.item_id.as_str()).collect();
        assert_eq!(items, ["i1", "i2"]);
        assert_eq!(c.rules.len(), 2);
        assert!(c.problems.is_empty(), "{:?}", c.problems);
    }

    #[test]
    fn a_pack_travels_to_the_worker_whole() {
        let files = vec![
            ("x.ndjson".to_string(), b"{".to_vec()),
            ("a.toml".to_string(), EQL.as_bytes().to_vec()),
            ("rules/README.md".to_string(), b"# rules".to_vec()),
        ];
        let read = Collection::read_files_bytes(&Collection::files_to_bytes(&files));
        assert_eq!((read.rules.len(), read.problems.len()), (1, 1), "{:?}", read.problems);
        assert!(read.problems[0].starts_with("x.ndjson"));
    }

    #[cfg(feature = "zip")]
    #[test]
    fn a_zip_brings_its_rule_files_by_name_and_nothing_else() {
        let zip = archive::zip_of(&[("rules/z.toml", EQL.as_bytes()), ("rules/README.md", b"# rules"), ("rules/a.ndjson", EXPORT.as_bytes())]);
        let mut c = Collection::default();
        c.add("pack.zip", zip);
        let sources: Vec<&str> = c.rules.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(sources, ["pack.zip/rules/a.ndjson", "pack.zip/rules/a.ndjson", "pack.zip/rules/z.toml"]);
        assert!(c.problems.is_empty(), "{:?}", c.problems);
        let mut broken = Collection::default();
        broken.add("bad.zip", b"PK\x03\x04 truncated".to_vec());
        assert!(broken.problems[0].starts_with("bad.zip: not a readable zip"), "{:?}", broken.problems);
    }

    proptest::proptest! {
        /// Files from anyone: whatever the bytes, reading gives rules or problems, never a
        /// panic, and every file is accounted for.
        #[test]
        fn any_bytes_are_read_without_panicking(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..512), ext in "(zip|toml|ndjson|json|txt)") {
            let mut c = Collection::default();
            c.add(&format!("f.{ext}"), bytes);
            proptest::prop_assert!(!c.rules.is_empty() || !c.problems.is_empty() || ext == "zip");
        }

        /// A zip whose entries are any bytes: the same, entry by entry.
        #[cfg(feature = "zip")]
        #[test]
        fn any_zip_entries_are_read_without_panicking(entries in proptest::collection::vec(("[a-z]{1,8}\\.(toml|ndjson|json)", proptest::collection::vec(proptest::num::u8::ANY, 0..256)), 0..4)) {
            let named: Vec<(&str, &[u8])> = entries.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
            let mut c = Collection::default();
            c.add("pack.zip", archive::zip_of(&named));
            proptest::prop_assert!(c.problems.iter().all(|p| p.starts_with("pack.zip")));
        }
    }
}
