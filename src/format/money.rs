//! Amounts across currencies: what the header adds, what the chart's bars hold, which deal is
//! the largest. An answer whose deals carry `valueBase` is compared and added in the
//! organization's base currency, with the contract's own rules (`dealpane_contract::base_totals`,
//! `compare_deals`), so pane and server agree on the largest deal. An answer from an older server
//! (no `valueBase`) is read as before: per currency, the chart in the currency with the largest
//! total.

use dealpane_contract::{base_totals, compare_deals, BaseTotals, Deal, DealStatus, Money};

/// The currency the header's totals and the chart are in, and which amount of a deal counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Basis {
    /// The organization's base currency: each deal's `valueBase`. Every open deal with a value
    /// has one in this currency.
    Base(String),
    /// The deals' own values, in the currency with the largest open total: an older server, or
    /// an answer with base values missing. Deals in other currencies are left out of the chart.
    Top(String),
}

impl Basis {
    pub fn currency(&self) -> &str {
        match self {
            Basis::Base(currency) | Basis::Top(currency) => currency,
        }
    }

    /// The deal's amount in this basis, if it has one in its currency.
    pub fn amount(&self, deal: &Deal) -> Option<f64> {
        let money = match self {
            Basis::Base(_) => deal.value_base.as_ref(),
            Basis::Top(_) => deal.value.as_ref(),
        }?;
        (money.currency.eq_ignore_ascii_case(self.currency()) && money.amount.is_finite())
            .then_some(money.amount)
    }
}

/// How an answer's amounts are compared and added; `None` when no open deal has a value. The
/// base currency is read from the deals' `valueBase` (the answer's `baseCurrency` names the same
/// one), so the header, the chart and the cards, which get only the deals, agree. A base value
/// missing from any valued open deal would make base totals quietly short: then the deals' own
/// currencies, as an older server's answer.
pub fn basis(deals: &[Deal]) -> Option<Basis> {
    let base = deals
        .iter()
        .find_map(|deal| deal.value_base.as_ref())
        .map(|money| money.currency.to_ascii_uppercase());
    if let Some(totals) = base.map(|base| base_totals(deals, &base)) {
        if totals.counted > 0 && totals.unconverted == 0 {
            return Some(Basis::Base(totals.currency));
        }
    }
    top_currency(deals).map(Basis::Top)
}

/// The header's open and weighted totals in the base currency, when the answer has them.
pub fn base_figures(deals: &[Deal]) -> Option<BaseTotals> {
    match basis(deals)? {
        Basis::Base(currency) => Some(base_totals(deals, &currency)),
        Basis::Top(_) => None,
    }
}

/// Whether some open deal is priced in another currency than `currency`: the header then lists
/// the amounts per currency under its base totals, and the chart says what it shows.
pub fn has_other_currencies(deals: &[Deal], currency: &str) -> bool {
    open_values(deals).any(|(_, value)| !value.currency.eq_ignore_ascii_case(currency))
}

/// Per-currency totals ([`open_total`], [`weighted_total`]) ordered by what each currency's open
/// deals are worth in the base currency, largest first: `$425,000 · €120,000 · ¥9,800,000`,
/// not by the bare numbers, which do not compare across currencies.
pub fn by_base_worth(mut totals: Vec<Money>, deals: &[Deal]) -> Vec<Money> {
    let worth = |currency: &str| -> f64 {
        open_values(deals)
            .filter(|(_, value)| value.currency == currency)
            .filter_map(|(deal, _)| deal.value_base.as_ref())
            .map(|base| base.amount)
            .filter(|amount| amount.is_finite())
            .sum()
    };
    sort_small_by(&mut totals, |a, b| {
        worth(&b.currency).total_cmp(&worth(&a.currency))
    });
    totals
}

/// The deal whose card starts open. With base values: the first in the contract's order
/// (highest base value, then earliest close date), whatever order the deals came in. Without
/// (an older server): the highest amount as sent, the first one on a tie. The first deal when
/// none has a value; `None` for no deals.
pub fn largest_deal(deals: &[Deal]) -> Option<usize> {
    if let Some(Basis::Base(_)) = basis(deals) {
        let mut best = 0;
        for (index, deal) in deals.iter().enumerate().skip(1) {
            if compare_deals(deal, &deals[best]).is_lt() {
                best = index;
            }
        }
        return (!deals.is_empty()).then_some(best);
    }
    let mut best: Option<(usize, f64)> = None;
    for (index, deal) in deals.iter().enumerate() {
        let amount = deal.value.as_ref().map_or(f64::NEG_INFINITY, |v| v.amount);
        if best.is_none_or(|(_, top)| amount > top) {
            best = Some((index, amount));
        }
    }
    best.map(|(index, _)| index)
}

/// A deal's value in the base currency when it is priced in another one, rounded by
/// [`approximate`]: the card's "≈ $65,300".
pub fn base_equivalent(deal: &Deal, basis: Option<&Basis>) -> Option<Money> {
    let Some(basis @ Basis::Base(currency)) = basis else {
        return None;
    };
    let own = deal.value.as_ref()?;
    let amount = basis.amount(deal)?;
    (!own.currency.eq_ignore_ascii_case(currency)).then(|| Money {
        amount: approximate(amount),
        currency: currency.clone(),
    })
}

/// `Intl`'s wording of an amount, with a left-to-right mark after a currency symbol that ends a
/// code ("US$", "JP¥", as Arabic formats them): in a right-to-left pane the bidirectional
/// algorithm would otherwise set the symbol apart from its letters ("$US 425,000").
pub fn hold_symbol_to_code(text: String) -> String {
    let mut out = String::with_capacity(text.len() + 6);
    let mut after_letter = false;
    for c in text.chars() {
        out.push(c);
        if after_letter && matches!(c, '$' | '£' | '¥' | '€' | '₪' | '₹' | '₩' | '¢') {
            out.push('\u{200E}');
        }
        after_letter = c.is_ascii_alphabetic();
    }
    out
}

/// `amount` to three significant digits (whole units below 1,000): a converted amount is an
/// estimate at the deal's exchange rate, not a figure to the cent. `65_333.33` → `65_300`.
pub fn approximate(amount: f64) -> f64 {
    if !amount.is_finite() {
        return amount;
    }
    let mut scale = 1.0;
    while (amount / scale).abs() >= 1_000.0 {
        scale *= 10.0;
    }
    (amount / scale).round() * scale
}

/// A stable insertion sort for the few items of a pane (currencies, stages). The standard
/// library's stable sort is a few kilobytes of wasm per element type; these lists are short.
fn sort_small_by<T>(items: &mut [T], order: impl Fn(&T, &T) -> std::cmp::Ordering) {
    for end in 1..items.len() {
        let mut at = end;
        while at > 0 && order(&items[at - 1], &items[at]).is_gt() {
            items.swap(at - 1, at);
            at -= 1;
        }
    }
}

/// Adds amounts per currency, largest total first (ties by currency code).
fn totals_by_currency(items: impl Iterator<Item = (f64, String)>) -> Vec<Money> {
    let mut totals: Vec<Money> = Vec::new();
    for (amount, currency) in items {
        if !amount.is_finite() {
            continue;
        }
        match totals.iter_mut().find(|m| m.currency == currency) {
            Some(total) => total.amount += amount,
            None => totals.push(Money { amount, currency }),
        }
    }
    sort_small_by(&mut totals, |a, b| {
        b.amount
            .total_cmp(&a.amount)
            .then_with(|| a.currency.cmp(&b.currency))
    });
    totals
}

fn open_values(deals: &[Deal]) -> impl Iterator<Item = (&Deal, &Money)> {
    deals
        .iter()
        .filter(|d| d.status == DealStatus::Open)
        .filter_map(|d| d.value.as_ref().map(|v| (d, v)))
}

/// The open deals' value per currency (deals without a value are left out).
pub fn open_total(deals: &[Deal]) -> Vec<Money> {
    totals_by_currency(open_values(deals).map(|(_, v)| (v.amount, v.currency.clone())))
}

/// The open deals' value × probability / 100 per currency; deals without a probability are left
/// out (their weight is unknown, not zero).
pub fn weighted_total(deals: &[Deal]) -> Vec<Money> {
    totals_by_currency(open_values(deals).filter_map(|(d, v)| {
        d.probability
            .map(|p| (v.amount * f64::from(p.min(100)) / 100.0, v.currency.clone()))
    }))
}

/// The stage key of deals without a stage in [`stage_totals`]; show `strings.no_stage` for it.
pub const NO_STAGE: &str = "";

/// Dataverse's default sales process, in order; other stages follow in order of appearance.
const STAGE_ORDER: [&str; 4] = ["qualify", "develop", "propose", "close"];

fn stage_rank(stage: &str) -> Option<usize> {
    // Classic stage names carry a number prefix: `1-Qualify`.
    let name = stage
        .trim()
        .trim_start_matches(|c: char| c.is_ascii_digit() || c == '-');
    STAGE_ORDER
        .iter()
        .position(|known| known.eq_ignore_ascii_case(name.trim()))
        .or_else(|| {
            let leading: String = stage.chars().take_while(|c| c.is_ascii_digit()).collect();
            leading.parse::<usize>().ok().map(|n| n.saturating_sub(1))
        })
}

/// The currency with the largest open total (of the amounts as sent).
pub fn top_currency(deals: &[Deal]) -> Option<String> {
    open_total(deals).into_iter().next().map(|m| m.currency)
}

/// Open value per stage in `basis`'s currency, for the pipeline chart: the default sales
/// process's stages in process order, then other stages as they appear, then [`NO_STAGE`] last.
pub fn stage_totals(deals: &[Deal], basis: &Basis) -> Vec<(String, f64)> {
    let mut totals: Vec<(String, f64)> = Vec::new();
    let open = deals.iter().filter(|d| d.status == DealStatus::Open);
    for (deal, amount) in open.filter_map(|d| basis.amount(d).map(|a| (d, a))) {
        let stage = deal
            .stage
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .unwrap_or(NO_STAGE);
        match totals.iter_mut().find(|(s, _)| s == stage) {
            Some((_, total)) => *total += amount,
            None => totals.push((stage.to_owned(), amount)),
        }
    }
    // Stable sort: known stages by rank, unknown ones keep their order, no stage last.
    let key = |stage: &str| {
        if stage == NO_STAGE {
            (2, 0)
        } else {
            match stage_rank(stage) {
                Some(rank) => (0, rank),
                None => (1, 0),
            }
        }
    };
    sort_small_by(&mut totals, |(a, _), (b, _)| key(a).cmp(&key(b)));
    totals
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::test_deals::deal;

    /// `deal` with a base value in USD.
    fn based(value: (f64, &str), base: f64, probability: u8, stage: &str) -> Deal {
        Deal {
            value_base: Some(Money {
                amount: base,
                currency: "USD".into(),
            }),
            ..deal(Some(value), Some(probability), Some(stage))
        }
    }

    /// The embedded store's Adatum Bank S.A.: by raw amount the yen deal would be the largest.
    fn adatum() -> Vec<Deal> {
        vec![
            based((9_800_000.0, "JPY"), 65_333.33, 80, "Close"),
            based((120_000.0, "EUR"), 130_434.78, 40, "Develop"),
            based((425_000.0, "USD"), 425_000.0, 60, "Propose"),
            based((80_000.0, "GBP"), 101_265.82, 30, "Qualify"),
        ]
    }

    #[test]
    fn totals_are_per_currency_and_skip_closed_deals() {
        let mut won = deal(Some((1_000_000.0, "USD")), Some(100), None);
        won.status = DealStatus::Won;
        let deals = [
            deal(Some((100.0, "EUR")), Some(50), None),
            deal(Some((250_000.0, "USD")), Some(70), None),
            deal(Some((50_000.0, "USD")), None, None),
            deal(None, Some(90), None),
            won,
        ];
        let open = open_total(&deals);
        assert_eq!(open.len(), 2);
        assert_eq!(
            (open[0].amount, open[0].currency.as_str()),
            (300_000.0, "USD")
        );
        assert_eq!((open[1].amount, open[1].currency.as_str()), (100.0, "EUR"));
        let weighted = weighted_total(&deals);
        assert_eq!(
            (weighted[0].amount, weighted[0].currency.as_str()),
            (175_000.0, "USD")
        );
        assert_eq!(
            (weighted[1].amount, weighted[1].currency.as_str()),
            (50.0, "EUR")
        );
        assert!(open_total(&[]).is_empty());
        assert_eq!(top_currency(&deals).as_deref(), Some("USD"));
    }

    #[test]
    fn stage_totals_follow_the_sales_process_in_the_top_currency() {
        let deals = [
            deal(Some((10.0, "USD")), None, Some("Close")),
            deal(Some((20.0, "USD")), None, None),
            deal(Some((30.0, "USD")), None, Some("Negotiate")),
            deal(Some((40.0, "USD")), None, Some("Qualify")),
            deal(Some((5.0, "USD")), None, Some("Qualify")),
            deal(Some((1.0, "EUR")), None, Some("Develop")),
            deal(Some((60.0, "USD")), None, Some("3-Propose")),
            deal(Some((7.0, "USD")), None, Some("  ")),
            deal(Some((2.0, "USD")), None, Some("Legal review")),
        ];
        let top = basis(&deals).unwrap();
        assert_eq!(top, Basis::Top("USD".into()), "no base values: as before");
        let totals = stage_totals(&deals, &top);
        let keys: Vec<&str> = totals.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(
            keys,
            [
                "Qualify",
                "3-Propose",
                "Close",
                "Negotiate",
                "Legal review",
                NO_STAGE
            ],
            "unknown stages keep their order of appearance"
        );
        assert_eq!(totals[0].1, 45.0);
        assert_eq!(totals[5].1, 27.0);
        assert!(basis(&[]).is_none());
    }

    #[test]
    fn mixed_currencies_are_added_and_compared_in_the_base_currency() {
        let deals = adatum();
        let basis = basis(&deals);
        assert_eq!(basis, Some(Basis::Base("USD".into())));
        assert_eq!(largest_deal(&deals), Some(2), "$425,000, not ¥9,800,000");
        let figures = base_figures(&deals).unwrap();
        assert!((figures.open - 722_033.93).abs() < 1e-6, "{}", figures.open);
        assert!(
            (figures.weighted - 389_820.322).abs() < 1e-6,
            "{}",
            figures.weighted
        );
        assert!(has_other_currencies(&deals, "USD"));
        let parts: Vec<String> = by_base_worth(open_total(&deals), &deals)
            .into_iter()
            .map(|m| m.currency)
            .collect();
        assert_eq!(parts, ["USD", "EUR", "GBP", "JPY"], "not JPY first");
        let bars = stage_totals(&deals, basis.as_ref().unwrap());
        let bars: Vec<(&str, f64)> = bars.iter().map(|(s, a)| (s.as_str(), *a)).collect();
        assert_eq!(
            bars,
            [
                ("Qualify", 101_265.82),
                ("Develop", 130_434.78),
                ("Propose", 425_000.0),
                ("Close", 65_333.33)
            ],
            "every valued deal is charted"
        );
        let approx = |i: usize| base_equivalent(&deals[i], basis.as_ref()).map(|m| m.amount);
        assert_eq!(
            [approx(0), approx(1), approx(2), approx(3)],
            [Some(65_300.0), Some(130_000.0), None, Some(101_000.0)],
            "a deal in the base currency needs no ≈"
        );
    }

    #[test]
    fn without_every_base_value_amounts_are_read_as_sent() {
        // An older server: no valueBase at all. The yen amount is the largest number sent.
        let mut deals = adatum();
        for deal in &mut deals {
            deal.value_base = None;
        }
        assert_eq!(basis(&deals), Some(Basis::Top("JPY".into())));
        assert_eq!(largest_deal(&deals), Some(0));
        assert_eq!(base_figures(&deals), None);
        assert_eq!(base_equivalent(&deals[1], basis(&deals).as_ref()), None);
        // One valued deal without a base value: base totals would be short, so none.
        let mut deals = adatum();
        deals[3].value_base = None;
        assert_eq!(basis(&deals), Some(Basis::Top("JPY".into())));
        assert_eq!(base_figures(&deals), None);
        // A deal with no value at all does not stop base totals.
        let mut deals = adatum();
        deals.push(deal(None, Some(10), Some("Qualify")));
        assert_eq!(basis(&deals), Some(Basis::Base("USD".into())));
        assert_eq!(largest_deal(&deals), Some(2));
        assert_eq!(largest_deal(&[]), None);
        assert_eq!(largest_deal(&[deal(None, None, None)]), Some(0));
    }

    #[test]
    fn zero_and_negative_base_values_count_and_ties_go_to_the_earliest_close() {
        let mut deals = vec![
            based((0.0, "EUR"), 0.0, 50, "Qualify"),
            based((-100.0, "USD"), -100.0, 50, "Qualify"),
            based((10.0, "USD"), 10.0, 50, "Develop"),
            based((9.0, "EUR"), 10.0, 50, "Develop"),
        ];
        deals[3].close_date = Some("2026-01-01".into());
        deals[2].close_date = Some("2026-02-01".into());
        assert_eq!(
            largest_deal(&deals),
            Some(3),
            "equal base values: earliest close"
        );
        let figures = base_figures(&deals).unwrap();
        assert_eq!((figures.open, figures.counted), (-80.0, 4));
        let basis = basis(&deals).unwrap();
        assert_eq!(
            stage_totals(&deals, &basis),
            [("Qualify".to_owned(), -100.0), ("Develop".to_owned(), 20.0)]
        );
        assert_eq!(
            base_equivalent(&deals[0], Some(&basis)).map(|m| m.amount),
            Some(0.0)
        );
    }

    #[test]
    fn a_symbol_that_ends_a_currency_code_stays_with_it() {
        let held = |text: &str| hold_symbol_to_code(text.to_owned());
        assert_eq!(held("\u{200F}425,000 US$"), "\u{200F}425,000 US$\u{200E}");
        assert_eq!(held("JP¥ 9,800,000"), "JP¥\u{200E} 9,800,000");
        for unchanged in ["$425,000", "425.000 $", "425 000 $US", "€120,000", "Adatum"] {
            assert_eq!(held(unchanged), unchanged);
        }
    }

    #[test]
    fn approximate_keeps_three_significant_digits() {
        for (amount, expected) in [
            (65_333.33, 65_300.0),
            (130_434.78, 130_000.0),
            (101_265.82, 101_000.0),
            (999.6, 1_000.0),
            (195.65, 196.0),
            (0.4, 0.0),
            (-65_333.33, -65_300.0),
            (1_234_567_890.0, 1_230_000_000.0),
        ] {
            assert_eq!(approximate(amount), expected, "{amount}");
        }
        assert!(approximate(f64::NAN).is_nan());
    }
}
