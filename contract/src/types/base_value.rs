//! Comparing deals priced in different currencies: by `valueBase`, their value in the
//! organization's base currency. Pure functions both sides share: the server orders its answer
//! with them, the widget picks its largest deal and adds its totals with them, so the two can
//! never disagree on which deal is the biggest.

use std::cmp::Ordering;

use super::{Deal, DealStatus};

/// A deal's base amount as a sort key: `None` without one. A non-finite amount (JSON cannot
/// carry one, but a hand-built `Deal` can) counts as none; `-0.0` counts as `0.0`.
fn base_amount(deal: &Deal) -> Option<f64> {
    let amount = deal.value_base.as_ref()?.amount;
    // Adding +0.0 turns -0.0 into +0.0 and changes nothing else.
    amount.is_finite().then_some(amount + 0.0)
}

/// The contract's order of deals: highest base value first (deals without one last), then
/// earliest close date (deals without one last). Deals equal on both compare `Equal`, so a
/// stable sort keeps the source's order between them.
pub fn compare_deals(a: &Deal, b: &Deal) -> Ordering {
    let by_value = match (base_amount(a), base_amount(b)) {
        (Some(x), Some(y)) => y.total_cmp(&x),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    };
    // `YYYY-MM-DD` sorts as text.
    by_value.then_with(|| match (&a.close_date, &b.close_date) {
        (Some(x), Some(y)) => x.cmp(y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    })
}

/// Sorts `deals` by [`compare_deals`], stably. An insertion sort: an answer holds at most 50
/// deals, and the standard library's stable sort costs the widget kilobytes of wasm per type.
pub fn order_deals(deals: &mut [Deal]) {
    for end in 1..deals.len() {
        let mut at = end;
        while at > 0 && compare_deals(&deals[at - 1], &deals[at]).is_gt() {
            deals.swap(at - 1, at);
            at -= 1;
        }
    }
}

/// The open deals' totals in the base currency.
#[derive(Debug, Clone, PartialEq)]
pub struct BaseTotals {
    /// The base currency the totals are in.
    pub currency: String,
    /// The sum of the counted deals' base values.
    pub open: f64,
    /// The sum of base value × probability / 100 over the counted deals that have a
    /// probability (a deal without one has an unknown weight, not zero).
    pub weighted: f64,
    /// Open deals in the totals.
    pub counted: usize,
    /// Open deals with a value but no base value in `currency` (Sales held none, or an older
    /// server sent none): left out of the totals, so a pane can say so rather than mislead.
    pub unconverted: usize,
}

/// Adds the open deals' base values in `base_currency` (ISO 4217, any case). Zero and negative
/// amounts count as they are; non-finite ones as missing.
pub fn base_totals(deals: &[Deal], base_currency: &str) -> BaseTotals {
    let mut totals = BaseTotals {
        currency: base_currency.to_ascii_uppercase(),
        open: 0.0,
        weighted: 0.0,
        counted: 0,
        unconverted: 0,
    };
    for deal in deals.iter().filter(|deal| deal.status == DealStatus::Open) {
        let in_base = deal
            .value_base
            .as_ref()
            .filter(|base| base.currency.eq_ignore_ascii_case(base_currency))
            .and_then(|_| base_amount(deal));
        match in_base {
            Some(amount) => {
                totals.open += amount;
                if let Some(probability) = deal.probability {
                    totals.weighted += amount * f64::from(probability.min(100)) / 100.0;
                }
                totals.counted += 1;
            }
            None if deal.value.is_some() || deal.value_base.is_some() => totals.unconverted += 1,
            None => {}
        }
    }
    totals
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Guid, Money, Summary};

    fn deal(
        n: u128,
        value: Option<(f64, &str)>,
        base: Option<f64>,
        close_date: Option<&str>,
    ) -> Deal {
        let money = |amount: f64, currency: &str| Money {
            amount,
            currency: currency.to_owned(),
        };
        Deal {
            id: Guid::from_u128(n),
            name: format!("deal {n}"),
            status: DealStatus::Open,
            stage: None,
            value: value.map(|(amount, currency)| money(amount, currency)),
            value_base: base.map(|amount| money(amount, "USD")),
            probability: Some(50),
            close_date: close_date.map(str::to_owned),
            owner: None,
            forecast_category: None,
            summary: Summary::disabled(),
            link: None,
            modified_on: None,
        }
    }

    fn names(deals: &[Deal]) -> Vec<String> {
        deals.iter().map(|deal| deal.name.clone()).collect()
    }

    /// The customer: the ¥9,800,000 deal has the largest raw amount but is worth
    /// about $65,000.
    fn mixed_currencies() -> Vec<Deal> {
        vec![
            deal(
                1,
                Some((9_800_000.0, "JPY")),
                Some(65_300.0),
                Some("2026-12-01"),
            ),
            deal(
                2,
                Some((120_000.0, "EUR")),
                Some(130_000.0),
                Some("2027-01-15"),
            ),
            deal(
                3,
                Some((425_000.0, "USD")),
                Some(425_000.0),
                Some("2027-02-01"),
            ),
            deal(4, Some((80_000.0, "GBP")), Some(101_000.0), None),
        ]
    }

    #[test]
    fn mixed_currencies_order_by_base_value_not_raw_amount() {
        let mut deals = mixed_currencies();
        order_deals(&mut deals);
        assert_eq!(names(&deals), ["deal 3", "deal 2", "deal 4", "deal 1"]);
    }

    #[test]
    fn missing_base_values_go_last_and_ties_go_by_close_date_then_source_order() {
        let mut deals = vec![
            // A huge raw amount without a base value is not guessed into first place.
            deal(1, Some((1e9, "JPY")), None, Some("2026-01-01")),
            deal(2, None, None, None),
            deal(3, Some((10.0, "USD")), Some(10.0), None),
            deal(4, Some((10.0, "USD")), Some(10.0), Some("2026-03-01")),
            deal(5, Some((10.0, "USD")), Some(10.0), Some("2026-02-01")),
            deal(6, Some((10.0, "USD")), Some(10.0), Some("2026-02-01")),
            deal(7, None, None, Some("2025-12-31")),
        ];
        order_deals(&mut deals);
        assert_eq!(
            names(&deals),
            ["deal 5", "deal 6", "deal 4", "deal 3", "deal 7", "deal 1", "deal 2"]
        );
    }

    #[test]
    fn zero_negative_and_non_finite_amounts_have_a_total_order() {
        let mut deals = vec![
            deal(1, None, Some(-5.0), None),
            deal(2, None, Some(0.0), Some("2026-02-01")),
            deal(3, None, Some(f64::NAN), None),
            deal(4, None, Some(-0.0), Some("2026-01-01")),
            deal(5, None, Some(f64::INFINITY), None),
            deal(6, None, Some(3.0), None),
        ];
        order_deals(&mut deals);
        // -0.0 equals 0.0, so the close date decides between deals 4 and 2; NaN and infinity
        // count as no value and keep their order.
        assert_eq!(
            names(&deals),
            ["deal 6", "deal 4", "deal 2", "deal 1", "deal 3", "deal 5"]
        );
        assert_eq!(compare_deals(&deals[0], &deals[0]), Ordering::Equal);
    }

    #[test]
    fn totals_add_base_values_of_open_deals_only() {
        let mut deals = mixed_currencies();
        deals[3].probability = None;
        let mut won = deal(9, Some((1e6, "USD")), Some(1e6), None);
        won.status = DealStatus::Won;
        deals.push(won);
        let totals = base_totals(&deals, "usd");
        assert_eq!(totals.currency, "USD");
        assert_eq!(totals.open, 65_300.0 + 130_000.0 + 425_000.0 + 101_000.0);
        // Deal 4 has no probability: out of the weighted total, in the open one.
        assert_eq!(totals.weighted, (65_300.0 + 130_000.0 + 425_000.0) / 2.0);
        assert_eq!((totals.counted, totals.unconverted), (4, 0));
    }

    #[test]
    fn totals_leave_out_and_count_deals_without_a_base_value() {
        let mut other_base = deal(5, Some((1.0, "EUR")), Some(1.0), None);
        other_base.value_base.as_mut().unwrap().currency = "EUR".into();
        let deals = vec![
            deal(1, Some((100.0, "USD")), Some(100.0), None),
            deal(2, Some((9_800_000.0, "JPY")), None, None),
            deal(3, None, None, None),
            deal(4, Some((0.0, "USD")), Some(0.0), None),
            deal(6, Some((-40.0, "USD")), Some(-40.0), None),
            other_base,
        ];
        let totals = base_totals(&deals, "USD");
        assert_eq!(totals.open, 60.0);
        assert_eq!(totals.weighted, 30.0);
        assert_eq!(totals.counted, 3, "zero and negative values count");
        assert_eq!(
            totals.unconverted, 2,
            "no base value, or one in another currency"
        );
        assert_eq!(base_totals(&[], "USD").open, 0.0);
    }
}
