//! A small JSON writer for one large document (`awsp list --json` on a
//! 10,000-profile home is 6.6 MB). Its output is serde_json's byte for byte,
//! compact (`to_writer`) or pretty (`to_writer_pretty`), but it costs a
//! fraction: keys the caller knows are written as literals instead of being
//! escaped byte by byte, runs of plain bytes are copied whole, and the text
//! goes into a plain buffer handed to the `Write` in large chunks.
//! `#[derive(Serialize)]` structs with `serde_json::to_writer` cost ~11.6 ms
//! more CPU at 10,000 profiles (42.0 against 53.6 ms; see README.md).
//!
//! The caller drives the shape: `begin_object`, then `key` (or
//! `key_escaped`) and a value per member, `end_object`; `begin_array`, then
//! `element` and a value per element, `end_array`.

use std::io::{self, Write};

/// A member's key known when compiling (the document's own field names),
/// as [`JsonWriter::key`] takes it: `key!("name")` is `"name":`, so that
/// a key and its colon are one copy of a literal.
macro_rules! key {
    ($name:literal) => {
        concat!("\"", $name, "\":")
    };
}
pub(crate) use key;

/// The buffer is handed on once it holds this much: large enough that the
/// `Write` below sees few calls, small enough to stay in cache.
const CHUNK: usize = 64 * 1024;

pub struct JsonWriter<'w> {
    out: &'w mut dyn Write,
    buf: Vec<u8>,
    pretty: bool,
    /// Open objects and arrays (for the pretty indent).
    depth: usize,
    /// The innermost open object or array has no member yet: no comma
    /// before the next one, and `{}` / `[]` when it closes.
    empty: bool,
}

impl<'w> JsonWriter<'w> {
    /// `pretty` matches serde_json's `PrettyFormatter` (two-space indent).
    pub fn new(out: &'w mut dyn Write, pretty: bool) -> JsonWriter<'w> {
        JsonWriter {
            out,
            buf: Vec::with_capacity(CHUNK + CHUNK / 4),
            pretty,
            depth: 0,
            empty: true,
        }
    }

    #[inline]
    pub fn begin_object(&mut self) {
        self.open(b'{');
    }

    #[inline]
    pub fn end_object(&mut self) {
        self.close(b'}');
    }

    #[inline]
    pub fn begin_array(&mut self) {
        self.open(b'[');
    }

    #[inline]
    pub fn end_array(&mut self) {
        self.close(b']');
    }

    /// A member's key written with [`key!`]: copied as it is.
    #[inline(always)]
    pub fn key(&mut self, key: &'static str) {
        debug_assert!(
            key.len() > 3
                && key.starts_with('"')
                && key.ends_with("\":")
                && key[1..key.len() - 2]
                    .bytes()
                    .all(|b| ESCAPE[usize::from(b)] == 0),
            "{key:?} is not from key!() or needs escaping"
        );
        self.separate();
        // Inlined, the literal's length is known: a few moves, not a memcpy.
        self.buf.extend_from_slice(key.as_bytes());
        if self.pretty {
            self.buf.push(b' ');
        }
    }

    /// A member's key from the user's data.
    #[inline]
    pub fn key_escaped(&mut self, key: &str) {
        self.separate();
        self.string(key);
        self.colon();
    }

    /// Starts the next element of an array.
    #[inline]
    pub fn element(&mut self) {
        self.separate();
    }

    #[inline(always)]
    pub fn string(&mut self, s: &str) {
        self.buf.push(b'"');
        escape_into(&mut self.buf, s);
        self.buf.push(b'"');
    }

    #[inline(always)]
    pub fn opt_string(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.string(s),
            None => self.null(),
        }
    }

    /// A string known to need no escaping (a formatted timestamp).
    #[inline]
    pub fn plain_string(&mut self, s: &[u8]) {
        debug_assert!(s
            .iter()
            .all(|&b| ESCAPE[usize::from(b)] == 0 && b.is_ascii()));
        self.buf.push(b'"');
        self.buf.extend_from_slice(s);
        self.buf.push(b'"');
    }

    #[inline]
    pub fn bool(&mut self, b: bool) {
        if b {
            self.buf.extend_from_slice(b"true");
        } else {
            self.buf.extend_from_slice(b"false");
        }
    }

    #[inline]
    pub fn null(&mut self) {
        self.buf.extend_from_slice(b"null");
    }

    /// Hands the buffer on once it holds a chunk; call between large parts.
    pub fn flush_if_full(&mut self) -> io::Result<()> {
        if self.buf.len() >= CHUNK {
            self.out.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }

    /// Ends the document with a newline and flushes everything.
    pub fn finish(mut self) -> io::Result<()> {
        self.buf.push(b'\n');
        self.out.write_all(&self.buf)?;
        self.out.flush()
    }

    #[inline]
    fn open(&mut self, bracket: u8) {
        self.buf.push(bracket);
        self.depth += 1;
        self.empty = true;
    }

    #[inline]
    fn close(&mut self, bracket: u8) {
        self.depth -= 1;
        if self.pretty && !self.empty {
            self.newline();
        }
        self.buf.push(bracket);
        // The container just closed is a member of the one around it.
        self.empty = false;
    }

    #[inline]
    fn separate(&mut self) {
        if !self.empty {
            self.buf.push(b',');
        }
        self.empty = false;
        if self.pretty {
            self.newline();
        }
    }

    #[inline]
    fn colon(&mut self) {
        self.buf.push(b':');
        if self.pretty {
            self.buf.push(b' ');
        }
    }

    fn newline(&mut self) {
        self.buf.push(b'\n');
        for _ in 0..self.depth {
            self.buf.extend_from_slice(b"  ");
        }
    }
}

/// serde_json's table: the letter after `\` for bytes it escapes, `u` for
/// `\u00XX`, 0 for bytes it copies (everything else, `/`, DEL and non-ASCII
/// included).
static ESCAPE: [u8; 256] = escape_table();

const fn escape_table() -> [u8; 256] {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = b'u';
        b += 1;
    }
    table[0x08] = b'b';
    table[0x09] = b't';
    table[0x0a] = b'n';
    table[0x0c] = b'f';
    table[0x0d] = b'r';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table
}

/// Appends `s` escaped as serde_json does, without the quotes.
#[inline]
pub fn escape_into(buf: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    // Nearly every string needs no escaping: one check, one copy.
    if is_plain(bytes) {
        buf.extend_from_slice(bytes);
    } else {
        escape_bytes(buf, bytes);
    }
}

/// Whether no byte of `bytes` needs escaping; eight at a time, the last
/// eight overlapping the ones before.
#[inline]
fn is_plain(bytes: &[u8]) -> bool {
    let Some((_, last)) = bytes.split_last_chunk::<8>() else {
        return bytes.iter().all(|&b| ESCAPE[usize::from(b)] == 0);
    };
    let plain = |word: &[u8; 8]| special_bytes(u64::from_le_bytes(*word)) == 0;
    let (words, _) = bytes.as_chunks::<8>();
    words.iter().all(plain) && plain(last)
}

#[cold]
fn escape_bytes(buf: &mut Vec<u8>, mut rest: &[u8]) {
    while let Some((word, tail)) = rest.split_first_chunk::<8>() {
        let special = special_bytes(u64::from_le_bytes(*word));
        if special == 0 {
            buf.extend_from_slice(word);
            rest = tail;
            continue;
        }
        let at = special.trailing_zeros() as usize / 8;
        buf.extend_from_slice(&rest[..at]);
        push_escape(buf, rest[at]);
        rest = &rest[at + 1..];
    }
    for &b in rest {
        if ESCAPE[usize::from(b)] == 0 {
            buf.push(b);
        } else {
            push_escape(buf, b);
        }
    }
}

/// The top bit of each byte of a little-endian `word` that is `"`, `\\`
/// or below 0x20 (bytes of 0x80 and up are never marked).
#[inline]
fn special_bytes(word: u64) -> u64 {
    use crate::fast::swar::{bytes_below, bytes_equal};
    bytes_below(word, 0x20) | bytes_equal(word, b'"') | bytes_equal(word, b'\\')
}

fn push_escape(buf: &mut Vec<u8>, byte: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    match ESCAPE[usize::from(byte)] {
        b'u' => {
            buf.extend_from_slice(b"\\u00");
            buf.push(HEX[usize::from(byte >> 4)]);
            buf.push(HEX[usize::from(byte & 0xf)]);
        }
        letter => buf.extend_from_slice(&[b'\\', letter]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(pretty: bool, write: impl FnOnce(&mut JsonWriter)) -> String {
        let mut out = Vec::new();
        let mut w = JsonWriter::new(&mut out, pretty);
        write(&mut w);
        w.finish().unwrap();
        String::from_utf8(out).expect("the writer writes UTF-8")
    }

    fn as_string(s: &str) -> String {
        written(false, |w| w.string(s))
    }

    fn serde(s: &str) -> String {
        serde_json::to_string(s).unwrap() + "\n"
    }

    #[test]
    fn every_character_below_0x80_and_some_above_escape_as_in_serde_json() {
        let mut chars: Vec<char> = (0u8..0x80).map(char::from).collect();
        chars.extend([
            '\u{80}',
            '\u{9f}',
            'é',
            '\u{2028}',
            '\u{feff}',
            '€',
            '😀',
            '\u{10ffff}',
        ]);
        for c in chars {
            let s = c.to_string();
            assert_eq!(as_string(&s), serde(&s), "{c:?}");
        }
    }

    #[test]
    fn strings_escape_as_in_serde_json() {
        let table = [
            "",
            "plain",
            "exactly8",
            "sixteen-bytes-ok",
            "\"",
            "\\",
            "/",
            "\u{7f}",
            "a\"b\\c/d",
            "\\\\\"\"",
            "tab\there\nnewline\rcr\u{8}bs\u{c}ff",
            "\u{0}\u{1}\u{1f}\u{7f}",
            "ünïcödé \\ \"q\" 😀 \u{1}",
            "😀😀😀😀😀😀😀😀😀",
            "arn:aws:iam::123456789012:role/path/Name",
            "https://corp.awsapps.com/start#/",
            "0123456789abcdef0123456789abcdef0123456789.json",
            "C:\\Users\\me\\.aws\\config",
        ];
        for s in table {
            assert_eq!(as_string(s), serde(s), "{s:?}");
        }
    }

    /// A character that needs escaping at every position of strings of every
    /// length up to 40: the eight-byte checks meet it in each lane and in
    /// the overlapping last word.
    #[test]
    fn an_escape_anywhere_in_a_string_is_found() {
        for special in ['"', '\\', '\n', '\u{0}', '\u{1f}'] {
            for len in 0..40 {
                for at in 0..=len {
                    let mut s = "x".repeat(len);
                    s.insert(at, special);
                    assert_eq!(as_string(&s), serde(&s), "{s:?}");
                }
            }
        }
    }

    /// Random strings over an alphabet heavy in what needs escaping and in
    /// bytes next to it (0x1f/0x20/0x21, 0x22/0x23, 0x5b/0x5c/0x5d, DEL,
    /// multi-byte characters).
    #[test]
    fn random_strings_escape_as_in_serde_json() {
        let alphabet = [
            'a', 'Z', '0', ' ', '!', '"', '#', '[', '\\', ']', '/', '\u{1f}', '\u{0}', '\t', '\n',
            '\u{7f}', '\u{80}', 'é', '€', '😀',
        ];
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..20_000 {
            let len = next() % 48;
            let s: String = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            assert_eq!(as_string(&s), serde(&s), "{s:?}");
        }
    }

    /// Nested, empty and escaped-key containers against serde_json's own
    /// compact and pretty output for the same value.
    #[test]
    fn shapes_match_serde_json_compact_and_pretty() {
        // Keys in sorted order, as `serde_json::Value` keeps them.
        let value = serde_json::json!({
            "a": "x",
            "empty_array": [],
            "empty_object": {},
            "list": ["one", null, true, false, {}, [], {"k": "v"}],
            "nested": {"after": null, "deeper": {"deepest": ["x"]}},
        });
        let write = |w: &mut JsonWriter| {
            w.begin_object();
            w.key(key!("a"));
            w.string("x");
            w.key(key!("empty_array"));
            w.begin_array();
            w.end_array();
            w.key(key!("empty_object"));
            w.begin_object();
            w.end_object();
            w.key(key!("list"));
            w.begin_array();
            w.element();
            w.string("one");
            w.element();
            w.null();
            w.element();
            w.bool(true);
            w.element();
            w.bool(false);
            w.element();
            w.begin_object();
            w.end_object();
            w.element();
            w.begin_array();
            w.end_array();
            w.element();
            w.begin_object();
            w.key_escaped("k");
            w.string("v");
            w.end_object();
            w.end_array();
            w.key_escaped("nested");
            w.begin_object();
            w.key(key!("after"));
            w.opt_string(None);
            w.key(key!("deeper"));
            w.begin_object();
            w.key(key!("deepest"));
            w.begin_array();
            w.element();
            w.plain_string(b"x");
            w.end_array();
            w.end_object();
            w.end_object();
            w.end_object();
        };
        assert_eq!(
            written(false, write),
            serde_json::to_string(&value).unwrap() + "\n"
        );
        assert_eq!(
            written(true, write),
            serde_json::to_string_pretty(&value).unwrap() + "\n"
        );
    }

    #[test]
    fn hostile_keys_are_escaped() {
        let text = written(true, |w| {
            w.begin_object();
            w.key_escaped("we\"ird\\key\u{1}");
            w.begin_object();
            w.end_object();
            w.end_object();
        });
        assert_eq!(text, "{\n  \"we\\\"ird\\\\key\\u0001\": {}\n}\n");
    }

    #[test]
    fn large_documents_reach_the_writer_in_chunks_and_whole() {
        struct Counting(Vec<usize>, Vec<u8>);
        impl Write for Counting {
            fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
                self.0.push(buf.len());
                self.1.extend_from_slice(buf);
                Ok(buf.len())
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let mut out = Counting(Vec::new(), Vec::new());
        let mut w = JsonWriter::new(&mut out, false);
        w.begin_array();
        for i in 0..20_000 {
            w.element();
            w.string(&format!("item {i}"));
            w.flush_if_full().unwrap();
        }
        w.end_array();
        w.finish().unwrap();
        let all: Vec<String> = (0..20_000).map(|i| format!("item {i}")).collect();
        assert_eq!(
            out.1,
            (serde_json::to_string(&all).unwrap() + "\n").into_bytes()
        );
        assert!(out.0.len() > 2, "{:?}", out.0);
        assert!(out.0[..out.0.len() - 1].iter().all(|&n| n >= CHUNK));
    }
}
