//! Which gateway shards this process runs (`--shards FIRST-LAST/TOTAL`, `SHARDS`): several
//! gateway processes split one bot's shards between them, each running a range.

use std::fmt;
use std::str::FromStr;

/// Shards `first..=last` of `total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShardRange {
    pub first: u32,
    pub last: u32,
    pub total: u32,
}

impl ShardRange {
    /// How many shards the range holds.
    pub fn count(&self) -> u32 {
        self.last - self.first + 1
    }
}

/// A shard range that does not parse or does not fit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid shard range `{input}`: {reason} (expected FIRST-LAST/TOTAL, e.g. 0-3/8)")]
pub struct ShardRangeError {
    input: String,
    reason: &'static str,
}

impl FromStr for ShardRange {
    type Err = ShardRangeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = |reason| ShardRangeError {
            input: s.to_string(),
            reason,
        };
        let (range, total) = s.trim().split_once('/').ok_or_else(|| err("no /TOTAL"))?;
        let (first, last) = match range.split_once('-') {
            Some((a, b)) => (a, b),
            None => (range, range),
        };
        let num = |x: &str| x.trim().parse::<u32>().map_err(|_| err("not a number"));
        let (first, last, total) = (num(first)?, num(last)?, num(total)?);
        if total == 0 {
            return Err(err("TOTAL must be at least 1"));
        }
        if first > last {
            return Err(err("FIRST is after LAST"));
        }
        if last >= total {
            return Err(err("shards are numbered from 0 to TOTAL-1"));
        }
        Ok(ShardRange { first, last, total })
    }
}

impl fmt::Display for ShardRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}/{}", self.first, self.last, self.total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_parse_and_refuse_what_cannot_work() {
        let r: ShardRange = "0-3/8".parse().expect("valid");
        assert_eq!((r.first, r.last, r.total, r.count()), (0, 3, 8, 4));
        assert_eq!(r.to_string(), "0-3/8");
        let one: ShardRange = "5/6".parse().expect("one shard");
        assert_eq!((one.first, one.last, one.count()), (5, 5, 1));
        for bad in ["", "0-3", "3-1/8", "0-8/8", "0-1/0", "a-b/c", "-1-2/4"] {
            assert!(bad.parse::<ShardRange>().is_err(), "{bad}");
        }
    }
}
