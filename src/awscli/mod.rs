//! Running the AWS CLI itself (`aws sso login`): finding it, running it on
//! the terminal, reporting what it said.

pub mod login;
