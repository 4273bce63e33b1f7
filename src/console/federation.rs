//! `getSigninToken`, sent as a form POST: the credentials stay out of URLs
//! and proxy logs (the endpoint takes GET and POST alike).

use crate::creds::Credentials;
use crate::portal::{Endpoint, NetOpts, PortalError};

/// Why no sign-in token; never holds a credential or the token.
#[derive(Debug, thiserror::Error)]
pub enum FederationError {
    #[error("the federation endpoint {url} could not be reached: {detail}")]
    Unreachable { url: String, detail: String },
    #[error("the federation endpoint {url} answered {status} (credentials without a session token, or a chained role with a too long session?)")]
    Refused { url: String, status: u16 },
    #[error("the federation endpoint {url} gave no SigninToken")]
    BadAnswer { url: String },
    /// The endpoint URL, the proxy or the CA bundle is unusable.
    #[error(transparent)]
    Net(#[from] PortalError),
}

/// The Session document: `{"sessionId", "sessionKey", "sessionToken"}`.
pub fn session_json(c: &Credentials) -> String {
    serde_json::json!({
        "sessionId": c.access_key_id,
        "sessionKey": c.secret_access_key,
        "sessionToken": c.session_token.as_deref().unwrap_or(""),
    })
    .to_string()
}

/// Asks `url` (the federation endpoint) for a sign-in token, through an
/// agent made as the portal's are (`net`: proxies, NO_PROXY, the CA bundle,
/// timeouts).
pub fn get_signin_token(
    url: &str,
    c: &Credentials,
    net: &NetOpts,
) -> Result<String, FederationError> {
    let endpoint = Endpoint::from_url(url)?;
    let (agent, _proxy) = crate::portal::http::agent(&endpoint, net)?;
    let session = session_json(c);
    let mut answer = agent
        .post(url)
        .send_form([("Action", "getSigninToken"), ("Session", session.as_str())])
        .map_err(|e| FederationError::Unreachable {
            url: url.to_string(),
            detail: e.to_string(),
        })?;
    let status = answer.status().as_u16();
    if status != 200 {
        return Err(FederationError::Refused {
            url: url.to_string(),
            status,
        });
    }
    let body = answer
        .body_mut()
        .read_to_string()
        .map_err(|_| FederationError::BadAnswer {
            url: url.to_string(),
        })?;
    let doc: serde_json::Value =
        serde_json::from_str(&body).map_err(|_| FederationError::BadAnswer {
            url: url.to_string(),
        })?;
    doc.get("SigninToken")
        .and_then(serde_json::Value::as_str)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .ok_or(FederationError::BadAnswer {
            url: url.to_string(),
        })
}
