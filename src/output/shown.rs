//! Setting values as people may see them: secrets masked, access key ids
//! shortened, for `list`, `status`, `doctor`, login messages and the picker.
//! What counts as a secret is the model's ([`crate::aws::ini`]).

use std::borrow::Cow;

use crate::aws::ini::{Value, MASK};

/// Secret-bearing keys whose values are never printed.
pub fn is_secret_key(key: &str) -> bool {
    crate::aws::ini::is_secret_key(key)
}

/// The value shown for a setting: secrets masked, access key ids
/// shortened; the whole value masked when an indented line in it assigns a
/// secret (it continues this value), a sub-section's entries masked by
/// their own names. Borrowed when shown as written (most values; this runs
/// 10,000s of times).
pub fn shown_value<'a>(key: &str, value: &'a Value) -> Cow<'a, str> {
    match (key, value) {
        (k, _) if is_secret_key(k) => Cow::Borrowed(MASK),
        ("aws_access_key_id", Value::Str(s)) => Cow::Owned(mask_key_id(s)),
        (_, Value::Str(s)) => crate::aws::ini::shown_str(s),
        (_, Value::Map(entries)) => Cow::Owned(
            entries
                .iter()
                .map(|(k, v)| format!("{k}={}", shown_entry(k, v)))
                .collect::<Vec<_>>()
                .join(", "),
        ),
    }
}

/// A sub-section entry's value as shown: masked by its own name.
pub fn shown_entry<'a>(key: &str, value: &'a str) -> &'a str {
    if is_secret_key(key) {
        MASK
    } else {
        value
    }
}

/// A value that is not a setting of its own (an account id, a role name,
/// a session name) as shown: see [`shown_value`].
pub fn shown_text(value: &str) -> Cow<'_, str> {
    crate::aws::ini::shown_str(value)
}

fn mask_key_id(id: &str) -> String {
    let tail: String = id
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    if id.chars().count() > 8 {
        format!("****{tail}")
    } else {
        "****".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_masked_and_key_ids_shortened() {
        let s = |v: &str| Value::Str(v.into());
        assert_eq!(shown_value("aws_secret_access_key", &s("abc")), MASK);
        assert_eq!(shown_value("AWS_SESSION_TOKEN", &s("abc")), MASK);
        assert_eq!(
            shown_value("aws_access_key_id", &s("AKIAABCDEFGH1234")),
            "****1234"
        );
        assert_eq!(shown_value("aws_access_key_id", &s("AKIA")), "****");
        assert_eq!(shown_value("region", &s("eu-west-1")), "eu-west-1");
        let map = Value::Map(vec![
            ("endpoint_url".into(), "https://x".into()),
            ("aws_session_token".into(), "t".into()),
        ]);
        assert_eq!(
            shown_value("s3", &map),
            format!("endpoint_url=https://x, aws_session_token={MASK}")
        );
        assert_eq!(shown_text("a\n  aws_session_token = t"), MASK);
        assert_eq!(shown_text("plain"), "plain");
    }
}
