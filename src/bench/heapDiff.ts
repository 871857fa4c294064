/**
 * Compares two V8 heap snapshots (written by the soak bench with VG_SOAK_HEAPSNAPSHOTS=1, or by
 * `node --heapsnapshot-signal=SIGUSR2`): objects counted and summed by type and constructor name,
 * printed by growth, biggest first. This is how the soak's memory growth was traced (issue 15).
 *
 *   node --max-old-space-size=4096 dist/src/bench/heapDiff.js before.heapsnapshot after.heapsnapshot [top]
 */
import { readFileSync } from "node:fs";

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

interface Group {
  count: number;
  bytes: number;
}

/** Count and self size per "type:name" (e.g. "object:Map", "closure:tick", "string"). */
export function groupHeap(file: string): Map<string, Group> {
  const heap = JSON.parse(readFileSync(file, "utf8")) as Snapshot;
  const fields = heap.snapshot.meta.node_fields;
  const types = heap.snapshot.meta.node_types[0];
  const [typeAt, nameAt, sizeAt] = ["type", "name", "self_size"].map((f) => fields.indexOf(f)) as [number, number, number];
  const groups = new Map<string, Group>();
  for (let i = 0; i < heap.nodes.length; i += fields.length) {
    const type = types[heap.nodes[i + typeAt] as number] ?? "?";
    // Strings and numbers are named by their content: group them by type alone, content is noise (and may be PHI).
    const key = ["string", "concatenated string", "sliced string", "number", "hidden"].includes(type) ? type : `${type}:${heap.strings[heap.nodes[i + nameAt] as number] ?? "?"}`;
    const g = groups.get(key) ?? { count: 0, bytes: 0 };
    g.count++;
    g.bytes += heap.nodes[i + sizeAt] as number;
    groups.set(key, g);
  }
  return groups;
}

function main(before: string, after: string, top: number): void {
  const a = groupHeap(before);
  const b = groupHeap(after);
  const rows = [...new Set([...a.keys(), ...b.keys()])].map((key) => {
    const x = a.get(key) ?? { count: 0, bytes: 0 };
    const y = b.get(key) ?? { count: 0, bytes: 0 };
    return { key: key.slice(0, 70), count: y.count - x.count, bytes: y.bytes - x.bytes, now: y.count };
  });
  rows.sort((p, q) => q.bytes - p.bytes);
  const total = (g: Map<string, Group>) => [...g.values()].reduce((s, v) => s + v.bytes, 0) / 2 ** 20;
  process.stdout.write(`heap ${total(a).toFixed(1)} MiB → ${total(b).toFixed(1)} MiB\n  Δbytes     Δcount      count  type:name\n`);
  for (const r of rows.slice(0, top)) process.stdout.write(`${String(r.bytes).padStart(10)} ${String(r.count).padStart(10)} ${String(r.now).padStart(10)}  ${r.key}\n`);
}

if (process.argv[1]?.endsWith("heapDiff.js")) {
  const [before, after, top] = process.argv.slice(2);
  if (!before || !after) {
    process.stderr.write("usage: node dist/src/bench/heapDiff.js before.heapsnapshot after.heapsnapshot [top]\n");
    process.exitCode = 2;
  } else main(before, after, Number(top ?? 30));
}
