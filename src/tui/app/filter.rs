//! Fuzzy matching and ordering of profiles over name, account id, role and
//! sso-session: nucleo-matcher, smart case, space-separated terms all match.
//!
//! fuzzy-matcher (SkimMatcherV2) was the first choice but missed the
//! keystroke budget on 10,000 profiles: a full pass took 13-15.5 ms for
//! one- and two-letter queries and typing measured 9.3 ms median / 46 ms
//! worst per keystroke. nucleo's optimal matcher still took up to 6.5 ms a
//! pass (17 ms worst keystroke with the redraw); its greedy matcher (fzf's
//! "v1" algorithm: leftmost match, linear time) takes 0.2-1.1 ms, so that
//! is what ranks here.

use std::cell::RefCell;
use std::cmp::Reverse;

use nucleo_matcher::{Config, Utf32String};

/// What one profile is searched by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    /// `name account role session`, built once.
    pub haystack: String,
    /// Characters of `name` at the start of `haystack` (for highlighting).
    pub name_chars: usize,
    /// `haystack` as the matcher wants it, converted once.
    text: Utf32String,
}

impl Entry {
    pub fn new(name: &str, extra: &[Option<&str>]) -> Entry {
        let mut haystack = String::with_capacity(name.len() + 48);
        haystack.push_str(name);
        for part in extra.iter().flatten() {
            haystack.push(' ');
            haystack.push_str(part);
        }
        Entry {
            name: name.to_string(),
            text: Utf32String::from(haystack.as_str()),
            haystack,
            name_chars: name.chars().count(),
        }
    }
}

/// Orders to fall back on: `empty` when there is no query, `tie` between
/// equal scores. Both are a place per entry (lower first).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ranks {
    pub empty: Vec<u32>,
    pub tie: Vec<u32>,
}

impl Ranks {
    /// File order for both.
    pub fn file_order(len: usize) -> Ranks {
        let order: Vec<u32> = (0..len as u32).collect();
        Ranks {
            empty: order.clone(),
            tie: order,
        }
    }
}

/// A matching entry and its score.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    pub index: u32,
    pub score: u32,
}

/// nucleo's matcher keeps scratch space, hence `&mut` inside a shared reference.
pub struct Matcher {
    inner: RefCell<nucleo_matcher::Matcher>,
}

impl Default for Matcher {
    fn default() -> Self {
        Matcher {
            inner: RefCell::new(nucleo_matcher::Matcher::new(Config::DEFAULT)),
        }
    }
}

/// Added to a term's score when it matches inside the profile name; larger
/// than any score nucleo gives a single match.
const NAME_BONUS: u32 = 1 << 16;

/// A query's space-separated terms, each prepared for the matcher: smart
/// case (a term with an upper-case letter matches case), latin letters
/// normalised (`é` matches `e`).
struct Terms(Vec<(Utf32String, bool)>);

impl Terms {
    fn new(query: &str) -> Terms {
        Terms(
            query
                .split_whitespace()
                .map(|term| {
                    let ignore_case = !term.chars().any(char::is_uppercase);
                    let prepared: String = term
                        .chars()
                        .map(nucleo_matcher::chars::normalize)
                        .flat_map(|c| {
                            if ignore_case {
                                c.to_lowercase().collect::<Vec<_>>()
                            } else {
                                vec![c]
                            }
                        })
                        .collect();
                    (Utf32String::from(prepared.as_str()), ignore_case)
                })
                .collect(),
        )
    }

    /// The sum of every term's score; `None` unless all terms match.
    /// The sum of every term's score; `None` unless all terms match. A term
    /// found in the profile name outranks one found only in the account,
    /// role or session: names are what people type.
    fn score(&self, entry: &Entry, m: &mut nucleo_matcher::Matcher) -> Option<u32> {
        let name = entry.name_chars.min(entry.text.len());
        let mut total = 0u32;
        for (needle, ignore_case) in &self.0 {
            m.config.ignore_case = *ignore_case;
            total += match m.fuzzy_match_greedy(entry.text.slice(..name), needle.slice(..)) {
                Some(score) => u32::from(score) + NAME_BONUS,
                None => u32::from(m.fuzzy_match_greedy(entry.text.slice(..), needle.slice(..))?),
            };
        }
        Some(total)
    }

    /// Where the terms matched, the same way `score` found them.
    fn indices(
        &self,
        entry: &Entry,
        m: &mut nucleo_matcher::Matcher,
        out: &mut Vec<u32>,
    ) -> Option<()> {
        let name = entry.name_chars.min(entry.text.len());
        for (needle, ignore_case) in &self.0 {
            m.config.ignore_case = *ignore_case;
            if m.fuzzy_indices_greedy(entry.text.slice(..name), needle.slice(..), out)
                .is_none()
            {
                m.fuzzy_indices_greedy(entry.text.slice(..), needle.slice(..), out)?;
            }
        }
        Some(())
    }
}

impl std::fmt::Debug for Matcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Matcher")
    }
}

impl Matcher {
    /// Entries matching `query`, best first, ties by `ranks.tie`; all
    /// entries by `ranks.empty` when the query is empty. When the query only
    /// grew since `previous` was computed, only those hits are re-scored: a
    /// longer pattern can only match a subset.
    pub fn filter(
        &self,
        entries: &[Entry],
        query: &str,
        previous: Option<(&str, &[Hit])>,
        ranks: &Ranks,
    ) -> Vec<Hit> {
        if query.is_empty() {
            let mut hits: Vec<Hit> = (0..entries.len() as u32)
                .map(|index| Hit { index, score: 0 })
                .collect();
            hits.sort_unstable_by_key(|h| {
                ranks
                    .empty
                    .get(h.index as usize)
                    .copied()
                    .unwrap_or(h.index)
            });
            return hits;
        }
        let terms = Terms::new(query);
        let mut matcher = self.inner.borrow_mut();
        let mut score = |index: u32| {
            terms
                .score(&entries[index as usize], &mut matcher)
                .map(|score| Hit { index, score })
        };
        let mut hits: Vec<Hit> = match previous {
            Some((prev, hits)) if !prev.is_empty() && query.starts_with(prev) => {
                hits.iter().filter_map(|h| score(h.index)).collect()
            }
            _ => (0..entries.len() as u32).filter_map(&mut score).collect(),
        };
        hits.sort_unstable_by_key(|h| {
            (
                Reverse(h.score),
                ranks.tie.get(h.index as usize).copied().unwrap_or(h.index),
            )
        });
        hits
    }

    /// Character positions of the match inside the entry's name, for highlighting.
    pub fn name_positions(&self, entry: &Entry, query: &str) -> Vec<usize> {
        if query.is_empty() {
            return Vec::new();
        }
        let mut indices = Vec::new();
        let mut matcher = self.inner.borrow_mut();
        if Terms::new(query)
            .indices(entry, &mut matcher, &mut indices)
            .is_none()
        {
            return Vec::new();
        }
        indices.sort_unstable();
        indices.dedup();
        indices
            .into_iter()
            .map(|i| i as usize)
            .filter(|&i| i < entry.name_chars)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries() -> Vec<Entry> {
        vec![
            Entry::new(
                "prod-admin",
                &[
                    Some("111111111111"),
                    Some("AdministratorAccess"),
                    Some("acme"),
                ],
            ),
            Entry::new(
                "prod-read",
                &[Some("111111111111"), Some("ReadOnlyAccess"), Some("acme")],
            ),
            Entry::new(
                "dev-admin",
                &[
                    Some("333333333333"),
                    Some("AdministratorAccess"),
                    Some("acme"),
                ],
            ),
        ]
    }

    fn names(e: &[Entry], hits: &[Hit]) -> Vec<String> {
        hits.iter()
            .map(|h| e[h.index as usize].name.clone())
            .collect()
    }

    #[test]
    fn empty_query_keeps_file_order() {
        let e = entries();
        assert_eq!(
            names(
                &e,
                &Matcher::default().filter(&e, "", None, &Ranks::file_order(3))
            ),
            vec!["prod-admin", "prod-read", "dev-admin"]
        );
    }

    #[test]
    fn matches_name_account_and_role() {
        let e = entries();
        let m = Matcher::default();
        let r = Ranks::file_order(e.len());
        assert_eq!(names(&e, &m.filter(&e, "pradm", None, &r))[0], "prod-admin");
        assert_eq!(
            names(&e, &m.filter(&e, "stag", None, &r)),
            Vec::<String>::new()
        );
        assert_eq!(
            names(&e, &m.filter(&e, "3333", None, &r)),
            vec!["dev-admin"]
        );
        assert_eq!(
            names(&e, &m.filter(&e, "readonly", None, &r)),
            vec!["prod-read"]
        );
        assert!(m.filter(&e, "zzz", None, &r).is_empty());
    }

    /// After a sync the picker's entries end with the portal's account
    /// name (`picker::entries_with`): a term matches it like any other part.
    #[test]
    fn matches_the_portal_account_name() {
        let e = vec![
            Entry::new(
                "prod-admin",
                &[
                    Some("111111111111"),
                    Some("Admin"),
                    Some("acme"),
                    Some("ACME Prod EU"),
                ],
            ),
            Entry::new(
                "x1",
                &[
                    Some("333333333333"),
                    Some("Admin"),
                    Some("acme"),
                    Some("Dev Sandbox"),
                ],
            ),
            Entry::new(
                "x2",
                &[Some("444444444444"), Some("Admin"), Some("acme"), None],
            ),
        ];
        let m = Matcher::default();
        let r = Ranks::file_order(e.len());
        assert_eq!(names(&e, &m.filter(&e, "sandbox", None, &r)), vec!["x1"]);
        assert_eq!(names(&e, &m.filter(&e, "Sandbox", None, &r)), vec!["x1"]);
        assert_eq!(
            names(&e, &m.filter(&e, "sandbox dev", None, &r)),
            vec!["x1"]
        );
        assert_eq!(
            names(&e, &m.filter(&e, "prod eu", None, &r)),
            vec!["prod-admin"]
        );
        // Smart case: an upper-case term must match case.
        assert!(m.filter(&e, "SANDBOX", None, &r).is_empty());
    }

    #[test]
    fn refining_gives_the_same_as_a_full_pass() {
        let e = entries();
        let m = Matcher::default();
        let r = Ranks::file_order(e.len());
        let first = m.filter(&e, "ad", None, &r);
        assert_eq!(
            m.filter(&e, "adm", Some(("ad", &first)), &r),
            m.filter(&e, "adm", None, &r)
        );
        assert_eq!(
            m.filter(&e, "adM", Some(("ad", &first)), &r),
            m.filter(&e, "adM", None, &r)
        );
    }

    #[test]
    fn ranks_order_the_empty_query_and_break_ties() {
        let e = entries();
        let m = Matcher::default();
        let r = Ranks {
            empty: vec![2, 0, 1],
            tie: vec![2, 1, 0],
        };
        assert_eq!(
            names(&e, &m.filter(&e, "", None, &r)),
            vec!["prod-read", "dev-admin", "prod-admin"]
        );
        // prod-admin and dev-admin score the same for "admin": the tie rank decides.
        let hits = m.filter(&e, "admin", None, &r);
        assert_eq!(hits[0].score, hits[1].score);
        assert_eq!(
            names(&e, &hits)[..2],
            ["dev-admin".to_string(), "prod-admin".to_string()]
        );
    }

    #[test]
    fn a_match_in_the_name_outranks_one_in_the_role() {
        let e = vec![
            Entry::new(
                "broken-sso",
                &[
                    Some("101010101010"),
                    Some("AdministratorAccess"),
                    Some("acme-old"),
                ],
            ),
            Entry::new(
                "prod-admin",
                &[
                    Some("111111111111"),
                    Some("AdministratorAccess"),
                    Some("acme"),
                ],
            ),
        ];
        let m = Matcher::default();
        assert_eq!(
            names(&e, &m.filter(&e, "adm", None, &Ranks::file_order(2))),
            vec!["prod-admin", "broken-sso"]
        );
    }

    #[test]
    fn highlights_stay_inside_the_name() {
        let e = entries();
        let m = Matcher::default();
        assert_eq!(m.name_positions(&e[0], "prod"), vec![0, 1, 2, 3]);
        assert!(m.name_positions(&e[2], "3333").is_empty());
    }
}
