//! The cache reader against two oracles:
//!
//! * the way it used to work, kept here verbatim: `std::fs::read`,
//!   `serde_json::from_slice::<Value>`, then the field lookups. Every
//!   document serde_json accepts must give the same `Content` both ways
//!   (Python's json accepts it too, with the same values);
//! * botocore itself (`tests/oracle/cache_files_oracle.py`) on every
//!   document of every table below, serde_json's rejections included:
//!   Python's json reads `NaN`, `1e400`, lone surrogates and deep nesting.

use super::*;
use chrono::{Duration, TimeZone};

fn old_parse_time(v: Option<&Json>) -> Option<DateTime<Utc>> {
    v.and_then(Json::as_str)
        .and_then(crate::aws::py::dateutil::parse)
}

fn old_token_content(json: &Json) -> Content {
    let Some(obj) = json.as_object() else {
        return Content::Invalid;
    };
    if !obj.contains_key("accessToken") {
        return Content::Invalid;
    }
    let Some(expires_at) = old_parse_time(obj.get("expiresAt")) else {
        return Content::Invalid;
    };
    let can_refresh = [
        "refreshToken",
        "clientId",
        "clientSecret",
        "registrationExpiresAt",
    ]
    .iter()
    .all(|k| obj.contains_key(*k));
    let refresh = if !can_refresh {
        Refresh::Impossible
    } else {
        match old_parse_time(obj.get("registrationExpiresAt")) {
            Some(until) => Refresh::Until(until),
            None => Refresh::Broken,
        }
    };
    Content::Token(TokenFacts {
        expires_at,
        refresh,
    })
}

fn old_credentials_content(json: &Json) -> Content {
    match old_parse_time(json.get("Credentials").and_then(|c| c.get("Expiration"))) {
        Some(expires_at) => Content::Credentials { expires_at },
        None => Content::Invalid,
    }
}

/// The old reading, plus the size cap that came after it: over the cap a
/// file is `TooLarge` whatever it holds.
fn old_read(path: &Path, shape: Shape) -> Content {
    let Ok(bytes) = std::fs::read(path) else {
        return Content::Unreadable;
    };
    if bytes.len() as u64 > super::super::dirfile::MAX_CACHE_FILE_BYTES {
        return Content::TooLarge;
    }
    old_parse(&bytes, shape)
}

fn old_parse(bytes: &[u8], shape: Shape) -> Content {
    let Ok(json) = serde_json::from_slice::<Json>(bytes) else {
        return Content::Unreadable;
    };
    match shape {
        Shape::Token => old_token_content(&json),
        Shape::Credentials => old_credentials_content(&json),
    }
}

const SHAPES: [Shape; 2] = [Shape::Token, Shape::Credentials];

/// Both readings of `bytes`, for both shapes, and the public `Value`
/// functions too; returns how the oracle classified it as a token.
fn check(bytes: &[u8]) -> Content {
    if serde_json::from_slice::<Json>(bytes).is_err() {
        // Python's grammar differs here: botocore_reads_every_document_alike.
        return Content::Unreadable;
    }
    for shape in SHAPES {
        let want = old_parse(bytes, shape);
        assert_eq!(
            parse(bytes, shape),
            want,
            "{shape:?} {:?}",
            String::from_utf8_lossy(bytes)
        );
        if let Ok(json) = serde_json::from_slice::<Json>(bytes) {
            let public = match shape {
                Shape::Token => token_content(&json),
                Shape::Credentials => credentials_content(&json),
            };
            assert_eq!(public, want, "{shape:?} via Value");
        }
    }
    old_parse(bytes, Shape::Token)
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 12, 0, 0).unwrap()
}

fn at(d: Duration) -> String {
    crate::aws::py::dateutil::format(&(now() + d))
}

/// Values of every JSON kind, and strings that are and are not usable times.
fn values() -> Vec<String> {
    let t = at(Duration::hours(6));
    [
        format!("{t:?}"),
        format!("{:?}", at(-Duration::days(2))),
        r#""2099-01-01T00:00:00+02:00""#.into(),
        r#""2099-01-01T00:00:00""#.into(),
        r#""2099-01-01 00:00:00 UTC""#.into(),
        r#""2099-01-01T00:00:00\u005a""#.into(),
        r#""  2099-01-01T00:00:00Z ""#.into(),
        r#""later""#.into(),
        r#""""#.into(),
        "null".into(),
        "true".into(),
        "0".into(),
        "-1.5e3".into(),
        "[]".into(),
        format!("[{t:?}]"),
        "{}".into(),
        format!(r#"{{"Expiration":{t:?}}}"#),
    ]
    .into_iter()
    .collect()
}

/// Token objects: every field missing, replaced by a value of every kind,
/// and duplicated with the good value first and last.
fn token_field_docs() -> Vec<Vec<u8>> {
    let t = format!("{:?}", at(Duration::minutes(5)));
    let reg = format!("{:?}", at(Duration::days(30)));
    let base = [
        ("accessToken", r#""tok""#.to_string()),
        ("expiresAt", t.clone()),
        ("refreshToken", r#""r""#.into()),
        ("clientId", r#""c""#.into()),
        ("clientSecret", r#""s""#.into()),
        ("registrationExpiresAt", reg),
    ];
    let mut docs = Vec::new();
    let mut object = |pairs: &[(&str, String)]| {
        let body: Vec<String> = pairs.iter().map(|(k, v)| format!("{k:?}:{v}")).collect();
        docs.push(format!("{{{}}}", body.join(",")).into_bytes());
    };
    object(&base);
    for i in 0..base.len() {
        let mut fewer = base.to_vec();
        fewer.remove(i);
        object(&fewer);
        for value in values() {
            let mut other = base.to_vec();
            other[i].1 = value;
            object(&other);
            let mut twice = base.to_vec();
            twice.push(other[i].clone());
            object(&twice);
            let mut twice = other.clone();
            twice.push(base[i].clone());
            object(&twice);
        }
    }
    docs
}

#[test]
fn token_fields_of_every_kind_agree() {
    let mut kinds = std::collections::HashSet::new();
    for doc in token_field_docs() {
        kinds.insert(format!("{:?}", check(&doc)));
    }
    // The table reached every outcome, so it tests something.
    for kind in ["Invalid", "Impossible", "Until", "Broken"] {
        assert!(kinds.iter().any(|k| k.contains(kind)), "{kind}: {kinds:?}");
    }
}

/// Role-credential documents of every shape around `Credentials.Expiration`.
fn credentials_docs() -> Vec<String> {
    let t = format!("{:?}", at(Duration::hours(1)));
    let mut docs = vec![
        format!(r#"{{"Credentials":{{"Expiration":{t}}}}}"#),
        format!(
            r#"{{"ProviderType":"sso","Credentials":{{"AccessKeyId":"A","SessionToken":"x","Expiration":{t}}}}}"#
        ),
        format!(r#"{{"Credentials":{{"Expiration":{t}}},"Credentials":{{}}}}"#),
        format!(r#"{{"Credentials":{{}},"Credentials":{{"Expiration":{t}}}}}"#),
        format!(r#"{{"Credentials":{{"Expiration":{t}}},"Credentials":null}}"#),
        format!(r#"{{"Credentials":{{"Expiration":{t},"Expiration":5}}}}"#),
        format!(r#"{{"Credentials":{{"Expiration":5,"Expiration":{t}}}}}"#),
        format!(r#"{{"Credentials":{{"X":{{"Expiration":{t}}}}}}}"#),
        format!(r#"{{"Expiration":{t}}}"#),
        format!(r#"{{"credentials":{{"Expiration":{t}}}}}"#),
        format!(r#"{{"Cred\u0065ntials":{{"Expir\u0061tion":{t}}}}}"#),
        format!(r#"{{"X":{{"Credentials":{{"Expiration":{t}}}}}}}"#),
        format!(r#"[{{"Credentials":{{"Expiration":{t}}}}}]"#),
        format!(r#"{{"Credentials":[{{"Expiration":{t}}}]}}"#),
    ];
    for value in values() {
        docs.push(format!(r#"{{"Credentials":{{"Expiration":{value}}}}}"#));
        docs.push(format!(r#"{{"Credentials":{value}}}"#));
    }
    docs
}

#[test]
fn credentials_shapes_agree() {
    let docs = credentials_docs();
    for doc in &docs {
        check(doc.as_bytes());
    }
    assert!(matches!(
        parse(docs[0].as_bytes(), Shape::Credentials),
        Content::Credentials { .. }
    ));
}

/// A valid refreshable token and credentials with a ~1 KB session token.
fn samples() -> Vec<String> {
    let t = at(Duration::minutes(5));
    vec![
        format!(
            r#"{{"startUrl": "https://x.awsapps.com/start", "region": "us-east-1", "accessToken": "aoa\u00e9", "expiresAt": "{t}", "clientId": "c", "clientSecret": "s", "registrationExpiresAt": "{t}", "refreshToken": "r"}}"#
        ),
        format!(
            r#"{{"ProviderType": "sso", "Credentials": {{"AccessKeyId": "ASIA", "SecretAccessKey": "k", "SessionToken": "{}", "Expiration": "{t}"}}, "n": [1, -2.5e-3, true, null, {{}}]}}"#,
            "t".repeat(1000)
        ),
        format!(
            r#"{{"Credentials": {{"SessionToken": "tt", "Expiration": "{t}"}}, "n": [1, -2.5e-3, true, null, {{}}]}}"#
        ),
    ]
}

/// Documents at and past the edges of the grammar (both grammars).
fn syntax_docs() -> Vec<Vec<u8>> {
    let t = at(Duration::hours(1));
    let tok = format!(r#""accessToken":"a","expiresAt":"{t}""#);
    let mut docs: Vec<Vec<u8>> = [
        String::new(),
        " \n\t\r".into(),
        format!("{{{tok}}} \n\t\r"),
        format!("{{{tok}}}x"),
        format!("{{{tok}}}{{}}"),
        format!("{{{tok},}}"),
        format!("{{{tok}}}\u{feff}"),
        format!("\u{feff}{{{tok}}}"),
        format!("{{{tok},'a':1}}"),
        format!("{{{tok} /* c */}}"),
        format!("{{{tok},\"n\":NaN}}"),
        format!("{{{tok},\"n\":Infinity}}"),
        format!("{{{tok},\"n\":1e400}}"),
        format!("{{{tok},\"n\":-1e400}}"),
        format!("{{{tok},\"n\":1e-400}}"),
        format!("{{{tok},\"n\":18446744073709551616}}"),
        format!("{{{tok},\"n\":-9223372036854775809}}"),
        format!("{{{tok},\"n\":01}}"),
        format!("{{{tok},\"n\":1.}}"),
        format!("{{{tok},\"n\":-}}"),
        format!("{{{tok},\"n\":+1}}"),
        format!("{{{tok},\"n\":.5}}"),
        format!("{{{tok},\"n\":\"\\ud800\"}}"),
        format!("{{{tok},\"n\":\"\\udc00\"}}"),
        format!("{{{tok},\"n\":\"\\ud83d\\ude00\"}}"),
        format!("{{{tok},\"n\":\"\\x\"}}"),
        format!("{{{tok},\"n\":\"\\u12\"}}"),
        format!("{{{tok},\"n\":\"a\tb\"}}"),
        format!("{{{tok},\"n\":\"a\u{7f}b\"}}"),
        format!("{{{tok},\"\\ud800\":1}}"),
        format!("{{{tok},\"n\":tru}}"),
        format!("{{{tok},\"n\":nul}}"),
        format!("{{{tok},\"n\":[1,]}}"),
        format!("{{{tok},\"n\":[1 2]}}"),
        format!("{{{tok},\"n\":{{\"a\" 1}}}}"),
        format!("{{{tok},\"n\":{{1:1}}}}"),
        format!("{{{tok},\"n\"}}"),
        format!("{{{tok};\"n\":1}}"),
        format!("{{{tok},\"expiresAt\":\"{t}\\u0000\"}}"),
        format!("{{\"acce\\u0073sToken\":1,\"expires\\u0041t\":\"{t}\"}}"),
        format!("{{\"accessToken \":1,\"expiresAt\":\"{t}\"}}"),
        format!("{{\"AccessToken\":1,\"expiresAt\":\"{t}\"}}"),
        format!("{{\"x\":{{{tok}}}}}"),
        format!("[{{{tok}}}]"),
        "[]".into(),
        "[1,[2,{}],\"s\"]".into(),
        "\"accessToken\"".into(),
        "5".into(),
        "null".into(),
        "true".into(),
        "{}".into(),
        "{".into(),
        "}".into(),
    ]
    .into_iter()
    .map(String::into_bytes)
    .collect();
    // Bytes that are not UTF-8, in an unwanted value, a key and a wanted value.
    for bad in [&b"\xff"[..], b"\xc3", b"\xed\xa0\x80", b"\xc0\xaf"] {
        for template in [
            format!("{{{tok},\"n\":\"@\"}}"),
            format!("{{{tok},\"@\":1}}"),
            format!("{{\"accessToken\":\"@\",\"expiresAt\":\"{t}\"}}"),
            format!("{{{tok}}}@"),
        ] {
            let (head, tail) = template.split_once('@').unwrap();
            docs.push([head.as_bytes(), bad, tail.as_bytes()].concat());
        }
    }
    docs
}

#[test]
fn syntax_is_exactly_serde_json_value_where_it_accepts() {
    for doc in &syntax_docs() {
        check(doc);
    }
}

/// Nesting around serde_json's limit (128) and botocore's (see
/// `cachejson::TOKEN_MAX_DEPTH`), in each place a file can nest. Depths
/// within a few levels of botocore's limit are left out: there Python's
/// answer depends on how deep in the stack the caller is.
fn nesting_docs() -> Vec<Vec<u8>> {
    let t = at(Duration::hours(1));
    let near = |d: usize, limit: usize| d.abs_diff(limit) < 8;
    let mut docs = Vec::new();
    let depths = (120..=130).chain([300, 480, 510, 700, 970, 1010, 3000]);
    for depth in depths {
        let open = "[".repeat(depth);
        let close = "]".repeat(depth);
        let objects = format!("{}1{}", r#"{"a":"#.repeat(depth), "}".repeat(depth));
        // Total depth of each document, for leaving out those near a limit.
        for (doc, total) in [
            (format!("{open}{close}"), depth),
            (objects.clone(), depth),
            (
                format!(r#"{{"accessToken":{open}{close},"expiresAt":"{t}"}}"#),
                depth + 1,
            ),
            (
                format!(r#"{{"accessToken":"a","expiresAt":"{t}","n":{objects}}}"#),
                depth + 1,
            ),
            (
                format!(r#"{{"Credentials":{{"Expiration":"{t}","n":{open}{close}}}}}"#),
                depth + 2,
            ),
        ] {
            let limits = [
                crate::aws::py::json_load::TOKEN_MAX_DEPTH,
                crate::aws::py::json_load::CREDENTIALS_MAX_DEPTH,
            ];
            if !limits.iter().any(|&l| near(total, l)) {
                docs.push(doc.into_bytes());
            }
        }
    }
    docs
}

#[test]
fn nesting_within_serde_json_s_limit_agrees() {
    for doc in nesting_docs() {
        check(&doc);
    }
}

/// Every truncation of the samples, every byte replaced by each of a set
/// of significant bytes, and every byte removed.
fn mutation_docs() -> Vec<Vec<u8>> {
    const BYTES: &[u8] = b"\"\\{}[],:0e- \x00\xffnt/N";
    let mut docs = Vec::new();
    for sample in samples() {
        let sample = sample.as_bytes();
        for end in 0..=sample.len() {
            docs.push(sample[..end].to_vec());
        }
        for at in 0..sample.len() {
            let mut doc = sample.to_vec();
            for &b in BYTES {
                doc[at] = b;
                docs.push(doc.clone());
            }
            docs.push([&sample[..at], &sample[at + 1..]].concat());
        }
    }
    docs
}

#[test]
fn every_truncation_and_byte_change_agrees() {
    for doc in mutation_docs() {
        check(&doc);
    }
}

#[test]
fn files_read_as_the_old_way_did() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let t = at(Duration::hours(1));
    let big_token = "t".repeat(100_000);
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("empty.json", Vec::new()),
        ("token.json", samples()[0].clone().into_bytes()),
        ("creds.json", samples()[1].clone().into_bytes()),
        ("bad.json", b"{\"Credentials\":".to_vec()),
        // Bigger than the reader's buffer, before and after small files.
        (
            "big.json",
            format!(
                r#"{{"accessToken":"{big_token}","expiresAt":"{t}","Credentials":{{"SessionToken":"{big_token}","Expiration":"{t}"}}}}"#
            )
            .into_bytes(),
        ),
        ("exact.json", {
            let mut doc = format!(r#"{{"accessToken":"a","expiresAt":"{t}","p":""#).into_bytes();
            doc.resize(8 * 1024 - 2, b'p');
            doc.extend_from_slice(b"\"}");
            doc
        }),
        // Many times the buffer, yet under the 1 MiB cap.
        ("huge.json", {
            let mut doc = format!("{{\"Credentials\":{{\"Expiration\":\"{t}\"}},\"p\":[").into_bytes();
            doc.extend(std::iter::repeat_n(b"1,".as_slice(), 500_000).flatten());
            doc.extend_from_slice(b"1]}");
            doc
        }),
        // Over the cap: never parsed, whatever it holds.
        ("over-cap.json", {
            let mut doc = format!("{{\"Credentials\":{{\"Expiration\":\"{t}\"}},\"p\":[").into_bytes();
            doc.extend(std::iter::repeat_n(b"1,".as_slice(), 600_000).flatten());
            doc.extend_from_slice(b"1]}");
            doc
        }),
    ];
    for (name, bytes) in &files {
        std::fs::write(d.join(name), bytes).unwrap();
    }
    std::fs::create_dir(d.join("sub")).unwrap();
    std::fs::write(d.join("sub/in.json"), &files[1].1).unwrap();
    std::os::unix::fs::symlink("token.json", d.join("rel-link.json")).unwrap();
    std::os::unix::fs::symlink("sub/in.json", d.join("sub-link.json")).unwrap();
    std::os::unix::fs::symlink(d.join("big.json"), d.join("abs-link.json")).unwrap();
    std::fs::write(d.join("gone.json"), &files[1].1).unwrap();

    let tokens = CacheDir::tokens(d);
    let creds = CacheDir::credentials(d);
    // Listed, then removed: the read fails (Unreadable), as it used to.
    std::fs::remove_file(d.join("gone.json")).unwrap();
    tokens.read_all();
    creds.read_all();
    let mut names: Vec<&String> = tokens.files.keys().collect();
    names.sort();
    assert_eq!(names.len(), files.len() + 4, "{names:?}");
    for name in names {
        for (dir, shape) in [(&tokens, Shape::Token), (&creds, Shape::Credentials)] {
            let want = old_read(&d.join(name), shape);
            assert_eq!(dir.get(name), &want, "{name} {shape:?} read_all");
            if name == "gone.json" {
                continue;
            }
            let fresh = CacheDir::list(d, shape);
            assert_eq!(fresh.get(name), &want, "{name} {shape:?} get");
            let one = match shape {
                Shape::Token => read_token_file(d, name),
                Shape::Credentials => read_credentials_file(d, name),
            };
            assert_eq!(one, want, "{name} {shape:?} one file");
        }
    }
    assert_eq!(tokens.get("gone.json"), &Content::Unreadable);
    assert!(matches!(tokens.get("big.json"), Content::Token(_)));
    assert!(matches!(
        creds.get("huge.json"),
        Content::Credentials { .. }
    ));
    assert!(matches!(tokens.get("exact.json"), Content::Token(_)));
    assert_eq!(creds.get("over-cap.json"), &Content::TooLarge);
}

/// What Python's json reads and serde_json does not: the values botocore
/// takes from such files.
fn python_docs() -> Vec<Vec<u8>> {
    let t = at(Duration::hours(6));
    let old = at(-Duration::days(2));
    let soon = at(Duration::minutes(5));
    let reg = at(Duration::days(30));
    let refreshable = |extra: &str| {
        format!(
            r#"{{"accessToken":"a","expiresAt":"{soon}","refreshToken":"r","clientId":"c","clientSecret":"s","registrationExpiresAt":{extra}}}"#
        )
    };
    let mut docs: Vec<String> = Vec::new();
    for odd in [
        "NaN",
        "Infinity",
        "-Infinity",
        "1e400",
        "-1e400",
        "1e-400",
        "\"\\ud800\"",
        "\"\\udfff\\ud800\"",
        "\"\\ud83d\\ude00\"",
        "[NaN,{\"x\":Infinity}]",
        "123456789012345678901234567890",
        "18446744073709551616",
    ] {
        docs.push(format!(
            r#"{{"accessToken":"a","expiresAt":"{t}","n":{odd}}}"#
        ));
        docs.push(format!(r#"{{"accessToken":{odd},"expiresAt":"{t}"}}"#));
        docs.push(format!(r#"{{"accessToken":"a","expiresAt":{odd}}}"#));
        docs.push(format!(
            r#"{{"accessToken":"a","expiresAt":"{t}","expiresAt":{odd}}}"#
        ));
        docs.push(format!(
            r#"{{"accessToken":"a","expiresAt":{odd},"expiresAt":"{t}"}}"#
        ));
        docs.push(refreshable(odd));
        docs.push(format!(
            r#"{{"Credentials":{{"Expiration":"{t}","n":{odd}}}}}"#
        ));
        docs.push(format!(r#"{{"Credentials":{{"Expiration":{odd}}}}}"#));
        docs.push(format!(
            r#"{{"Credentials":{{"Expiration":"{t}"}},"Credentials":{odd}}}"#
        ));
        docs.push(format!(
            r#"{{"Credentials":{odd},"Credentials":{{"Expiration":"{t}"}}}}"#
        ));
        docs.push(format!(r#"{{{odd}:1}}"#));
        docs.push(odd.to_string());
    }
    // Duplicates: the last one counts, whatever came first.
    docs.push(format!(
        r#"{{"accessToken":"a","expiresAt":"{t}","expiresAt":"{old}"}}"#
    ));
    docs.push(format!(
        r#"{{"accessToken":"a","expiresAt":"{old}","expiresAt":"{t}"}}"#
    ));
    docs.push(refreshable(&format!(
        "\"{reg}\",\"registrationExpiresAt\":\"{old}\""
    )));
    docs.push(refreshable(&format!(
        "\"{old}\",\"registrationExpiresAt\":\"{reg}\""
    )));
    docs.push(format!(
        r#"{{"Credentials":{{"Expiration":"{t}","Expiration":"{old}"}}}}"#
    ));
    // A key with a lone surrogate is a key like any other.
    docs.push(format!(
        r#"{{"\ud800":1,"accessToken":"a","expiresAt":"{t}"}}"#
    ));
    docs.push(format!(r#"{{"accessToken\ud800":"a","expiresAt":"{t}"}}"#));
    // Python's int digit limit, and floats of any length.
    for n in [4300, 4301] {
        let digits = "7".repeat(n);
        docs.push(format!(
            r#"{{"accessToken":"a","expiresAt":"{t}","n":{digits}}}"#
        ));
        docs.push(format!(
            r#"{{"accessToken":"a","expiresAt":"{t}","n":-{digits}}}"#
        ));
        docs.push(format!(
            r#"{{"accessToken":"a","expiresAt":"{t}","n":{digits}.5}}"#
        ));
        docs.push(format!(
            r#"{{"accessToken":"a","expiresAt":"{t}","n":{digits}e3}}"#
        ));
    }
    for bad in [
        "nan",
        "-NaN",
        "NaNa",
        "Inf",
        "+Infinity",
        "infinity",
        "-infinity",
    ] {
        docs.push(format!(
            r#"{{"accessToken":"a","expiresAt":"{t}","n":{bad}}}"#
        ));
    }
    docs.into_iter().map(String::into_bytes).collect()
}

/// Written before the Python grammar: serde_json called all of these
/// unreadable.
#[test]
fn python_json_values_are_read_as_botocore_reads_them() {
    let t = at(Duration::hours(6));
    let old = at(-Duration::days(2));
    let token =
        |doc: String| parse(doc.as_bytes(), Shape::Token).token_status(TokenUse::Session, now());
    let creds = |doc: String| parse(doc.as_bytes(), Shape::Credentials).credentials_status(now());
    for odd in [
        "NaN",
        "Infinity",
        "-Infinity",
        "1e400",
        "\"\\ud800\"",
        &"9".repeat(400),
    ] {
        assert_eq!(
            token(format!(
                r#"{{"accessToken":{odd},"expiresAt":"{t}","n":[{odd}]}}"#
            )),
            Status::Valid,
            "{odd}"
        );
        assert_eq!(
            creds(format!(
                r#"{{"Credentials":{{"Expiration":"{t}","n":{odd}}}}}"#
            )),
            Status::Valid,
            "{odd}"
        );
        // dateutil raises TypeError on a float: unusable.
        assert_eq!(
            token(format!(
                r#"{{"accessToken":"a","expiresAt":"{t}","expiresAt":{odd}}}"#
            )),
            Status::Invalid,
            "{odd}"
        );
    }
    assert_eq!(
        token(format!(
            r#"{{"accessToken":"a","expiresAt":"{t}","expiresAt":"{old}","n":NaN}}"#
        )),
        Status::Expired
    );
    let deep = format!("{}{}", "[".repeat(400), "]".repeat(400));
    assert_eq!(
        token(format!(
            r#"{{"accessToken":"a","expiresAt":"{t}","n":{deep}}}"#
        )),
        Status::Valid
    );
    assert_eq!(
        token(format!(
            r#"{{"accessToken":"a","expiresAt":"{t}","n":{}}}"#,
            "7".repeat(4301)
        )),
        Status::Unreadable
    );
}

/// The python with botocore, or `None` after printing `SKIPPED:` (a
/// failure under `AWSP_REQUIRE_ALL=1`, as tests/it/common's `skip`).
pub(crate) fn oracle_python() -> Option<std::path::PathBuf> {
    let python = std::env::var_os("AWSP_ORACLE_PYTHON")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python"));
    let works = std::process::Command::new(&python)
        .args(["-c", "import botocore, dateutil"])
        .output()
        .is_ok_and(|o| o.status.success());
    if works {
        return Some(python);
    }
    let why = format!(
        "{} cannot import botocore, dateutil (set AWSP_ORACLE_PYTHON, see tests/oracle/README.md)",
        python.display()
    );
    assert!(
        std::env::var("AWSP_REQUIRE_ALL").as_deref() != Ok("1"),
        "{why} (AWSP_REQUIRE_ALL=1 makes a skip a failure)"
    );
    let thread = std::thread::current();
    // Written to fd 2 directly: libtest captures `eprintln!` of a passing test.
    let line = format!(
        "SKIPPED: {}: {why} (scripts/test installs it)\n",
        thread.name().unwrap_or("test")
    );
    let _ = std::io::Write::write_all(&mut std::io::stderr(), line.as_bytes());
    None
}

/// botocore's verdict on one document, as the oracle prints it.
#[derive(serde::Deserialize, Debug, PartialEq)]
pub(crate) struct Verdict {
    token: String,
    token_expires: Option<i64>,
    creds: String,
    creds_expires: Option<i64>,
}

/// Ours, in the same terms: statuses and expiry in microseconds (what
/// botocore's datetimes hold).
fn our_verdict(doc: &[u8]) -> Verdict {
    let token = parse(doc, Shape::Token);
    let creds = parse(doc, Shape::Credentials);
    let micros = |c: &Content| c.expires_at().map(|t| t.timestamp_micros());
    let token_status = token.token_status(TokenUse::Session, now());
    let creds_status = creds.credentials_status(now());
    // botocore reports no time for a file it could not use.
    let shown = |s: Status, c: &Content| match s {
        Status::Valid | Status::Expired | Status::Refreshable => micros(c),
        _ => None,
    };
    Verdict {
        token: token_status.as_str().into(),
        token_expires: shown(token_status, &token),
        creds: creds_status.as_str().into(),
        creds_expires: shown(creds_status, &creds),
    }
}

/// botocore's verdicts on `docs`, in one run of the oracle.
pub(crate) fn botocore_verdicts(python: &Path, docs: &[Vec<u8>]) -> Vec<Verdict> {
    use std::io::Write;
    let request = serde_json::json!({
        "now": now().timestamp(),
        "docs": docs.iter().map(hex::encode).collect::<Vec<_>>(),
    });
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracle/cache_files_oracle.py");
    let mut child = std::process::Command::new(python)
        .arg(script)
        .env("TZ", "UTC")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("run the oracle");
    let body = serde_json::to_vec(&request).unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(&body));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(out.status.success(), "oracle failed");
    serde_json::from_slice(&out.stdout).expect("oracle output")
}

/// Every document of every table above, read by botocore and by awsp:
/// the same statuses and expiry times.
#[test]
fn botocore_reads_every_document_alike() {
    let Some(python) = oracle_python() else {
        return;
    };
    let mut docs: Vec<Vec<u8>> = Vec::new();
    docs.extend(token_field_docs());
    docs.extend(credentials_docs().into_iter().map(String::into_bytes));
    docs.extend(syntax_docs());
    docs.extend(nesting_docs());
    docs.extend(python_docs());
    // The short samples' mutations: the long one's add only length.
    docs.extend(mutation_docs().into_iter().filter(|d| d.len() < 400));
    let want = botocore_verdicts(&python, &docs);
    assert_eq!(want.len(), docs.len());
    let mut wrong = Vec::new();
    for (doc, want) in docs.iter().zip(&want) {
        let got = our_verdict(doc);
        if &got != want {
            wrong.push(format!(
                "{:?}\n  botocore {want:?}\n  awsp     {got:?}",
                String::from_utf8_lossy(&doc[..doc.len().min(300)])
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} documents differ:\n{}",
        wrong.len(),
        docs.len(),
        wrong[..wrong.len().min(20)].join("\n")
    );
}
