//! Keys become actions; which action depends on the mode.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::state::Mode;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    Up,
    Down,
    PageUp,
    PageDown,
    Home,
    End,
    Accept,
    StartFilter,
    StopFilter,
    Type(char),
    Backspace,
    ClearQuery,
    Login,
    /// `o`: open the console as the selected profile.
    Console,
    Clean,
    Reload,
    ToggleHelp,
    ToggleOrder,
    Cancel,
    Interrupt,
    /// `y` in a confirmation.
    Confirm,
    /// Any other key in a confirmation.
    Decline,
    /// `n` to "log in first?": switch without logging in.
    SwitchAnyway,
    /// `a`: also list the assignments that have no profile.
    ToggleNew,
}

pub fn from_key(key: KeyEvent, mode: &Mode) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && matches!(key.code, KeyCode::Char('c')) {
        return Some(Action::Interrupt);
    }
    match mode {
        Mode::Confirm(_) | Mode::ConfirmAdd(_) => Some(match key.code {
            KeyCode::Char('y') | KeyCode::Char('Y') => Action::Confirm,
            _ => Action::Decline,
        }),
        // Arrows and j/k scroll a help that does not fit; any other key
        // (q included) only closes it.
        Mode::Help => Some(match key.code {
            KeyCode::Up | KeyCode::Char('k') => Action::Up,
            KeyCode::Down | KeyCode::Char('j') => Action::Down,
            KeyCode::PageUp => Action::PageUp,
            KeyCode::PageDown => Action::PageDown,
            _ => Action::ToggleHelp,
        }),
        Mode::Report(_) => Some(Action::Decline),
        Mode::LoginFirst(_) => Some(match key.code {
            KeyCode::Char('y') | KeyCode::Char('Y') | KeyCode::Enter => Action::Confirm,
            KeyCode::Char('n') | KeyCode::Char('N') => Action::SwitchAnyway,
            KeyCode::Esc | KeyCode::Char('q') => Action::Decline,
            _ => return None,
        }),
        Mode::Filter => Some(match key.code {
            KeyCode::Up => Action::Up,
            KeyCode::Down => Action::Down,
            KeyCode::Char('p') if ctrl => Action::Up,
            KeyCode::Char('n') if ctrl => Action::Down,
            KeyCode::Char('k') if ctrl => Action::Up,
            KeyCode::Char('j') if ctrl => Action::Down,
            KeyCode::PageUp => Action::PageUp,
            KeyCode::PageDown => Action::PageDown,
            KeyCode::Enter => Action::Accept,
            KeyCode::Esc => Action::StopFilter,
            KeyCode::Backspace => Action::Backspace,
            KeyCode::Char('u') if ctrl => Action::ClearQuery,
            KeyCode::Char(c) if !ctrl => Action::Type(c),
            _ => return None,
        }),
        Mode::Normal => Some(match key.code {
            KeyCode::Up | KeyCode::Char('k') => Action::Up,
            KeyCode::Down | KeyCode::Char('j') => Action::Down,
            KeyCode::Char('p') if ctrl => Action::Up,
            KeyCode::Char('n') if ctrl => Action::Down,
            KeyCode::PageUp => Action::PageUp,
            KeyCode::Char('b') if ctrl => Action::PageUp,
            KeyCode::PageDown => Action::PageDown,
            KeyCode::Char('f') if ctrl => Action::PageDown,
            KeyCode::Char('u') if ctrl => Action::ClearQuery,
            // Any other Ctrl letter does nothing: Ctrl-L (redraw, by most
            // terminals' habits) must not start a login, Ctrl-O not a
            // console sign-in. Alt stays a plain key: Esc then q typed
            // fast reaches awsp as Alt-q, and means quit.
            KeyCode::Char(_) if ctrl => return None,
            KeyCode::Home | KeyCode::Char('g') => Action::Home,
            KeyCode::End | KeyCode::Char('G') => Action::End,
            KeyCode::Enter => Action::Accept,
            KeyCode::Char('/') => Action::StartFilter,
            KeyCode::Char('l') => Action::Login,
            KeyCode::Char('o') => Action::Console,
            KeyCode::Char('c') => Action::Clean,
            KeyCode::Char('r') => Action::Reload,
            KeyCode::Char('s') => Action::ToggleOrder,
            KeyCode::Char('a') => Action::ToggleNew,
            KeyCode::Char('?') => Action::ToggleHelp,
            KeyCode::Char('q') | KeyCode::Esc => Action::Cancel,
            _ => return None,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyEvent;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn ctrl_letters_start_no_action() {
        for c in ['l', 'o', 'r', 's', 'a', 'q', 'g', 'z', 'x'] {
            let k = KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL);
            assert_eq!(from_key(k, &Mode::Normal), None, "Ctrl-{c}");
            assert_eq!(from_key(k, &Mode::Filter), None, "Ctrl-{c} typed");
        }
        // Esc then q, typed fast, arrives as Alt-q: it quits.
        let alt_q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::ALT);
        assert_eq!(from_key(alt_q, &Mode::Normal), Some(Action::Cancel));
        let ctrl = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL);
        assert_eq!(from_key(ctrl('n'), &Mode::Normal), Some(Action::Down));
        assert_eq!(from_key(ctrl('u'), &Mode::Normal), Some(Action::ClearQuery));
        assert_eq!(from_key(ctrl('c'), &Mode::Normal), Some(Action::Interrupt));
        // Shift is no modifier for letters: G is the end.
        let g = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(from_key(g, &Mode::Normal), Some(Action::End));
    }

    #[test]
    fn q_on_the_help_closes_it_and_does_not_quit() {
        assert_eq!(
            from_key(key(KeyCode::Char('q')), &Mode::Help),
            Some(Action::ToggleHelp)
        );
        assert_eq!(
            from_key(key(KeyCode::Esc), &Mode::Help),
            Some(Action::ToggleHelp)
        );
        assert_eq!(
            from_key(key(KeyCode::Char('j')), &Mode::Help),
            Some(Action::Down)
        );
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(from_key(ctrl_c, &Mode::Help), Some(Action::Interrupt));
    }
}
