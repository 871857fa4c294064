import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../../src/core/audit/canonical.js";
import { GENESIS_HASH, rowHash, verifyChain, type ChainedRow } from "../../../src/core/audit/chain.js";

const sha = (t: string): string => createHash("sha256").update(t).digest("hex");

describe("canonicalJson", () => {
  it("sorts keys, drops undefined, spells non-finite numbers", () => {
    expect(canonicalJson({ b: 1, a: [3, undefined, { d: Number.NaN, c: -0 }], u: undefined, i: Number.POSITIVE_INFINITY })).toBe('{"a":[3,null,{"c":0,"d":"NaN"}],"b":1,"i":"Infinity"}');
  });

  it("is independent of key order and round-trips through JSON.parse", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = canonicalJson(v);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
        if (v && typeof v === "object" && !Array.isArray(v)) {
          const reversed = Object.fromEntries(Object.entries(v).reverse());
          expect(canonicalJson(reversed)).toBe(text);
        }
      }),
    );
  });
});

describe("verifyChain", () => {
  const build = (n: number): ChainedRow[] => {
    const rows: ChainedRow[] = [];
    let prev = GENESIS_HASH;
    for (let id = 1; id <= n; id++) {
      const body = { id, at: id, type: "alert_raised", patientId: null, alertId: null, actor: null, data: { id }, prev };
      const row = { ...body, hash: rowHash(body, sha) };
      rows.push(row);
      prev = row.hash;
    }
    return rows;
  };

  it("accepts an empty log and a built chain; rejects any single changed field", () => {
    expect(verifyChain([], sha)).toEqual({ ok: true, rows: 0, head: GENESIS_HASH });
    const rows = build(4);
    expect(verifyChain(rows, sha, { lastId: 4, lastHash: rows[3]!.hash })).toMatchObject({ ok: true, rows: 4 });
    const changed = rows.map((r) => (r.id === 2 ? { ...r, data: { id: 99 } } : r));
    expect(verifyChain(changed, sha)).toMatchObject({ ok: false, rowId: 2, reason: "hash_mismatch" });
  });
});
