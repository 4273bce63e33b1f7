//! Hosts and URLs by partition, as the peers (granted, aws-sso-util) use
//! them: `{region}.signin.aws.amazon.com`, GovCloud's and China's own hosts.

use crate::portal::http::percent_encode;

/// The partition of a region name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Partition {
    Aws,
    UsGov,
    China,
    EuSovereign,
}

impl Partition {
    pub fn of(region: &str) -> Partition {
        if region.starts_with("us-gov-") {
            Partition::UsGov
        } else if region.starts_with("cn-") {
            Partition::China
        } else if region.starts_with("eusc-") {
            Partition::EuSovereign
        } else {
            Partition::Aws
        }
    }
}

/// The federation endpoint for `region`, or `AWSP_FEDERATION_URL` when set.
pub fn federation_url(region: &str, override_url: Option<&str>) -> String {
    if let Some(url) = override_url.filter(|u| !u.is_empty()) {
        return url.to_string();
    }
    let host = match Partition::of(region) {
        Partition::UsGov => "signin.amazonaws-us-gov.com".to_string(),
        Partition::China => "signin.amazonaws.cn".to_string(),
        Partition::EuSovereign => "signin.amazonaws-eusc.eu".to_string(),
        // us-east-1 keeps the global host, as granted and aws-sso-util do.
        Partition::Aws if region == "us-east-1" => "signin.aws.amazon.com".to_string(),
        Partition::Aws => format!("{region}.signin.aws.amazon.com"),
    };
    format!("https://{host}/federation")
}

/// The console page to land on: `--destination URL` as is, else the
/// service's page (`--service s3`), else the console home, in `region`.
pub fn console_destination(
    region: &str,
    service: Option<&str>,
    destination: Option<&str>,
) -> String {
    if let Some(url) = destination {
        return url.to_string();
    }
    let base = match Partition::of(region) {
        Partition::UsGov => "https://console.amazonaws-us-gov.com".to_string(),
        Partition::China => "https://console.amazonaws.cn".to_string(),
        Partition::EuSovereign => "https://console.amazonaws-eusc.eu".to_string(),
        Partition::Aws => format!("https://{region}.console.aws.amazon.com"),
    };
    let page = match service {
        Some(s) => format!("{}/home", percent_encode(s)),
        None => "console/home".to_string(),
    };
    format!("{base}/{page}?region={}", percent_encode(region))
}

/// `Action=login` with the issuer, the destination and the token.
pub fn login_url(federation: &str, issuer: &str, destination: &str, token: &str) -> String {
    format!(
        "{federation}?Action=login&Issuer={}&Destination={}&SigninToken={}",
        percent_encode(issuer),
        percent_encode(destination),
        percent_encode(token)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_follow_the_partition() {
        assert_eq!(
            federation_url("eu-west-1", None),
            "https://eu-west-1.signin.aws.amazon.com/federation"
        );
        assert_eq!(
            federation_url("us-east-1", None),
            "https://signin.aws.amazon.com/federation"
        );
        assert_eq!(
            federation_url("us-gov-west-1", None),
            "https://signin.amazonaws-us-gov.com/federation"
        );
        assert_eq!(
            federation_url("cn-north-1", None),
            "https://signin.amazonaws.cn/federation"
        );
        assert_eq!(
            federation_url("eu-west-1", Some("http://127.0.0.1:9/f")),
            "http://127.0.0.1:9/f"
        );
    }

    #[test]
    fn destinations() {
        assert_eq!(
            console_destination("eu-west-1", None, None),
            "https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1"
        );
        assert_eq!(
            console_destination("cn-north-1", Some("s3"), None),
            "https://console.amazonaws.cn/s3/home?region=cn-north-1"
        );
        assert_eq!(
            console_destination("x", Some("s3"), Some("https://d")),
            "https://d"
        );
    }

    #[test]
    fn login_url_encodes_every_part() {
        let url = login_url("https://h/federation", "awsp", "https://c/?a=b&c", "t+/=");
        assert_eq!(
            url,
            "https://h/federation?Action=login&Issuer=awsp&Destination=https%3A%2F%2Fc%2F%3Fa%3Db%26c&SigninToken=t%2B%2F%3D"
        );
    }
}
