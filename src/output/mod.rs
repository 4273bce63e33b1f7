//! Text for people, shared by the commands and the picker: durations,
//! states, escaping, colour.

pub mod cell;
pub mod clean;
pub mod human;
pub mod shown;
pub mod style;
