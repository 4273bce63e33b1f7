//! awsp's own block in the config file: the only text `awsp sync --write`
//! ever changes. One block per sso-session, between two comment lines:
//!
//! ```text
//! # awsp sync begin: session acme (generated; edits inside are replaced)
//! [profile xyz-admin]
//! sso_session = acme
//! ...
//! # awsp sync end: session acme
//! ```
//!
//! Comment lines are invisible to configparser (botocore), so the markers
//! change nothing the AWS CLI reads. Every byte outside a block is kept as
//! it is: line endings, a missing final newline, comments, odd spacing.
//! The pure text work is here; the file itself is written by `store`.

use crate::aws::ini::split_line;
use std::fmt::Write as _;

const MARKER: &str = "# awsp sync";
const BEGIN: &str = "# awsp sync begin: session ";
const BEGIN_NOTE: &str = " (generated; edits inside are replaced)";
const END: &str = "# awsp sync end: session ";

/// A block found in the text. Lines are numbered from 1 as the config
/// reader numbers them (universal newlines: LF, CRLF, lone CR).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    pub session: String,
    pub begin_line: usize,
    pub end_line: usize,
    /// Byte range from the start of the begin line to the end of the end
    /// line, its line break included when it has one.
    pub start: usize,
    pub end: usize,
    /// Whether the end line has a line break (it may be the file's last line).
    pub terminated: bool,
}

impl Block {
    /// Whether a section header on `line` lies inside the block.
    pub fn contains_line(&self, line: usize) -> bool {
        line > self.begin_line && line < self.end_line
    }
}

/// A malformed block: nothing is written while one is in the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {reason}")]
pub struct BlockError {
    pub line: usize,
    pub reason: String,
}

/// One line with where it starts and ends (without its break) and where
/// the next one starts.
struct Line<'a> {
    number: usize,
    start: usize,
    text: &'a str,
    next: usize,
}

/// Lines with Python's universal newlines, the way configparser reads them.
fn lines(text: &str) -> impl Iterator<Item = Line<'_>> {
    let bytes = text.as_bytes();
    let mut at = 0;
    let mut number = 0;
    std::iter::from_fn(move || {
        if at >= bytes.len() {
            return None;
        }
        number += 1;
        let start = at;
        let (end, next) = split_line(bytes, start, bytes.len());
        at = next;
        Some(Line {
            number,
            start,
            text: &text[start..end],
            next,
        })
    })
}

/// The line break the file uses (its first one), LF for a file without any.
pub fn newline_of(text: &str) -> &'static str {
    match text.find(['\n', '\r']) {
        Some(i) if text.as_bytes()[i] == b'\n' => "\n",
        Some(i) if text.as_bytes().get(i + 1) == Some(&b'\n') => "\r\n",
        Some(_) => "\r",
        None => "\n",
    }
}

enum Marker<'a> {
    Begin(&'a str),
    End(&'a str),
}

fn marker(line: &str) -> Option<Result<Marker<'_>, String>> {
    if !line.starts_with(MARKER) {
        return None;
    }
    if let Some(rest) = line.strip_prefix(BEGIN) {
        let name = rest.strip_suffix(BEGIN_NOTE).unwrap_or(rest);
        return Some(Ok(Marker::Begin(name)));
    }
    if let Some(name) = line.strip_prefix(END) {
        return Some(Ok(Marker::End(name)));
    }
    Some(Err(format!(
        "a comment beginning with `{MARKER}` that is neither `{}...` nor `{}...`; \
         awsp keeps that prefix for its own block: change or remove the comment",
        BEGIN.trim_end(),
        END.trim_end()
    )))
}

/// Every awsp block in `text`, in file order; an error for a begin without
/// end, an end without begin, two begins, mismatched names, or two blocks
/// for one session.
pub fn find_blocks(text: &str) -> Result<Vec<Block>, BlockError> {
    let mut blocks: Vec<Block> = Vec::new();
    let mut open: Option<(String, usize, usize)> = None;
    for line in lines(text) {
        let found = match marker(line.text) {
            None => continue,
            Some(Err(reason)) => {
                return Err(BlockError {
                    line: line.number,
                    reason,
                })
            }
            Some(Ok(m)) => m,
        };
        let shown = |s: &str| crate::output::human::printable(s).into_owned();
        match (found, open.take()) {
            (Marker::Begin(name), None) => {
                if let Some(first) = blocks.iter().find(|b| b.session == name) {
                    return Err(BlockError {
                        line: line.number,
                        reason: format!(
                            "a second awsp block for session '{}' (the first begins on line {}); remove one",
                            shown(name),
                            first.begin_line
                        ),
                    });
                }
                open = Some((name.to_string(), line.number, line.start));
            }
            (Marker::Begin(_), Some((name, begun, _))) => {
                return Err(BlockError {
                    line: line.number,
                    reason: format!(
                        "a second `# awsp sync begin` inside the block for session '{}' begun on line {begun}; \
                         add its end line or remove one begin",
                        shown(&name)
                    ),
                })
            }
            (Marker::End(name), None) => {
                return Err(BlockError {
                    line: line.number,
                    reason: format!(
                        "`# awsp sync end` for session '{}' without a begin line above it",
                        shown(name)
                    ),
                })
            }
            (Marker::End(name), Some((begun_name, begun, start))) => {
                if name != begun_name {
                    return Err(BlockError {
                        line: line.number,
                        reason: format!(
                            "the block begun on line {begun} is for session '{}' but ends for '{}'",
                            shown(&begun_name),
                            shown(name)
                        ),
                    });
                }
                blocks.push(Block {
                    session: begun_name,
                    begin_line: begun,
                    end_line: line.number,
                    start,
                    end: line.next,
                    terminated: line.next > line.start + line.text.len(),
                });
            }
        }
    }
    if let Some((name, begun, _)) = open {
        return Err(BlockError {
            line: begun,
            reason: format!(
                "`# awsp sync begin` for session '{}' has no end line `{END}{}`",
                crate::output::human::printable(&name),
                crate::output::human::printable(&name)
            ),
        });
    }
    Ok(blocks)
}

/// A profile awsp writes into its block.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct BlockProfile {
    pub name: String,
    pub session: String,
    pub account_id: String,
    pub role: String,
    pub region: Option<String>,
}

/// Whether `s` can be written as an INI value (or in a marker line) and
/// read back as exactly `s`: not empty, no line break or control
/// character, no surrounding whitespace (configparser strips it).
pub fn plain_value(s: &str) -> bool {
    !s.is_empty()
        && crate::aws::ini::py_strip(s) == s
        && !s
            .chars()
            .any(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}'))
}

/// The config text of one profile, in the guide's style, with `nl` line breaks.
pub fn render_profile(p: &BlockProfile, nl: &str) -> String {
    let mut out = String::new();
    let _ = write!(out, "[profile {}]{nl}", p.name);
    let _ = write!(out, "sso_session = {}{nl}", p.session);
    let _ = write!(out, "sso_account_id = {}{nl}", p.account_id);
    let _ = write!(out, "sso_role_name = {}{nl}", p.role);
    if let Some(region) = &p.region {
        let _ = write!(out, "region = {region}{nl}");
    }
    out
}

/// The whole block for `session`, begin and end lines included, ending
/// with a line break.
pub fn render_block(session: &str, profiles: &[BlockProfile], nl: &str) -> String {
    let mut out = format!("{BEGIN}{session}{BEGIN_NOTE}{nl}");
    for (i, p) in profiles.iter().enumerate() {
        if i > 0 {
            out.push_str(nl);
        }
        out.push_str(&render_profile(p, nl));
    }
    let _ = write!(out, "{END}{session}{nl}");
    out
}

/// `text` with the block of `session` replaced by one holding `profiles`
/// (appended at the end when there is none; nothing added when there is
/// none and `profiles` is empty). Bytes outside the block are untouched;
/// an appended block starts on a line of its own after a blank line.
pub fn with_block(
    text: &str,
    session: &str,
    profiles: &[BlockProfile],
) -> Result<String, BlockError> {
    let blocks = find_blocks(text)?;
    let nl = newline_of(text);
    let mut rendered = render_block(session, profiles, nl);
    match blocks.iter().find(|b| b.session == session) {
        Some(b) => {
            if !b.terminated {
                rendered.truncate(rendered.len() - nl.len());
            }
            Ok(format!(
                "{}{}{}",
                &text[..b.start],
                rendered,
                &text[b.end..]
            ))
        }
        None if profiles.is_empty() => Ok(text.to_string()),
        None => {
            let mut out = String::with_capacity(text.len() + rendered.len() + 4);
            out.push_str(text);
            if !text.is_empty() {
                if !text.ends_with(['\n', '\r']) {
                    out.push_str(nl);
                }
                out.push_str(nl);
            }
            out.push_str(&rendered);
            Ok(out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(name: &str, account: &str) -> BlockProfile {
        BlockProfile {
            name: name.into(),
            session: "acme".into(),
            account_id: account.into(),
            role: "AdministratorAccess".into(),
            region: Some("eu-west-1".into()),
        }
    }

    #[test]
    fn renders_the_guide_style() {
        let text = render_block("acme", &[profile("xyz-admin", "112233445566")], "\n");
        assert_eq!(
            text,
            "# awsp sync begin: session acme (generated; edits inside are replaced)\n\
             [profile xyz-admin]\nsso_session = acme\nsso_account_id = 112233445566\n\
             sso_role_name = AdministratorAccess\nregion = eu-west-1\n\
             # awsp sync end: session acme\n"
        );
        let found = find_blocks(&text).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].begin_line, found[0].end_line), (1, 7));
        assert_eq!((found[0].start, found[0].end), (0, text.len()));
    }

    #[test]
    fn appends_after_a_blank_line_keeping_a_missing_final_newline_outside() {
        let original = "[profile a]\r\nregion = x";
        let out = with_block(original, "acme", &[profile("p", "1")]).unwrap();
        assert!(out.starts_with(original));
        assert_eq!(
            &out[original.len()..original.len() + 4],
            "\r\n\r\n",
            "the file's CRLF style"
        );
        assert!(out.ends_with("# awsp sync end: session acme\r\n"));
        assert!(!out[original.len()..].replace("\r\n", "").contains('\n'));
    }

    #[test]
    fn replaces_only_its_own_session_block() {
        let other = render_block("other", &[profile("o", "2")], "\n");
        let mine = render_block("acme", &[profile("old", "1")], "\n");
        let original = format!("# top\n{mine}  odd = spacing\n{other}tail");
        let out = with_block(&original, "acme", &[profile("new", "3")]).unwrap();
        let new_block = render_block("acme", &[profile("new", "3")], "\n");
        assert_eq!(
            out,
            format!("# top\n{new_block}  odd = spacing\n{other}tail")
        );
        // A block that ends the file without a line break keeps having none.
        let last = format!("x\n{}", mine.trim_end_matches('\n'));
        let out = with_block(&last, "acme", &[]).unwrap();
        assert!(out.ends_with("# awsp sync end: session acme"));
        assert!(!out.contains("[profile old]"));
    }

    #[test]
    fn nothing_to_add_and_no_block_is_no_change() {
        assert_eq!(with_block("a\r\nb", "acme", &[]).unwrap(), "a\r\nb");
        assert_eq!(with_block("", "acme", &[]).unwrap(), "");
    }

    #[test]
    fn malformed_blocks_are_errors() {
        let begin = "# awsp sync begin: session acme (generated; edits inside are replaced)\n";
        let end = "# awsp sync end: session acme\n";
        let cases = [
            (format!("x\n{begin}[profile a]\n"), 2, "has no end line"),
            (
                format!("{begin}{begin}{end}"),
                2,
                "second `# awsp sync begin`",
            ),
            (end.to_string(), 1, "without a begin"),
            (
                format!("{begin}{end}{begin}{end}"),
                3,
                "a second awsp block",
            ),
            (
                format!("{begin}# awsp sync end: session other\n"),
                2,
                "ends for 'other'",
            ),
            ("# awsp sync stuff\n".to_string(), 1, "neither"),
        ];
        for (text, line, words) in cases {
            let e = find_blocks(&text).unwrap_err();
            assert_eq!(e.line, line, "{text:?}: {e}");
            assert!(e.reason.contains(words), "{text:?}: {e}");
            assert!(with_block(&text, "acme", &[profile("p", "1")]).is_err());
        }
        // Indented, it is not a marker (and not awsp's).
        assert_eq!(
            find_blocks("  # awsp sync begin: session a\n").unwrap(),
            vec![]
        );
    }

    #[test]
    fn line_numbers_follow_universal_newlines() {
        let text = "a\rb\r\n# awsp sync begin: session s\n# awsp sync end: session s";
        let b = &find_blocks(text).unwrap()[0];
        assert_eq!((b.begin_line, b.end_line, b.terminated), (3, 4, false));
        assert_eq!(newline_of("a\rb"), "\r");
        assert_eq!(newline_of("a\r\nb"), "\r\n");
        assert_eq!(newline_of("ab"), "\n");
    }

    #[test]
    fn plain_values() {
        assert!(plain_value("acme"));
        assert!(plain_value("my session"));
        for bad in ["", " x", "x ", "a\nb", "a\rb", "a\u{2028}b", "\u{1b}[31m"] {
            assert!(!plain_value(bad), "{bad:?}");
        }
    }
}
