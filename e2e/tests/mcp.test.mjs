// /mcp with the official MCP TypeScript SDK client, as Copilot Studio's MCP client talks to
// it: initialize, list the tools, call each one (the writes reach the embedded store), the
// error cases, and the key and Origin refusals. Every structuredContent is checked against the tool's declared outputSchema (the
// SDK checks it too, in callTool). No browser: the server's embedded store is enough.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";

import { CONTOSO } from "../lib/fixtures.mjs";
import { DealpaneServer } from "../lib/server.mjs";

const KEY = "e2e-mcp-key";

/** An SDK client connected to `server`'s /mcp with these request headers. */
async function connect(server, headers = { "x-functions-key": KEY }) {
  const transport = new StreamableHTTPClientTransport(new URL(`${server.origin}/mcp`), {
    requestInit: { headers },
  });
  const client = new Client({ name: "dealpane-e2e", version: "1.0.0" });
  await client.connect(transport);
  return { client, transport };
}

/** One raw JSON-RPC POST, for what the SDK does not let a test choose (version, headers). */
async function post(server, message, headers = {}) {
  return fetch(`${server.origin}/mcp`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      "x-functions-key": KEY,
      ...headers,
    },
    body: JSON.stringify(message),
  });
}

const validator = new AjvJsonSchemaValidator();

function assertConforms(tool, structured) {
  assert.ok(tool.outputSchema, `${tool.name} declares an outputSchema`);
  const result = validator.getValidator(tool.outputSchema)(structured);
  assert.ok(result.valid, `${tool.name}: ${result.errorMessage}`);
}

describe("/mcp with the MCP TypeScript SDK", () => {
  const server = new DealpaneServer({ args: ["--function-key", KEY] });
  let client;
  let transport;
  let tools;

  before(async () => {
    await server.start();
    ({ client, transport } = await connect(server));
    tools = new Map((await client.listTools()).tools.map((tool) => [tool.name, tool]));
  });

  after(async () => {
    await client?.close();
    await server.dispose();
  });

  test("initialize: dealpane's name, tools, instructions, the SDK's latest version, no session", async () => {
    assert.equal(client.getServerVersion().name, "dealpane");
    assert.ok(client.getServerCapabilities().tools);
    assert.match(client.getInstructions(), /search_customers/);
    assert.equal(transport.protocolVersion, "2025-11-25");
    assert.equal(transport.sessionId, undefined, "stateless: no Mcp-Session-Id");
  });

  test("initialize with 2025-06-18 answers 2025-06-18", async () => {
    const response = await post(server, {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
    });
    assert.equal(response.status, 200);
    const body = await response.json();
    assert.equal(body.result.protocolVersion, "2025-06-18");
  });

  test("tools/list: the four tools with input and output schemas", async () => {
    assert.deepEqual([...tools.keys()].sort(), ["get_customer_deals", "notify_deal_owner", "search_customers", "suggest_deal"]);
    for (const name of ["get_customer_deals", "search_customers"]) {
      const tool = tools.get(name);
      assert.ok(tool, `${name} is listed`);
      assert.equal(tool.inputSchema.type, "object");
      assert.equal(tool.outputSchema.type, "object");
      assert.equal(tool.annotations.readOnlyHint, true);
      assert.ok(tool.description.length > 40, "a description the model can choose by");
    }
    assert.deepEqual(tools.get("search_customers").inputSchema.required, ["prefix"]);
  });

  test("get_customer_deals: the JSON API's deals as structuredContent, one paragraph per deal", async () => {
    const result = await client.callTool({
      name: "get_customer_deals",
      arguments: { customerId: CONTOSO.id, customerName: CONTOSO.name, top: 3 },
    });
    assert.notEqual(result.isError, true);
    assertConforms(tools.get("get_customer_deals"), result.structuredContent);
    const api = await fetch(
      `${server.origin}/api/DealSummary?customerId=${CONTOSO.id}&customerName=${encodeURIComponent(CONTOSO.name)}&top=3`,
      { headers: { accept: "application/json", "x-functions-key": KEY } },
    ).then((r) => r.json());
    const structured = result.structuredContent;
    assert.deepEqual(structured.customer, api.customer);
    assert.deepEqual(
      structured.deals.map((d) => [d.id, d.name, d.stage]),
      api.deals.map((d) => [d.id, d.name, d.stage]),
    );
    assert.equal(structured.deals.length, 3);

    const [text] = result.content;
    assert.equal(text.type, "text");
    const paragraphs = text.text.split("\n\n");
    assert.match(paragraphs[0], new RegExp(`^${CONTOSO.name} \\(account ${CONTOSO.id}\\) has 3 open deals`));
    assert.equal(paragraphs.length, 4, "a header and three deals");
    structured.deals.forEach((deal, i) => {
      const paragraph = paragraphs[i + 1];
      assert.ok(paragraph.startsWith(`${deal.name}: stage `), paragraph);
      if (deal.owner) assert.ok(paragraph.includes(`owner ${deal.owner}`), paragraph);
      if (deal.closeDate) assert.ok(paragraph.includes(`closes ${deal.closeDate}`), paragraph);
      const oneLine = (text) => text.split(/\s+/).filter(Boolean).join(" ");
      if (deal.summary.state === "ready") assert.ok(paragraph.includes(`Summary: ${oneLine(deal.summary.text)}`), paragraph);
      if (deal.summary.state === "pending") assert.match(paragraph, /Summary: pending/);
    });
  });

  test("search_customers: names, types and ids", async () => {
    const result = await client.callTool({ name: "search_customers", arguments: { prefix: CONTOSO.name.slice(0, 6), top: 5 } });
    assertConforms(tools.get("search_customers"), result.structuredContent);
    const found = result.structuredContent.customers.find((c) => c.id === CONTOSO.id);
    assert.ok(found, "Contoso is found by its first letters");
    assert.ok(result.content[0].text.includes(`${CONTOSO.name} (account ${CONTOSO.id}`));
  });

  test("notify_deal_owner: a Sales task once per idempotencyKey, listed with the deal's notes", async () => {
    const deals = await client.callTool({ name: "get_customer_deals", arguments: { customerId: CONTOSO.id, top: 1 } });
    const dealId = deals.structuredContent.deals[0].id;
    const args = { dealId, message: "Asked about grinders for the new site.", caseId: CONTOSO.id, idempotencyKey: `e2e-${Date.now()}` };
    const first = await client.callTool({ name: "notify_deal_owner", arguments: args });
    assert.notEqual(first.isError, true, JSON.stringify(first.content));
    assertConforms(tools.get("notify_deal_owner"), first.structuredContent);
    assert.equal(first.structuredContent.message, args.message);
    assert.match(first.content[0].text, /^Sent to .+ as a Sales task on the deal/);
    const again = await client.callTool({ name: "notify_deal_owner", arguments: args });
    assert.equal(again.structuredContent.id, first.structuredContent.id, "the same task, not a second one");
    assert.match(again.content[0].text, /nothing new was created/);
    const notes = await fetch(`${server.origin}/api/deals/${dealId}/notes`, { headers: { "x-functions-key": KEY } }).then((r) => r.json());
    assert.equal(notes.notes.filter((n) => n.message === args.message).length, 1);
    const hints = tools.get("notify_deal_owner").annotations;
    assert.deepEqual([hints.readOnlyHint, hints.destructiveHint, hints.idempotentHint], [false, false, true]);
  });

  test("suggest_deal: a Sales lead for the customer", async () => {
    const result = await client.callTool({
      name: "suggest_deal",
      arguments: {
        customerId: CONTOSO.id,
        customerType: "account",
        topic: "Grinders for the new site",
        description: "Mentioned while reporting a broken espresso machine.",
        estimatedValue: { amount: 12000, currency: "USD" },
        idempotencyKey: `e2e-lead-${Date.now()}`,
      },
    });
    assert.notEqual(result.isError, true, JSON.stringify(result.content));
    assertConforms(tools.get("suggest_deal"), result.structuredContent);
    assert.match(result.content[0].text, new RegExp(`lead ${result.structuredContent.id}`));
  });

  test("an unknown customer is a tool error with a next step", async () => {
    const result = await client.callTool({ name: "get_customer_deals", arguments: { customerName: "Nobody At All Ltd" } });
    assert.equal(result.isError, true);
    assert.match(result.content[0].text, /No account or contact named 'Nobody At All Ltd'/);
    assert.match(result.content[0].text, /search_customers/);
  });

  test("invalid arguments are JSON-RPC invalid params (-32602)", async () => {
    for (const [name, args, says] of [
      ["get_customer_deals", {}, /customerId or customerName/],
      ["get_customer_deals", { customerName: "Contoso", top: 0 }, /top/],
      ["get_customer_deals", { customerId: "not-a-guid" }, /not a GUID/],
      ["search_customers", { top: 2 }, /prefix/],
      ["notify_deal_owner", { dealId: "nope", message: "hi" }, /dealId/],
      ["suggest_deal", { customerId: CONTOSO.id, customerType: "account", topic: " " }, /topic/],
    ]) {
      await assert.rejects(
        client.callTool({ name, arguments: args }),
        (error) => error instanceof McpError && error.code === ErrorCode.InvalidParams && says.test(error.message),
        `${name} ${JSON.stringify(args)}`,
      );
    }
  });

  test("no key: 401; a wrong key: 401", async () => {
    for (const headers of [{}, { "x-functions-key": "wrong" }]) {
      await assert.rejects(connect(server, headers), (error) => error.code === 401, JSON.stringify(headers));
    }
  });

  test("an Origin from another site: 403, even with the key; no Origin (server to server) passes", async () => {
    await assert.rejects(
      connect(server, { "x-functions-key": KEY, origin: "https://evil.example" }),
      (error) => error.code === 403,
    );
    const ping = { jsonrpc: "2.0", id: 2, method: "ping" };
    assert.equal((await post(server, ping, { origin: "https://evil.example" })).status, 403);
    assert.equal((await post(server, ping)).status, 200);
  });

  test("the custom connector file marks /mcp as an MCP server for Copilot Studio", async () => {
    const doc = await fetch(`${server.origin}/api/mcp/connector.swagger.json`).then((r) => r.json());
    assert.equal(doc.swagger, "2.0");
    assert.equal(doc.paths["/mcp"].post["x-ms-agentic-protocol"], "mcp-streamable-1.0");
    assert.equal(doc.securityDefinitions.function_key.name, "x-functions-key");
  });
});
