// Walks through the explorer in headless Chromium as a journalist would: the overview, a
// search for "freeze", the grant freeze's graph, the edge to the Citizens' Alliance and its
// quote, the timeline, the evidence table, and back. Every request to another host is
// refused, so the page must work from this server alone. Each /graphql request is recorded
// with what it cost, and then sent again as a GraphiQL user would send it (the document's
// text), so the Rust test can compare the two. Prints one JSON object on standard output.
//
// Usage: NODE_PATH=<folder>/node_modules node explore.cjs <server origin> <screenshot prefix>
// Needs playwright-core from npm and Debian's chromium (CHROMIUM overrides its path).

const fs = require("fs");
const os = require("os");
const path = require("path");
const { chromium } = require("playwright-core");

const [origin, prefix] = process.argv.slice(2);
const ALLIANCE = "Citizens’ Alliance for North Korean Human Rights";
const FREEZE = "Freeze on U.S. State Department grants for aid organizations";

(async () => {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "nkhr-chromium-"));
  const browser = await chromium.launchPersistentContext(profile, {
    viewport: { width: 1400, height: 1000 },
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const report = { steps: {}, requests: [], elsewhere: [], consoleErrors: [] };
  const shot = async (page, name) => {
    fs.mkdirSync(path.dirname(prefix), { recursive: true });
    await page.screenshot({ path: `${prefix}${name}.png`, fullPage: true });
  };
  try {
    // The network is this server alone.
    await browser.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith(origin) || url.startsWith("data:")) return route.continue();
      report.elsewhere.push(url);
      return route.abort();
    });
    const page = await browser.newPage();
    page.on("console", (message) => message.type() === "error" && report.consoleErrors.push(message.text()));
    page.on("pageerror", (error) => report.consoleErrors.push(String(error)));
    let step = "overview";
    page.on("response", async (response) => {
      const request = response.request();
      if (!request.url().startsWith(`${origin}/graphql`)) return;
      const body = request.postDataJSON() ?? {};
      report.requests.push({
        step,
        method: request.method(),
        operation: body.operationName,
        variables: body.variables ?? {},
        sentText: typeof body.query === "string",
        hash: body.extensions?.persistedQuery?.sha256Hash ?? null,
        cost: Number(response.headers()["ratelimit-cost"]),
        status: response.status(),
      });
    });

    await page.goto(`${origin}/explore`, { waitUntil: "load" });
    await page.waitForSelector(".overview h1", { timeout: 30000 });
    report.steps.overview = {
      title: await page.title(),
      heading: await page.textContent("h1"),
      best: await page.$$eval(".best li a", (links) => links.map((a) => a.textContent)),
      yearBars: await page.$$eval(".figure svg rect", (rects) => rects.length),
      tables: await page.$$eval(".overview table caption", (captions) => captions.map((c) => c.textContent)),
    };
    await shot(page, "overview");

    step = "search";
    await page.fill("#q", "freeze");
    await page.press("#q", "Enter");
    await page.waitForSelector(".hits .hit", { timeout: 30000 });
    report.steps.search = {
      url: page.url(),
      hits: await page.$$eval(".hits .hit h2", (hs) => hs.map((h) => h.textContent)),
    };
    await shot(page, "search");

    step = "graph";
    await page.click(`.hits a:text-is("${FREEZE}")`);
    await page.waitForSelector(".canvas[data-drawn]", { timeout: 30000 });
    report.steps.graph = {
      url: page.url(),
      heading: await page.textContent("h1"),
      editorsLabel: await page.textContent(".description h2"),
      drawnLabels: await page.evaluate(() => window.explorerGraph.nodes().map((n) => n.data("label"))),
      drawnEdgeLabels: await page.evaluate(() => window.explorerGraph.edges().map((e) => e.data("label"))),
      canvases: await page.$$eval(".canvas canvas", (canvases) => canvases.length),
      tableRows: await page.$$eval("table.edges tbody tr", (rows) => rows.length),
    };
    await shot(page, "graph");

    // Click the edge to the Citizens' Alliance where it is drawn on the canvas.
    step = "edge";
    const point = await page.evaluate((alliance) => {
      const cy = window.explorerGraph;
      const edge = cy.edges().filter((e) => e.target().data("label") === alliance)[0];
      const { x, y } = edge.renderedMidpoint();
      const box = cy.container().getBoundingClientRect();
      return { x: box.left + x, y: box.top + y, id: edge.id() };
    }, ALLIANCE);
    await page.mouse.click(point.x, point.y);
    await page.waitForSelector(".panel blockquote", { timeout: 30000 });
    report.steps.edge = {
      url: page.url(),
      edgeId: point.id,
      heading: await page.textContent(".panel h2"),
      quotes: await page.$$eval(".panel blockquote", (qs) => qs.map((q) => q.textContent)),
      citations: await page.$$eval(".panel .citation", (cs) => cs.map((c) => c.textContent)),
    };
    await shot(page, "graph-edge");

    step = "timeline";
    await page.click('.tabs a:text-is("Timeline")');
    await page.waitForSelector(".timeline-view svg", { timeout: 30000 });
    report.steps.timeline = {
      url: page.url(),
      years: await page.$$eval(".timeline rect.mark.year", (marks) => marks.length),
      months: await page.$$eval(".timeline rect.mark.month", (marks) => marks.length),
      days: await page.$$eval(".timeline circle.mark.day", (marks) => marks.length),
      rows: await page.$$eval("table.timeline-table tbody tr", (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent))),
    };
    await shot(page, "timeline");

    step = "evidence";
    await page.click('.tabs a:text-is("Evidence")');
    await page.waitForSelector("table.evidence-table", { timeout: 30000 });
    await page.click("table.evidence-table button.copy");
    report.steps.evidence = {
      url: page.url(),
      headings: await page.$$eval("table.evidence-table th", (ths) => ths.map((th) => th.textContent)),
      rows: await page.$$eval("table.evidence-table tbody tr", (rows) => rows.length),
      quotes: await page.$$eval("table.evidence-table blockquote", (qs) => qs.map((q) => q.textContent)),
      copied: await page.textContent("table.evidence-table button.copy"),
    };
    await shot(page, "evidence");

    // The back button returns to the timeline, then to the graph with its edge chosen.
    step = "back";
    await page.goBack();
    await page.waitForSelector(".timeline-view svg", { timeout: 30000 });
    const backToTimeline = page.url();
    await page.goBack();
    await page.waitForSelector(".canvas[data-drawn]", { timeout: 30000 });
    await page.waitForSelector(".panel blockquote", { timeout: 30000 });
    report.steps.back = { timeline: backToTimeline, graph: page.url(), quotes: await page.$$eval(".panel blockquote", (qs) => qs.length) };

    // The keyboard reaches an edge's evidence through the table of relations.
    step = "keyboard";
    await page.focus("table.edges button.show-evidence");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => !location.search.includes("edge=") || document.querySelector(".panel blockquote"), null, { timeout: 30000 });
    await page.waitForSelector(".panel blockquote", { timeout: 30000 });
    report.steps.keyboard = { url: page.url(), heading: await page.textContent(".panel h2"), focused: await page.evaluate(() => document.activeElement?.tagName) };

    // A GraphiQL user sends each document's text; the explorer sent hashes. Ask again the way
    // GraphiQL does, to compare what each cost.
    for (const request of report.requests) {
      const text = await (await fetch(`${origin}/explore/assets/documents/${request.operation}.graphql`)).text();
      const response = await fetch(`${origin}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: text, variables: request.variables, operationName: request.operation }),
      });
      request.textCost = Number(response.headers.get("ratelimit-cost"));
    }
    report.title = await page.title();
    process.stdout.write(JSON.stringify(report));
  } catch (error) {
    const pages = browser.pages();
    if (pages.length) await pages[pages.length - 1].screenshot({ path: `${prefix}failure.png`, fullPage: true });
    console.error(JSON.stringify(report));
    throw error;
  } finally {
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
