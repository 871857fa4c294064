/**
 * dbus-next 0.10.2 cannot send dictionaries with integer keys (dbusjs/node-dbus-next issue #79,
 * PR #115 unmerged): JS object keys are strings and the marshaller refuses them. BlueZ's
 * Device1.ManufacturerData is `a{qv}` (company id → bytes), so the fake needs this. The wrapper
 * walks each outgoing body against its signature and turns string keys of numeric dict types back
 * into numbers. It only touches integer-keyed dicts, which node-ble never sends, so patching the
 * shared module instance does not change what the adapter under test puts on the wire.
 * Port of research/ble-fake-bluez-probe/dbus-next-intkeys.js.
 */
import { createRequire } from "node:module";

interface SigNode {
  type: string;
  child: SigNode[];
}
interface Msg {
  signature?: string;
  body?: unknown[];
}

const require = createRequire(import.meta.url);
const message = require("dbus-next/lib/message") as { marshall: (msg: Msg) => Buffer; __intKeys?: boolean };
const { parseSignature } = require("dbus-next/lib/signature") as { parseSignature: (s: string) => SigNode[] };

const NUMERIC = new Set(["y", "n", "q", "i", "u", "x", "t", "d", "h"]);

function fix(node: SigNode | undefined, v: unknown): unknown {
  if (v === null || v === undefined || node === undefined) return v;
  switch (node.type) {
    case "a": {
      const c = node.child[0];
      if (c?.type === "y") return v;
      if (c?.type === "{") {
        // jsToMarshalFmt has already turned the object into [key, value] pairs by now
        const keyType = c.child[0]?.type ?? "s";
        for (const pair of v as [unknown, unknown][]) {
          if (NUMERIC.has(keyType) && typeof pair[0] === "string") pair[0] = keyType === "x" || keyType === "t" ? BigInt(pair[0]) : Number(pair[0]);
          pair[1] = fix(c.child[1], pair[1]);
        }
        return v;
      }
      return (v as unknown[]).map((x) => fix(c, x));
    }
    case "(":
      return (v as unknown[]).map((x, i) => fix(node.child[i], x));
    case "v": {
      const variant = v as [string, unknown];
      variant[1] = fix(parseSignature(variant[0])[0], variant[1]);
      return variant;
    }
    default:
      return v;
  }
}

/** Idempotent: install once per process before the fake sends ManufacturerData. */
export function installIntKeyDicts(): void {
  if (message.__intKeys) return;
  const orig = message.marshall;
  message.marshall = function (this: unknown, msg: Msg): Buffer {
    if (msg.signature && Array.isArray(msg.body)) {
      const tree = parseSignature(msg.signature);
      msg.body = msg.body.map((b, i) => fix(tree[i], b));
    }
    return orig.call(this, msg);
  };
  message.__intKeys = true;
}
