//! Pure helpers the view needs to turn the API's answer into what the pane shows: close-date
//! timing, ages, summary paragraphs, and (in `money.rs`) amounts across currencies: totals, the
//! pipeline chart's stage totals, the largest deal. No browser here, so all of it is unit-tested
//! natively; the locale-aware wording of numbers and dates lives in `browser::intl` (wasm32
//! only, through the browser's `Intl`).
//!
//! Use: `close_timing(today, deal.close_date.as_deref()?)` → `strings.close_timing(t)`;
//! `basis(&deals)` → the currency the header and chart add in; `stage_totals(&deals, &basis)`
//! → chart bars (key [`NO_STAGE`] → `strings.no_stage`);
//! `relative_age(now - parse_timestamp(generated_at)?)` → `strings.updated_ago(age)`.

mod money;

pub use money::*;

use dealpane_contract::Deal;

/// A civil date: (year, month 1-12, day 1-31).
pub type CivilDate = (i32, u32, u32);

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
pub fn days_from_civil((year, month, day): CivilDate) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let m = i64::from(month);
    let day_of_year = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// `YYYY-MM-DD` (a trailing `T…` time part is ignored) to a valid civil date.
pub fn parse_date(text: &str) -> Option<CivilDate> {
    let (date, rest) = text.trim().split_at_checked(10)?;
    if !(rest.is_empty() || rest.starts_with('T') || rest.starts_with(' ')) {
        return None;
    }
    let bytes = date.as_bytes();
    if bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = date.get(range)?;
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let (year, month, day) = (number(0..4)? as i32, number(5..7)?, number(8..10)?);
    ((1..=12).contains(&month) && (1..=days_in_month(year, month)).contains(&day))
        .then_some((year, month, day))
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from `today` to `close_date` (`YYYY-MM-DD`): negative when past, `None` if unreadable.
pub fn days_until(today: CivilDate, close_date: &str) -> Option<i64> {
    Some(days_from_civil(parse_date(close_date)?) - days_from_civil(today))
}

/// When a deal is expected to close, relative to today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseTiming {
    Overdue(u32),
    Today,
    InDays(u32),
}

impl CloseTiming {
    pub fn from_days(days: i64) -> CloseTiming {
        let magnitude = u32::try_from(days.unsigned_abs()).unwrap_or(u32::MAX);
        match days {
            0 => CloseTiming::Today,
            d if d < 0 => CloseTiming::Overdue(magnitude),
            _ => CloseTiming::InDays(magnitude),
        }
    }
}

/// [`days_until`] as a [`CloseTiming`].
pub fn close_timing(today: CivilDate, close_date: &str) -> Option<CloseTiming> {
    days_until(today, close_date).map(CloseTiming::from_days)
}

/// How long ago something happened, coarsely, for "updated 2 min ago".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Age {
    JustNow,
    Minutes(u32),
    Hours(u32),
    Days(u32),
}

/// Seconds elapsed → [`Age`]; a negative age (clock skew between server and agent) is `JustNow`.
pub fn relative_age(seconds: i64) -> Age {
    let whole = |unit: i64| u32::try_from(seconds / unit).unwrap_or(u32::MAX);
    match seconds {
        s if s < 60 => Age::JustNow,
        s if s < 3_600 => Age::Minutes(whole(60)),
        s if s < 86_400 => Age::Hours(whole(3_600)),
        _ => Age::Days(whole(86_400)),
    }
}

/// An RFC 3339 timestamp (`2026-11-22T07:30:00Z`, `…T07:30:00.123+01:00`) as Unix seconds.
pub fn parse_timestamp(text: &str) -> Option<i64> {
    let text = text.trim();
    let date = parse_date(text.get(..10)?)?;
    let time = text.get(10..)?.strip_prefix(['T', 't', ' '])?;
    let field = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = time.get(range)?;
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let (hour, minute, second) = (field(0..2)?, field(3..5)?, field(6..8)?);
    if time.get(2..3) != Some(":")
        || time.get(5..6) != Some(":")
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut zone = time.get(8..)?;
    if let Some(fraction) = zone.strip_prefix('.') {
        zone = fraction.trim_start_matches(|c: char| c.is_ascii_digit());
    }
    let offset = match zone {
        "Z" | "z" => 0,
        _ => {
            let sign = match zone.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let (h, m) = zone.get(1..)?.split_once(':')?;
            if h.len() != 2 || m.len() != 2 {
                return None;
            }
            sign * (h.parse::<i64>().ok()? * 3_600 + m.parse::<i64>().ok()? * 60)
        }
    };
    Some(days_from_civil(date) * 86_400 + hour * 3_600 + minute * 60 + second - offset)
}

/// A summary as paragraphs (split on blank lines) of lines (kept as written, right-trimmed).
pub fn summary_paragraphs(text: &str) -> Vec<Vec<String>> {
    let mut paragraphs = Vec::new();
    let mut current: Vec<String> = Vec::new();
    for line in text.lines() {
        let line = line.trim_end();
        if line.trim().is_empty() {
            if !current.is_empty() {
                paragraphs.push(std::mem::take(&mut current));
            }
        } else {
            current.push(line.to_owned());
        }
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    paragraphs
}

/// Summaries longer than this many characters start collapsed ("Show more").
pub const LONG_SUMMARY_CHARS: usize = 280;
/// … or longer than this many lines.
pub const LONG_SUMMARY_LINES: usize = 4;

/// Whether the summary should start collapsed behind "Show more".
pub fn is_long_summary(text: &str) -> bool {
    text.chars().count() > LONG_SUMMARY_CHARS
        || text.lines().filter(|l| !l.trim().is_empty()).count() > LONG_SUMMARY_LINES
}

/// What "Copy deal link" copies: the deep link into Sales, or the deal's id when there is none.
pub fn deal_copy_link(deal: &Deal) -> String {
    deal.link
        .as_deref()
        .map(str::trim)
        .filter(|link| !link.is_empty())
        .map(str::to_owned)
        .unwrap_or_else(|| deal.id.to_string())
}

/// What "Copy summary" copies: the deal's name, a blank line, the summary (`None` if no text).
pub fn summary_copy_text(deal: &Deal) -> Option<String> {
    let text = deal.summary.text.as_deref()?.trim();
    (!text.is_empty()).then(|| format!("{}\n\n{text}", deal.name))
}

/// The one test deal builder, shared by this module's tests and `money`'s.
#[cfg(test)]
pub(crate) mod test_deals {
    use dealpane_contract::{Deal, DealStatus, Guid, Money, Summary};

    /// An open deal with the given value, probability and stage; everything else empty.
    pub(crate) fn deal(
        value: Option<(f64, &str)>,
        probability: Option<u8>,
        stage: Option<&str>,
    ) -> Deal {
        Deal {
            id: Guid::from_u128(0x3f2504e0_4f89_11d3_9a0c_0305e82c3301),
            name: "Espresso machines".into(),
            status: DealStatus::Open,
            stage: stage.map(str::to_owned),
            value: value.map(|(amount, currency)| Money {
                amount,
                currency: currency.into(),
            }),
            value_base: None,
            probability,
            close_date: None,
            owner: None,
            forecast_category: None,
            summary: Summary::disabled(),
            link: None,
            modified_on: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::test_deals::deal;
    use super::*;
    use dealpane_contract::Summary;

    #[test]
    fn days_from_civil_matches_known_dates() {
        assert_eq!(days_from_civil((1970, 1, 1)), 0);
        assert_eq!(days_from_civil((2000, 3, 1)), 11_017);
        assert_eq!(days_from_civil((1969, 12, 31)), -1);
        assert_eq!(days_from_civil((2026, 11, 22)), 20_779);
        assert_eq!(
            days_from_civil((2024, 3, 1)) - days_from_civil((2024, 2, 28)),
            2
        );
        assert_eq!(
            days_from_civil((2100, 3, 1)) - days_from_civil((2100, 2, 28)),
            1
        );
    }

    #[test]
    fn parse_date_validates() {
        assert_eq!(parse_date("2026-12-15"), Some((2026, 12, 15)));
        assert_eq!(parse_date("2026-12-15T00:00:00Z"), Some((2026, 12, 15)));
        assert_eq!(parse_date("2024-02-29"), Some((2024, 2, 29)));
        for bad in [
            "",
            "2026-12",
            "2026/12/15",
            "2026-13-01",
            "2026-02-29",
            "2026-04-31",
            "2026-12-15x",
            "20a6-12-15",
            "2026-1-150",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn days_until_and_close_timing() {
        let today = (2026, 11, 22);
        assert_eq!(days_until(today, "2026-12-15"), Some(23));
        assert_eq!(days_until(today, "2026-11-19"), Some(-3));
        assert_eq!(days_until(today, "2027-01-01"), Some(40));
        assert_eq!(days_until(today, "soon"), None);
        assert_eq!(close_timing(today, "2026-11-22"), Some(CloseTiming::Today));
        assert_eq!(
            close_timing(today, "2026-11-19"),
            Some(CloseTiming::Overdue(3))
        );
        assert_eq!(
            close_timing(today, "2026-12-04"),
            Some(CloseTiming::InDays(12))
        );
        assert_eq!(
            CloseTiming::from_days(i64::MIN),
            CloseTiming::Overdue(u32::MAX)
        );
    }

    #[test]
    fn relative_age_buckets() {
        assert_eq!(relative_age(-30), Age::JustNow);
        assert_eq!(relative_age(59), Age::JustNow);
        assert_eq!(relative_age(60), Age::Minutes(1));
        assert_eq!(relative_age(3_599), Age::Minutes(59));
        assert_eq!(relative_age(7_200), Age::Hours(2));
        assert_eq!(relative_age(86_400 * 3 + 5), Age::Days(3));
    }

    #[test]
    fn parse_timestamp_handles_zones_and_fractions() {
        assert_eq!(parse_timestamp("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(
            parse_timestamp("2026-11-22T07:30:00Z"),
            Some(20_779 * 86_400 + 27_000)
        );
        assert_eq!(
            parse_timestamp("2026-11-22T08:30:00.123+01:00"),
            parse_timestamp("2026-11-22T07:30:00Z")
        );
        assert_eq!(parse_timestamp("1970-01-01T00:00:00-00:30"), Some(1_800));
        for bad in [
            "",
            "2026-11-22",
            "2026-11-22T7:30:00Z",
            "2026-11-22T07:30:00",
            "2026-11-22T25:00:00Z",
            "2026-11-22T07:30:00+0100",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
    }

    #[test]
    fn summary_paragraphs_split_on_blank_lines() {
        let text = "First line\r\nsecond line  \n\n  \nNext paragraph\n\n\n";
        assert_eq!(
            summary_paragraphs(text),
            vec![
                vec!["First line".to_owned(), "second line".to_owned()],
                vec!["Next paragraph".to_owned()]
            ]
        );
        assert!(summary_paragraphs("\n \n").is_empty());
    }

    #[test]
    fn long_summaries_by_length_or_lines() {
        assert!(!is_long_summary("Short."));
        assert!(is_long_summary(&"a".repeat(LONG_SUMMARY_CHARS + 1)));
        assert!(!is_long_summary(&"a".repeat(LONG_SUMMARY_CHARS)));
        assert!(is_long_summary("1\n2\n3\n4\n5"));
        assert!(!is_long_summary("1\n2\n\n3\n4"));
    }

    #[test]
    fn copy_texts() {
        let mut d = deal(None, None, None);
        assert_eq!(deal_copy_link(&d), "3f2504e0-4f89-11d3-9a0c-0305e82c3301");
        d.link = Some(" https://org.crm.dynamics.com/main.aspx?id=1 ".into());
        assert_eq!(
            deal_copy_link(&d),
            "https://org.crm.dynamics.com/main.aspx?id=1"
        );
        assert_eq!(summary_copy_text(&d), None);
        d.summary = Summary::ready(" Alex proposed four machines. ", "2026-11-22T07:30:00Z");
        assert_eq!(
            summary_copy_text(&d).as_deref(),
            Some("Espresso machines\n\nAlex proposed four machines.")
        );
    }
}
