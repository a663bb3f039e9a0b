// Drives GraphiQL in headless Chromium the way a journalist on an air-gapped machine would:
// every request to a host other than the server is refused (at DNS and again in the page),
// then it opens the page, reads the example tabs, presses the run button on the flagship tab,
// reads the answer off the page, does the same on the search tab, and opens the docs explorer
// on `Query`. Prints one JSON object on standard output for the Rust test to check.
//
// Usage: NODE_PATH=<folder>/node_modules node graphiql.cjs <page URL> <screenshot.png>
// Needs playwright-core from npm and Debian's chromium (CHROMIUM overrides its path).

const fs = require("fs");
const os = require("os");
const path = require("path");
const { chromium } = require("playwright-core");

const [url, screenshot] = process.argv.slice(2);

// The answer in the result pane: CodeMirror keeps the whole text, the DOM only what is shown.
function readResult() {
  const pane = document.querySelector(".result-window .CodeMirror");
  if (pane && pane.CodeMirror) return pane.CodeMirror.getValue();
  const window = document.querySelector(".result-window");
  return window ? window.innerText : "";
}

// Presses the run button and waits until the answer names the field `field`.
async function run(page, field) {
  await page.click(".graphiql-execute-button");
  await page.waitForFunction(
    ([read, field]) => new Function(`return (${read})()`)().includes(`"${field}"`),
    [readResult.toString(), field],
    { timeout: 30000 }
  );
  return page.evaluate(readResult);
}

(async () => {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "nkhr-chromium-"));
  // A fresh, empty profile: Playwright passes it as --user-data-dir.
  const browser = await chromium.launchPersistentContext(profile, {
    viewport: { width: 1400, height: 900 },
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      // No name resolves but the server's own address: the network is as good as unplugged.
      `--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE ${new URL(url).hostname}`,
    ],
  });
  try {
    const page = await browser.newPage();
    const origin = new URL(url).origin;
    const elsewhere = [];
    page.on("request", (request) => {
      const target = request.url();
      if (!target.startsWith(origin) && !target.startsWith("data:")) elsewhere.push(target);
    });
    // And whatever still tries to leave is refused before it reaches the network.
    await browser.route("**/*", (route) => {
      const target = route.request().url();
      if (target.startsWith(origin) || target.startsWith("data:")) return route.continue();
      return route.abort("internetdisconnected");
    });
    await page.goto(url, { waitUntil: "load" });
    await page.waitForSelector(".graphiql-execute-button", { timeout: 30000 });
    const tabs = await page.$$eval(".graphiql-tab", (nodes) => nodes.map((n) => n.innerText.trim()));

    const flagship = await run(page, "measure");
    fs.mkdirSync(path.dirname(screenshot), { recursive: true });
    await page.screenshot({ path: screenshot });

    await page.locator(".graphiql-tab", { hasText: "Search" }).click();
    const search = await run(page, "search");
    await page.screenshot({ path: screenshot.replace(/\.png$/, "-search.png") });

    // The docs explorer: its root types, then `Query` with its fields. GraphiQL fetches the
    // schema with the standard introspection query, so this fails if the server refuses it.
    await page.click('.graphiql-sidebar button[aria-label="Show Documentation Explorer"]');
    await page.locator(".graphiql-doc-explorer a.graphiql-doc-explorer-type-name", { hasText: /^Query$/ }).first().click();
    await page.waitForFunction(
      () => document.querySelector(".graphiql-doc-explorer-title")?.innerText.trim() === "Query",
      null,
      { timeout: 30000 }
    );
    const docs = await page.evaluate(() => ({
      title: document.querySelector(".graphiql-doc-explorer-title").innerText.trim(),
      fields: [...document.querySelectorAll(".graphiql-doc-explorer-content .graphiql-doc-explorer-field-name")].map(
        (node) => node.innerText.trim()
      ),
    }));
    await page.screenshot({ path: screenshot.replace(/\.png$/, "-docs.png") });

    process.stdout.write(JSON.stringify({ title: await page.title(), tabs, flagship, search, docs, elsewhere }));
  } catch (error) {
    // What the page showed when it went wrong, next to the screenshot.
    const pages = browser.pages();
    if (pages.length) await pages[pages.length - 1].screenshot({ path: screenshot.replace(/\.png$/, "-failure.png") });
    throw error;
  } finally {
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
