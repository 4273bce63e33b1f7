//! Python's own behaviour where botocore leans on it: `shlex` for section
//! names, `json.dumps` and `int()` for cache keys, `json.load` for cache
//! files, dateutil for timestamps.

pub mod dateutil;
pub mod json;
pub(crate) mod json_load;
pub mod shlex;
