//! Test servers that examples share (examples/fake_portal.rs includes
//! fake_portal.rs by path).

pub mod fake_federation;
pub mod fake_portal;
