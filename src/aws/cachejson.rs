//! The few fields botocore reads from a cache file, taken straight off the
//! JSON text: the same answers as parsing into a `serde_json::Value` and
//! looking them up, without building the tree (which copies every string,
//! the ~1 KB session token included).
//!
//! Exactness: every value, wanted or not, goes through serde_json's
//! `deserialize_any`, the very path `Value` takes, so numbers are range
//! checked, strings checked for UTF-8 and escapes, and the nesting limit
//! counted exactly as for `Value`. (`IgnoredAny` would skip all three.)
//! Later duplicates of a key replace earlier ones, as in `Value`'s map.

use std::fmt;
use std::marker::PhantomData;

use chrono::{DateTime, Utc};
use serde::de::{DeserializeSeed, Deserializer, Error, MapAccess, SeqAccess, Visitor};

use super::cache::TokenFields;
use super::timestamp;

/// A token file's fields; `Ok(None)`: JSON, but not an object.
pub fn token_fields(bytes: &[u8]) -> serde_json::Result<Option<TokenFields>> {
    parse(bytes, ObjectOf::<TokenFields>(PhantomData))
}

/// A role-credential file's `Credentials.Expiration`, if it is an object
/// holding a usable time.
pub fn credentials_expiration(bytes: &[u8]) -> serde_json::Result<Option<DateTime<Utc>>> {
    parse(bytes, ObjectOf::<CredentialsFields>(PhantomData)).map(|c| c.and_then(|c| c.expiration))
}

/// `serde_json::from_slice`, with a seed instead of a type.
fn parse<'de, R: Reading<'de>>(bytes: &'de [u8], reading: R) -> serde_json::Result<R::Out> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let out = Any(reading).deserialize(&mut de)?;
    de.end()?;
    Ok(out)
}

/// What to make of a JSON value of each kind. Anything not handled is
/// still read to its end (checked as `Value` would) and gives the default.
trait Reading<'de>: Sized {
    type Out: Default;

    fn string(self, _s: &str) -> Self::Out {
        Self::Out::default()
    }

    fn object<A: MapAccess<'de>>(self, map: A) -> Result<Self::Out, A::Error> {
        skip_entries(map)?;
        Ok(Self::Out::default())
    }
}

/// Reads any JSON value with serde_json's `deserialize_any`, handing
/// strings and objects to the reading.
struct Any<R>(R);

impl<'de, R: Reading<'de>> DeserializeSeed<'de> for Any<R> {
    type Value = R::Out;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<R::Out, D::Error> {
        de.deserialize_any(self)
    }
}

impl<'de, R: Reading<'de>> Visitor<'de> for Any<R> {
    type Value = R::Out;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any valid JSON value")
    }

    fn visit_unit<E: Error>(self) -> Result<R::Out, E> {
        Ok(R::Out::default())
    }

    fn visit_bool<E: Error>(self, _v: bool) -> Result<R::Out, E> {
        Ok(R::Out::default())
    }

    fn visit_i64<E: Error>(self, _v: i64) -> Result<R::Out, E> {
        Ok(R::Out::default())
    }

    fn visit_u64<E: Error>(self, _v: u64) -> Result<R::Out, E> {
        Ok(R::Out::default())
    }

    fn visit_f64<E: Error>(self, _v: f64) -> Result<R::Out, E> {
        Ok(R::Out::default())
    }

    fn visit_str<E: Error>(self, v: &str) -> Result<R::Out, E> {
        Ok(self.0.string(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<R::Out, A::Error> {
        while seq.next_element_seed(Any(Skip))?.is_some() {}
        Ok(R::Out::default())
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<R::Out, A::Error> {
        self.0.object(map)
    }
}

/// A value nobody wants, read only to check it.
struct Skip;

impl<'de> Reading<'de> for Skip {
    type Out = ();
}

fn skip_entries<'de, A: MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    while map.next_key_seed(Any(Skip))?.is_some() {
        map.next_value_seed(Any(Skip))?;
    }
    Ok(())
}

/// A timestamp: a JSON string `timestamp::parse` accepts, else `None`
/// (as `.and_then(Value::as_str).and_then(timestamp::parse)`).
struct Time;

impl<'de> Reading<'de> for Time {
    type Out = Option<DateTime<Utc>>;

    fn string(self, s: &str) -> Self::Out {
        timestamp::parse(s)
    }
}

/// The fields wanted from a top-level object, filled one entry at a time.
trait Fields: Default {
    type Key: Copy;

    /// Which wanted field `name` is, if any.
    fn key(name: &str) -> Option<Self::Key>;

    /// Reads the value of `key` from `map`; a later duplicate overwrites.
    fn value<'de, A: MapAccess<'de>>(
        &mut self,
        key: Self::Key,
        map: &mut A,
    ) -> Result<(), A::Error>;
}

/// An object key, classified without copying it.
struct KeyOf<F>(PhantomData<F>);

impl<'de, F: Fields> Reading<'de> for KeyOf<F> {
    type Out = Option<F::Key>;

    fn string(self, s: &str) -> Self::Out {
        F::key(s)
    }
}

/// `Some(fields)` for an object, `None` for any other value.
struct ObjectOf<F>(PhantomData<F>);

impl<'de, F: Fields> Reading<'de> for ObjectOf<F> {
    type Out = Option<F>;

    fn object<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Out, A::Error> {
        let mut fields = F::default();
        while let Some(key) = map.next_key_seed(Any(KeyOf::<F>(PhantomData)))? {
            match key {
                Some(key) => fields.value(key, &mut map)?,
                None => map.next_value_seed(Any(Skip))?,
            }
        }
        Ok(Some(fields))
    }
}

#[derive(Clone, Copy)]
enum TokenKey {
    AccessToken,
    ExpiresAt,
    RefreshToken,
    ClientId,
    ClientSecret,
    RegistrationExpiresAt,
}

impl Fields for TokenFields {
    type Key = TokenKey;

    fn key(name: &str) -> Option<TokenKey> {
        Some(match name {
            "accessToken" => TokenKey::AccessToken,
            "expiresAt" => TokenKey::ExpiresAt,
            "refreshToken" => TokenKey::RefreshToken,
            "clientId" => TokenKey::ClientId,
            "clientSecret" => TokenKey::ClientSecret,
            "registrationExpiresAt" => TokenKey::RegistrationExpiresAt,
            _ => return None,
        })
    }

    fn value<'de, A: MapAccess<'de>>(
        &mut self,
        key: TokenKey,
        map: &mut A,
    ) -> Result<(), A::Error> {
        // Only presence counts for these: any JSON value, even null.
        let present = match key {
            TokenKey::AccessToken => &mut self.access_token,
            TokenKey::RefreshToken => &mut self.refresh_token,
            TokenKey::ClientId => &mut self.client_id,
            TokenKey::ClientSecret => &mut self.client_secret,
            TokenKey::ExpiresAt => {
                self.expires_at = map.next_value_seed(Any(Time))?;
                return Ok(());
            }
            TokenKey::RegistrationExpiresAt => {
                self.registration = Some(map.next_value_seed(Any(Time))?);
                return Ok(());
            }
        };
        map.next_value_seed(Any(Skip))?;
        *present = true;
        Ok(())
    }
}

/// What a role-credential file's top level holds for botocore.
#[derive(Default)]
struct CredentialsFields {
    /// From the last `Credentials` key: its `Expiration` if it is an object.
    expiration: Option<DateTime<Utc>>,
}

impl Fields for CredentialsFields {
    type Key = ();

    fn key(name: &str) -> Option<()> {
        (name == "Credentials").then_some(())
    }

    fn value<'de, A: MapAccess<'de>>(&mut self, _key: (), map: &mut A) -> Result<(), A::Error> {
        self.expiration = map
            .next_value_seed(Any(ObjectOf::<Expiration>(PhantomData)))?
            .and_then(|e| e.0);
        Ok(())
    }
}

/// The `Credentials` object's `Expiration`.
#[derive(Default)]
struct Expiration(Option<DateTime<Utc>>);

impl Fields for Expiration {
    type Key = ();

    fn key(name: &str) -> Option<()> {
        (name == "Expiration").then_some(())
    }

    fn value<'de, A: MapAccess<'de>>(&mut self, _key: (), map: &mut A) -> Result<(), A::Error> {
        self.0 = map.next_value_seed(Any(Time))?;
        Ok(())
    }
}
