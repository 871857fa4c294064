#!/usr/bin/env node
// Installed entry point: runs the compiled CLI (`npm run build` creates dist/).
import { main } from "../dist/src/cli/main.js";

process.exitCode = await main(process.argv.slice(2));
