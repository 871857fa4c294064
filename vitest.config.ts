import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Tests that start brokers, dbus-daemons or browsers need more than the default 5 s on a busy 2-core box.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
