//! Writes a role-credential cache file exactly as the AWS CLI v2 does
//! (botocore's `JSONFileCache.__setitem__` on `SSOCredentialFetcher`'s
//! answer): the same name, `json.dumps` with default separators and no
//! final newline, mode 0600, a temp file in the same folder renamed over
//! the old one, so a reader never sees half a file.

use std::fs;
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};

use crate::aws::py::json::py_string;
use crate::home::replace::replace;
use crate::portal::RoleCredentials;

/// The file's text for credentials of `account_id` (botocore 1.44.8 adds
/// `AccountId`; older readers ignore it).
pub fn cache_text(c: &RoleCredentials, account_id: &str) -> Option<String> {
    let expiration = expiration_text(c.expiration_ms)?;
    Some(format!(
        "{{\"ProviderType\": \"sso\", \"Credentials\": {{\"AccessKeyId\": {}, \"SecretAccessKey\": {}, \"SessionToken\": {}, \"Expiration\": {}, \"AccountId\": {}}}}}",
        py_string(&c.access_key_id),
        py_string(&c.secret_access_key),
        py_string(&c.session_token),
        py_string(&expiration),
        py_string(account_id),
    ))
}

/// botocore's `_parse_timestamp`: epoch ms, the sub-second part cut off,
/// `%Y-%m-%dT%H:%M:%SZ` in UTC.
pub fn expiration_text(ms: i64) -> Option<String> {
    let at = chrono::DateTime::from_timestamp(ms.div_euclid(1000), 0)?;
    Some(at.format("%Y-%m-%dT%H:%M:%SZ").to_string())
}

/// Writes `text` as `dir/name`: the folder is made (0700) if missing, the
/// file is 0600 from its creation, synced, then renamed into place.
pub fn write_cache_file(dir: &Path, name: &str, text: &str) -> std::io::Result<PathBuf> {
    if !dir.is_dir() {
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
    }
    let path = dir.join(name);
    replace(&path, text.as_bytes(), 0o600)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::MetadataExt;

    fn creds() -> RoleCredentials {
        RoleCredentials {
            access_key_id: "ASIAX".into(),
            secret_access_key: "s/+=".into(),
            session_token: "t\u{e9}".into(),
            expiration_ms: 1_796_190_984_999,
        }
    }

    #[test]
    fn text_is_what_json_dumps_writes() {
        assert_eq!(
            cache_text(&creds(), "111111111111").unwrap(),
            r#"{"ProviderType": "sso", "Credentials": {"AccessKeyId": "ASIAX", "SecretAccessKey": "s/+=", "SessionToken": "t\u00e9", "Expiration": "2026-12-02T05:56:24Z", "AccountId": "111111111111"}}"#
        );
    }

    #[test]
    fn file_is_0600_in_a_0700_folder_made_for_it_and_replaced_whole() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("cli/cache");
        let path = write_cache_file(&dir, "a.json", "one").unwrap();
        assert_eq!(fs::metadata(&dir).unwrap().mode() & 0o777, 0o700);
        assert_eq!(fs::metadata(&path).unwrap().mode() & 0o777, 0o600);
        write_cache_file(&dir, "a.json", "two").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "two");
        let names: Vec<_> = fs::read_dir(&dir).unwrap().flatten().collect();
        assert_eq!(names.len(), 1, "no temp file is left behind");
    }
}
