//! Table cells for people, shared by `list` and the picker: widths in
//! terminal columns and cutting a long cell.

/// Columns `s` takes on a terminal.
pub fn display_width(s: &str) -> usize {
    // Most cells are printable ASCII, one column a byte; unicode-width's
    // table walk was a fifth of `awsp list`'s instructions at 200 profiles.
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return s.len();
    }
    unicode_width::UnicodeWidthStr::width(s)
}

/// Cuts a cell to `max` columns, marking the cut with `…`.
pub fn clip(s: &str, max: usize) -> std::borrow::Cow<'_, str> {
    if display_width(s) <= max {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if w + cw + 1 > max {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clip_cuts_by_columns_and_marks_the_cut() {
        assert_eq!(clip("short", 10), "short");
        assert_eq!(clip("exactly10!", 10), "exactly10!");
        assert_eq!(clip("abcdefghijk", 5), "abcd…");
        // A wide character takes two columns and is never split.
        assert_eq!(clip("日本語テキスト", 6), "日本…");
        assert_eq!(display_width("日本"), 4);
        assert_eq!(display_width("plain-ascii ~"), 13);
        assert_eq!(display_width("mixed é"), 7);
    }
}
