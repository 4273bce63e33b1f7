//! Python's `shlex.split(name)` (POSIX mode, no comments), which botocore uses
//! to take profile and sso-session names out of section headers.

/// Splits like `shlex.split`; `None` where Python raises (unbalanced quote,
/// trailing backslash).
pub fn split(s: &str) -> Option<Vec<String>> {
    // Without quotes or backslashes only the whitespace separates words.
    if !s.contains(['\'', '"', '\\']) {
        return Some(
            s.split([' ', '\t', '\r', '\n'])
                .filter(|w| !w.is_empty())
                .map(str::to_string)
                .collect(),
        );
    }
    #[derive(PartialEq)]
    enum State {
        Between,
        Word,
        Single,
        Double,
    }
    let mut words = Vec::new();
    let mut word = String::new();
    let mut state = State::Between;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match state {
            State::Between | State::Word => match c {
                ' ' | '\t' | '\r' | '\n' => {
                    if state == State::Word {
                        words.push(std::mem::take(&mut word));
                        state = State::Between;
                    }
                }
                '\'' => state = State::Single,
                '"' => state = State::Double,
                '\\' => {
                    word.push(chars.next()?);
                    state = State::Word;
                }
                _ => {
                    word.push(c);
                    state = State::Word;
                }
            },
            State::Single => match c {
                '\'' => state = State::Word,
                _ => word.push(c),
            },
            State::Double => match c {
                '"' => state = State::Word,
                '\\' => {
                    // Inside double quotes only `"` and `\` are escaped.
                    let next = chars.next()?;
                    if next != '"' && next != '\\' {
                        word.push('\\');
                    }
                    word.push(next);
                }
                _ => word.push(c),
            },
        }
    }
    match state {
        State::Single | State::Double => None,
        // A quoted empty string ('' or "") still makes a word.
        State::Word => {
            words.push(word);
            Some(words)
        }
        State::Between => Some(words),
    }
}

#[cfg(test)]
mod tests {
    use super::split;

    fn v(words: &[&str]) -> Option<Vec<String>> {
        Some(words.iter().map(|w| w.to_string()).collect())
    }

    #[test]
    fn python_shlex_cases() {
        assert_eq!(split("profile a"), v(&["profile", "a"]));
        assert_eq!(split("profile  'a b' "), v(&["profile", "a b"]));
        assert_eq!(split("profile \"\""), v(&["profile", ""]));
        assert_eq!(split("profile ''"), v(&["profile", ""]));
        assert_eq!(
            split("profile mixed\"quo\"ted"),
            v(&["profile", "mixedquoted"])
        );
        assert_eq!(split("profile back\\slash"), v(&["profile", "backslash"]));
        assert_eq!(split("profile a\\ b"), v(&["profile", "a b"]));
        assert_eq!(split("profile \"a\\$b\""), v(&["profile", "a\\$b"]));
        assert_eq!(split("profile \"a\\\"b\\\\\""), v(&["profile", "a\"b\\"]));
        assert_eq!(split("profile 'a\\b'"), v(&["profile", "a\\b"]));
        assert_eq!(split("profile\u{a0}x"), v(&["profile\u{a0}x"]));
        assert_eq!(split("profile it's"), None);
        assert_eq!(split("profile a\\"), None);
        assert_eq!(split("profile \"a"), None);
        assert_eq!(split(""), v(&[]));
        assert_eq!(split("  "), v(&[]));
    }
}
