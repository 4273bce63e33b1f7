//! The picker: its event loop and terminal (IO), the pure model and update
//! (`app`), and the view (`ui`).

pub mod app;
pub mod effects;
pub mod picker;
pub mod terminal;
pub mod ui;
