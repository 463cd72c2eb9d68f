// A stand-in backend in Node: serves the built widget and a `config.json` pointing `apiBase` at
// itself, and answers `/api/DealSummary` with a handler the test gives. Used for the sample
// Azure Function's plain-text shape and for states the real server cannot be made to show on
// demand (a slow answer, an upstream failure).

import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import path from "node:path";

import { WIDGET_DIR } from "./server.mjs";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".wasm": "application/wasm",
  ".css": "text/css",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".ico": "image/x-icon",
};

/**
 * @param {(url: URL, request: import("node:http").IncomingMessage, response: import("node:http").ServerResponse) => void | Promise<void>} dealSummary
 * @returns {Promise<{origin: string, requests: URL[], close: () => Promise<void>}>}
 */
export async function startStaticBackend(dealSummary) {
  const requests = [];
  let origin = "";
  const server = createServer(async (request, response) => {
    const url = new URL(request.url, origin);
    try {
      if (url.pathname === "/api/DealSummary") {
        requests.push(url);
        await dealSummary(url, request, response);
        return;
      }
      if (url.pathname === "/config.json") {
        response.writeHead(200, { "Content-Type": "application/json" });
        response.end(JSON.stringify({ apiBase: `${origin}/api` }));
        return;
      }
      const relative = url.pathname === "/" ? "index.html" : decodeURIComponent(url.pathname.slice(1));
      const file = path.resolve(WIDGET_DIR, relative);
      if (!file.startsWith(path.resolve(WIDGET_DIR) + path.sep)) throw Object.assign(new Error("outside"), { code: "ENOENT" });
      const body = await readFile(file);
      response.writeHead(200, { "Content-Type": TYPES[path.extname(file)] ?? "application/octet-stream" });
      response.end(body);
    } catch (error) {
      if (!response.headersSent) response.writeHead(error.code === "ENOENT" ? 404 : 500, { "Content-Type": "text/plain" });
      response.end(error.code === "ENOENT" ? "not found" : String(error));
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The sample Azure Function (reference/000_*.txt): `GET /api/DealSummary?customerName=` answers
 * the top opportunity's summary as text/plain, whatever the Accept header; it knows no other
 * parameter.
 */
export function sampleFunction(summaries) {
  return (url, _request, response) => {
    const name = url.searchParams.get("customerName");
    if (!name) {
      response.writeHead(400, { "Content-Type": "text/plain; charset=utf-8" });
      response.end("Please pass a customerName on the query string");
      return;
    }
    response.writeHead(200, { "Content-Type": "text/plain; charset=utf-8" });
    response.end(summaries[name] ?? "");
  };
}
