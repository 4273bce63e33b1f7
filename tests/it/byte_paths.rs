//! HOME, AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE holding bytes that
//! are not UTF-8: botocore opens exactly those bytes (Python's
//! surrogateescape round trip), so awsp must too, with `~` and `$VAR`
//! expanded as botocore expands them.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;

use crate::common::{awsp, from_now, run, sso_token, TestHome};
use chrono::{Duration, Utc};

const CONFIG: &str = "\
[sso-session main]
sso_start_url = https://main.awsapps.com/start
sso_region = us-east-1

[profile byte-home]
sso_session = main
sso_account_id = 111111111111
sso_role_name = Admin
";

/// A folder inside the test's temp root whose name holds the byte 0xff.
fn byte_dir(h: &TestHome, name: &[u8]) -> PathBuf {
    let dir = h.root().join(OsStr::from_bytes(name));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The `list --json` output of awsp run with `envs`.
fn list_json(envs: &[(&str, &OsStr)]) -> serde_json::Value {
    let mut cmd = awsp();
    cmd.args(["list", "--json"]);
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let (out, err, code) = run(&mut cmd);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap()
}

fn profile_names(json: &serde_json::Value) -> Vec<String> {
    json["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn home_with_byte_ff_is_read_as_is() {
    let h = TestHome::new();
    let home = byte_dir(&h, b"h\xffome");
    std::fs::create_dir_all(home.join(".aws/sso/cache")).unwrap();
    std::fs::write(home.join(".aws/config"), CONFIG).unwrap();
    // sha1("main"): the session's token file, valid for an hour.
    std::fs::write(
        home.join(".aws/sso/cache/b28b7af69320201d1cf206ebf28373980add1451.json"),
        sso_token(&from_now(Utc::now(), Duration::hours(1))),
    )
    .unwrap();
    // The lossy reading of HOME (U+FFFD for 0xff) must not be what is read:
    // a decoy there would otherwise be listed.
    let lossy = h.root().join("h\u{fffd}ome/.aws");
    std::fs::create_dir_all(&lossy).unwrap();
    std::fs::write(lossy.join("config"), "[profile decoy]\nregion = x\n").unwrap();

    let json = list_json(&[("HOME", home.as_os_str())]);
    assert_eq!(profile_names(&json), ["byte-home"]);
    let token = &json["profiles"][0]["token"];
    assert_eq!(token["status"], "valid", "{json}");
}

#[test]
fn config_file_variables_with_byte_ff_expand_tilde_and_vars() {
    let h = TestHome::new();
    let home = byte_dir(&h, b"\xff");
    let elsewhere = byte_dir(&h, b"else\xfewhere");
    std::fs::write(home.join("conf"), CONFIG).unwrap();
    std::fs::write(
        elsewhere.join("creds"),
        "[static-one]\naws_access_key_id = AKIA\naws_secret_access_key = s\n",
    )
    .unwrap();
    let json = list_json(&[
        ("HOME", home.as_os_str()),
        ("AWS_CONFIG_FILE", OsStr::from_bytes(b"~/conf")),
        ("WHERE", elsewhere.as_os_str()),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            OsStr::from_bytes(b"${WHERE}/creds"),
        ),
    ]);
    assert_eq!(profile_names(&json), ["byte-home", "static-one"]);
}
