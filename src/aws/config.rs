//! Profiles and sso-sessions from the config and credentials files, built
//! with botocore's `build_profile_map` and `Session.full_config` rules.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::ini::{self, IniFile, NameHasher, Settings};
use super::py::shlex;
use super::resolve::{SourceWalk, Step};

/// A file botocore cannot parse; the whole session fails on it.
#[derive(Debug, thiserror::Error)]
#[error("{}:{line}: {reason}", path.display())]
pub struct FileError {
    pub path: PathBuf,
    pub line: usize,
    pub reason: String,
}

/// Reads and parses one file. A path that is not a regular file, or cannot
/// be read, gives no sections (botocore skips it silently).
pub fn load_file(path: &Path) -> Result<Option<IniFile>, FileError> {
    let Some(bytes) = read_if_file(path) else {
        return Ok(None);
    };
    let text = ini::decode(&bytes).map_err(|e| file_error(path, e))?;
    ini::parse(text).map(Some).map_err(|e| file_error(path, e))
}

/// Which files have a section that gives a profile its name.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sources {
    pub config: bool,
    pub credentials: bool,
}

/// Presence of the two halves of an access key in one file's section.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KeyPair {
    pub access_key: bool,
    pub secret_key: bool,
}

impl KeyPair {
    fn of(settings: &Settings) -> KeyPair {
        KeyPair {
            access_key: ini::has(settings, "aws_access_key_id"),
            secret_key: ini::has(settings, "aws_secret_access_key"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Profile {
    pub name: String,
    pub sources: Sources,
    /// Header line of the section in force in the config file.
    pub config_line: Option<usize>,
    pub credentials_line: Option<usize>,
    /// The merged settings: config first, credentials-file values override.
    pub settings: Settings,
    /// Read by botocore's config-file provider (the unmerged config section).
    pub config_keys: KeyPair,
    /// Read by botocore's shared-credentials provider (the literal section).
    pub credentials_keys: KeyPair,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SsoSession {
    pub name: String,
    pub line: usize,
    pub settings: Settings,
}

/// A `[services NAME]` section: per-service settings (`sso =` then an
/// indented `endpoint_url = ...`) that a profile's `services = NAME` uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServicesSection {
    pub name: String,
    pub line: usize,
    pub settings: Settings,
}

/// Things the CLI accepts without a word that a person probably did not
/// mean; `awsp doctor` explains them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Oddity {
    /// A `[profile ...]`/`[sso-session ...]`-like header botocore drops.
    DroppedSection { header: String, line: usize },
    /// A later section with the same resulting name replaced an earlier one.
    Shadowed {
        kind: &'static str,
        name: String,
        line: usize,
        by_line: usize,
    },
    /// `[DEFAULT]` keys copied into every section of that file.
    DefaultLeak { file: PathBuf, keys: Vec<String> },
}

#[derive(Clone, Debug, Default)]
pub struct Config {
    pub config_file: PathBuf,
    pub credentials_file: PathBuf,
    pub profiles: Vec<Profile>,
    pub sso_sessions: Vec<SsoSession>,
    /// From the config file only; a later section of the same name
    /// replaces an earlier one (botocore's dict update).
    pub services: Vec<ServicesSection>,
    pub oddities: Vec<Oddity>,
    /// Keyed by inline strings: most names fit in 24 bytes, so indexing
    /// 10,000 profiles copies no name to the heap.
    profile_index: HashMap<ini::Key, usize, NameHasher>,
    session_index: HashMap<ini::Key, usize, NameHasher>,
}

/// How botocore classifies a config-file section name. The name a
/// profile or session gets is borrowed from the header when no quoting is
/// involved (nearly always: 10,000 names per `list`).
enum SectionKind<'a> {
    Profile(Cow<'a, str>),
    SsoSession(Cow<'a, str>),
    Services(Cow<'a, str>),
    Dropped,
    Other,
}

/// Whether shlex would treat some byte of `name` specially (quotes, escapes).
fn has_shell_quoting(name: &str) -> bool {
    crate::fast::swar::contains3(name.as_bytes(), b'\'', b'"', b'\\')
}

/// The second of exactly two words of a name without shell quoting. Then
/// shlex only splits on these four ASCII bytes, so splitting bytes (not
/// chars: 10,000 names per run) keeps every word on a char boundary.
fn plain_second_word(name: &str) -> Option<&str> {
    let mut words = name
        .as_bytes()
        .split(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
        .filter(|w| !w.is_empty());
    match (words.next(), words.next(), words.next()) {
        (Some(_), Some(second), None) => {
            let at = second.as_ptr() as usize - name.as_ptr() as usize;
            Some(&name[at..at + second.len()])
        }
        _ => None,
    }
}

fn classify(name: &str) -> SectionKind<'_> {
    // botocore keeps a prefixed section only when shlex gives exactly two words.
    let second_word = || -> Option<Cow<'_, str>> {
        if !has_shell_quoting(name) {
            return plain_second_word(name).map(Cow::Borrowed);
        }
        shlex::split(name)
            .filter(|words| words.len() == 2)
            .and_then(|mut words| words.pop())
            .map(Cow::Owned)
    };
    if name.starts_with("profile") {
        second_word().map_or(SectionKind::Dropped, SectionKind::Profile)
    } else if name.starts_with("sso-session") {
        second_word().map_or(SectionKind::Dropped, SectionKind::SsoSession)
    } else if name.starts_with("services") {
        second_word().map_or(SectionKind::Dropped, SectionKind::Services)
    } else if name == "default" {
        SectionKind::Profile(Cow::Borrowed(name))
    } else {
        SectionKind::Other
    }
}

impl Config {
    /// Loads both files from disk.
    pub fn load(config_file: &Path, credentials_file: &Path) -> Result<Config, FileError> {
        let config = load_file(config_file)?;
        let credentials = load_file(credentials_file)?;
        Ok(Config::build(
            config_file,
            config,
            credentials_file,
            credentials,
        ))
    }

    /// Builds the profile map from parsed files.
    pub fn build(
        config_file: &Path,
        config: Option<IniFile>,
        credentials_file: &Path,
        credentials: Option<IniFile>,
    ) -> Config {
        let mut out = Config {
            config_file: config_file.to_path_buf(),
            credentials_file: credentials_file.to_path_buf(),
            ..Config::default()
        };
        // Nearly every section is a profile: size the list and the index
        // once (credentials sections included) rather than grow and copy
        // them a dozen times on a large file.
        let sections = |f: &Option<IniFile>| f.as_ref().map_or(0, |f| f.sections.len());
        let most = sections(&config) + sections(&credentials);
        out.profiles.reserve(most);
        out.profile_index.reserve(most);
        if let Some(file) = config {
            out.note_default_leak(config_file, &file);
            for section in file.sections {
                match classify(&section.name) {
                    SectionKind::Profile(name) => {
                        out.put_config_profile(name.into_owned(), section.line, section.settings)
                    }
                    SectionKind::SsoSession(name) => {
                        out.put_session(name.into_owned(), section.line, section.settings)
                    }
                    SectionKind::Dropped => out.oddities.push(Oddity::DroppedSection {
                        header: section.name.to_string(),
                        line: section.line,
                    }),
                    SectionKind::Services(name) => {
                        out.put_services(name.into_owned(), section.line, section.settings)
                    }
                    SectionKind::Other => {}
                }
            }
        }
        if let Some(file) = credentials {
            out.note_default_leak(credentials_file, &file);
            for section in file.sections {
                out.merge_credentials(section.name.into(), section.line, section.settings);
            }
        }
        out
    }

    fn note_default_leak(&mut self, file: &Path, ini: &IniFile) {
        if !ini.defaults.is_empty() && !ini.sections.is_empty() {
            self.oddities.push(Oddity::DefaultLeak {
                file: file.to_path_buf(),
                keys: ini.defaults.iter().map(|(k, _)| k.to_string()).collect(),
            });
        }
    }

    /// Where profile `name` is, and whether a section gave it before; a
    /// new profile is appended with no settings and no source yet.
    fn profile_slot(&mut self, name: String) -> (usize, bool) {
        if let Some(&i) = self.profile_index.get(name.as_str()) {
            return (i, true);
        }
        let i = self.profiles.len();
        self.profile_index.insert(ini::Key::from(name.as_str()), i);
        self.profiles.push(Profile {
            name,
            sources: Sources::default(),
            config_line: None,
            credentials_line: None,
            settings: Settings::new(),
            config_keys: KeyPair::default(),
            credentials_keys: KeyPair::default(),
        });
        (i, false)
    }

    /// A later config section with the same name replaces the earlier one
    /// wholesale but keeps its position.
    fn put_config_profile(&mut self, name: String, line: usize, settings: Settings) {
        let (i, shadows) = self.profile_slot(name);
        let p = &mut self.profiles[i];
        if shadows {
            self.oddities.push(Oddity::Shadowed {
                kind: "profile",
                name: p.name.clone(),
                line: p.config_line.unwrap_or(0),
                by_line: line,
            });
        }
        p.sources.config = true;
        p.config_line = Some(line);
        p.config_keys = KeyPair::of(&settings);
        p.settings = settings;
    }

    fn put_services(&mut self, name: String, line: usize, settings: Settings) {
        let section = ServicesSection {
            name,
            line,
            settings,
        };
        match self.services.iter_mut().find(|s| s.name == section.name) {
            Some(earlier) => *earlier = section,
            None => self.services.push(section),
        }
    }

    /// The `[services NAME]` section in force.
    pub fn services_section(&self, name: &str) -> Option<&ServicesSection> {
        self.services.iter().find(|s| s.name == name)
    }

    fn put_session(&mut self, name: String, line: usize, settings: Settings) {
        if let Some(&i) = self.session_index.get(name.as_str()) {
            let s = &mut self.sso_sessions[i];
            self.oddities.push(Oddity::Shadowed {
                kind: "sso-session",
                name: name.clone(),
                line: s.line,
                by_line: line,
            });
            s.line = line;
            s.settings = settings;
            return;
        }
        self.session_index
            .insert(ini::Key::from(name.as_str()), self.sso_sessions.len());
        self.sso_sessions.push(SsoSession {
            name,
            line,
            settings,
        });
    }

    /// Credentials-file sections use their names literally; values override
    /// config values key by key.
    fn merge_credentials(&mut self, name: String, line: usize, settings: Settings) {
        let (i, _) = self.profile_slot(name);
        let p = &mut self.profiles[i];
        p.sources.credentials = true;
        p.credentials_line = Some(line);
        p.credentials_keys = KeyPair::of(&settings);
        if p.settings.is_empty() {
            // Nothing to override (a credentials-only profile): take them whole.
            p.settings = settings;
            return;
        }
        for (k, v) in settings {
            ini::set(&mut p.settings, k, v);
        }
    }

    pub fn profile(&self, name: &str) -> Option<&Profile> {
        self.profile_index.get(name).map(|&i| &self.profiles[i])
    }

    pub fn profile_position(&self, name: &str) -> Option<usize> {
        self.profile_index.get(name).copied()
    }

    pub fn sso_session(&self, name: &str) -> Option<&SsoSession> {
        self.session_index.get(name).map(|&i| &self.sso_sessions[i])
    }

    pub fn sso_session_position(&self, name: &str) -> Option<usize> {
        self.session_index.get(name).copied()
    }
}

/// The sections that give each profile name, for following a long
/// `source_profile` chain without scanning every section per profile.
struct SectionIndex<'a> {
    config: HashMap<Cow<'a, str>, Vec<usize>, NameHasher>,
    credentials: HashMap<&'a str, Vec<usize>, NameHasher>,
}

impl<'a> SectionIndex<'a> {
    fn of(config_names: &[&'a str], credential_names: &[&'a str]) -> SectionIndex<'a> {
        let mut config: HashMap<Cow<'a, str>, Vec<usize>, NameHasher> = HashMap::default();
        for (i, section) in config_names.iter().enumerate() {
            if let SectionKind::Profile(name) = classify(section) {
                config.entry(name).or_default().push(i);
            }
        }
        let mut credentials: HashMap<&'a str, Vec<usize>, NameHasher> = HashMap::default();
        for (i, name) in credential_names.iter().enumerate() {
            credentials.entry(name).or_default().push(i);
        }
        SectionIndex {
            config,
            credentials,
        }
    }

    fn config(&self, name: &str) -> Vec<usize> {
        self.config.get(name).cloned().unwrap_or_default()
    }

    fn credentials(&self, name: &str) -> Vec<usize> {
        self.credentials.get(name).cloned().unwrap_or_default()
    }
}

/// Classifies only the section names that can give one of some names.
/// Without shell quoting a name's second word is its last, so a name that
/// does not end with one of them (before trailing blanks) gives none of
/// them: status skips classifying the other ~10,000 on every prompt.
struct Mentions<'n> {
    names: &'n [String],
}

impl<'n> Mentions<'n> {
    fn new(names: &'n [String]) -> Self {
        Mentions { names }
    }

    fn classify<'a>(&self, section: &'a str) -> SectionKind<'a> {
        let bytes = section.as_bytes();
        let end = bytes
            .iter()
            .rposition(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
            .map_or(0, |i| i + 1);
        let mentioned = self
            .names
            .iter()
            .any(|n| crate::fast::swar::ends_with(&bytes[..end], n.as_bytes()))
            || has_shell_quoting(section);
        if mentioned {
            classify(section)
        } else {
            SectionKind::Other
        }
    }
}

fn file_error(path: &Path, e: ini::ParseError) -> FileError {
    FileError {
        path: path.to_path_buf(),
        line: e.line,
        reason: e.reason,
    }
}

/// Checks decoded bytes as `load_file` does, keeping them as slices.
fn scan<'a>(path: &Path, bytes: &'a Option<Vec<u8>>) -> Result<Option<ini::RawIni<'a>>, FileError> {
    match bytes {
        None => Ok(None),
        Some(b) => {
            let text = ini::decode(b).map_err(|e| file_error(path, e))?;
            ini::RawIni::scan(text)
                .map(Some)
                .map_err(|e| file_error(path, e))
        }
    }
}

/// The bytes of a file as `load_file` sees it: `None` when it is not a
/// regular file or cannot be read.
fn read_if_file(path: &Path) -> Option<Vec<u8>> {
    if !path.is_file() {
        return None;
    }
    std::fs::read(path).ok()
}

impl Config {
    /// The profiles of [`Config::load`], same names, order and errors, but
    /// without settings: for `awsp list --names`, which shell completion
    /// runs on every Tab. Both files are checked whole (a bad line fails
    /// the CLI too), and no value is built.
    pub fn load_names(config_file: &Path, credentials_file: &Path) -> Result<Config, FileError> {
        let config_bytes = read_if_file(config_file);
        let credentials_bytes = read_if_file(credentials_file);
        let config_raw = scan(config_file, &config_bytes)?;
        let credentials_raw = scan(credentials_file, &credentials_bytes)?;
        // Naming and order depend on section names alone, so the same
        // build runs on sections without settings.
        let names_only = |raw: Option<ini::RawIni>| {
            raw.map(|raw| IniFile {
                sections: raw
                    .section_names()
                    .map(|(name, line)| ini::Section {
                        name: name.into(),
                        line,
                        settings: Settings::new(),
                    })
                    .collect(),
                defaults: Settings::new(),
            })
        };
        Ok(Config::build(
            config_file,
            names_only(config_raw),
            credentials_file,
            names_only(credentials_raw),
        ))
    }

    /// What [`Config::load`] gives for profile `name`, its `source_profile`
    /// chain and their sso-sessions, with the same errors (both files are
    /// still checked whole: botocore fails on any bad line, and a later
    /// duplicate replaces an earlier section) but without building the other
    /// sections. For `awsp status`, which runs on every prompt. Other
    /// profiles, positions and `oddities` are not those of the full load.
    pub fn load_for_profile(
        config_file: &Path,
        credentials_file: &Path,
        name: &str,
    ) -> Result<Config, FileError> {
        let config_bytes = read_if_file(config_file);
        let credentials_bytes = read_if_file(credentials_file);
        let config_raw = scan(config_file, &config_bytes)?;
        let credentials_raw = scan(credentials_file, &credentials_bytes)?;
        let config_names: Vec<&str> = config_raw
            .iter()
            .flat_map(|raw| raw.section_names())
            .map(|(n, _)| n)
            .collect();
        let credential_names: Vec<&str> = credentials_raw
            .iter()
            .flat_map(|raw| raw.section_names())
            .map(|(n, _)| n)
            .collect();

        // Every profile the resolution may visit, and their sessions: any
        // section that could give a name counts (more is harmless). The
        // first profile's sections are found by a scan that classifies only
        // the section names that could give it (status runs on every
        // prompt); the rest of a source_profile chain, however long, by an
        // index of every profile section built once. sso-session sections
        // are set aside on the first pass, as only `sso-session` names can
        // give a session.
        let mut walk = SourceWalk::from(name.to_string());
        let mut profiles: Vec<String> = vec![name.to_string()];
        if name.is_empty() {
            // Selecting "" selects `default`, which the model then shows.
            walk.follow("default".to_string());
            profiles.push("default".to_string());
        }
        let mut sessions: Vec<String> = Vec::new();
        let mut session_seen: HashSet<String, NameHasher> = HashSet::default();
        let mut keep = vec![false; config_names.len()];
        let mut session_sections: Vec<usize> = Vec::new();
        let mut index: Option<SectionIndex> = None;
        let mut next = 0;
        while next < profiles.len() {
            let wanted = profiles[next].clone();
            next += 1;
            let (config_hits, credential_hits) = if next == 1 {
                let mentions = Mentions::new(std::slice::from_ref(&wanted));
                let mut hits = Vec::new();
                for (i, section) in config_names.iter().enumerate() {
                    if section.starts_with("sso-session") {
                        session_sections.push(i);
                    }
                    // Few and small: any the profile's `services` may name.
                    if section.starts_with("services") {
                        keep[i] = true;
                    }
                    if matches!(mentions.classify(section), SectionKind::Profile(n) if *n == wanted)
                    {
                        hits.push(i);
                    }
                }
                let credential_hits = credential_names
                    .iter()
                    .enumerate()
                    .filter(|(_, n)| **n == wanted)
                    .map(|(i, _)| i)
                    .collect();
                (hits, credential_hits)
            } else {
                let index =
                    index.get_or_insert_with(|| SectionIndex::of(&config_names, &credential_names));
                (index.config(&wanted), index.credentials(&wanted))
            };
            let mut values = Vec::new();
            if let Some(raw) = &config_raw {
                for i in config_hits {
                    keep[i] = true;
                    values.push((raw.value(i, "source_profile"), raw.value(i, "sso_session")));
                }
            }
            if let Some(raw) = &credentials_raw {
                for i in credential_hits {
                    values.push((raw.value(i, "source_profile"), raw.value(i, "sso_session")));
                }
            }
            for (source, session) in values {
                if let Some(ini::Value::Str(s)) = source {
                    if let Step::Next(s) = walk.follow(s.to_string()) {
                        profiles.push(s);
                    }
                }
                if let Some(ini::Value::Str(s)) = session {
                    if session_seen.insert(s.to_string()) {
                        sessions.push(s.to_string());
                    }
                }
            }
        }

        let session_mentions = Mentions::new(&sessions);
        for i in session_sections {
            if let SectionKind::SsoSession(n) = session_mentions.classify(config_names[i]) {
                keep[i] |= sessions.iter().any(|s| *s == n);
            }
        }
        let config = match &config_raw {
            None => None,
            Some(raw) => Some(
                raw.to_ini_file(&|i| keep[i])
                    .map_err(|e| file_error(config_file, e))?,
            ),
        };
        let credentials = match &credentials_raw {
            None => None,
            Some(raw) => Some(
                raw.to_ini_file(&|i| walk.has(credential_names[i]))
                    .map_err(|e| file_error(credentials_file, e))?,
            ),
        };
        Ok(Config::build(
            config_file,
            config,
            credentials_file,
            credentials,
        ))
    }
}

#[cfg(test)]
impl Config {
    /// A config built from file texts (named `config` and `credentials`), for tests.
    pub(crate) fn from_texts(config: &str, credentials: &str) -> Config {
        let parse = |text| ini::parse(text).expect("test files parse");
        Config::build(
            Path::new("config"),
            Some(parse(config)),
            Path::new("credentials"),
            Some(parse(credentials)),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::ini::get_str;

    fn build(config: &str, credentials: &str) -> Config {
        Config::from_texts(config, credentials)
    }

    fn names(c: &Config) -> Vec<&str> {
        c.profiles.iter().map(|p| p.name.as_str()).collect()
    }

    #[test]
    fn section_names_follow_shlex_and_prefix_rules() {
        let c = build(
            "[profiles x]\n[profile a b]\n[profile it's]\n[profile]\n[profilex]\n[ default]\n[PROFILE y]\n[profile \"q z\"]\n[default]\n[sso-sessionx s]\n",
            "",
        );
        assert_eq!(names(&c), vec!["x", "q z", "default"]);
        assert_eq!(c.sso_sessions[0].name, "s");
        let dropped = c
            .oddities
            .iter()
            .filter(|o| matches!(o, Oddity::DroppedSection { .. }))
            .count();
        assert_eq!(dropped, 4);
    }

    #[test]
    fn later_duplicate_replaces_wholesale_keeping_position() {
        let c = build(
            "[default]\nregion = a\noutput = json\n[profile b]\n[profile default]\nregion = z\n",
            "",
        );
        assert_eq!(names(&c), vec!["default", "b"]);
        let d = c.profile("default").unwrap();
        assert_eq!(get_str(&d.settings, "region"), Some("z"));
        assert_eq!(get_str(&d.settings, "output"), None);
    }

    #[test]
    fn credentials_merge_overrides_and_appends_literal_names() {
        let c = build(
            "[profile a]\nregion = r\naws_access_key_id = cfg\n",
            "[zz]\naws_access_key_id = k\n[a]\naws_access_key_id = cred\n[profile foo]\nx = 1\n",
        );
        assert_eq!(names(&c), vec!["a", "zz", "profile foo"]);
        let a = c.profile("a").unwrap();
        assert_eq!(get_str(&a.settings, "aws_access_key_id"), Some("cred"));
        assert_eq!(get_str(&a.settings, "region"), Some("r"));
        assert_eq!(
            a.sources,
            Sources {
                config: true,
                credentials: true
            }
        );
        assert!(a.config_keys.access_key && a.credentials_keys.access_key);
    }
}
