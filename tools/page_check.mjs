// Accessibility and screenshot check of pages served by a running site, in headless Chromium.
//
// For each path: loads it, runs axe-core (WCAG 2.0/2.1/2.2 A and AA rules), saves a
// screenshot, and records console errors, Content Security Policy violations and requests
// to any other host. Exits 1 when any page has a serious or critical axe finding, a
// console error, a CSP violation, or a request to another host.
//
//   node --experimental-websocket tools/page_check.mjs http://127.0.0.1:8000 \
//       --out /tmp/pages --width 1280 [--session SESSIONID] / /framework/ /calculator/
//
// --session sets Django's sessionid cookie, to check pages as a signed-in user.
// --axe off skips the accessibility check (for pages that are not ours to fix, such as the
// Django admin or the API docs), keeping the others.
// Environment: CHROMIUM (default "chromium"), DEBUG_PORT (default 9241).

import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const args = process.argv.slice(2);
const base = args.shift();
const options = { out: "page-check", width: "1280", height: "1600", session: "", axe: "on" };
const paths = [];
while (args.length) {
  const arg = args.shift();
  if (arg.startsWith("--")) options[arg.slice(2)] = args.shift();
  else paths.push(arg);
}
if (!base || paths.length === 0) {
  console.error("usage: page_check.mjs BASE_URL [--out DIR] [--width PX] [--session ID] PATH...");
  process.exit(2);
}
if (typeof WebSocket === "undefined") {
  console.error("No WebSocket in this Node.js: run it with --experimental-websocket (Node 20).");
  process.exit(2);
}

const here = dirname(fileURLToPath(import.meta.url));
const axeSource = readFileSync(join(here, "..", "node_modules", "axe-core", "axe.min.js"), "utf8");
const chromium = process.env.CHROMIUM || "chromium";
const port = Number(process.env.DEBUG_PORT || 9241);
const site = new URL(base);
mkdirSync(options.out, { recursive: true });

const profile = mkdtempSync(join(tmpdir(), "page-check-"));
const browser = spawn(
  chromium,
  [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-default-apps", "--disable-sync", "--no-first-run",
    "--hide-scrollbars", `--window-size=${options.width},${options.height}`,
    `--remote-debugging-port=${port}`, `--user-data-dir=${profile}`, "about:blank",
  ],
  { stdio: ["ignore", "ignore", "ignore"] },
);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function pageSocketUrl() {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    try {
      const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
      const page = targets.find((t) => t.type === "page");
      if (page) return page.webSocketDebuggerUrl;
    } catch {
      // still starting
    }
    await sleep(100);
  }
  throw new Error("Chromium did not start");
}

let nextId = 0;
const pending = new Map();
const events = [];
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
      } else if (message.method) {
        events.push(message);
      }
    });
  });
}
function send(socket, method, params = {}) {
  const id = (nextId += 1);
  socket.send(JSON.stringify({ id, method, params }));
  return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
}
async function evaluate(socket, expression) {
  const result = await send(socket, "Runtime.evaluate", {
    expression, returnByValue: true, awaitPromise: true,
  });
  if (result.exceptionDetails) throw new Error(result.exceptionDetails.text);
  return result.result.value;
}

let failed = false;
try {
  const socket = await connect(await pageSocketUrl());
  await send(socket, "Page.enable");
  await send(socket, "Network.enable");
  await send(socket, "Runtime.enable");
  await send(socket, "Log.enable");
  // Record every CSP violation the page meets, from before its first script runs. Scripts
  // added this way are the browser's own, which the page's policy does not apply to.
  await send(socket, "Page.addScriptToEvaluateOnNewDocument", {
    source: `window.__cspViolations = [];
      document.addEventListener("securitypolicyviolation", (e) => window.__cspViolations.push(
        e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " at "
        + (e.sourceFile || "") + ":" + e.lineNumber));`,
  });
  if (options.session) {
    await send(socket, "Network.setCookie", {
      name: "sessionid", value: options.session, domain: site.hostname, path: "/",
    });
  }
  for (const path of paths) {
    events.length = 0;
    const url = new URL(path, base).toString();
    await send(socket, "Page.navigate", { url });
    for (let i = 0; i < 100; i += 1) {
      await sleep(100);
      if (events.some((e) => e.method === "Page.loadEventFired")) break;
    }
    await sleep(800);
    const results = options.axe === "off" ? [] : await evaluate(
      socket,
      `(async () => { ${axeSource};
        const r = await axe.run(document, { runOnly: { type: "tag", values:
          ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] } });
        return r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
          nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ")) })); })()`,
    );
    const serious = results.filter((v) => v.impact === "serious" || v.impact === "critical");
    const others = results.filter((v) => !serious.includes(v));
    const foreign = events
      .filter((e) => e.method === "Network.requestWillBeSent")
      .map((e) => new URL(e.params.request.url))
      .filter((u) => u.protocol.startsWith("http") && u.host !== site.host)
      .map((u) => u.href);
    const errors = events
      .filter((e) => (e.method === "Runtime.consoleAPICalled" && e.params.type === "error")
        || e.method === "Runtime.exceptionThrown"
        || (e.method === "Log.entryAdded" && e.params.entry.source === "security"))
      .map((e) => JSON.stringify(e.params).slice(0, 300));
    const violations = await evaluate(socket, "window.__cspViolations || []");
    const name = path.replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "") || "home";
    const { data } = await send(socket, "Page.captureScreenshot", {
      format: "png", captureBeyondViewport: false,
    });
    writeFileSync(join(options.out, `${name}-${options.width}.png`), Buffer.from(data, "base64"));
    const ok = serious.length === 0 && foreign.length === 0 && errors.length === 0
      && violations.length === 0;
    failed ||= !ok;
    console.log(`${ok ? "ok  " : "FAIL"} ${path}  axe serious/critical: ${serious.length}, `
      + `minor/moderate: ${others.length}, other hosts: ${foreign.length}, console errors: ${errors.length}, `
      + `CSP violations: ${violations.length}`);
    for (const v of serious) console.log(`     ${v.impact}: ${v.id} — ${v.help} — ${v.nodes.join(" | ")}`);
    for (const v of others) console.log(`     (${v.impact}) ${v.id} — ${v.help} — ${v.nodes.join(" | ")}`);
    for (const u of foreign) console.log(`     request to another host: ${u}`);
    for (const e of errors) console.log(`     console: ${e}`);
    for (const v of violations) console.log(`     CSP: ${v}`);
  }
} catch (error) {
  console.error(error);
  failed = true;
} finally {
  browser.kill();
  await sleep(300);
  try {
    rmSync(profile, { recursive: true, force: true });
  } catch {
    // Chromium may still be writing its profile; it is a temporary folder.
  }
}
process.exit(failed ? 1 : 0);
