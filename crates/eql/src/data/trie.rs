//! The fields a query reads, as a tree of path segments, so that `{"process": {"name": …}}`
//! and `{"process.name": …}` reach the same field.
//!
//! Object keys are looked up without splitting or allocating: [`Trie::walk`] follows a decoded
//! key, [`Trie::match_raw`] matches a key straight in the JSON text (when it has no escapes).

use super::fields::FieldTable;

#[derive(Clone, Debug, Default)]
pub(super) struct Trie {
    nodes: Vec<TrieNode>,
}

#[derive(Clone, Debug, Default)]
struct TrieNode {
    /// Children with a non-empty segment (segments never contain `.`).
    children: Vec<Child>,
    /// The child whose segment is empty (from a path like `a..b` or `a.`).
    empty: Option<u32>,
    /// A bit per byte value: some child's segment starts with it.
    firsts: [u64; 4],
    field: Option<u32>,
}

#[derive(Clone, Debug)]
struct Child {
    seg: Box<[u8]>,
    node: u32,
    /// Whether the segment can be compared with raw JSON text: no `"`, `\` or control byte.
    raw: bool,
    /// The segment's first 16 bytes as two little-endian words (zero padded), and masks of
    /// the bytes that count, for segments of at most 16 bytes.
    words: [u64; 2],
    masks: [u64; 2],
}

impl Child {
    fn new(seg: &[u8], node: u32) -> Child {
        let mut padded = [0u8; 16];
        let mut mask = [0u8; 16];
        for (i, &c) in seg.iter().take(16).enumerate() {
            padded[i] = c;
            mask[i] = 0xff;
        }
        let word = |b: &[u8; 16], at: usize| {
            let mut w = [0u8; 8];
            w.copy_from_slice(&b[at..at + 8]);
            u64::from_le_bytes(w)
        };
        Child {
            seg: seg.into(),
            node,
            raw: seg.iter().all(|&c| c != b'"' && c != b'\\' && c >= 0x20),
            words: [word(&padded, 0), word(&padded, 8)],
            masks: [word(&mask, 0), word(&mask, 8)],
        }
    }

    /// Whether the segment is at `b[i..]` (a prefix of the rest of `b`).
    #[inline(always)]
    fn is_at(&self, b: &[u8], i: usize) -> bool {
        let n = self.seg.len();
        if n <= 16 {
            if let Some(chunk) = b.get(i..i + 16) {
                let mut w0 = [0u8; 8];
                let mut w1 = [0u8; 8];
                w0.copy_from_slice(&chunk[..8]);
                w1.copy_from_slice(&chunk[8..]);
                return u64::from_le_bytes(w0) & self.masks[0] == self.words[0]
                    && u64::from_le_bytes(w1) & self.masks[1] == self.words[1];
            }
        }
        b.get(i..i + n).is_some_and(|s| same_bytes(s, &self.seg))
    }
}

impl TrieNode {
    #[inline(always)]
    fn may_start_with(&self, c: u8) -> bool {
        self.firsts[usize::from(c >> 6)] & (1u64 << (c & 63)) != 0
    }
}

impl Trie {
    pub(super) fn new(fields: &FieldTable) -> Trie {
        let mut trie = Trie { nodes: vec![TrieNode::default()] };
        for (id, info) in fields.iter() {
            let mut node = 0u32;
            for seg in info.path.split('.') {
                node = trie.child_or_insert(node, seg.as_bytes());
            }
            trie.nodes[node as usize].field = Some(id.0);
        }
        trie
    }

    fn child_or_insert(&mut self, node: u32, seg: &[u8]) -> u32 {
        let existing = match seg.first() {
            None => self.nodes[node as usize].empty,
            Some(_) => self.nodes[node as usize].children.iter().find(|c| &*c.seg == seg).map(|c| c.node),
        };
        if let Some(n) = existing {
            return n;
        }
        self.nodes.push(TrieNode::default());
        let n = (self.nodes.len() - 1) as u32;
        let parent = &mut self.nodes[node as usize];
        match seg.first() {
            None => parent.empty = Some(n),
            Some(&c) => {
                parent.children.push(Child::new(seg, n));
                parent.firsts[usize::from(c >> 6)] |= 1u64 << (c & 63);
            }
        }
        n
    }

    /// The field recorded at `node`, if any.
    #[inline(always)]
    pub(super) fn field(&self, node: u32) -> Option<u32> {
        self.nodes[node as usize].field
    }

    /// Follows a decoded (possibly dotted) key from `node`: the same as following each piece of
    /// `key.split('.')` in turn, empty pieces included. A segment holds no `.`, so at most one
    /// child matches the start of the key: the one whose segment ends at a `.` or at the end.
    pub(super) fn walk(&self, mut node: u32, key: &[u8]) -> Option<u32> {
        let mut rest = key;
        loop {
            let n = &self.nodes[node as usize];
            let (next, len) = match rest.first() {
                None => return n.empty,
                Some(b'.') => (n.empty?, 0),
                Some(&c) => {
                    if !n.may_start_with(c) {
                        return None;
                    }
                    let ch = n.children.iter().find(|ch| {
                        let len = ch.seg.len();
                        (rest.len() == len || rest.get(len) == Some(&b'.'))
                            && rest.get(..len).is_some_and(|s| same_bytes(s, &ch.seg))
                    })?;
                    (ch.node, ch.seg.len())
                }
            };
            match rest.get(len) {
                None => return Some(next),
                // Always a `.` here.
                Some(_) => rest = rest.get(len + 1..).unwrap_or_default(),
            }
            node = next;
        }
    }

    /// Matches the key that starts at `b[i]` (just after its opening quote) from `node`, in
    /// the raw JSON text. `Some((node, end))` when the key has no escapes and leads to a node,
    /// `end` being the index of its closing quote; `None` when it leads nowhere *or* this cannot
    /// tell (escapes, segments with special bytes): then decode the key and [`Trie::walk`] it.
    /// For a key without escapes `None` is final: segments left out here have a `"`, `\` or
    /// control byte, which such a key cannot hold.
    #[inline]
    pub(super) fn match_raw(&self, b: &[u8], mut i: usize, mut node: u32) -> Option<(u32, usize)> {
        loop {
            let n = &self.nodes[node as usize];
            let (next, len) = match *b.get(i)? {
                b'"' => return n.empty.map(|e| (e, i)),
                b'.' => (n.empty?, 0),
                c => {
                    if !n.may_start_with(c) {
                        return None;
                    }
                    let ch = n.children.iter().find(|ch| {
                        ch.raw
                            && matches!(b.get(i + ch.seg.len()), Some(b'"' | b'.'))
                            && ch.is_at(b, i)
                    })?;
                    (ch.node, ch.seg.len())
                }
            };
            match b.get(i + len) {
                Some(b'"') => return Some((next, i + len)),
                Some(b'.') => {
                    node = next;
                    i += len + 1;
                }
                _ => return None,
            }
        }
    }
}

/// Byte equality for short slices, without a call to `memcmp`.
#[inline(always)]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::FieldTable;

    fn trie(paths: &[&str]) -> Trie {
        let mut fields = FieldTable::default();
        for p in paths {
            fields.intern(p, None);
        }
        Trie::new(&fields)
    }

    /// The original definition: `key.split('.')`, one child per piece.
    fn walk_by_split(t: &Trie, node: u32, key: &str) -> Option<u32> {
        key.split('.').try_fold(node, |n, seg| {
            let n = &t.nodes[n as usize];
            if seg.is_empty() {
                n.empty
            } else {
                n.children.iter().find(|c| &*c.seg == seg.as_bytes()).map(|c| c.node)
            }
        })
    }

    const PATHS: &[&str] = &[
        "process.name",
        "process.parent.name",
        "process",
        "a..b",
        "a.",
        ".x",
        "host.os.type",
        "host.id",
        "weird\"quote.x",
        "back\\slash",
        "été.ü",
        "averyveryverylongsegmentname.more",
        "sixteen_bytes_ab.c",
        "seventeen_bytes_a.c",
    ];

    #[test]
    fn walk_and_match_raw_agree_with_split() {
        let t = trie(PATHS);
        let keys = [
            "", ".", "..", "process", "process.name", "process.parent", "process.parent.name", "process.nam",
            "process.namex", "processx", "proces", "a", "a.", "a..", "a..b", "a.b", ".x", "x", "host", "host.os",
            "host.os.type", "host.os.type.x", "host.id", "weird\"quote", "weird\"quote.x", "back\\slash", "été",
            "été.ü", "averyveryverylongsegmentname", "averyveryverylongsegmentname.more", "sixteen_bytes_ab",
            "sixteen_bytes_ab.c", "seventeen_bytes_a.c", "seventeen_bytes_a", "seventeen_bytes_b.c",
        ];
        for key in keys {
            for node in 0..t.nodes.len() as u32 {
                let want = walk_by_split(&t, node, key);
                assert_eq!(t.walk(node, key.as_bytes()), want, "walk {key:?} from {node}");
                // In JSON text, with a closing quote and more text (or none) after it.
                for tail in ["\"", "\":1,\"zzzzzzzzzzzzzzzzzzzzzzz\":2}"] {
                    let text = format!("{key}{tail}");
                    if let Some((n, end)) = t.match_raw(text.as_bytes(), 0, node) {
                        assert_eq!(Some(n), want, "match_raw {key:?} from {node}");
                        assert_eq!(end, key.len());
                    } else {
                        // Only keys with special bytes need the decoding path.
                        assert!(key.contains(['"', '\\']) || want.is_none(), "match_raw missed {key:?} from {node}");
                    }
                }
            }
        }
    }

    #[test]
    fn match_raw_does_not_read_escapes_as_text() {
        let t = trie(&["a\\b", "process.name"]);
        // `"a\\b"` in JSON is the key a\b, which `walk` finds after decoding; raw text never matches it.
        assert_eq!(t.match_raw(br#"a\\b""#, 0, 0), None);
        assert!(t.walk(0, b"a\\b").is_some());
        // An escaped dot is not a separator in raw matching; decoding then walking finds it.
        assert_eq!(t.match_raw(br#"process\u002ename""#, 0, 0), None);
        assert!(t.walk(0, b"process.name").is_some());
        // Unterminated text.
        assert_eq!(t.match_raw(b"process.name", 0, 0), None);
        assert_eq!(t.match_raw(b"process.", 0, 0), None);
    }
}
