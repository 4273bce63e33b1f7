//! Where the portal is: `https://portal.sso.{sso_region}.amazonaws.com`,
//! unless the environment or the config file says otherwise, in botocore's
//! order (`ConfiguredEndpointProvider`): `AWS_ENDPOINT_URL_SSO`, then
//! `AWS_ENDPOINT_URL`, then the profile's `services` section's
//! `sso = endpoint_url = ...`, then the profile's `endpoint_url`; all of
//! them off with `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` or the profile's
//! `ignore_configured_endpoint_urls` (`true` in any case; the variable
//! first). The environment is an input so tests need no process
//! environment.

use super::error::PortalError;
use crate::aws::config::{Config, Profile};
use crate::aws::ini::{self, Value};

/// What the config file says about the portal's endpoint for one profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigEndpoint {
    /// `ignore_configured_endpoint_urls`, as botocore's `ensure_boolean`.
    pub ignore: Option<bool>,
    /// `endpoint_url` of the `sso` sub-section of the profile's `services`,
    /// or why it cannot be read (botocore raises; only when it is reached).
    pub service: Result<Option<String>, String>,
    /// The profile's own `endpoint_url`.
    pub global: Option<String>,
}

impl ConfigEndpoint {
    /// Nothing in the config file: the environment or the regional host.
    pub fn none() -> ConfigEndpoint {
        ConfigEndpoint {
            ignore: None,
            service: Ok(None),
            global: None,
        }
    }

    /// The settings of `profile` (merged, as botocore's scoped config).
    pub fn of_profile(config: &Config, profile: &Profile) -> ConfigEndpoint {
        let text = |key: &str| match ini::get(&profile.settings, key) {
            Some(Value::Str(s)) => Ok(Some(s.to_string())),
            Some(Value::Map(_)) => Err(format!(
                "profile {}: {key} is a sub-section, not a value",
                profile.name
            )),
            None => Ok(None),
        };
        let service = match text("services") {
            Err(e) => Err(e),
            Ok(None) => Ok(None),
            Ok(Some(name)) => match config.services_section(&name) {
                None => Err(format!(
                    "profile {}: services = {name}, but the config file has no [services {name}] section",
                    profile.name
                )),
                Some(section) => match ini::get(&section.settings, "sso") {
                    None => Ok(None),
                    Some(Value::Map(entries)) => Ok(entries
                        .iter()
                        .rev()
                        .find(|(k, _)| k == "endpoint_url")
                        .map(|(_, v)| v.clone())),
                    Some(Value::Str(_)) => Err(format!(
                        "[services {name}] (line {}): sso must be a sub-section (sso =, then an indented endpoint_url = ...)",
                        section.line
                    )),
                },
            },
        };
        ConfigEndpoint {
            ignore: text("ignore_configured_endpoint_urls")
                .ok()
                .flatten()
                .map(|v| v.eq_ignore_ascii_case("true")),
            service,
            global: text("endpoint_url").unwrap_or(None),
        }
    }
}

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
        Endpoint::resolve(sso_region, env, &ConfigEndpoint::none())
    }

    /// [`Endpoint::for_region`] with the config file's settings after the
    /// environment's.
    pub fn resolve(
        sso_region: &str,
        env: Env,
        file: &ConfigEndpoint,
    ) -> Result<Endpoint, PortalError> {
        if let Some(url) = configured_url(env, file)? {
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

    /// `localhost` or a loopback address: a request that does not leave
    /// this machine.
    pub fn is_loopback(&self) -> bool {
        let host = self.host();
        host.eq_ignore_ascii_case("localhost")
            || host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
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

/// The endpoint URL the environment or the config file sets, botocore's
/// order; `None` for the regional portal. (Doctor asks it too: whether
/// an AWS CLI that reads none of these would call another host.)
pub fn configured_url(env: Env, file: &ConfigEndpoint) -> Result<Option<String>, PortalError> {
    // botocore's `ensure_boolean`: `true` in any case, nothing else; a set
    // variable decides, even when it says no.
    let ignore = match env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS") {
        Some(v) => v.eq_ignore_ascii_case("true"),
        None => file.ignore.unwrap_or(false),
    };
    if ignore {
        return Ok(None);
    }
    let set = |v: &String| !v.trim().is_empty();
    if let Some(url) = ["AWS_ENDPOINT_URL_SSO", "AWS_ENDPOINT_URL"]
        .into_iter()
        .filter_map(env)
        .find(set)
    {
        return Ok(Some(url));
    }
    match &file.service {
        Err(problem) => {
            return Err(PortalError::EndpointConfig {
                problem: problem.clone(),
            })
        }
        Ok(Some(url)) if set(url) => return Ok(Some(url.clone())),
        Ok(_) => {}
    }
    Ok(file.global.clone().filter(set))
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

    fn resolved(config: &str, profile: &str, env: &[(&str, &str)]) -> Result<String, String> {
        let c = Config::from_texts(config, "");
        let file = ConfigEndpoint::of_profile(&c, c.profile(profile).unwrap());
        Endpoint::resolve("us-east-1", &env_of(env), &file)
            .map(|e| e.base_url().to_string())
            .map_err(|e| e.to_string())
    }

    /// botocore's order: the two variables, then the services section's
    /// `sso` `endpoint_url`, then the profile's own `endpoint_url`.
    #[test]
    fn the_config_file_comes_after_the_environment() {
        let config = "[profile p]\nservices = corp\nendpoint_url = http://global:1\n\
                      [profile g]\nendpoint_url = http://global:1\n\
                      [services corp]\nsso =\n  endpoint_url = http://sso:2\ns3 =\n  endpoint_url = http://s3:3\n";
        let sso = [("AWS_ENDPOINT_URL_SSO", "http://env-sso:4")];
        let global = [("AWS_ENDPOINT_URL", "http://env:5")];
        assert_eq!(resolved(config, "p", &sso).unwrap(), "http://env-sso:4");
        assert_eq!(resolved(config, "p", &global).unwrap(), "http://env:5");
        assert_eq!(resolved(config, "p", &[]).unwrap(), "http://sso:2");
        assert_eq!(resolved(config, "g", &[]).unwrap(), "http://global:1");
        // Another service's entry is not the portal's.
        let s3_only =
            "[profile p]\nservices = corp\n[services corp]\ns3 =\n  endpoint_url = http://s3:3\n";
        assert_eq!(
            resolved(s3_only, "p", &[]).unwrap(),
            "https://portal.sso.us-east-1.amazonaws.com"
        );
    }

    #[test]
    fn ignoring_configured_endpoints_from_the_file_or_the_variable() {
        let config = "[profile p]\nendpoint_url = http://global:1\nignore_configured_endpoint_urls = TRUE\n\
                      [profile q]\nendpoint_url = http://global:1\nignore_configured_endpoint_urls = yes\n";
        let regional = "https://portal.sso.us-east-1.amazonaws.com";
        assert_eq!(resolved(config, "p", &[]).unwrap(), regional);
        assert_eq!(resolved(config, "q", &[]).unwrap(), "http://global:1");
        // A set variable decides, whatever the file says.
        let no = [("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false")];
        assert_eq!(resolved(config, "p", &no).unwrap(), "http://global:1");
        let yes = [("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")];
        assert_eq!(resolved(config, "q", &yes).unwrap(), regional);
        // ensure_boolean: no trimming, so " true" is not true.
        let spaced = [("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", " true")];
        assert_eq!(resolved(config, "q", &spaced).unwrap(), "http://global:1");
    }

    /// A `services` that names no section, or an `sso` that is not a
    /// sub-section, is an error botocore raises, but only once it is
    /// reached: the variables come first.
    #[test]
    fn a_broken_services_section_is_named_when_it_is_reached() {
        let missing = "[profile p]\nservices = nope\n";
        let err = resolved(missing, "p", &[]).unwrap_err();
        assert!(
            err.contains("services = nope") && err.contains("[services nope]"),
            "{err}"
        );
        let env = [("AWS_ENDPOINT_URL_SSO", "http://env-sso:4")];
        assert_eq!(resolved(missing, "p", &env).unwrap(), "http://env-sso:4");
        let flat = "[profile p]\nservices = corp\n[services corp]\nsso = http://x\n";
        let err = resolved(flat, "p", &[]).unwrap_err();
        assert!(
            err.contains("[services corp] (line 3)") && err.contains("sub-section"),
            "{err}"
        );
    }
}
