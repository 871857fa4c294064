/** Development and installed entry: `node --import tsx src/cli/entry.ts …` or bin/vitals-gateway.js. */
import { main } from "./main.js";

process.exitCode = await main(process.argv.slice(2));
