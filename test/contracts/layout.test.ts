import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { expect, it } from "vitest";
import { packagePath } from "../../src/packageRoot.js";

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));

it("keeps every contract suite in test/contracts and every fake in test/fakes, none in src", () => {
  const root = packagePath();
  const rel = (f: string) => relative(root, f);
  const tests = filesUnder(packagePath("test")).map(rel);
  expect(tests.filter((f) => /\.contract\.ts$/.test(f) && !f.startsWith("test/contracts/"))).toEqual([]);
  const src = filesUnder(packagePath("src")).map(rel);
  expect(src.filter((f) => /(^|\/)(fake|memory)[A-Z][^/]*\.ts$/.test(f))).toEqual([]);
});
