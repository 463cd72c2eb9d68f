// The benchmark's React 19 + Fluent UI v9 baseline: fetch the same DealSummary answer the widget
// asks for, render its deals as Fluent cards, and set the mark the widget sets once the first
// card is in the document. It does less than the widget: no sign-in, no summaries, no forms.
// Query: the customer as the widget takes it, `?customerId=<guid>` or `?customerName=<name>`.

import { useEffect, useState } from "react";
import { createRoot } from "react-dom/client";
import {
  Body1,
  Caption1,
  Card,
  CardHeader,
  FluentProvider,
  RendererProvider,
  Spinner,
  Text,
  Title3,
  makeStyles,
  tokens,
  webLightTheme,
} from "@fluentui/react-components";

import { adoptedSheetsRenderer } from "./renderer.js";

const params = new URLSearchParams(window.location.search);
const query = new URLSearchParams();
for (const key of ["customerId", "customerName", "customerType"]) {
  const value = params.get(key);
  if (value) query.set(key, value);
}

const useStyles = makeStyles({
  list: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalL,
    maxWidth: "40rem",
  },
});

function money(value) {
  if (!value) return "";
  return new Intl.NumberFormat(undefined, { style: "currency", currency: value.currency }).format(value.amount);
}

function date(iso) {
  if (!iso) return "";
  return new Intl.DateTimeFormat(undefined, { dateStyle: "medium" }).format(new Date(iso));
}

function DealCard({ deal }) {
  return (
    <Card>
      <CardHeader
        header={<Text weight="semibold">{deal.name}</Text>}
        description={<Caption1>{deal.stage}</Caption1>}
      />
      <Body1>{[money(deal.value), date(deal.closeDate)].filter(Boolean).join(" · ")}</Body1>
    </Card>
  );
}

function Deals() {
  const styles = useStyles();
  const [answer, setAnswer] = useState(null);
  useEffect(() => {
    fetch(`/api/DealSummary?${query}`, { headers: { Accept: "application/json" } })
      .then((response) => response.json())
      .then(setAnswer);
  }, []);
  const deals = answer?.deals ?? [];
  useEffect(() => {
    if (deals.length > 0 && performance.getEntriesByName("dealpane:first-deal").length === 0) {
      performance.mark("dealpane:first-deal");
    }
  }, [deals.length]);
  if (!answer) return <Spinner label="Loading deals" />;
  return (
    <main className={styles.list}>
      <Title3 as="h1">{answer.customer?.name ?? ""}</Title3>
      {deals.map((deal) => (
        <DealCard key={deal.id ?? deal.name} deal={deal} />
      ))}
    </main>
  );
}

// The theme's variables on the provider's element (its own <style> is blocked: see renderer.js).
const renderer = adoptedSheetsRenderer(webLightTheme, ".fui-FluentProvider");

createRoot(document.getElementById("root")).render(
  <RendererProvider renderer={renderer}>
    <FluentProvider theme={webLightTheme}>
      <Deals />
    </FluentProvider>
  </RendererProvider>,
);
