//! Where the portal is: `https://portal.sso.{sso_region}.amazonaws.com`,
//! unless `AWS_ENDPOINT_URL_SSO` or `AWS_ENDPOINT_URL` says otherwise, in
//! the SDKs' order. The environment is an input so tests need no process
//! environment.

use super::error::PortalError;

/// A look-up of one environment variable (`None` when unset).
pub type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

/// The process environment, as an [`Env`]; values that are not UTF-8 count as unset.
pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// The portal's base URL, without a trailing `/`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    base: String,
}

impl Endpoint {
    /// The endpoint the AWS SDKs would use for service `sso` in `sso_region`:
    /// the service-specific variable first, then the global one, then the
    /// regional host. An empty variable counts as unset, and
    /// `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true` ignores both, as botocore does.
    pub fn for_region(sso_region: &str, env: Env) -> Result<Endpoint, PortalError> {
        if let Some(url) = configured_url(env) {
            return Endpoint::from_url(&url);
        }
        if !is_region_name(sso_region) {
            return Err(PortalError::InvalidRegion {
                region: sso_region.to_owned(),
            });
        }
        Ok(Endpoint {
            base: format!("https://portal.sso.{sso_region}.amazonaws.com"),
        })
    }

    /// A full base URL such as `http://127.0.0.1:8080` (a path is kept).
    pub fn from_url(url: &str) -> Result<Endpoint, PortalError> {
        let url = url.trim();
        let invalid = |reason: &str| PortalError::InvalidEndpoint {
            url: url.to_owned(),
            reason: reason.to_owned(),
        };
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .ok_or_else(|| invalid("it must begin with https:// or http://"))?;
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        if host.is_empty() {
            return Err(invalid("it names no host"));
        }
        if rest.contains(['?', '#']) || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid(
                "it must be a plain base URL, without query, fragment or spaces",
            ));
        }
        Ok(Endpoint {
            base: url.trim_end_matches('/').to_owned(),
        })
    }

    pub fn base_url(&self) -> &str {
        &self.base
    }

    pub fn is_https(&self) -> bool {
        self.base.starts_with("https://")
    }

    /// The host (without port or user info), for proxy and error decisions.
    pub fn host(&self) -> &str {
        let rest = self.base.split_once("://").map_or("", |(_, r)| r);
        let authority = rest.split('/').next().unwrap_or("");
        let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        if let Some(v6) = authority.strip_prefix('[') {
            return v6.split(']').next().unwrap_or("");
        }
        authority.split(':').next().unwrap_or("")
    }
}

fn configured_url(env: Env) -> Option<String> {
    let ignore = env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
    if ignore {
        return None;
    }
    ["AWS_ENDPOINT_URL_SSO", "AWS_ENDPOINT_URL"]
        .into_iter()
        .filter_map(env)
        .find(|v| !v.trim().is_empty())
}

/// Region names are plain words (`us-east-1`, `eu-central-2`); anything
/// else would make a host name that is not the portal's.
fn is_region_name(region: &str) -> bool {
    !region.is_empty()
        && region.len() <= 64
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn regional_host_by_default() {
        let e = Endpoint::for_region("eu-west-1", &env_of(&[])).unwrap();
        assert_eq!(e.base_url(), "https://portal.sso.eu-west-1.amazonaws.com");
        assert_eq!(e.host(), "portal.sso.eu-west-1.amazonaws.com");
        assert!(e.is_https());
    }

    #[test]
    fn service_variable_beats_global_beats_region() {
        let both = env_of(&[
            ("AWS_ENDPOINT_URL_SSO", "http://127.0.0.1:9/"),
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:8"),
        ]);
        assert_eq!(
            Endpoint::for_region("us-east-1", &both).unwrap().base_url(),
            "http://127.0.0.1:9"
        );
        let global = env_of(&[("AWS_ENDPOINT_URL", "http://[::1]:8")]);
        let e = Endpoint::for_region("us-east-1", &global).unwrap();
        assert_eq!(e.base_url(), "http://[::1]:8");
        assert_eq!(e.host(), "::1");
        let empty_sso = env_of(&[
            ("AWS_ENDPOINT_URL_SSO", ""),
            ("AWS_ENDPOINT_URL", "http://localhost:7"),
        ]);
        assert_eq!(
            Endpoint::for_region("us-east-1", &empty_sso)
                .unwrap()
                .host(),
            "localhost"
        );
    }

    #[test]
    fn ignore_configured_endpoint_urls() {
        let env = env_of(&[
            ("AWS_ENDPOINT_URL_SSO", "http://127.0.0.1:9"),
            ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "True"),
        ]);
        assert_eq!(
            Endpoint::for_region("us-east-1", &env).unwrap().base_url(),
            "https://portal.sso.us-east-1.amazonaws.com"
        );
    }

    #[test]
    fn bad_urls_and_regions_are_refused_with_the_reason() {
        for bad in ["127.0.0.1:9", "ftp://x", "http://", "http://h/?q=1"] {
            let err = Endpoint::from_url(bad).unwrap_err().to_string();
            assert!(err.contains(bad.trim_end_matches('/')), "{err}");
        }
        for bad in ["", "us east", "evil.com/x", "US-EAST-1"] {
            assert!(Endpoint::for_region(bad, &env_of(&[])).is_err(), "{bad:?}");
        }
    }
}
