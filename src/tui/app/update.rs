//! `update(state, action) -> Effect`: every key's meaning, without IO.

use super::action::Action;
use super::state::{Mode, State};

/// What the event loop must do after an update.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    None,
    /// The user chose `name`: the loop asks first when its session must
    /// log in, else hands `AWS_PROFILE=name` to the shell and exits 0.
    Switch(String),
    /// `n` to "log in first?": hand it over as it is.
    SwitchAnyway(String),
    /// `y` to "log in first?": log in, and switch if that worked.
    LoginThenSwitch(String),
    /// Exit 1, nothing emitted.
    Cancel,
    /// Ctrl-C: exit 130, nothing emitted.
    Interrupt,
    /// Log in the session of this profile.
    Login(String),
    /// `o`: open the console as this profile (the loop asks first when
    /// its session must log in).
    Console(String),
    /// `y` to "log in first?" before `o`.
    LoginThenConsole(String),
    /// Work out what `c` would remove and ask.
    PlanClean,
    /// The user said yes to the clean.
    Clean,
    /// Re-read the files.
    Reload,
    /// The order changed; remember it.
    SaveOrder,
    /// Enter on the assignment at this place of `new_entries`: the loop
    /// asks whether to add it.
    AskAdd(usize),
    /// `y` to that: add the profile (awsp sync --write), then switch to it.
    AddThenSwitch(String),
}

pub fn update(state: &mut State, action: Action) -> Effect {
    if action == Action::Interrupt {
        return Effect::Interrupt;
    }
    match state.mode {
        Mode::Confirm(_) => {
            state.mode = Mode::Normal;
            return match action {
                Action::Confirm => Effect::Clean,
                _ => {
                    state.say("nothing removed");
                    Effect::None
                }
            };
        }
        Mode::Help => {
            let scroll = match action {
                Action::Up => Some(-1),
                Action::Down => Some(1),
                Action::PageUp => Some(-(state.page.max(1) as isize)),
                Action::PageDown => Some(state.page.max(1) as isize),
                _ => None,
            };
            match scroll {
                Some(delta) if state.help_max_scroll > 0 => {
                    state.help_scroll = state
                        .help_scroll
                        .saturating_add_signed(delta)
                        .min(state.help_max_scroll);
                }
                _ => state.mode = Mode::Normal,
            }
            return Effect::None;
        }
        Mode::Report(_) => {
            state.mode = Mode::Normal;
            return Effect::None;
        }
        Mode::LoginFirst(ref q) => {
            let profile = q.profile.clone();
            let console = q.console;
            state.mode = Mode::Normal;
            if console {
                return match action {
                    Action::Confirm => Effect::LoginThenConsole(profile),
                    _ => {
                        state.say("console not opened");
                        Effect::None
                    }
                };
            }
            return match action {
                Action::Confirm => Effect::LoginThenSwitch(profile),
                Action::SwitchAnyway => Effect::SwitchAnyway(profile),
                _ => {
                    state.say("not switched");
                    Effect::None
                }
            };
        }
        Mode::ConfirmAdd(ref q) => {
            let profile = q.profile.clone();
            state.mode = Mode::Normal;
            return match action {
                Action::Confirm => Effect::AddThenSwitch(profile),
                _ => {
                    state.say("nothing added");
                    Effect::None
                }
            };
        }
        Mode::Normal | Mode::Filter => {}
    }
    let page = state.page.max(1) as isize;
    match action {
        Action::Up => state.move_by(-1),
        Action::Down => state.move_by(1),
        Action::PageUp => state.move_by(-page),
        Action::PageDown => state.move_by(page),
        Action::Home => state.selected = 0,
        Action::End => state.selected = state.hits.len().saturating_sub(1),
        Action::Accept => {
            if let Some(i) = state.selected_new() {
                return Effect::AskAdd(i);
            }
            return match state.selected_name() {
                Some(name) => match crate::aws::envname::unswitchable_reason(name) {
                    Some(reason) => {
                        let shown = crate::output::human::printable(name).into_owned();
                        state.warn(format!("'{shown}': {reason}"));
                        Effect::None
                    }
                    None => Effect::Switch(name.to_string()),
                },
                None if state.entries.is_empty() => {
                    state.warn("no profiles: add some to ~/.aws/config (see `aws configure sso`)");
                    Effect::None
                }
                None => {
                    state.warn("no profile matches; Ctrl-U clears the filter");
                    Effect::None
                }
            };
        }
        Action::StartFilter => state.mode = Mode::Filter,
        Action::StopFilter => state.mode = Mode::Normal,
        Action::Type(c) => state.push_char(c),
        Action::Backspace => state.pop_char(),
        Action::ClearQuery => {
            if !state.query.is_empty() {
                state.query.clear();
                state.refilter();
            }
        }
        Action::Login => {
            return state
                .selected_name()
                .map_or(Effect::None, |name| Effect::Login(name.to_string()))
        }
        Action::Console => {
            return state
                .selected_name()
                .map_or(Effect::None, |name| Effect::Console(name.to_string()))
        }
        Action::Clean => return Effect::PlanClean,
        Action::Reload => return Effect::Reload,
        Action::ToggleHelp => {
            state.help_scroll = 0;
            state.mode = Mode::Help;
        }
        Action::ToggleOrder => {
            state.toggle_order();
            state.say(match state.order {
                crate::home::history::Order::Recent => "recent first",
                crate::home::history::Order::Alpha => "A-Z",
            });
            return Effect::SaveOrder;
        }
        Action::ToggleNew => {
            if state.new_entries.is_empty() {
                state.say("every assignment of the last sync has a profile (or: no awsp sync yet)");
            } else {
                state.toggle_new();
                let n = state.new_entries.len();
                state.say(if state.show_new {
                    format!(
                        "+ {n} assignment{} without a profile; Enter adds one",
                        if n == 1 { "" } else { "s" }
                    )
                } else {
                    "profiles only".to_string()
                });
            }
        }
        Action::Cancel => return Effect::Cancel,
        Action::Interrupt | Action::Confirm | Action::Decline | Action::SwitchAnyway => {}
    }
    Effect::None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::app::filter::Entry;
    use crate::tui::app::state::Confirmation;
    use chrono::{TimeZone, Utc};

    fn state(query: &str) -> State {
        let names = [
            "prod-admin",
            "prod-read",
            "staging-admin",
            "dev-admin",
            "sandbox",
        ];
        let entries = names.iter().map(|n| Entry::new(n, &[])).collect();
        State::new(
            entries,
            query,
            Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
        )
    }

    fn run(s: &mut State, actions: &[Action]) -> Effect {
        let mut last = Effect::None;
        for a in actions {
            last = update(s, a.clone());
        }
        last
    }

    #[test]
    fn moves_clamp_and_enter_switches() {
        let mut s = state("");
        assert_eq!(s.mode, Mode::Normal);
        assert_eq!(
            run(&mut s, &[Action::Up, Action::Down, Action::Down]),
            Effect::None
        );
        assert_eq!(s.selected_name(), Some("staging-admin"));
        s.page = 3;
        run(&mut s, &[Action::PageDown, Action::PageDown]);
        assert_eq!(s.selected_name(), Some("sandbox"));
        run(&mut s, &[Action::Home]);
        assert_eq!(s.selected, 0);
        run(&mut s, &[Action::End]);
        assert_eq!(
            update(&mut s, Action::Accept),
            Effect::Switch("sandbox".into())
        );
    }

    #[test]
    fn filter_mode_types_and_esc_keeps_filter() {
        let mut s = state("");
        run(
            &mut s,
            &[
                Action::StartFilter,
                Action::Type('a'),
                Action::Type('d'),
                Action::Type('m'),
            ],
        );
        assert_eq!(s.query, "adm");
        assert_eq!(s.hits.len(), 3);
        run(&mut s, &[Action::StopFilter]);
        assert_eq!(s.mode, Mode::Normal);
        assert_eq!(s.hits.len(), 3);
        run(
            &mut s,
            &[Action::Backspace, Action::Backspace, Action::Backspace],
        );
        assert_eq!(s.hits.len(), 5);
        run(&mut s, &[Action::Type('z'), Action::Type('z')]);
        assert!(s.hits.is_empty());
        assert_eq!(update(&mut s, Action::Accept), Effect::None);
        assert!(s.notice.as_ref().unwrap().error);
        run(&mut s, &[Action::ClearQuery]);
        assert_eq!(s.hits.len(), 5);
    }

    #[test]
    fn backspace_restores_the_shorter_query_exactly() {
        let mut s = state("");
        run(
            &mut s,
            &[Action::StartFilter, Action::Type('a'), Action::Type('d')],
        );
        let after_a = {
            let mut fresh = state("a");
            fresh.refilter();
            fresh.hits.clone()
        };
        run(&mut s, &[Action::Backspace]);
        assert_eq!(s.query, "a");
        assert_eq!(s.hits, after_a);
        run(&mut s, &[Action::Backspace, Action::Backspace]);
        assert_eq!(s.query, "");
        assert_eq!(s.hits.len(), 5);
    }

    #[test]
    fn enter_with_no_profiles_says_so() {
        let mut s = State::new(
            Vec::new(),
            "",
            Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
        );
        assert_eq!(update(&mut s, Action::Accept), Effect::None);
        assert!(s.notice.as_ref().unwrap().text.starts_with("no profiles"));
    }

    #[test]
    fn a_query_opens_in_filter_mode() {
        let s = state("dev");
        assert_eq!(s.mode, Mode::Filter);
        assert_eq!(s.selected_name(), Some("dev-admin"));
    }

    #[test]
    fn cancel_interrupt_login_reload_and_help() {
        let mut s = state("");
        assert_eq!(update(&mut s, Action::Cancel), Effect::Cancel);
        assert_eq!(update(&mut s, Action::Interrupt), Effect::Interrupt);
        assert_eq!(
            update(&mut s, Action::Login),
            Effect::Login("prod-admin".into())
        );
        assert_eq!(update(&mut s, Action::Reload), Effect::Reload);
        update(&mut s, Action::ToggleHelp);
        assert_eq!(s.mode, Mode::Help);
        assert_eq!(update(&mut s, Action::Down), Effect::None);
        assert_eq!(s.mode, Mode::Normal, "a help that fits: any key closes it");
        assert_eq!(s.selected, 0, "a key that closes help does nothing else");
    }

    #[test]
    fn any_key_closes_the_help_and_q_does_not_quit() {
        let mut s = state("");
        update(&mut s, Action::ToggleHelp);
        assert_eq!(update(&mut s, Action::Cancel), Effect::None);
        assert_eq!(s.mode, Mode::Normal, "q closes the help only");
        // A help taller than the screen scrolls with the arrows, clamped.
        update(&mut s, Action::ToggleHelp);
        s.help_max_scroll = 3;
        run(
            &mut s,
            &[Action::Down, Action::Down, Action::Down, Action::Down],
        );
        assert_eq!((s.mode.clone(), s.help_scroll), (Mode::Help, 3));
        run(&mut s, &[Action::Up]);
        assert_eq!(s.help_scroll, 2);
        assert_eq!(update(&mut s, Action::Cancel), Effect::None);
        assert_eq!(s.mode, Mode::Normal);
        update(&mut s, Action::ToggleHelp);
        assert_eq!(s.help_scroll, 0, "reopened at the top");
    }

    #[test]
    fn enter_refuses_a_name_no_variable_can_carry() {
        let now = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        for name in ["", "a\0b"] {
            let mut s = State::new(vec![Entry::new(name, &[])], "", now);
            assert_eq!(update(&mut s, Action::Accept), Effect::None, "{name:?}");
            let notice = s.notice.clone().unwrap();
            assert!(notice.error && notice.text.contains("cannot be switched to"));
            assert!(!notice.text.contains('\0'), "shown printable");
        }
    }

    #[test]
    fn o_opens_the_console_and_its_login_question_never_switches() {
        let mut s = state("");
        assert_eq!(
            update(&mut s, Action::Console),
            Effect::Console("prod-admin".into())
        );
        let ask = || {
            Mode::LoginFirst(crate::tui::app::state::LoginQuestion {
                console: true,
                profile: "prod-admin".into(),
                question: "session main expired 2d ago: log in first? [Y/n]".into(),
            })
        };
        s.mode = ask();
        assert_eq!(
            update(&mut s, Action::Confirm),
            Effect::LoginThenConsole("prod-admin".into())
        );
        s.mode = ask();
        assert_eq!(
            update(&mut s, Action::SwitchAnyway),
            Effect::None,
            "n: no switch"
        );
        assert_eq!(s.mode, Mode::Normal);
    }

    #[test]
    fn log_in_first_question_y_n_esc() {
        let ask = || {
            Mode::LoginFirst(crate::tui::app::state::LoginQuestion {
                console: false,
                profile: "prod-admin".into(),
                question: "session main expired 2d ago: log in first? [Y/n]".into(),
            })
        };
        let mut s = state("");
        s.mode = ask();
        assert_eq!(
            update(&mut s, Action::Confirm),
            Effect::LoginThenSwitch("prod-admin".into())
        );
        s.mode = ask();
        assert_eq!(
            update(&mut s, Action::SwitchAnyway),
            Effect::SwitchAnyway("prod-admin".into())
        );
        s.mode = ask();
        assert_eq!(update(&mut s, Action::Decline), Effect::None);
        assert_eq!(s.mode, Mode::Normal);
    }

    #[test]
    fn recent_first_and_s_toggles_a_z() {
        let mut history = crate::home::history::History::default();
        history.record(
            "sandbox",
            Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
        );
        let mut s = state("").with_history(history);
        assert_eq!(s.selected_name(), Some("sandbox"));
        assert_eq!(s.hits[1].index, 0, "the rest keep file order");
        assert_eq!(update(&mut s, Action::ToggleOrder), Effect::SaveOrder);
        assert_eq!(s.order, crate::home::history::Order::Alpha);
        assert_eq!(s.history.order, crate::home::history::Order::Alpha);
        assert_eq!(s.selected_name(), Some("sandbox"), "selection kept");
        let names: Vec<&str> = s
            .hits
            .iter()
            .map(|h| s.entries[h.index as usize].name.as_str())
            .collect();
        assert_eq!(
            names,
            vec![
                "dev-admin",
                "prod-admin",
                "prod-read",
                "sandbox",
                "staging-admin"
            ]
        );
    }

    #[test]
    fn confirm_needs_y() {
        let mut s = state("");
        assert_eq!(update(&mut s, Action::Clean), Effect::PlanClean);
        let ask = Mode::Confirm(Confirmation {
            title: "t".into(),
            lines: vec![],
        });
        s.mode = ask.clone();
        assert_eq!(update(&mut s, Action::Decline), Effect::None);
        assert_eq!(s.mode, Mode::Normal);
        s.mode = ask;
        assert_eq!(update(&mut s, Action::Confirm), Effect::Clean);
    }

    #[test]
    fn scroll_follows_selection_and_reload_keeps_it() {
        let mut s = state("");
        s.scroll_into_view(2);
        run(&mut s, &[Action::End]);
        s.scroll_into_view(2);
        assert_eq!(s.offset, 3);
        run(&mut s, &[Action::Home]);
        s.scroll_into_view(2);
        assert_eq!(s.offset, 0);
        run(&mut s, &[Action::Down, Action::Down]);
        let entries = ["new", "prod-admin", "prod-read", "staging-admin"]
            .iter()
            .map(|n| Entry::new(n, &[]))
            .collect();
        s.replace_entries(entries);
        assert_eq!(s.selected_name(), Some("staging-admin"));
    }

    #[test]
    fn key_a_lists_assignments_without_a_profile_and_enter_asks_to_add() {
        let mut s = state("");
        // Nothing synced: `a` only says so.
        assert_eq!(update(&mut s, Action::ToggleNew), Effect::None);
        assert_eq!(s.entries.len(), 5);
        s.set_new_entries(vec![Entry::new(
            "acme-prod-poweruser",
            &[Some("ACME Prod")],
        )]);
        assert_eq!(s.entries.len(), 5, "listed only after a");
        update(&mut s, Action::ToggleNew);
        assert!(s.show_new);
        assert_eq!(s.entries.len(), 6);
        run(
            &mut s,
            &[
                Action::StartFilter,
                Action::Type('p'),
                Action::Type('o'),
                Action::Type('w'),
            ],
        );
        assert_eq!(s.selected_name(), Some("acme-prod-poweruser"));
        assert_eq!(update(&mut s, Action::Accept), Effect::AskAdd(0));
        let ask = Mode::ConfirmAdd(crate::tui::app::state::AddQuestion {
            profile: "acme-prod-poweruser".into(),
            confirmation: Confirmation {
                title: "Add?".into(),
                lines: Vec::new(),
            },
        });
        s.mode = ask.clone();
        assert_eq!(
            update(&mut s, Action::Confirm),
            Effect::AddThenSwitch("acme-prod-poweruser".into())
        );
        s.mode = ask;
        assert_eq!(update(&mut s, Action::Decline), Effect::None);
        assert_eq!(s.notice.as_ref().unwrap().text, "nothing added");
        // A profile row still switches; a toggles the new rows away again.
        run(&mut s, &[Action::ClearQuery]);
        update(&mut s, Action::ToggleNew);
        assert_eq!((s.show_new, s.entries.len()), (false, 5));
        assert_eq!(
            update(&mut s, Action::Accept),
            Effect::Switch("prod-admin".into())
        );
    }
}
