//! What the Identity Center portal tells about one sso-session: the data
//! `awsp sync` plans with. Plain data, shared by the client (which fills it)
//! and the sync planner (which reads it); no IO here.

use serde::{Deserialize, Serialize};

/// An account the token can reach (`ListAccounts`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub id: String,
    pub name: String,
    pub email: String,
}

/// One role in one account (`ListAccountRoles`): one assignment.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Assignment {
    pub account_id: String,
    pub role_name: String,
}

/// An account whose roles could not be listed (403 / 404 after retries):
/// reported, and the rest of the inventory stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountFailure {
    pub account_id: String,
    /// What went wrong, for people; never holds the token.
    pub reason: String,
}

/// Everything one session's token can reach, sorted by account id, then role.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inventory {
    pub accounts: Vec<Account>,
    pub assignments: Vec<Assignment>,
    pub failures: Vec<AccountFailure>,
}
