//! A credential that never shows: not in `Debug`, not in `Display`, so not in logs or panics.

use std::fmt;
use std::str::FromStr;

/// A secret value (token, password, signing key). Read it with [`Secret::expose`], only where
/// it goes on the wire.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret; surrounding white space (a stray newline in `.env`) is dropped.
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into().trim().to_owned())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl FromStr for Secret {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Secret::new(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_never_prints() {
        let s = Secret::new(" hunter2\n");
        assert_eq!(s.expose(), "hunter2");
        assert_eq!(format!("{s:?} {s}"), "*** ***");
    }
}
