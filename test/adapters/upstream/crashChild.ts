/**
 * Child process for the crash test: enqueues readings as fast as it can while publishing, and
 * prints how many are committed after each enqueue, until the parent kills it with SIGKILL.
 * Usage: node --import tsx crashChild.ts <brokerUrl> <dataDir>
 */
import { startUpstream } from "../../../src/adapters/upstream/upstream.js";
import { clock, readingOf, silent } from "./harness.js";

const [url, dataDir] = process.argv.slice(2);
if (url === undefined || dataDir === undefined) throw new Error("usage: crashChild.ts <brokerUrl> <dataDir>");
// Small messages, a narrow window and big enqueues: a backlog builds, so the kill leaves rows unsent.
const upstream = startUpstream({ url, gatewayId: "gw1", batchSize: 5, maxInFlight: 2 }, dataDir, { clock, log: silent });
let n = 0;
upstream.link$.subscribe((s) => process.stdout.write(`link ${s.state}\n`));
const more = (): void => {
  upstream.enqueueReadings(Array.from({ length: 100 }, (_, k) => readingOf(n + k)));
  n += 100;
  process.stdout.write(`committed ${n}\n`); // enqueue returned: the rows are in upstream.db
  setImmediate(more); // let PUBACKs in between
};
more();
