import { expect, it } from "vitest";
import { Inbox } from "../../../src/core/pipeline/inbox.js";

it("keeps what was sent before the alert path subscribed (e.g. 'model unavailable' while loading), then passes values live", () => {
  const inbox = new Inbox<string>();
  inbox.next("model_unavailable");
  inbox.next("restore");
  const seen: string[] = [];
  inbox.observable.subscribe((v) => seen.push(v));
  inbox.next("ack");
  expect(seen).toEqual(["model_unavailable", "restore", "ack"]);
});
