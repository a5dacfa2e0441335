//! A server's time zone (`/settings timezone Europe/Paris`): IANA names, validated against the
//! tz database `chrono-tz` compiles in, and how `/submit ... when:` is read in it.

use chrono::{DateTime, LocalResult, NaiveDateTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;

/// The zone of a server that never chose one.
pub const DEFAULT: Tz = Tz::UTC;

/// The zone an admin typed, by its IANA name (`Europe/Paris`, `utc`: case is forgiven); `None`
/// for a name the tz database doesn't know.
pub fn parse(name: &str) -> Option<Tz> {
    let name = name.trim();
    name.parse::<Tz>().ok().or_else(|| {
        chrono_tz::TZ_VARIANTS
            .iter()
            .find(|z| z.name().eq_ignore_ascii_case(name))
            .copied()
    })
}

/// `at` as a wall-clock time in `zone`, as `/submit` accepts it back (`2026-12-24 09:00`).
pub fn local(at: DateTime<Utc>, zone: Tz) -> String {
    at.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string()
}

/// When a proposal is to be posted, as a member types it: RFC 3339 with an offset
/// (`2026-12-24T09:00:00+01:00`, which wins whatever the zone) or a date and time read in the
/// server's `zone` (`2026-12-24 09:00`). In the future, within a year. The error is a message
/// key (`submit.when-*`).
///
/// A local time the clocks skip (02:30 on the night they spring forward) does not exist and is
/// refused; one they pass twice (02:30 on the night they fall back) is the first of the two,
/// the earlier instant, so a post is never later than the member could have meant.
pub fn parse_when(
    typed: &str,
    zone: Tz,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>, &'static str> {
    let typed = typed.trim();
    let at = match DateTime::parse_from_rfc3339(typed) {
        Ok(t) => t.with_timezone(&Utc),
        Err(_) => {
            let naive = [
                "%Y-%m-%d %H:%M",
                "%Y-%m-%dT%H:%M",
                "%Y-%m-%d %H:%M:%S",
                "%Y-%m-%dT%H:%M:%S",
            ]
            .iter()
            .find_map(|f| NaiveDateTime::parse_from_str(typed, f).ok())
            .ok_or("submit.when-invalid")?;
            match zone.from_local_datetime(&naive) {
                LocalResult::Single(t) => t.with_timezone(&Utc),
                LocalResult::Ambiguous(first, _) => first.with_timezone(&Utc),
                LocalResult::None => return Err("submit.when-gap"),
            }
        }
    };
    if at <= now + TimeDelta::minutes(1) {
        return Err("submit.when-past");
    }
    if at > now + TimeDelta::days(365) {
        return Err("submit.when-far");
    }
    Ok(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().expect("time")
    }

    #[test]
    fn zones_are_iana_names_case_forgiven_and_unknown_ones_refused() {
        assert_eq!(parse("Europe/Paris"), Some(Tz::Europe__Paris));
        assert_eq!(parse(" europe/paris "), Some(Tz::Europe__Paris));
        assert_eq!(parse("UTC"), Some(Tz::UTC));
        assert_eq!(
            parse("America/New_York").map(|z| z.name()),
            Some("America/New_York")
        );
        for bad in [
            "Europe/Pariss",
            "CEST+2",
            "",
            "Mars/Olympus_Mons",
            "../../etc/passwd",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_posting_time_is_read_in_the_servers_zone_in_the_future_within_a_year() {
        let now = utc("2026-12-01T10:00:00Z");
        let at = |s: &str, z: Tz| parse_when(s, z, now);
        // Winter: Paris is UTC+1.
        assert_eq!(
            at("2026-12-24 09:00", DEFAULT),
            Ok(utc("2026-12-24T09:00:00Z"))
        );
        assert_eq!(
            at("2026-12-24 09:00", Tz::Europe__Paris),
            Ok(utc("2026-12-24T08:00:00Z"))
        );
        // Summer: UTC+2.
        assert_eq!(
            at("2027-07-14T09:30", Tz::Europe__Paris),
            Ok(utc("2027-07-14T07:30:00Z"))
        );
        // An offset wins over the zone.
        assert_eq!(
            at("2026-12-24T09:00:00-05:00", Tz::Europe__Paris),
            Ok(utc("2026-12-24T14:00:00Z"))
        );
        assert_eq!(
            at("demain matin", Tz::Europe__Paris),
            Err("submit.when-invalid")
        );
        assert_eq!(
            at("2026-12-01 10:30", Tz::Europe__Paris),
            Err("submit.when-past")
        );
        assert_eq!(
            at("2026-12-01 10:30", DEFAULT),
            Ok(utc("2026-12-01T10:30:00Z"))
        );
        assert_eq!(
            at("2028-01-01 10:00", Tz::Europe__Paris),
            Err("submit.when-far")
        );
    }

    /// Across the changes of 2027 in Paris: the spring gap is refused, the autumn hour passed
    /// twice is its first pass, and either side of each change gets its own offset.
    #[test]
    fn daylight_saving_changes_give_the_right_instant() {
        let now = utc("2026-12-01T10:00:00Z");
        let paris = |s: &str| parse_when(s, Tz::Europe__Paris, now);
        assert_eq!(paris("2027-03-28 01:30"), Ok(utc("2027-03-28T00:30:00Z")));
        assert_eq!(paris("2027-03-28 02:30"), Err("submit.when-gap"));
        assert_eq!(paris("2027-03-28 03:30"), Ok(utc("2027-03-28T01:30:00Z")));
        assert_eq!(paris("2027-10-31 01:30"), Ok(utc("2027-10-30T23:30:00Z")));
        assert_eq!(paris("2027-10-31 02:30"), Ok(utc("2027-10-31T00:30:00Z")));
        assert_eq!(paris("2027-10-31 03:30"), Ok(utc("2027-10-31T02:30:00Z")));
        assert_eq!(
            local(utc("2027-10-31T01:30:00Z"), Tz::Europe__Paris),
            "2027-10-31 02:30"
        );
        assert_eq!(
            local(utc("2027-03-28T01:30:00Z"), Tz::Europe__Paris),
            "2027-03-28 03:30"
        );
    }
}
