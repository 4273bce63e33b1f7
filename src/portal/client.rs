//! The portal calls awsp makes: every account and role a token reaches
//! (`fetch_inventory`), and one role's credentials (`get_role_credentials`).

use std::collections::HashSet;
use std::fmt;
use std::sync::{mpsc, Mutex};

use serde::Deserialize;

use super::endpoint::Endpoint;
use super::error::PortalError;
use super::http::{Http, NetOpts};
use super::retry::Jitter;
use super::types::{Account, AccountFailure, Assignment, Inventory};

/// An SSO access token. Debug and Display print `<redacted>`: the value
/// leaves this type only as the bearer header.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken(String);

impl AccessToken {
    pub fn new(token: impl Into<String>) -> AccessToken {
        AccessToken(token.into())
    }

    fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken(<redacted>)")
    }
}

impl fmt::Display for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// The most requests awsp ever has in flight to one portal.
pub const MAX_CONCURRENCY: usize = 16;

#[derive(Clone, Debug)]
pub struct FetchOpts {
    /// Workers listing roles at once, 1..=15 (more is taken as 15); while
    /// `ListAccounts` pages are still coming, that call is one more, so at
    /// most 16 requests are ever in flight.
    pub concurrency: usize,
    /// `max_result` per page (1..=100); `None` leaves the portal's default (20).
    pub page_size: Option<u32>,
    pub net: NetOpts,
}

impl Default for FetchOpts {
    fn default() -> Self {
        FetchOpts {
            concurrency: 8,
            // The largest page the model allows: fewest calls, least throttling.
            page_size: Some(100),
            net: NetOpts::default(),
        }
    }
}

/// How far a fetch is, for a progress line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Progress {
    /// `ListAccounts` pages read so far, and the accounts on them.
    Accounts { pages: usize, accounts: usize },
    /// Accounts whose roles are listed (or failed), of all, and the roles found.
    Roles {
        done: usize,
        total: usize,
        assignments: usize,
    },
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AccountPage {
    #[serde(default)]
    account_list: Vec<AccountInfo>,
    next_token: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AccountInfo {
    account_id: Option<String>,
    account_name: Option<String>,
    email_address: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RolePage {
    #[serde(default)]
    role_list: Vec<RoleInfo>,
    next_token: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RoleInfo {
    role_name: Option<String>,
}

/// Every account the token reaches and every role in each, sorted by
/// account id, then role. While `ListAccounts` pages come in (they can only
/// come one after another), up to `opts.concurrency` workers already list
/// the roles of the accounts seen so far: never more than 16 requests in
/// flight in all. A 403 or 404 on one account becomes an
/// [`AccountFailure`] and the rest go on; any other failure (401 first of
/// all) stops every worker and is returned, so a caller never takes a
/// partial inventory for the whole.
pub fn fetch_inventory(
    endpoint: &Endpoint,
    token: &AccessToken,
    opts: &FetchOpts,
    progress: &dyn Fn(Progress),
) -> Result<Inventory, PortalError> {
    let http = Http::new(endpoint, token.expose(), &opts.net)?;
    let page_size = opts.page_size.map(|n| n.clamp(1, 100).to_string());
    let (accounts, outcomes) =
        list_everything(&http, page_size.as_deref(), opts.concurrency, progress)?;
    let mut inventory = Inventory {
        accounts,
        ..Inventory::default()
    };
    inventory.accounts.sort_by(|a, b| a.id.cmp(&b.id));
    for (account_id, outcome) in outcomes {
        match outcome {
            Ok(roles) => inventory
                .assignments
                .extend(roles.into_iter().map(|role_name| Assignment {
                    account_id: account_id.clone(),
                    role_name,
                })),
            Err(reason) => inventory
                .failures
                .push(AccountFailure { account_id, reason }),
        }
    }
    inventory.assignments.sort();
    inventory.assignments.dedup();
    inventory
        .failures
        .sort_by(|a, b| a.account_id.cmp(&b.account_id));
    Ok(inventory)
}

/// The roles of one account: role names, or why they could not be listed.
type RoleOutcome = (String, Result<Vec<String>, String>);

/// What the lister and the workers tell the calling thread.
enum Event {
    Accounts { pages: usize, new: Vec<Account> },
    Roles(RoleOutcome),
    Fatal(PortalError),
}

/// One thread lists accounts page by page and queues each new account;
/// workers take accounts from the queue. Every result comes back to this
/// thread, which alone calls `progress` (it need not be thread-safe) and
/// stops everyone on the first fatal error.
fn list_everything(
    http: &Http,
    page_size: Option<&str>,
    concurrency: usize,
    progress: &dyn Fn(Progress),
) -> Result<(Vec<Account>, Vec<RoleOutcome>), PortalError> {
    // The lister's call is one of the 16.
    let workers = concurrency.clamp(1, MAX_CONCURRENCY - 1);
    let (events, receive) = mpsc::channel::<Event>();
    let (queue, work) = mpsc::channel::<String>();
    let work = Mutex::new(work);
    std::thread::scope(|scope| {
        let lister_events = events.clone();
        scope.spawn(move || {
            if let Err(e) = list_accounts(http, page_size, &queue, &lister_events) {
                let _ = lister_events.send(Event::Fatal(e));
            }
        });
        for worker in 0..workers {
            let (events, work) = (events.clone(), &work);
            scope.spawn(move || {
                let mut rng = Jitter::for_worker(worker);
                while !http.is_cancelled() {
                    // The lock is held only while waiting for the next account.
                    let Ok(account_id) = work
                        .lock()
                        .map_err(drop)
                        .and_then(|w| w.recv().map_err(drop))
                    else {
                        break;
                    };
                    let event = match account_roles(http, &account_id, page_size, &mut rng) {
                        Ok(outcome) => Event::Roles(outcome),
                        Err(e) => Event::Fatal(e),
                    };
                    if events.send(event).is_err() {
                        break;
                    }
                }
            });
        }
        drop(events);
        let mut accounts = Vec::new();
        let mut outcomes = Vec::new();
        let mut assignments = 0;
        for event in receive {
            match event {
                Event::Accounts { pages, new } => {
                    accounts.extend(new);
                    progress(Progress::Accounts {
                        pages,
                        accounts: accounts.len(),
                    });
                }
                Event::Roles(done) => {
                    assignments += done.1.as_ref().map_or(0, Vec::len);
                    outcomes.push(done);
                    progress(Progress::Roles {
                        done: outcomes.len(),
                        total: accounts.len(),
                        assignments,
                    });
                }
                Event::Fatal(e) => {
                    http.cancel();
                    return Err(e);
                }
            }
        }
        Ok((accounts, outcomes))
    })
}

/// Every `ListAccounts` page; each account not seen before is sent to the
/// workers and, with its page, to the calling thread.
fn list_accounts(
    http: &Http,
    page_size: Option<&str>,
    queue: &mpsc::Sender<String>,
    events: &mpsc::Sender<Event>,
) -> Result<(), PortalError> {
    let mut rng = Jitter::for_worker(usize::MAX);
    let mut seen_ids = HashSet::new();
    let mut seen_tokens = HashSet::new();
    let mut next: Option<String> = None;
    for pages in 1.. {
        let body = http.get(
            "/assignment/accounts",
            &page_query(&[], page_size, next.as_deref()),
            &mut rng,
        )?;
        let page: AccountPage = parse(http, "ListAccounts", &body)?;
        let new: Vec<Account> = page
            .account_list
            .into_iter()
            .filter_map(|a| {
                Some(Account {
                    id: a.account_id?,
                    name: a.account_name.unwrap_or_default(),
                    email: a.email_address.unwrap_or_default(),
                })
            })
            .filter(|a| seen_ids.insert(a.id.clone()))
            .collect();
        let ids: Vec<String> = new.iter().map(|a| a.id.clone()).collect();
        // The page is told first, so a progress total never lags a result.
        if events.send(Event::Accounts { pages, new }).is_err() || http.is_cancelled() {
            return Ok(());
        }
        for id in ids {
            // A closed queue means the workers are gone; the fetch is over.
            let _ = queue.send(id);
        }
        next = next_page(http, "ListAccounts", page.next_token, &mut seen_tokens)?;
        if next.is_none() {
            break;
        }
    }
    Ok(())
}

/// Every page of `ListAccountRoles` for one account. 403 and 404 are this
/// account's failure; anything else is everyone's.
fn account_roles(
    http: &Http,
    account_id: &str,
    page_size: Option<&str>,
    rng: &mut Jitter,
) -> Result<RoleOutcome, PortalError> {
    let mut roles = Vec::new();
    let mut seen_tokens = HashSet::new();
    let mut next: Option<String> = None;
    loop {
        let query = page_query(&[("account_id", account_id)], page_size, next.as_deref());
        let body = match http.get("/assignment/roles", &query, rng) {
            Ok(body) => body,
            Err(PortalError::Refused {
                status,
                code,
                message,
            }) if status == 403 || status == 404 => {
                let reason = if message.is_empty() {
                    format!("{status} {code}")
                } else {
                    format!("{status} {code}: {message}")
                };
                return Ok((account_id.to_owned(), Err(reason)));
            }
            Err(e) => return Err(e),
        };
        let page: RolePage = parse(http, "ListAccountRoles", &body)?;
        roles.extend(page.role_list.into_iter().filter_map(|r| r.role_name));
        next = next_page(http, "ListAccountRoles", page.next_token, &mut seen_tokens)?;
        if next.is_none() {
            return Ok((account_id.to_owned(), Ok(roles)));
        }
    }
}

fn page_query<'a>(
    fixed: &[(&'a str, &'a str)],
    page_size: Option<&'a str>,
    next_token: Option<&'a str>,
) -> Vec<(&'a str, &'a str)> {
    let mut query = fixed.to_vec();
    if let Some(n) = page_size {
        query.push(("max_result", n));
    }
    if let Some(t) = next_token {
        query.push(("next_token", t));
    }
    query
}

/// The next page's token; an empty one ends the listing (as botocore's
/// paginator takes it) and a repeated one is an error, not an endless loop.
fn next_page(
    http: &Http,
    operation: &'static str,
    token: Option<String>,
    seen: &mut HashSet<String>,
) -> Result<Option<String>, PortalError> {
    match token.filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) if !seen.insert(t.clone()) => Err(PortalError::BadResponse {
            target: http.target().to_owned(),
            operation,
            detail: "it repeated a page token (the listing would never end)".into(),
        }),
        Some(t) => Ok(Some(t)),
    }
}

fn parse<T: for<'de> Deserialize<'de>>(
    http: &Http,
    operation: &'static str,
    body: &str,
) -> Result<T, PortalError> {
    serde_json::from_str(body).map_err(|e| PortalError::BadResponse {
        target: http.target().to_owned(),
        operation,
        detail: format!("invalid JSON ({e})"),
    })
}

/// Temporary credentials for one role (`GetRoleCredentials`). Debug shows
/// the key id and expiry only: the secret and session token are redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct RoleCredentials {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: String,
    /// Epoch milliseconds, as the portal gives it.
    pub expiration_ms: i64,
}

impl fmt::Debug for RoleCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RoleCredentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"<redacted>")
            .field("session_token", &"<redacted>")
            .field("expiration_ms", &self.expiration_ms)
            .finish()
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CredentialsAnswer {
    role_credentials: Option<CredentialsShape>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CredentialsShape {
    access_key_id: String,
    secret_access_key: String,
    session_token: String,
    expiration: i64,
}

/// `GET /federation/credentials` for one account and role. 403/404 come
/// back as [`PortalError::Refused`], 401 as [`PortalError::Unauthorized`].
pub fn get_role_credentials(
    endpoint: &Endpoint,
    token: &AccessToken,
    net: &NetOpts,
    account_id: &str,
    role_name: &str,
) -> Result<RoleCredentials, PortalError> {
    let http = Http::new(endpoint, token.expose(), net)?;
    let mut rng = Jitter::for_worker(0);
    let query = [("account_id", account_id), ("role_name", role_name)];
    let body = http.get("/federation/credentials", &query, &mut rng)?;
    let answer: CredentialsAnswer = parse(&http, "GetRoleCredentials", &body)?;
    let c = answer
        .role_credentials
        .ok_or_else(|| PortalError::BadResponse {
            target: http.target().to_owned(),
            operation: "GetRoleCredentials",
            detail: "no roleCredentials in the answer".into(),
        })?;
    Ok(RoleCredentials {
        access_key_id: c.access_key_id,
        secret_access_key: c.secret_access_key,
        session_token: c.session_token,
        expiration_ms: c.expiration,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_and_secrets_never_in_debug_or_display() {
        let t = AccessToken::new("aoaSECRETTOKEN");
        assert!(!format!("{t:?} {t} {:?}", FetchOpts::default()).contains("SECRET"));
        let c = RoleCredentials {
            access_key_id: "ASIAKEYID".into(),
            secret_access_key: "SECRETKEY".into(),
            session_token: "SECRETSESSION".into(),
            expiration_ms: 1,
        };
        let shown = format!("{c:?}");
        assert!(
            shown.contains("ASIAKEYID") && !shown.contains("SECRET"),
            "{shown}"
        );
    }
}
