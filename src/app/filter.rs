//! Fuzzy matching and ordering of profiles (fuzzy-matcher's SkimMatcherV2,
//! smart case), over name, account id, role and sso-session.

use std::cmp::Reverse;

use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;

/// What one profile is searched by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    /// `name account role session`, built once.
    pub haystack: String,
    /// Characters of `name` at the start of `haystack` (for highlighting).
    pub name_chars: usize,
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
    pub score: i64,
}

pub struct Matcher {
    skim: SkimMatcherV2,
}

impl Default for Matcher {
    fn default() -> Self {
        Matcher {
            skim: SkimMatcherV2::default().smart_case(),
        }
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
        let score = |index: u32| {
            self.skim
                .fuzzy_match(&entries[index as usize].haystack, query)
                .map(|score| Hit { index, score })
        };
        let mut hits: Vec<Hit> = match previous {
            Some((prev, hits)) if !prev.is_empty() && query.starts_with(prev) => {
                hits.iter().filter_map(|h| score(h.index)).collect()
            }
            _ => (0..entries.len() as u32).filter_map(score).collect(),
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
        self.skim
            .fuzzy_indices(&entry.haystack, query)
            .map(|(_, idx)| idx.into_iter().filter(|&i| i < entry.name_chars).collect())
            .unwrap_or_default()
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
    fn highlights_stay_inside_the_name() {
        let e = entries();
        let m = Matcher::default();
        assert_eq!(m.name_positions(&e[0], "prod"), vec![0, 1, 2, 3]);
        assert!(m.name_positions(&e[2], "3333").is_empty());
    }
}
