//! The only `unsafe` in awsp. Every other system call goes through a safe
//! wrapper (rustix, std, signal-hook); what is here is what no wrapper can
//! make safe because it concerns a descriptor awsp did not open and does
//! not own: fd 3, on which the shell function receives the `export` line.
//!
//! The crate denies `unsafe_code`; this module alone allows it, and every
//! block says why it is sound (`clippy::undocumented_unsafe_blocks`).

pub mod fd3;
