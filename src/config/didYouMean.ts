/**
 * "did you mean": the known key closest to a misspelt one (optimal string alignment distance:
 * an insertion, deletion, substitution or swap of neighbours costs 1), if close enough to be a
 * typo rather than a different word (at most 2 edits, and fewer than half the word).
 */
export function closestKey(unknown: string, known: readonly string[]): string | undefined {
  let best: { key: string; distance: number } | undefined;
  for (const key of known) {
    const d = editDistance(unknown.toLowerCase(), key.toLowerCase());
    if (d <= 2 && d < Math.ceil(key.length / 2) && (best === undefined || d < best.distance)) best = { key, distance: d };
  }
  return best?.key;
}

/** The `properties` an ajv error's schemaPath (`#/properties/mqtt/additionalProperties`) sits beside. */
export function siblingKeys(schema: unknown, schemaPath: string): string[] {
  const parts = schemaPath.replace(/^#\//, "").split("/").slice(0, -1).map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  let node: unknown = schema;
  for (const p of parts) node = node !== null && typeof node === "object" ? (node as Record<string, unknown>)[p] : undefined;
  const properties = node !== null && typeof node === "object" ? (node as { properties?: object }).properties : undefined;
  return properties ? Object.keys(properties) : [];
}

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}
