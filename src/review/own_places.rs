//! The account's own places as people type them (`--own-domain`, `/settings own-domains`,
//! `--own-handle`, `/settings own-handles`), made into the plain forms
//! [`super::Settings::own_domains`] and [`super::Settings::own_handles`] hold.
//!
//! People paste what they have at hand: `https://www.Acme.com/blog/`, `@Acme`. Both the command
//! line and Discord go through here, so a domain saved from either is compared the same way.

/// Why a domain or handle was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OwnPlaceError {
    #[error("`{0}` is not a domain (like acme.com)")]
    BadDomain(String),
    #[error("`{0}` is not a handle (like @acme)")]
    BadHandle(String),
}

/// The longest domain (DNS) and handle accepted.
const MAX_DOMAIN: usize = 253;
const MAX_HANDLE: usize = 100;

/// A domain as the review compares it: lower case, without scheme, `www.`, port, path or
/// trailing dot (`https://www.Acme.com/blog` → `acme.com`, which covers `blog.acme.com`).
pub fn domain(input: &str) -> Result<String, OwnPlaceError> {
    let bad = || OwnPlaceError::BadDomain(input.trim().to_string());
    let mut d = input.trim();
    if let Some((scheme, rest)) = d.split_once("://") {
        if scheme.chars().all(|c| c.is_ascii_alphabetic()) {
            d = rest;
        }
    }
    d = d.split(['/', '?', '#']).next().unwrap_or("");
    if let Some((_, host)) = d.rsplit_once('@') {
        d = host;
    }
    d = d.split(':').next().unwrap_or("");
    let d = d.trim_end_matches('.').to_lowercase();
    let d = d.strip_prefix("www.").unwrap_or(&d).to_string();
    let labels_ok = d.split('.').all(|l| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_alphanumeric() || c == '-')
    });
    if d.contains('.') && d.len() <= MAX_DOMAIN && labels_ok {
        Ok(d)
    } else {
        Err(bad())
    }
}

/// A handle as the review compares it: without the leading `@`, lower case
/// (`@Acme` → `acme`; `@acme@mastodon.social` and `acme.bsky.social` keep their host).
pub fn handle(input: &str) -> Result<String, OwnPlaceError> {
    let h = input.trim();
    let h = h.strip_prefix(['@', '＠']).unwrap_or(h).to_lowercase();
    let ok = !h.is_empty()
        && h.chars().count() <= MAX_HANDLE
        && h.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '@'))
        && !h.ends_with('@');
    if ok {
        Ok(h)
    } else {
        Err(OwnPlaceError::BadHandle(input.trim().to_string()))
    }
}

/// Add `items` to `list` (normalised, no duplicates), or remove them when `remove`.
pub fn edit(
    list: &mut Vec<String>,
    items: &[String],
    remove: bool,
    normalise: fn(&str) -> Result<String, OwnPlaceError>,
) -> Result<(), OwnPlaceError> {
    let items: Vec<String> = items
        .iter()
        .filter(|i| !i.trim().is_empty())
        .map(|i| normalise(i))
        .collect::<Result<_, _>>()?;
    list.retain(|x| !items.contains(x));
    if !remove {
        list.extend(items);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_are_what_people_paste_made_plain() {
        for (given, want) in [
            ("acme.com", "acme.com"),
            ("  https://www.Acme.com/blog/?x=1 ", "acme.com"),
            ("blog.acme.co.uk.", "blog.acme.co.uk"),
            ("http://acme.com:8080", "acme.com"),
            ("Café.fr", "café.fr"),
        ] {
            assert_eq!(domain(given).as_deref(), Ok(want), "{given}");
        }
        for bad in ["", "acme", "acme..com", "-acme.com", "a b.com", "https://"] {
            assert!(domain(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn handles_lose_their_at_and_case() {
        assert_eq!(handle(" @Acme_FR ").as_deref(), Ok("acme_fr"));
        assert_eq!(
            handle("@acme@mastodon.social").as_deref(),
            Ok("acme@mastodon.social")
        );
        assert_eq!(
            handle("acme.bsky.social").as_deref(),
            Ok("acme.bsky.social")
        );
        for bad in ["", "@", "a b", "@acme@", "<@123>"] {
            assert!(handle(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn editing_adds_once_and_removes() {
        let mut list = vec!["acme.com".to_string()];
        edit(
            &mut list,
            &["WWW.ACME.COM".into(), "acme.fr".into()],
            false,
            domain,
        )
        .unwrap();
        assert_eq!(list, ["acme.com", "acme.fr"]);
        edit(&mut list, &["acme.com".into()], true, domain).unwrap();
        assert_eq!(list, ["acme.fr"]);
        assert!(edit(&mut list, &["nope".into()], false, domain).is_err());
        assert_eq!(list, ["acme.fr"], "nothing changes on a refusal");
    }
}
