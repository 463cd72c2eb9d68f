//! Customers and deals at fixed GUIDs that every store holds, whatever its seed and size, so
//! tests (unit, HTTP, browser end-to-end) and demos can rely on them. Dates are relative to the
//! store's creation day.

use chrono::NaiveDateTime;
use dealpane_contract::{CustomerType, Guid, Money};

use super::access::ReadDepth;
use super::generator::{ActivitySpec, Clock, CustomerSpec, DealSpec, DealState, Owner, OWNERS};
use super::rng::SplitMix64;
use super::summarizer::ActivityKind;
use crate::dev_issuer::TEST_USERS;

const fn fixed(n: u128) -> Guid {
    Guid::from_u128(0x0d1a_f1c5_0000_4000_8000_0000_0000_0000 | n)
}

/// An account with six open deals (plus a won and a lost one that must never show). The id is the
/// one in DESIGN.md's example.
pub const CONTOSO_PHARMACEUTICALS_ID: Guid =
    Guid::from_u128(0x3f25_04e0_4f89_11d3_9a0c_0305_e82c_3301);
pub const CONTOSO_PHARMACEUTICALS_NAME: &str = "Contoso Pharmaceuticals";
/// Contoso's open deals in the order the store lists them: by base value (250,000; 120,000
/// closing sooner; 120,000; 45,000 overdue; €41,400 = $45,000 without close date; no value).
pub const CONTOSO_OPEN_DEAL_NAMES: [&str; 6] = [
    "Espresso machines for 4 sites",
    "Cold-chain monitoring renewal",
    "Lab refrigerator service contract",
    "Visitor check-in kiosks",
    "Warehouse barcode scanners",
    "Tablet pilot for field reps",
];
pub const CONTOSO_TOP_DEAL_ID: Guid = fixed(0xd001);
/// Higher valued than every open deal, but won: never listed.
pub const CONTOSO_WON_DEAL_ID: Guid = fixed(0xd007);
/// Higher valued than every open deal, but lost: never listed.
pub const CONTOSO_LOST_DEAL_ID: Guid = fixed(0xd008);

/// An account whose deals are all won or lost: zero open deals.
pub const FABRIKAM_RESIDENCES_ID: Guid = fixed(0xa002);
pub const FABRIKAM_RESIDENCES_NAME: &str = "Fabrikam Residences";

/// An account with no deals at all.
pub const NORTHWIND_TRADERS_ID: Guid = fixed(0xa003);
pub const NORTHWIND_TRADERS_NAME: &str = "Northwind Traders";

/// A contact customer, with an apostrophe in her name and two open deals.
pub const AOIFE_OBRIEN_ID: Guid = fixed(0xc004);
pub const AOIFE_OBRIEN_NAME: &str = "Aoife O'Brien";

/// Accounts named with apostrophes, accents and non-Latin scripts, one open deal each (two for
/// the Japanese one, in JPY).
pub const COTE_DAZUR_ID: Guid = fixed(0xa005);
pub const COTE_DAZUR_NAME: &str = "Côte d'Azur Logistique";
pub const KABUSHIKI_CONTOSO_ID: Guid = fixed(0xa006);
pub const KABUSHIKI_CONTOSO_NAME: &str = "株式会社コントソ";
pub const ARKTIKA_ID: Guid = fixed(0xa007);
pub const ARKTIKA_NAME: &str = "Арктика Логистик";
pub const HELLENIC_ID: Guid = fixed(0xa008);
pub const HELLENIC_NAME: &str = "Ελληνική Ναυτιλία";
pub const ARABIC_ID: Guid = fixed(0xa009);
pub const ARABIC_NAME: &str = "شركة عربي للتجارة";

/// An account with more open deals than the default `top` (10).
pub const ADVENTURE_WORKS_ID: Guid = fixed(0xa00a);
pub const ADVENTURE_WORKS_NAME: &str = "Adventure Works Cycles";
pub const ADVENTURE_WORKS_OPEN_DEALS: usize = 14;

/// An account with two open deals; the top one (by value) has no stored summary, so
/// `deal_summary` fails for it and the answer must show it as `unavailable`.
pub const LITWARE_ID: Guid = fixed(0xa00b);
pub const LITWARE_NAME: &str = "Litware, Inc.";
pub const LITWARE_DEAL_WITHOUT_SUMMARY_ID: Guid = fixed(0xd0b1);
pub const LITWARE_DEAL_WITH_SUMMARY_ID: Guid = fixed(0xd0b2);

/// Three customers named "Tailspin Toys": two accounts and a contact. By name, the most recently
/// modified account wins; asked for a contact, the contact.
pub const TAILSPIN_TOYS_NAME: &str = "Tailspin Toys";
pub const TAILSPIN_TOYS_ID: Guid = fixed(0xa00c);
pub const TAILSPIN_TOYS_OLDER_ID: Guid = fixed(0xa00d);
pub const TAILSPIN_TOYS_CONTACT_ID: Guid = fixed(0xc00e);

/// An account whose open deals are priced in four currencies. By raw amount the yen deal
/// (¥9,800,000, about $65,333) would be the largest; in the base currency (USD) it is the
/// smallest. Its name ends with a period, as company names often do ("S.A.", "Inc.").
pub const ADATUM_BANK_ID: Guid = fixed(0xa00f);
pub const ADATUM_BANK_NAME: &str = "Adatum Bank S.A.";
/// Adatum's open deals in the order the store lists them: $425,000; €120,000 (≈ $130,434.78);
/// £80,000 (≈ $101,265.82); ¥9,800,000 (≈ $65,333.33).
pub const ADATUM_BANK_OPEN_DEAL_NAMES: [&str; 4] = [
    "Teller terminals for 40 branches",
    "Branch coffee service in Spain",
    "London office visitor kiosks",
    "Tokyo branch espresso machines",
];
pub const ADATUM_BANK_TOP_DEAL_ID: Guid = fixed(0xd0f1);
pub const ADATUM_BANK_YEN_DEAL_ID: Guid = fixed(0xd0f4);

/// An account with exactly eight open deals, each with a summary to make: the benchmark's
/// progressive-loading scenario (issue 10: eight summaries, each a slow call in production).
pub const NOD_PUBLISHERS_ID: Guid = fixed(0xa010);
pub const NOD_PUBLISHERS_NAME: &str = "Nod Publishers";
pub const NOD_PUBLISHERS_OPEN_DEALS: usize = 8;

/// A Sales user (`systemuser`) an agent signed in through the local issuer is matched to, by
/// Entra object id, in `--sales-identity agent` mode.
#[derive(Debug, Clone, Copy)]
pub struct SalesUser {
    /// `systemuserid`: what `_ownerid_value` holds on the deals they own.
    pub id: Guid,
    pub oid: &'static str,
    pub name: &'static str,
    pub reads: ReadDepth,
}

/// Alex Wu is a salesperson who reads only the deals he owns (two of Contoso's six, and his
/// share of the rest); Dana Seller is a sales manager who reads every deal. Riley Newhire, the
/// issuer's third user, is not a Sales user: refused.
pub const SALES_USERS: [SalesUser; 2] = [
    SalesUser {
        id: OWNERS[0].id,
        oid: TEST_USERS[0].oid,
        name: TEST_USERS[0].name,
        reads: ReadDepth::User,
    },
    SalesUser {
        id: fixed(0x5e11_000d),
        oid: TEST_USERS[1].oid,
        name: TEST_USERS[1].name,
        reads: ReadDepth::Organization,
    },
];
/// The Contoso deals Alex Wu owns, in the store's order.
pub const CONTOSO_DEALS_OF_ALEX_WU: [&str; 2] =
    [CONTOSO_OPEN_DEAL_NAMES[0], CONTOSO_OPEN_DEAL_NAMES[3]];

/// How many customers the fixtures add (every store holds at least these).
pub const FIXED_CUSTOMERS: usize = 16;

/// Activity ids come from their own seed so the fixtures never depend on the sample's seed.
const ACTIVITY_SEED: u64 = 0x0d1a_f1c5;

pub(super) fn customers(clock: Clock) -> Vec<(CustomerSpec, Vec<DealSpec>)> {
    let mut ids = SplitMix64::new(ACTIVITY_SEED);
    let mut act =
        |kind, subject: &str, owner: usize, days_ago: Option<i64>, created_ago: i64| ActivitySpec {
            id: ids.guid(),
            kind,
            subject: subject.to_owned(),
            description: None,
            owner: Some(OWNERS[owner]),
            done_at: days_ago.map(|d| clock.days_ago(d, 10)),
            created_on: clock.days_ago(days_ago.unwrap_or(created_ago), 9),
        };
    let contoso = vec![
        DealSpec {
            name: CONTOSO_OPEN_DEAL_NAMES[0].into(),
            value: money(250_000.0, "USD"),
            close_date: Some(clock.date(23)),
            probability: Some(70),
            stage: Some("Propose"),
            forecast: Some(100_000_002),
            competitor: Some("Fabrikam"),
            activities: vec![
                act(
                    ActivityKind::Email,
                    "Sent pricing proposal for 4 sites",
                    0,
                    Some(4),
                    0,
                ),
                act(
                    ActivityKind::PhoneCall,
                    "Call with procurement about volume discount",
                    1,
                    Some(10),
                    0,
                ),
                act(
                    ActivityKind::Appointment,
                    "On-site demo in Basel",
                    0,
                    Some(19),
                    0,
                ),
                act(ActivityKind::Task, "Send revised quote", 0, None, 3),
            ],
            ..open_deal(CONTOSO_TOP_DEAL_ID, clock, 0, 60)
        },
        DealSpec {
            name: CONTOSO_OPEN_DEAL_NAMES[1].into(),
            value: money(120_000.0, "USD"),
            close_date: Some(clock.date(10)),
            probability: Some(40),
            stage: Some("Develop"),
            forecast: Some(100_000_001),
            activities: vec![act(
                ActivityKind::Email,
                "Sent renewal terms",
                1,
                Some(6),
                0,
            )],
            ..open_deal(fixed(0xd002), clock, 1, 90)
        },
        DealSpec {
            name: CONTOSO_OPEN_DEAL_NAMES[2].into(),
            value: money(120_000.0, "USD"),
            close_date: Some(clock.date(45)),
            probability: Some(20),
            stage: Some("Qualify"),
            forecast: Some(100_000_001),
            activities: vec![act(
                ActivityKind::PhoneCall,
                "Discovery call with lab manager",
                2,
                Some(8),
                0,
            )],
            ..open_deal(fixed(0xd003), clock, 2, 20)
        },
        DealSpec {
            name: CONTOSO_OPEN_DEAL_NAMES[3].into(),
            value: money(45_000.0, "USD"),
            close_date: Some(clock.date(-12)),
            probability: Some(30),
            stage: Some("Develop"),
            forecast: Some(100_000_001),
            activities: vec![act(
                ActivityKind::Appointment,
                "Kiosk walkthrough",
                0,
                Some(40),
                0,
            )],
            ..open_deal(fixed(0xd004), clock, 0, 120)
        },
        DealSpec {
            name: CONTOSO_OPEN_DEAL_NAMES[4].into(),
            // Exactly $45,000 at the store's rate (0.92): ties with the USD deal above, which
            // comes first for having a close date.
            value: money(41_400.0, "EUR"),
            close_date: None,
            probability: None,
            stage: Some("Propose"),
            forecast: None,
            ..open_deal(fixed(0xd005), clock, 3, 14)
        },
        DealSpec {
            name: CONTOSO_OPEN_DEAL_NAMES[5].into(),
            value: None,
            close_date: None,
            probability: None,
            stage: Some("Qualify"),
            forecast: None,
            owner: None,
            ..open_deal(fixed(0xd006), clock, 0, 3)
        },
        DealSpec {
            name: "Autoclave replacement".into(),
            state: DealState::Won,
            value: money(400_000.0, "USD"),
            close_date: Some(clock.date(-30)),
            probability: Some(100),
            stage: Some("Close"),
            forecast: Some(100_000_005),
            ..open_deal(CONTOSO_WON_DEAL_ID, clock, 0, 200)
        },
        DealSpec {
            name: "Compliance training platform".into(),
            state: DealState::Lost,
            value: money(500_000.0, "USD"),
            close_date: Some(clock.date(-60)),
            probability: Some(0),
            stage: Some("Propose"),
            forecast: Some(100_000_006),
            ..open_deal(CONTOSO_LOST_DEAL_ID, clock, 1, 250)
        },
    ];

    let fabrikam = vec![
        DealSpec {
            name: "Smart thermostats for 120 flats".into(),
            state: DealState::Won,
            close_date: Some(clock.date(-90)),
            probability: Some(100),
            forecast: Some(100_000_005),
            ..open_deal(fixed(0xd021), clock, 4, 200)
        },
        DealSpec {
            name: "Lobby security cameras".into(),
            state: DealState::Lost,
            close_date: Some(clock.date(-20)),
            probability: Some(0),
            forecast: Some(100_000_006),
            ..open_deal(fixed(0xd022), clock, 5, 100)
        },
    ];

    let aoife = vec![
        DealSpec {
            name: "Home office espresso machine".into(),
            value: money(2_400.0, "EUR"),
            close_date: Some(clock.date(7)),
            activities: vec![act(
                ActivityKind::Email,
                "Answered questions about the warranty",
                7,
                Some(2),
                0,
            )],
            ..open_deal(fixed(0xd041), clock, 7, 30)
        },
        DealSpec {
            name: "Descaling subscription".into(),
            value: money(180.0, "EUR"),
            close_date: Some(clock.date(30)),
            ..open_deal(fixed(0xd042), clock, 7, 30)
        },
    ];

    let one_deal = |id: u128, name: &str, value: Option<Money>, owner: usize| {
        vec![DealSpec {
            name: name.into(),
            value,
            ..open_deal(fixed(id), clock, owner, 25)
        }]
    };

    let adventure_works = (0..ADVENTURE_WORKS_OPEN_DEALS)
        .map(|i| DealSpec {
            name: format!("Bike fleet for store {}", i + 1),
            value: money(10_000.0 * (i as f64 + 1.0), "USD"),
            close_date: Some(clock.date(5 + i as i64 * 7)),
            ..open_deal(fixed(0xd100 + i as u128), clock, i % OWNERS.len(), 40)
        })
        .collect();

    let nod_publishers = (0..NOD_PUBLISHERS_OPEN_DEALS)
        .map(|i| DealSpec {
            name: format!("Print run for title {}", i + 1),
            value: money(90_000.0 - 10_000.0 * i as f64, "USD"),
            close_date: Some(clock.date(14 + i as i64 * 10)),
            ..open_deal(fixed(0xd200 + i as u128), clock, i % OWNERS.len(), 35)
        })
        .collect();

    let litware = vec![
        DealSpec {
            name: "Data platform migration".into(),
            value: money(300_000.0, "USD"),
            with_summary: false,
            ..open_deal(LITWARE_DEAL_WITHOUT_SUMMARY_ID, clock, 9, 50)
        },
        DealSpec {
            name: "Support plan renewal".into(),
            value: money(30_000.0, "USD"),
            ..open_deal(LITWARE_DEAL_WITH_SUMMARY_ID, clock, 9, 50)
        },
    ];

    let adatum_bank = vec![
        DealSpec {
            name: ADATUM_BANK_OPEN_DEAL_NAMES[0].into(),
            value: money(425_000.0, "USD"),
            close_date: Some(clock.date(40)),
            probability: Some(60),
            stage: Some("Propose"),
            forecast: Some(100_000_002),
            ..open_deal(ADATUM_BANK_TOP_DEAL_ID, clock, 10, 70)
        },
        DealSpec {
            name: ADATUM_BANK_OPEN_DEAL_NAMES[1].into(),
            value: money(120_000.0, "EUR"),
            close_date: Some(clock.date(20)),
            probability: Some(40),
            stage: Some("Develop"),
            ..open_deal(fixed(0xd0f2), clock, 3, 45)
        },
        DealSpec {
            name: ADATUM_BANK_OPEN_DEAL_NAMES[2].into(),
            value: money(80_000.0, "GBP"),
            close_date: Some(clock.date(75)),
            probability: Some(30),
            stage: Some("Qualify"),
            ..open_deal(fixed(0xd0f3), clock, 7, 30)
        },
        DealSpec {
            name: ADATUM_BANK_OPEN_DEAL_NAMES[3].into(),
            value: money(9_800_000.0, "JPY"),
            close_date: Some(clock.date(10)),
            probability: Some(80),
            stage: Some("Close"),
            forecast: Some(100_000_003),
            ..open_deal(ADATUM_BANK_YEN_DEAL_ID, clock, 4, 60)
        },
    ];

    let account = |id, name: &str, modified_days_ago| {
        customer(
            id,
            name,
            CustomerType::Account,
            clock.days_ago(modified_days_ago, 12),
        )
    };
    vec![
        (
            account(CONTOSO_PHARMACEUTICALS_ID, CONTOSO_PHARMACEUTICALS_NAME, 4),
            contoso,
        ),
        (
            account(FABRIKAM_RESIDENCES_ID, FABRIKAM_RESIDENCES_NAME, 20),
            fabrikam,
        ),
        (
            account(NORTHWIND_TRADERS_ID, NORTHWIND_TRADERS_NAME, 300),
            Vec::new(),
        ),
        (
            customer(
                AOIFE_OBRIEN_ID,
                AOIFE_OBRIEN_NAME,
                CustomerType::Contact,
                clock.days_ago(2, 12),
            ),
            aoife,
        ),
        (
            account(COTE_DAZUR_ID, COTE_DAZUR_NAME, 10),
            one_deal(
                0xd051,
                "Refrigerated trailers for Marseille",
                money(85_000.0, "EUR"),
                7,
            ),
        ),
        (
            account(KABUSHIKI_CONTOSO_ID, KABUSHIKI_CONTOSO_NAME, 10),
            vec![
                DealSpec {
                    name: "大阪工場向けコーヒーマシン".into(),
                    value: money(18_000_000.0, "JPY"),
                    ..open_deal(fixed(0xd061), clock, 4, 35)
                },
                DealSpec {
                    name: "保守契約の更新".into(),
                    value: money(2_500_000.0, "JPY"),
                    ..open_deal(fixed(0xd062), clock, 4, 35)
                },
            ],
        ),
        (
            account(ARKTIKA_ID, ARKTIKA_NAME, 10),
            one_deal(
                0xd071,
                "Cold-chain sensors for Murmansk",
                money(64_000.0, "EUR"),
                9,
            ),
        ),
        (
            account(HELLENIC_ID, HELLENIC_NAME, 10),
            one_deal(
                0xd081,
                "Fleet telematics for 12 vessels",
                money(150_000.0, "EUR"),
                3,
            ),
        ),
        (
            account(ARABIC_ID, ARABIC_NAME, 10),
            one_deal(
                0xd091,
                "Water filters for Dubai offices",
                money(40_000.0, "USD"),
                5,
            ),
        ),
        (
            account(ADVENTURE_WORKS_ID, ADVENTURE_WORKS_NAME, 6),
            adventure_works,
        ),
        (account(LITWARE_ID, LITWARE_NAME, 8), litware),
        (
            account(NOD_PUBLISHERS_ID, NOD_PUBLISHERS_NAME, 5),
            nod_publishers,
        ),
        (
            // Modified later than any generated namesake, so its name finds it.
            customer(
                ADATUM_BANK_ID,
                ADATUM_BANK_NAME,
                CustomerType::Account,
                clock.days_ago(1, 23),
            ),
            adatum_bank,
        ),
        (
            account(TAILSPIN_TOYS_ID, TAILSPIN_TOYS_NAME, 2),
            one_deal(
                0xd0c1,
                "Toy kiosks for the newer Tailspin",
                money(20_000.0, "USD"),
                2,
            ),
        ),
        (
            account(TAILSPIN_TOYS_OLDER_ID, TAILSPIN_TOYS_NAME, 200),
            one_deal(
                0xd0d1,
                "Toy kiosks for the older Tailspin",
                money(20_000.0, "USD"),
                2,
            ),
        ),
        (
            customer(
                TAILSPIN_TOYS_CONTACT_ID,
                TAILSPIN_TOYS_NAME,
                CustomerType::Contact,
                clock.days_ago(1, 12),
            ),
            one_deal(
                0xd0e1,
                "Toy kiosks for the Tailspin contact",
                money(20_000.0, "USD"),
                2,
            ),
        ),
    ]
}

fn customer(id: Guid, name: &str, kind: CustomerType, modified_on: NaiveDateTime) -> CustomerSpec {
    CustomerSpec {
        id,
        name: name.to_owned(),
        kind,
        modified_on,
    }
}

fn money(amount: f64, currency: &str) -> Option<Money> {
    Some(Money {
        amount,
        currency: currency.to_owned(),
    })
}

/// An open deal with plain defaults; each fixture overrides what it is about.
fn open_deal(id: Guid, clock: Clock, owner: usize, created_days_ago: i64) -> DealSpec {
    let owner: Owner = OWNERS[owner];
    DealSpec {
        id,
        name: String::new(),
        state: DealState::Open,
        value: None,
        close_date: Some(clock.date(60)),
        probability: Some(50),
        stage: Some("Develop"),
        forecast: Some(100_000_001),
        competitor: None,
        owner: Some(owner),
        created_on: clock.days_ago(created_days_ago, 9),
        with_summary: true,
        activities: Vec::new(),
    }
}
