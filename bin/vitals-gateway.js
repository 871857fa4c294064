#!/usr/bin/env node
// Installed entry point: runs the compiled CLI (`npm run build`, run by `npm install`, creates dist/).
import "../dist/src/cli/entry.js";
