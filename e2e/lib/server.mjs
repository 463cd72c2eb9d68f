// Starts the real dealpane-server for a test file: a free loopback port, a fresh temporary
// store, the built widget and the preview pages; stops it (and can start it again on the
// same port and store, for the "server went away and came back" test).

import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, "..", "..");

function fromRoot(value, fallback) {
  return path.resolve(ROOT, value ?? fallback);
}

export const SERVER_BIN = fromRoot(process.env.DEALPANE_SERVER_BIN, "target/debug/dealpane-server");
export const WIDGET_DIR = fromRoot(process.env.DEALPANE_WIDGET_DIR, "dist");
export const PREVIEW_DIR = path.join(ROOT, "server", "preview");

/** A port nobody listens on right now (the kernel picks it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

export function checkBuilt() {
  if (!existsSync(SERVER_BIN)) {
    throw new Error(
      `dealpane-server is not built at ${SERVER_BIN}: run \`cargo build -p dealpane-server\` or set DEALPANE_SERVER_BIN`,
    );
  }
  if (!existsSync(path.join(WIDGET_DIR, "index.html"))) {
    throw new Error(`the widget is not built in ${WIDGET_DIR}: run \`trunk build --release\` or set DEALPANE_WIDGET_DIR`);
  }
}

export class DealpaneServer {
  /**
   * @param {object} options
   * @param {string[]} [options.args] extra command-line settings (e.g. `--summaries false`)
   * @param {Record<string,string>} [options.env] extra environment
   * @param {number} [options.sampleSize] customers generated into the store
   */
  constructor({ args = [], env = {}, sampleSize = 300 } = {}) {
    this.args = args;
    this.env = env;
    this.sampleSize = sampleSize;
    this.dir = mkdtempSync(path.join(tmpdir(), "dealpane-e2e-"));
    this.store = path.join(this.dir, "sales.sqlite");
    this.port = null;
    this.child = null;
    this.log = [];
  }

  get origin() {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts the server and waits until `/api/health` answers 200. */
  async start() {
    checkBuilt();
    this.port ??= await freePort();
    const child = spawn(
      SERVER_BIN,
      [
        "--port", String(this.port),
        "--store", this.store,
        "--sample-size", String(this.sampleSize),
        "--widget-dir", WIDGET_DIR,
        "--preview-dir", PREVIEW_DIR,
        ...this.args,
      ],
      { cwd: ROOT, env: { ...process.env, RUST_LOG: "warn", ...this.env }, stdio: ["ignore", "pipe", "pipe"] },
    );
    this.child = child;
    const keep = (chunk) => {
      this.log.push(chunk.toString());
      if (this.log.length > 200) this.log.shift();
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
    this.exited = exited;
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      const early = await Promise.race([exited, new Promise((r) => setTimeout(() => r(null), 150))]);
      if (early) {
        throw new Error(`dealpane-server exited (${JSON.stringify(early)}) before answering:\n${this.log.join("")}`);
      }
      try {
        const response = await fetch(`${this.origin}/api/health`);
        if (response.status === 200) return this;
      } catch {
        // not listening yet
      }
    }
    await this.stop();
    throw new Error(`dealpane-server did not answer /api/health within 90 s:\n${this.log.join("")}`);
  }

  /** Stops the process (SIGTERM, then SIGKILL after 5 s); the store stays for a restart. */
  async stop() {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    await this.exited;
    clearTimeout(timer);
    this.child = null;
  }

  /** Stops the server and deletes its temporary store. */
  async dispose() {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  async json(pathAndQuery) {
    const response = await fetch(`${this.origin}${pathAndQuery}`, { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`${pathAndQuery}: ${response.status} ${await response.text()}`);
    return response.json();
  }
}
