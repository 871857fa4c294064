/**
 * Child process for the store/outbox crash test: the gateway's real reading path (storeReadings
 * into readings.db, the outbox taking each committed batch) fed as fast as it goes, until the
 * parent kills it with SIGKILL. Usage: node --import tsx storeCrashChild.ts <brokerUrl> <dataDir> <firstN>
 */
import { join } from "node:path";
import { asyncScheduler, Subject } from "rxjs";
import { createMetrics } from "../../../src/adapters/http/metrics.js";
import { SqliteReadingStore } from "../../../src/adapters/sqlite/readingStore.js";
import { storeReadings } from "../../../src/adapters/sqlite/storeReadings.js";
import { startUpstream, thenUpstream } from "../../../src/adapters/upstream/upstream.js";
import type { Reading } from "../../../src/core/model.js";
import { clock, readingOf, silent } from "./harness.js";

const [url, dataDir, firstN] = process.argv.slice(2);
if (url === undefined || dataDir === undefined || firstN === undefined) throw new Error("usage: storeCrashChild.ts <brokerUrl> <dataDir> <firstN>");
const store = new SqliteReadingStore(join(dataDir, "readings.db"));
const upstream = startUpstream({ url, gatewayId: "gw1", batchSize: 20, maxInFlight: 4 }, dataDir, { clock, log: silent });
upstream.follow(store);
upstream.link$.subscribe((s) => process.stdout.write(`link ${s.state}\n`));
const readings$ = new Subject<Reading>();
const acks = { checkpoint: () => 0, acknowledge: () => undefined };
// Short batches: many commits, so a kill lands between the readings.db and upstream.db commits often.
storeReadings(readings$, store, { batchMs: 5, batchMax: 200 }, asyncScheduler, createMetrics(), () => undefined, thenUpstream(acks, upstream));
let n = Number(firstN);
const more = (): void => {
  for (let k = 0; k < 20; k++) readings$.next(readingOf(n++));
  setImmediate(more);
};
more();
