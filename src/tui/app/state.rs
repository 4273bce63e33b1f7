//! What the picker knows: entries, query, matches, selection, mode, notices.

use chrono::{DateTime, Utc};

use super::filter::{Entry, Hit, Matcher, Ranks};
use crate::home::history::{alpha_ranks, History, Order};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mode {
    Normal,
    Filter,
    Help,
    /// A question awaiting `y`; the lines say what would happen.
    Confirm(Confirmation),
    /// What went wrong (e.g. a failed login's last lines); any key closes.
    Report(Confirmation),
    /// Enter on a profile whose session must log in first: y logs in and
    /// switches, n switches anyway, Esc cancels.
    LoginFirst(LoginQuestion),
    /// Enter on an assignment without a profile: `y` adds it (awsp sync
    /// --write for its session) and switches to it.
    ConfirmAdd(AddQuestion),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AddQuestion {
    /// The name the new profile gets.
    pub profile: String,
    pub confirmation: Confirmation,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoginQuestion {
    pub profile: String,
    /// `session main expired 2d ago: log in first? [Y/n]`
    pub question: String,
    /// Asked before `o` (then the console opens) rather than a switch.
    pub console: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Confirmation {
    pub title: String,
    pub lines: Vec<String>,
}

/// A one-line message under the header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub error: bool,
}

#[derive(Debug)]
pub struct State {
    /// The profiles' entries, then (while `show_new`) `new_entries`.
    pub entries: Vec<Entry>,
    /// How many of `entries` are profiles; the rest are assignments
    /// without one.
    pub profile_count: usize,
    /// Entries for the assignments the last sync listed that have no
    /// profile, in the order of `SyncView::unprofiled`.
    pub new_entries: Vec<Entry>,
    /// `a`: list `new_entries` too.
    pub show_new: bool,
    pub matcher: Matcher,
    pub query: String,
    pub hits: Vec<Hit>,
    /// The query `hits` were computed for (to refine instead of rescan).
    hits_query: String,
    /// Matches of each shorter query typed on the way here, so Backspace
    /// restores instead of rescanning.
    undo: Vec<(String, Vec<Hit>)>,
    /// Index into `hits`.
    pub selected: usize,
    /// First visible hit.
    pub offset: usize,
    /// Visible table rows at the last layout; PgUp/PgDn move by this.
    pub page: usize,
    pub mode: Mode,
    pub notice: Option<Notice>,
    pub now: DateTime<Utc>,
    /// Order with an empty filter (`s` toggles).
    pub order: Order,
    pub history: History,
    ranks: Ranks,
    /// First line of the help shown, when the help does not fit.
    pub help_scroll: usize,
    /// The largest `help_scroll` at the last layout (0: the help fits).
    pub help_max_scroll: usize,
    /// A line for stderr once the screen is restored: what went wrong
    /// with work the picker finished while leaving (the console sign-in).
    pub parting: Option<String>,
}

impl State {
    pub fn new(entries: Vec<Entry>, query: &str, now: DateTime<Utc>) -> State {
        let mut state = State {
            profile_count: entries.len(),
            new_entries: Vec::new(),
            show_new: false,
            entries,
            matcher: Matcher::default(),
            query: query.to_string(),
            hits: Vec::new(),
            hits_query: String::new(),
            undo: Vec::new(),
            selected: 0,
            offset: 0,
            page: 10,
            mode: if query.is_empty() {
                Mode::Normal
            } else {
                Mode::Filter
            },
            notice: None,
            now,
            order: Order::Recent,
            history: History::default(),
            ranks: Ranks::default(),
            help_scroll: 0,
            help_max_scroll: 0,
            parting: None,
        };
        state.rerank();
        state
    }

    /// Uses the history's order and frecency.
    pub fn with_history(mut self, history: History) -> State {
        self.order = history.order;
        self.history = history;
        self.rerank();
        self
    }

    /// Flips between recent-first and A-Z.
    pub fn toggle_order(&mut self) {
        self.order = match self.order {
            Order::Recent => Order::Alpha,
            Order::Alpha => Order::Recent,
        };
        self.history.order = self.order;
        let keep = self.selected_name().map(str::to_string);
        self.rerank();
        if let Some(name) = keep {
            self.select_name(&name);
        }
    }

    /// Recomputes the fallback orders from the history, then the matches.
    fn rerank(&mut self) {
        let names: Vec<&str> = self.entries.iter().map(|e| e.name.as_str()).collect();
        let tie = self.history.ranks(&names, self.now);
        let empty = match self.order {
            Order::Recent => tie.clone(),
            Order::Alpha => alpha_ranks(&names),
        };
        self.ranks = Ranks { empty, tie };
        self.refilter();
    }

    /// Recomputes matches for the query from scratch.
    pub fn refilter(&mut self) {
        self.undo.clear();
        self.hits = self
            .matcher
            .filter(&self.entries, &self.query, None, &self.ranks);
        self.hits_query.clone_from(&self.query);
        self.selected = 0;
        self.offset = 0;
    }

    /// Types a character: only the current matches are re-scored.
    pub fn push_char(&mut self, c: char) {
        let previous = (
            std::mem::take(&mut self.hits_query),
            std::mem::take(&mut self.hits),
        );
        self.query.push(c);
        self.hits = self.matcher.filter(
            &self.entries,
            &self.query,
            Some((previous.0.as_str(), previous.1.as_slice())),
            &self.ranks,
        );
        self.hits_query.clone_from(&self.query);
        self.undo.push(previous);
        self.selected = 0;
        self.offset = 0;
    }

    /// Deletes the last character, restoring that query's matches if kept.
    pub fn pop_char(&mut self) {
        if self.query.pop().is_none() {
            return;
        }
        match self.undo.pop() {
            Some((query, hits)) if query == self.query => {
                self.hits = hits;
                self.hits_query = query;
                self.selected = 0;
                self.offset = 0;
            }
            _ => self.refilter(),
        }
    }

    pub fn selected_entry(&self) -> Option<&Entry> {
        self.hits
            .get(self.selected)
            .map(|h| &self.entries[h.index as usize])
    }

    pub fn selected_name(&self) -> Option<&str> {
        self.selected_entry().map(|e| e.name.as_str())
    }

    /// Replaces the entries (after a reload), keeping the query and, if it
    /// still exists, the selected profile.
    pub fn replace_entries(&mut self, entries: Vec<Entry>) {
        let keep = self.selected_name().map(str::to_string);
        self.profile_count = entries.len();
        self.entries = entries;
        if self.show_new {
            self.entries.extend(self.new_entries.iter().cloned());
        }
        self.rerank();
        if let Some(name) = keep {
            self.select_name(&name);
        }
    }

    /// Sets the entries of the assignments without a profile (shown
    /// after `a`), keeping the query and selection.
    pub fn set_new_entries(&mut self, new: Vec<Entry>) {
        let keep = self.selected_name().map(str::to_string);
        self.new_entries = new;
        if self.new_entries.is_empty() {
            self.show_new = false;
        }
        self.entries.truncate(self.profile_count);
        if self.show_new {
            self.entries.extend(self.new_entries.iter().cloned());
        }
        self.rerank();
        if let Some(name) = keep {
            self.select_name(&name);
        }
    }

    /// `a`: lists the assignments without a profile too, or no more.
    pub fn toggle_new(&mut self) {
        self.show_new = !self.show_new && !self.new_entries.is_empty();
        let new = std::mem::take(&mut self.new_entries);
        self.set_new_entries(new);
    }

    /// The position in `new_entries` of the selected row, when it is an
    /// assignment without a profile.
    pub fn selected_new(&self) -> Option<usize> {
        let hit = self.hits.get(self.selected)?;
        (hit.index as usize).checked_sub(self.profile_count)
    }

    pub fn select_name(&mut self, name: &str) {
        if let Some(pos) = self
            .hits
            .iter()
            .position(|h| self.entries[h.index as usize].name == name)
        {
            self.selected = pos;
        }
    }

    /// Moves the selection by `delta` rows, clamped.
    pub fn move_by(&mut self, delta: isize) {
        if self.hits.is_empty() {
            return;
        }
        let last = self.hits.len() - 1;
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }

    /// Keeps the selection inside a window of `height` rows.
    pub fn scroll_into_view(&mut self, height: usize) {
        self.page = height.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + self.page {
            self.offset = self.selected + 1 - self.page;
        }
        let max_offset = self.hits.len().saturating_sub(self.page);
        self.offset = self.offset.min(max_offset);
    }

    pub fn say(&mut self, text: impl Into<String>) {
        self.notice = Some(Notice {
            text: text.into(),
            error: false,
        });
    }

    pub fn warn(&mut self, text: impl Into<String>) {
        self.notice = Some(Notice {
            text: text.into(),
            error: true,
        });
    }
}
