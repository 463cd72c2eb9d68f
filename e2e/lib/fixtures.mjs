// The embedded store's fixture customers, at the fixed GUIDs every store holds
// (server/src/source/embedded/fixtures.rs; tests/preview.test.mjs checks they still match).

const fixed = (n) => `0d1af1c5-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;

export const CONTOSO = {
  id: "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
  name: "Contoso Pharmaceuticals",
  type: "account",
  openDealNames: [
    "Espresso machines for 4 sites",
    "Cold-chain monitoring renewal",
    "Lab refrigerator service contract",
    "Visitor check-in kiosks",
    "Warehouse barcode scanners",
    "Tablet pilot for field reps",
  ],
  /** Those Alex Wu owns: all he reads as a Sales user (`--sales-identity agent`). */
  alexWuDealNames: ["Espresso machines for 4 sites", "Visitor check-in kiosks"],
};
/** All deals won or lost: no open deal. */
export const FABRIKAM = { id: fixed(0xa002), name: "Fabrikam Residences", type: "account" };
/** No deals at all. */
export const NORTHWIND = { id: fixed(0xa003), name: "Northwind Traders", type: "account" };
/** A contact with an apostrophe, two open deals. */
export const AOIFE = { id: fixed(0xc004), name: "Aoife O'Brien", type: "contact", openDeals: 2 };
export const COTE_DAZUR = { id: fixed(0xa005), name: "Côte d'Azur Logistique", type: "account" };
/** Two open deals; the top one's summary fails (shown as unavailable). */
export const LITWARE = {
  id: fixed(0xa00b),
  name: "Litware, Inc.",
  type: "account",
  dealWithoutSummary: fixed(0xd0b1),
  dealWithSummary: fixed(0xd0b2),
};
/** A customer no store holds. */
export const UNKNOWN = { id: "0d15ea5e-0000-4000-8000-00000000c0de", name: "Walk-in customer (not in Sales)" };
/**
 * Open deals in four currencies, the base currency USD: by raw amount the yen deal
 * (¥9,800,000 ≈ $65,333) is the largest, by base value the smallest. Deals in the server's
 * order (highest base value first). Its name ends with a period.
 */
export const ADATUM = {
  id: fixed(0xa00f),
  name: "Adatum Bank S.A.",
  type: "account",
  baseCurrency: "USD",
  openDealNames: [
    "Teller terminals for 40 branches",
    "Branch coffee service in Spain",
    "London office visitor kiosks",
    "Tokyo branch espresso machines",
  ],
  topDeal: fixed(0xd0f1),
  yenDeal: fixed(0xd0f4),
};
/** Exactly eight open deals, each with a summary to make: the progressive-loading scenario. */
export const NOD_PUBLISHERS = { id: fixed(0xa010), name: "Nod Publishers", type: "account", openDeals: 8 };
