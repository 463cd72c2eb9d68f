// The usual start of a test file: one dealpane-server on a fresh store and one headless
// Chromium, both stopped when the file's tests are done.

import { after } from "node:test";

import { launch } from "./browser.mjs";
import { DealpaneServer } from "./server.mjs";

/** Use with top-level await: `const { server, browser } = await startServerAndBrowser();` */
export async function startServerAndBrowser(options) {
  const server = await new DealpaneServer(options).start();
  let browser;
  try {
    browser = await launch();
  } catch (error) {
    await server.dispose();
    throw error;
  }
  after(async () => {
    await browser.close();
    await server.dispose();
  });
  return { server, browser };
}
