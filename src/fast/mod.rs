//! Exact fast paths: each gives exactly what the plain code gives (an
//! agreement test proves it) and exists only for a speed target; see
//! README.md in this folder for what each buys (measured) and which
//! tests prove the agreement.

pub mod ini;
pub mod jsonw;
pub(crate) mod swar;
