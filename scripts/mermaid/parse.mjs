// Parse Mermaid files with Mermaid's own parser (mermaid 11 under jsdom).
// Usage: node parse.mjs FILE...   (exit 1 if any file does not parse)
import { JSDOM } from "jsdom";
import fs from "fs";

const dom = new JSDOM("<!DOCTYPE html><body></body>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false });

let failed = 0;
for (const file of process.argv.slice(2)) {
  try {
    const result = await mermaid.parse(fs.readFileSync(file, "utf8"));
    console.log(`ok    ${file} (${result.diagramType})`);
  } catch (error) {
    failed += 1;
    console.log(`FAIL  ${file}: ${String(error.message).split("\n").slice(-1)[0]}`);
  }
}
process.exit(failed ? 1 : 0);
