//! What `awsp sync` would change for one sso-session: the portal's
//! inventory against the profiles already in the config.
//!
//! A profile covers an assignment when botocore would use it as an SSO
//! profile of that session (`sso_session = NAME`, or a legacy profile with
//! the session's `sso_start_url`) for that account id and role name.
//! Profiles whose section header is inside awsp's block for the session are
//! "generated"; all others are hand-written and are never changed.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use crate::aws::config::{Config, Profile, SsoSession};
use crate::aws::ini;
use crate::aws::resolve::{resolve, Kind};
use crate::portal::types::{AccountFailure, Inventory};

use super::block::{plain_value, Block, BlockProfile};
use super::naming::{assign_names, is_safe_name, Request, Template};

/// An assignment no profile covers, with the name awsp would give it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct NewProfile {
    pub profile: String,
    pub account_id: String,
    pub account_name: String,
    pub role: String,
}

/// A profile of the session whose account or role is no longer assigned.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct StaleProfile {
    pub profile: String,
    pub account_id: String,
    pub role: String,
    /// Inside awsp's block: `--write` removes it. Hand-written ones are
    /// only reported.
    pub generated: bool,
}

/// The plan for one session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionPlan {
    pub session: String,
    pub accounts: usize,
    pub assignments: usize,
    /// Assignments some profile already covers.
    pub covered: usize,
    pub new: Vec<NewProfile>,
    pub stale: Vec<StaleProfile>,
    /// Accounts whose roles could not be listed: their profiles are
    /// neither stale nor covered (unknown).
    pub failures: Vec<AccountFailure>,
    /// Assignments whose account id or role name cannot be written as a
    /// config value (a line break, surrounding spaces): left out.
    pub unwritable: Vec<String>,
    /// The block `--write` would leave: generated profiles that stay, and the new ones.
    pub block: Vec<BlockProfile>,
    /// Whether `--write` changes the block at all.
    pub changes_block: bool,
}

/// How the plan names and fills new profiles.
pub struct PlanOpts<'a> {
    pub template: &'a Template,
    /// `--region`, else the session's `sso_region`.
    pub region: Option<&'a str>,
    /// Names given to other sessions' new profiles in the same run.
    pub also_taken: &'a HashSet<String>,
}

/// The (account id, role name) `p` uses through `session`, if it is an SSO
/// profile of that session (as botocore resolves it).
pub fn covered_by(config: &Config, p: &Profile, session: &SsoSession) -> Option<(String, String)> {
    let s = &p.settings;
    let through_session = match ini::get(s, "sso_session") {
        Some(v) => {
            if v.as_str() != Some(session.name.as_str()) {
                return None;
            }
            true
        }
        None => {
            let url = ini::get_str(s, "sso_start_url")?;
            let own = ini::get_str(&session.settings, "sso_start_url")?;
            if !same_start_url(url, own) {
                return None;
            }
            false
        }
    };
    let kind = resolve(config, p).kind;
    if !matches!(kind, Kind::Sso | Kind::SsoLegacy) {
        return None;
    }
    // A session's values fill in what the profile lacks (botocore merges them).
    let value = |key: &str| {
        ini::get_str(s, key)
            .or_else(|| {
                through_session
                    .then(|| ini::get_str(&session.settings, key))
                    .flatten()
            })
            .map(str::to_string)
    };
    Some((value("sso_account_id")?, value("sso_role_name")?))
}

/// Start URLs that name the same portal (a trailing `/` is not a difference).
fn same_start_url(a: &str, b: &str) -> bool {
    a.trim_end_matches('/') == b.trim_end_matches('/')
}

/// Whether `p`'s section in force lies inside `block`.
fn is_generated(p: &Profile, block: Option<&Block>) -> bool {
    match (block, p.config_line) {
        (Some(b), Some(line)) => p.sources.config && b.contains_line(line),
        _ => false,
    }
}

/// Plans one session: its `inventory` against `config`, whose awsp blocks are `blocks`.
pub fn plan_session(
    config: &Config,
    blocks: &[Block],
    session: &SsoSession,
    inventory: &Inventory,
    opts: &PlanOpts<'_>,
) -> SessionPlan {
    let block = blocks.iter().find(|b| b.session == session.name);
    let assigned: BTreeSet<(&str, &str)> = inventory
        .assignments
        .iter()
        .map(|a| (a.account_id.as_str(), a.role_name.as_str()))
        .collect();
    let failed: HashSet<&str> = inventory
        .failures
        .iter()
        .map(|f| f.account_id.as_str())
        .collect();
    let names: BTreeMap<&str, &str> = inventory
        .accounts
        .iter()
        .map(|a| (a.id.as_str(), a.name.as_str()))
        .collect();
    let default_region = opts
        .region
        .map(str::to_string)
        .or_else(|| ini::get_str(&session.settings, "sso_region").map(str::to_string))
        .filter(|r| plain_value(r));

    let mut covered: BTreeSet<(String, String)> = BTreeSet::new();
    let mut stale = Vec::new();
    let mut kept = Vec::new();
    for p in &config.profiles {
        let generated = is_generated(p, block);
        // A generated profile whose header was edited into a name awsp
        // would not write (`"a b"`) cannot be rewritten as it is: it goes,
        // and its assignment gets a proper name.
        let rewritable = !generated || is_safe_name(&p.name);
        let Some((account, role)) = covered_by(config, p, session).filter(|_| rewritable) else {
            if generated {
                // In the block but not a profile of this session (edited by
                // hand): the next write replaces the block without it.
                stale.push(StaleProfile {
                    profile: p.name.clone(),
                    account_id: ini::get_str(&p.settings, "sso_account_id")
                        .unwrap_or_default()
                        .to_string(),
                    role: ini::get_str(&p.settings, "sso_role_name")
                        .unwrap_or_default()
                        .to_string(),
                    generated,
                });
            }
            continue;
        };
        let assigned_now = assigned.contains(&(account.as_str(), role.as_str()));
        // An account whose roles failed to list: unknown, not stale.
        let unknown = failed.contains(account.as_str());
        if assigned_now || unknown {
            if generated {
                kept.push(BlockProfile {
                    name: p.name.clone(),
                    session: session.name.clone(),
                    region: ini::get_str(&p.settings, "region")
                        .filter(|r| plain_value(r))
                        .map(str::to_string)
                        .or_else(|| default_region.clone()),
                    account_id: account.clone(),
                    role: role.clone(),
                });
            }
            if assigned_now {
                covered.insert((account, role));
            }
        } else {
            stale.push(StaleProfile {
                profile: p.name.clone(),
                account_id: account,
                role,
                generated,
            });
        }
    }

    let mut unwritable = Vec::new();
    let mut requests = Vec::new();
    for a in &inventory.assignments {
        if covered.contains(&(a.account_id.clone(), a.role_name.clone())) {
            continue;
        }
        if !plain_value(&a.account_id) || !plain_value(&a.role_name) {
            unwritable.push(format!(
                "{}/{}",
                crate::output::human::printable(&a.account_id),
                crate::output::human::printable(&a.role_name)
            ));
            continue;
        }
        requests.push(Request {
            account_id: a.account_id.clone(),
            role: a.role_name.clone(),
            account_name: names
                .get(a.account_id.as_str())
                .copied()
                .unwrap_or("")
                .to_string(),
        });
    }
    requests.sort();
    requests.dedup();
    // Every profile name in use, generated ones included: a new profile
    // never takes the name of one that exists or was just removed.
    let mut taken: HashSet<String> = config.profiles.iter().map(|p| p.name.clone()).collect();
    taken.extend(opts.also_taken.iter().cloned());
    let given = assign_names(opts.template, &session.name, &requests, &taken);
    let new: Vec<NewProfile> = requests
        .iter()
        .zip(given)
        .map(|(r, profile)| NewProfile {
            profile,
            account_id: r.account_id.clone(),
            account_name: r.account_name.clone(),
            role: r.role.clone(),
        })
        .collect();

    let removes_generated = stale.iter().any(|s| s.generated);
    let mut block_profiles = kept;
    block_profiles.extend(new.iter().map(|n| BlockProfile {
        name: n.profile.clone(),
        session: session.name.clone(),
        account_id: n.account_id.clone(),
        role: n.role.clone(),
        region: default_region.clone(),
    }));
    block_profiles.sort();
    SessionPlan {
        session: session.name.clone(),
        accounts: inventory.accounts.len(),
        assignments: assigned.len(),
        covered: covered.len(),
        changes_block: !new.is_empty() || removes_generated,
        new,
        stale,
        failures: inventory.failures.clone(),
        unwritable,
        block: block_profiles,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::portal::types::{Account, Assignment};
    use crate::sync::block::{find_blocks, with_block};

    fn inventory(assignments: &[(&str, &str)], names: &[(&str, &str)]) -> Inventory {
        Inventory {
            accounts: names
                .iter()
                .map(|(id, name)| Account {
                    id: id.to_string(),
                    name: name.to_string(),
                    email: format!("{name}@example.com"),
                })
                .collect(),
            assignments: assignments
                .iter()
                .map(|(a, r)| Assignment {
                    account_id: a.to_string(),
                    role_name: r.to_string(),
                })
                .collect(),
            failures: vec![],
        }
    }

    const SESSION: &str = "[sso-session acme]\nsso_start_url = https://acme.awsapps.com/start/\nsso_region = us-east-1\n";

    fn plan(config_text: &str, inv: &Inventory) -> SessionPlan {
        plan_with_credentials(config_text, "", inv)
    }

    fn plan_with_credentials(config_text: &str, credentials: &str, inv: &Inventory) -> SessionPlan {
        let config = Config::from_texts(config_text, credentials);
        let blocks = find_blocks(config_text).unwrap();
        let template = Template::default_template();
        let session = config.sso_session("acme").unwrap();
        plan_session(
            &config,
            &blocks,
            session,
            inv,
            &PlanOpts {
                template: &template,
                region: None,
                also_taken: &HashSet::new(),
            },
        )
    }

    #[test]
    fn new_stale_and_covered() {
        let text = format!(
            "{SESSION}[profile mine]\nsso_session = acme\nsso_account_id = 111111111111\nsso_role_name = AdministratorAccess\n\
             [profile legacy]\nsso_start_url = https://acme.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 222222222222\nsso_role_name = ReadOnlyAccess\n\
             [profile gone]\nsso_session = acme\nsso_account_id = 999999999999\nsso_role_name = AdministratorAccess\n\
             [profile elsewhere]\nsso_session = other\nsso_account_id = 888888888888\nsso_role_name = X\n"
        );
        let inv = inventory(
            &[
                ("111111111111", "AdministratorAccess"),
                ("222222222222", "ReadOnlyAccess"),
                ("333333333333", "PowerUserAccess"),
            ],
            &[
                ("111111111111", "Prod"),
                ("222222222222", "Dev"),
                ("333333333333", "Sand Box"),
            ],
        );
        let p = plan(&text, &inv);
        assert_eq!((p.accounts, p.assignments, p.covered), (3, 3, 2));
        assert_eq!(
            p.new,
            vec![NewProfile {
                profile: "sand-box-poweruser".into(),
                account_id: "333333333333".into(),
                account_name: "Sand Box".into(),
                role: "PowerUserAccess".into(),
            }]
        );
        assert_eq!(
            p.stale,
            vec![StaleProfile {
                profile: "gone".into(),
                account_id: "999999999999".into(),
                role: "AdministratorAccess".into(),
                generated: false,
            }]
        );
        assert_eq!(p.block.len(), 1);
        assert_eq!(p.block[0].region.as_deref(), Some("us-east-1"));
    }

    #[test]
    fn accounts_whose_roles_failed_are_unknown_not_stale() {
        let text = format!(
            "{SESSION}[profile mine]\nsso_session = acme\nsso_account_id = 111111111111\nsso_role_name = AdministratorAccess\n"
        );
        let mut inv = inventory(&[], &[("111111111111", "Prod")]);
        inv.failures.push(AccountFailure {
            account_id: "111111111111".into(),
            reason: "403".into(),
        });
        let p = plan(&text, &inv);
        assert!(p.stale.is_empty() && p.new.is_empty());
        inv.failures.clear();
        assert_eq!(plan(&text, &inv).stale.len(), 1);
    }

    #[test]
    fn generated_profiles_are_kept_or_removed_and_names_stay() {
        let inv = inventory(
            &[
                ("111111111111", "AdministratorAccess"),
                ("222222222222", "ReadOnlyAccess"),
            ],
            &[("111111111111", "Prod"), ("222222222222", "Dev")],
        );
        let first = plan(SESSION, &inv);
        let written = with_block(SESSION, "acme", &first.block).unwrap();
        let again = plan(&written, &inv);
        assert!(again.new.is_empty() && again.stale.is_empty() && !again.changes_block);
        assert_eq!(again.block, first.block, "same names, every run");
        // One assignment is gone: its generated profile is removed.
        let fewer = inventory(
            &[("111111111111", "AdministratorAccess")],
            &[("111111111111", "Prod")],
        );
        let p = plan(&written, &fewer);
        assert!(p.changes_block);
        assert_eq!(p.stale.len(), 1);
        assert!(p.stale[0].generated);
        assert_eq!(p.block.len(), 1);
        assert_eq!(p.block[0].name, "prod-admin");
    }

    #[test]
    fn a_generated_profile_edited_into_an_unwritable_name_is_replaced() {
        let inv = inventory(
            &[("111111111111", "AdministratorAccess")],
            &[("111111111111", "Prod")],
        );
        let first = plan(SESSION, &inv);
        let written = with_block(SESSION, "acme", &first.block).unwrap();
        let edited = written.replace("[profile prod-admin]", "[profile \"prod admin\"]");
        let p = plan(&edited, &inv);
        assert_eq!(p.new[0].profile, "prod-admin");
        assert_eq!(p.stale.len(), 1);
        assert!(p.stale[0].generated && p.stale[0].profile == "prod admin");
        assert_eq!(p.block.len(), 1);
        assert_eq!(p.block[0].name, "prod-admin");
    }

    #[test]
    fn a_hand_written_name_is_not_reused_and_the_credentials_file_counts() {
        let text = format!("{SESSION}[profile prod-admin]\nregion = x\n");
        let inv = inventory(
            &[("111111111111", "AdministratorAccess")],
            &[("111111111111", "Prod")],
        );
        assert_eq!(plan(&text, &inv).new[0].profile, "prod-admin-1111");
        // A credentials-file section is a profile of that name too.
        let p = plan_with_credentials(SESSION, "[prod-admin]\naws_access_key_id = x\n", &inv);
        assert_eq!(p.new[0].profile, "prod-admin-1111");
    }

    #[test]
    fn assignments_that_cannot_be_written_are_left_out_and_said() {
        let inv = inventory(
            &[
                ("111111111111", "Evil\n[profile x]"),
                ("111111111111", " Padded"),
            ],
            &[("111111111111", "Prod")],
        );
        let p = plan(SESSION, &inv);
        assert!(p.new.is_empty() && p.block.is_empty());
        assert_eq!(
            p.unwritable,
            vec!["111111111111/Evil\\n[profile x]", "111111111111/ Padded"]
        );
    }

    #[test]
    fn an_assume_role_profile_does_not_cover() {
        let text = format!(
            "{SESSION}[profile ar]\nsso_session = acme\nsso_account_id = 111111111111\nsso_role_name = AdministratorAccess\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = ar\n"
        );
        let inv = inventory(
            &[("111111111111", "AdministratorAccess")],
            &[("111111111111", "Prod")],
        );
        assert_eq!(plan(&text, &inv).new.len(), 1);
    }
}
