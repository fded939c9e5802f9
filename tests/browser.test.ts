/**
 * The browser example in real headless Chromium: add todos, reload, and find them persisted in
 * IndexedDB. Skipped with a loud line when Chromium is missing, unless REQUIRE_BROWSER=1 (CI).
 */
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { buildBrowserExample } from "../scripts/build_browser.ts";
import { serveBrowserExample } from "../scripts/serve_browser.ts";

const CHROMIUM = Deno.env.get("CHROMIUM_PATH") ?? "/usr/bin/chromium";
const hasChromium = await Deno.stat(CHROMIUM).then(() => true, () => false);
if (!hasChromium) {
  if (Deno.env.get("REQUIRE_BROWSER") === "1") {
    console.error(`!!! ${CHROMIUM} is missing; REQUIRE_BROWSER=1: failing`);
  } else console.error(`!!! ${CHROMIUM} is missing: SKIPPING the browser test (apt-get install -y chromium)`);
}
const ignore = !hasChromium && Deno.env.get("REQUIRE_BROWSER") !== "1";

Deno.test({
  name: "browser: todos persist across a reload (sql.js + IndexedDB in headless Chromium)" +
    (ignore ? ` [skipped: ${CHROMIUM} is missing]` : ""),
  ignore,
  sanitizeOps: false, // Chromium's pipes and the server's sockets close asynchronously
  sanitizeResources: false,
  async fn() {
    await buildBrowserExample();
    let url = "";
    const server = serveBrowserExample(0, (address) => url = address);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
      ],
    });
    try {
      const page = await browser.newPage();
      const failures: string[] = [];
      page.on("pageerror", (error) => failures.push(error.message));
      await page.goto(url);
      await page.waitForSelector("#status:text('ready')");

      for (const [title, tag] of [["buy milk", "home"], ["write report", "work"], ["call mum", "home"]]) {
        await page.fill("#title", title);
        await page.fill("#tag", tag);
        await page.click("#add");
      }
      await page.fill("#title", "   ");
      await page.click("#add");
      assert.match(
        await page.textContent("#error") ?? "",
        /title cannot be blank/,
        "validation reaches the page",
      );
      await page.click("li:has-text('buy milk') input[type=checkbox]");
      await page.waitForSelector("#status:text('saved')");
      assert.equal(await page.textContent("#open-count"), "2");

      await page.reload();
      await page.waitForSelector("#status:text('ready')");
      const titles = await page.$$eval("#list .text", (nodes) => nodes.map((n) => n.textContent));
      assert.deepEqual(titles, ["buy milk", "write report", "call mum"], "the todos survived the reload");
      assert.equal(await page.isChecked("li:has-text('buy milk') input"), true, "done survived too");
      assert.equal(await page.textContent("#open-count"), "2");
      const stats = await page.$$eval(
        "#stats tr",
        (rows) => rows.map((r) => [...r.children].slice(0, 2).map((c) => c.textContent)),
      );
      assert.deepEqual(stats, [["home", "1"], ["work", "1"]], "open items by tag, from a grouped aggregate");

      await Deno.mkdir(new URL("./artifacts/", import.meta.url), { recursive: true });
      await page.screenshot({
        path: new URL("./artifacts/browser-todos.png", import.meta.url).pathname,
        fullPage: true,
      });
      assert.deepEqual(failures, []);
    } finally {
      await browser.close();
      await server.shutdown();
    }
  },
});
