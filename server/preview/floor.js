// The benchmark's floor: fetch the same DealSummary answer the widget asks for and write the
// same deals with plain DOM calls, then set the mark the widget sets. The widget's time to its
// first deal card divided by this page's is the cost of the framework and its download.
// Query: the customer as the widget takes it, `?customerId=<guid>` or `?customerName=<name>`.

const params = new URLSearchParams(window.location.search);
const query = new URLSearchParams();
for (const key of ["customerId", "customerName", "customerType"]) {
  const value = params.get(key);
  if (value) query.set(key, value);
}

function text(tag, content) {
  const element = document.createElement(tag);
  element.textContent = content;
  return element;
}

function money(value) {
  if (!value) return "";
  return new Intl.NumberFormat(undefined, { style: "currency", currency: value.currency }).format(value.amount);
}

const main = document.getElementById("deals");
const response = await fetch(`/api/DealSummary?${query}`, { headers: { Accept: "application/json" } });
const answer = await response.json();
main.append(text("h1", answer.customer?.name ?? ""));
for (const deal of answer.deals ?? []) {
  const card = document.createElement("article");
  card.append(text("h2", deal.name));
  card.append(text("p", [money(deal.value), deal.stage, deal.closeDate, deal.probability != null ? `${deal.probability}%` : null].filter(Boolean).join(" · ")));
  if (deal.summary?.text) card.append(text("p", deal.summary.text));
  main.append(card);
  if (main.querySelectorAll("article").length === 1) performance.mark("dealpane:first-deal");
}
