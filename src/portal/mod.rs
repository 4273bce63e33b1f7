//! The IAM Identity Center portal: the only network code in awsp, run only
//! when the user asks (`awsp sync`, later `creds` and `console`). No
//! terminal code here: progress and errors come back as data.

pub mod types;
