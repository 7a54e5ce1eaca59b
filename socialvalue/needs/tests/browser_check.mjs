// Browser check of the local needs map, in headless Chromium, through the DevTools protocol.
//
// Loads /needs/ from a running server, waits for the map, selects a neighbourhood, switches
// to the district view, and reports every request the page makes (by host), every console
// message and every script error. Saves screenshots. Exits 1 when the map does not draw,
// when anything is logged as an error, or when a request goes to another host.
//
// Run it against a development server (Node 20 needs --experimental-websocket; Node 22+ has
// WebSocket built in):
//
//   DEBUG=1 SOCIALVALUE_VAR_DIR=/tmp/needsvar socialvalue bootstrap
//   DEBUG=1 SOCIALVALUE_VAR_DIR=/tmp/needsvar socialvalue runserver 127.0.0.1:8031
//   node --experimental-websocket socialvalue/needs/tests/browser_check.mjs \
//       http://127.0.0.1:8031/needs/ /tmp/needs-map.png
//
// Environment: CHROMIUM (default "chromium"), DEBUG_PORT (default 9231).

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const pageUrl = process.argv[2] || "http://127.0.0.1:8031/needs/";
const screenshotPath = process.argv[3] || "needs-map.png";
const chromium = process.env.CHROMIUM || "chromium";
const port = Number(process.env.DEBUG_PORT || 9231);
const expectedHost = new URL(pageUrl).host;

if (typeof WebSocket === "undefined") {
  console.error("No WebSocket in this Node.js: run it with --experimental-websocket (Node 20).");
  process.exit(2);
}

const profile = mkdtempSync(join(tmpdir(), "needs-browser-"));
const browser = spawn(
  chromium,
  [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--window-size=1280,1600",
    `--remote-debugging-port=${port}`,
    `--user-data-dir=${profile}`,
    "about:blank",
  ],
  { stdio: ["ignore", "ignore", "pipe"] },
);
browser.stderr.on("data", () => {});

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function pageTarget() {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    try {
      const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
      const page = targets.find((t) => t.type === "page");
      if (page) return page.webSocketDebuggerUrl;
    } catch {
      // Chromium is still starting.
    }
    await sleep(100);
  }
  throw new Error("Chromium did not start");
}

const requests = [];
const consoleMessages = [];
const problems = [];
let nextId = 0;
const pending = new Map();
const listeners = [];

function connect(url) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.addEventListener("open", () => resolve(socket));
    socket.addEventListener("error", reject);
    socket.addEventListener("message", (event) => {
      const message = JSON.parse(event.data);
      if (message.id !== undefined && pending.has(message.id)) {
        const { resolve: done, reject: fail } = pending.get(message.id);
        pending.delete(message.id);
        if (message.error) fail(new Error(message.error.message));
        else done(message.result);
        return;
      }
      for (const listener of listeners) listener(message);
    });
  });
}

function send(socket, method, params = {}) {
  const id = (nextId += 1);
  socket.send(JSON.stringify({ id, method, params }));
  return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
}

async function evaluate(socket, expression) {
  const result = await send(socket, "Runtime.evaluate", { expression, returnByValue: true, awaitPromise: true });
  if (result.exceptionDetails) throw new Error(result.exceptionDetails.text);
  return result.result.value;
}

async function waitFor(socket, expression, what, timeoutMs = 15000) {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await evaluate(socket, expression)) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function screenshot(socket, path) {
  const { data } = await send(socket, "Page.captureScreenshot", { format: "png" });
  writeFileSync(path, Buffer.from(data, "base64"));
}

let failed = false;
try {
  const socket = await connect(await pageTarget());
  listeners.push((message) => {
    const { method, params } = message;
    if (method === "Network.requestWillBeSent") {
      requests.push(params.request.url);
    } else if (method === "Network.loadingFailed" && !params.canceled) {
      problems.push(`request failed: ${params.errorText} (${params.type})`);
    } else if (method === "Network.responseReceived" && params.response.status >= 400) {
      problems.push(`HTTP ${params.response.status}: ${params.response.url}`);
    } else if (method === "Runtime.consoleAPICalled") {
      const text = params.args.map((a) => a.value ?? a.description ?? "").join(" ");
      consoleMessages.push(`${params.type}: ${text}`);
      if (params.type === "error" || params.type === "assert") problems.push(`console.${params.type}: ${text}`);
    } else if (method === "Runtime.exceptionThrown") {
      const details = params.exceptionDetails;
      problems.push(`uncaught: ${details.exception?.description || details.text}`);
    } else if (method === "Log.entryAdded") {
      consoleMessages.push(`${params.entry.level}: ${params.entry.text}`);
      if (params.entry.level === "error") problems.push(`log: ${params.entry.text} ${params.entry.url || ""}`);
    }
  });
  await send(socket, "Network.enable");
  await send(socket, "Runtime.enable");
  await send(socket, "Log.enable");
  await send(socket, "Page.enable");
  await send(socket, "Emulation.setDeviceMetricsOverride", {
    width: 1280,
    height: 1600,
    deviceScaleFactor: 1,
    mobile: false,
  });

  await send(socket, "Page.navigate", { url: pageUrl });
  await waitFor(socket, "document.getElementById('needs-map')?.dataset.ready === 'true'", "the map");
  await sleep(500);
  const drawn = await evaluate(
    socket,
    `(() => {
      const map = document.getElementById('needs-map');
      const paths = map.querySelectorAll('path.leaflet-interactive, .leaflet-overlay-pane path, .leaflet-pane path');
      const fills = new Set([...paths].map((p) => p.getAttribute('fill')).filter((f) => f && f !== 'none'));
      return { paths: paths.length, fills: [...fills].sort(), canvases: map.querySelectorAll('canvas').length };
    })()`,
  );
  console.log(`map drawn: ${drawn.paths} shapes, ${drawn.fills.length} fill colours, ${drawn.canvases} canvases`);
  if (drawn.paths < 941 + 14 || drawn.fills.length < 5) {
    problems.push(`the map is not coloured: ${JSON.stringify(drawn)}`);
  }
  await screenshot(socket, screenshotPath);
  console.log(`screenshot: ${screenshotPath}`);

  // Select a neighbourhood in the middle of the map: its pop-up lists every decile.
  const box = await evaluate(
    socket,
    `(() => { const r = document.getElementById('needs-map').getBoundingClientRect(); window.scrollTo(0, r.top + window.scrollY - 100); const s = document.getElementById('needs-map').getBoundingClientRect(); return { x: s.left + s.width / 2, y: s.top + s.height / 2 }; })()`,
  );
  for (const type of ["mousePressed", "mouseReleased"]) {
    await send(socket, "Input.dispatchMouseEvent", { type, x: box.x, y: box.y, button: "left", clickCount: 1 });
  }
  await waitFor(socket, "!!document.querySelector('.app-needs-popup')", "the pop-up", 5000);
  const popup = await evaluate(socket, "document.querySelector('.app-needs-popup').innerText");
  const popupRows = await evaluate(socket, "document.querySelectorAll('.app-needs-popup tbody tr').length");
  console.log(`pop-up: ${popup.split("\n")[0]} (${popupRows} deciles)`);
  await sleep(600); // the pop-up fades in
  if (popupRows !== 16) problems.push(`the pop-up shows ${popupRows} deciles, not 16`);
  await screenshot(socket, screenshotPath.replace(/\.png$/, "-popup.png"));

  // Another need, a district filter and the district view, without reloading the page.
  await evaluate(
    socket,
    `(() => {
      const form = document.getElementById('needs-filter');
      form.elements.domain.value = 'employment';
      form.elements.domain.dispatchEvent(new Event('change'));
      form.elements.district.value = 'E07000117';
      form.elements.district.dispatchEvent(new Event('change'));
      return true;
    })()`,
  );
  await waitFor(
    socket,
    "document.querySelector('#needs-district-table tr.app-needs-table__row--selected')?.innerText.includes('68.3%')",
    "the district table for employment",
  );
  console.log("employment in Burnley: table shows 68.3%");
  await evaluate(
    socket,
    `(() => { const r = document.querySelector('input[name=view][value=district]'); r.checked = true; r.dispatchEvent(new Event('change')); window.scrollTo(0, 0); return true; })()`,
  );
  await sleep(500);
  await screenshot(socket, screenshotPath.replace(/\.png$/, "-districts.png"));
  const address = await evaluate(socket, "location.search");
  console.log(`address after changes: ${address}`);
  socket.close();
} catch (error) {
  problems.push(`check failed: ${error.message}`);
} finally {
  browser.kill();
  await sleep(300);
  rmSync(profile, { recursive: true, force: true });
}

const hosts = new Map();
for (const url of requests) {
  const host = url.startsWith("data:") ? "data:" : new URL(url).host;
  hosts.set(host, (hosts.get(host) || 0) + 1);
}
console.log("requests by host:");
for (const [host, count] of hosts) console.log(`  ${host}: ${count}`);
const elsewhere = requests.filter((url) => !url.startsWith("data:") && new URL(url).host !== expectedHost);
for (const url of elsewhere) problems.push(`request to another host: ${url}`);
console.log(`console messages: ${consoleMessages.length}`);
for (const message of consoleMessages) console.log(`  ${message}`);
if (problems.length) {
  failed = true;
  console.log("PROBLEMS:");
  for (const problem of problems) console.log(`  ${problem}`);
} else {
  console.log("OK: map drawn, no console errors, every request to " + expectedHost);
}
process.exit(failed ? 1 : 0);
