//! The cache reader against the way it used to work, kept here verbatim as
//! the oracle: `std::fs::read`, `serde_json::from_slice::<Value>`, then the
//! field lookups. Every document must give the same `Content` both ways.

use super::*;
use chrono::{Duration, TimeZone};

fn old_parse_time(v: Option<&Json>) -> Option<DateTime<Utc>> {
    v.and_then(Json::as_str).and_then(timestamp::parse)
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
    timestamp::format(&(now() + d))
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

#[test]
fn token_fields_of_every_kind_agree() {
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
    let mut kinds = std::collections::HashSet::new();
    let mut check_object = |pairs: &[(&str, String)]| {
        let body: Vec<String> = pairs.iter().map(|(k, v)| format!("{k:?}:{v}")).collect();
        let content = check(format!("{{{}}}", body.join(",")).as_bytes());
        kinds.insert(format!("{content:?}"));
    };
    check_object(&base);
    for i in 0..base.len() {
        // Field missing.
        let mut fewer = base.to_vec();
        fewer.remove(i);
        check_object(&fewer);
        for value in values() {
            // Field replaced; duplicated with the good value first, last.
            let mut other = base.to_vec();
            other[i].1 = value;
            check_object(&other);
            let mut twice = base.to_vec();
            twice.push(other[i].clone());
            check_object(&twice);
            let mut twice = other.clone();
            twice.push(base[i].clone());
            check_object(&twice);
        }
    }
    // The table reached every outcome, so it tests something.
    for kind in ["Invalid", "Impossible", "Until", "Broken"] {
        assert!(kinds.iter().any(|k| k.contains(kind)), "{kind}: {kinds:?}");
    }
}

#[test]
fn credentials_shapes_agree() {
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
    ]
}

#[test]
fn syntax_is_exactly_serde_json_value() {
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
    for doc in &docs {
        check(doc);
    }
}

#[test]
fn nesting_limit_is_serde_json_value_s() {
    let t = at(Duration::hours(1));
    for depth in 120..=130 {
        let open = "[".repeat(depth);
        let close = "]".repeat(depth);
        let objects = format!("{}1{}", r#"{"a":"#.repeat(depth), "}".repeat(depth));
        for doc in [
            format!("{open}{close}"),
            objects.clone(),
            format!(r#"{{"accessToken":{open}{close},"expiresAt":"{t}"}}"#),
            format!(r#"{{"accessToken":"a","expiresAt":"{t}","n":{objects}}}"#),
            format!(r#"{{"Credentials":{{"Expiration":"{t}","n":{open}{close}}}}}"#),
        ] {
            check(doc.as_bytes());
        }
    }
    // The limit is within the range above.
    assert_eq!(
        check(format!("{}{}", "[".repeat(120), "]".repeat(120)).as_bytes()),
        Content::Invalid
    );
    assert_eq!(
        check(format!("{}{}", "[".repeat(130), "]".repeat(130)).as_bytes()),
        Content::Unreadable
    );
}

#[test]
fn every_truncation_and_byte_change_agrees() {
    const BYTES: &[u8] = b"\"\\{}[],:0e- \x00\xffnt/";
    for sample in samples() {
        let sample = sample.as_bytes();
        for end in 0..=sample.len() {
            check(&sample[..end]);
        }
        for at in 0..sample.len() {
            let mut doc = sample.to_vec();
            for &b in BYTES {
                doc[at] = b;
                check(&doc);
            }
            // And with the byte gone.
            check(&[&sample[..at], &sample[at + 1..]].concat());
        }
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
