//! Amounts written for people in English text (the MCP tools' answers, the embedded
//! summarizer): one rule for digit groups and cents, so both say the same number alike.

/// `250,000`, `1,234.50`, `-42.25`: digit groups of three, cents only when there are some, a
/// minus only when something is left after rounding to cents.
pub fn grouped(amount: f64) -> String {
    let cents = (amount.abs() * 100.0).round() as u64;
    let (whole, fraction) = (cents / 100, cents % 100);
    let digits = whole.to_string();
    let mut grouped = String::new();
    if amount < 0.0 && cents > 0 {
        grouped.push('-');
    }
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    if fraction > 0 {
        grouped.push_str(&format!(".{fraction:02}"));
    }
    grouped
}

#[cfg(test)]
mod tests {
    use super::grouped;

    #[test]
    fn groups_digits_and_shows_cents_only_when_there_are_some() {
        for (amount, text) in [
            (0.0, "0"),
            (999.0, "999"),
            (1234.5, "1,234.50"),
            (1_000_000.0, "1,000,000"),
            (-42.25, "-42.25"),
            (-0.001, "0"),
        ] {
            assert_eq!(grouped(amount), text, "{amount}");
        }
    }
}
