//! Which profile names a shell variable can carry exactly.
//!
//! `AWS_PROFILE` is an environment variable: a C string, so a NUL byte ends
//! it (the hand-off would switch to a different, shorter name), and an empty
//! value makes botocore fall back to `default`. Such a profile can be listed
//! but never switched to. Every other byte is carried exactly: the init
//! scripts quote for their shell and the tests run hostile names in real
//! shells.

/// Why `name` cannot be handed to a shell as `AWS_PROFILE`, or `None`.
pub fn unswitchable_reason(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        Some("an empty AWS_PROFILE selects the default profile; this profile cannot be switched to (rename it)")
    } else if name.contains('\0') {
        Some("its name holds a NUL byte, which no environment variable can carry; it cannot be switched to (rename it)")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_and_empty_cannot_be_carried() {
        assert!(unswitchable_reason("a\0b").is_some());
        assert!(unswitchable_reason("").is_some());
        for ok in ["a", "a b", "$(x)", "é", "\u{1b}[31m", "-x", "'\""] {
            assert_eq!(unswitchable_reason(ok), None, "{ok:?}");
        }
    }
}
