/** Log lines of bad input at a bounded rate: first N per code per window, then one count. */
import { describe, expect, it } from "vitest";
import { jsonLogger } from "../../../src/adapters/log/jsonLogger.js";
import { rateLimitedLog } from "../../../src/adapters/log/rateLimitedLog.js";

function setup() {
  const lines: { msg: string; code?: string; suppressed?: number }[] = [];
  let t = 0;
  const log = jsonLogger("debug", "test", (l) => lines.push(JSON.parse(l) as { msg: string }));
  const limited = rateLimitedLog(log, { perWindow: 3, windowMs: 60_000, now: () => t });
  return { lines, limited, at: (ms: number) => void (t = ms) };
}

describe("rateLimitedLog", () => {
  it("logs the first N per code per window, then one line with how many were left out", () => {
    const { lines, limited, at } = setup();
    for (let i = 0; i < 100_000; i++) limited.log("decode_truncated", "warn", `frame ${i}`, { code: "decode_truncated" });
    limited.log("unknown_device", "warn", "device x", { code: "unknown_device" });
    expect(lines.map((l) => l.msg)).toEqual(["frame 0", "frame 1", "frame 2", "device x"]);
    at(59_999);
    limited.flush();
    expect(lines).toHaveLength(4); // the window has not ended
    at(60_000);
    limited.flush();
    expect(lines.slice(4)).toEqual([expect.objectContaining({ code: "decode_truncated", suppressed: 99_997, msg: "99997 more 'decode_truncated' lines left out in 60 s (all counted in /metrics)" })]);
    limited.log("decode_truncated", "warn", "frame again", { code: "decode_truncated" });
    expect(lines.at(-1)?.msg).toBe("frame again"); // a new window
  });

  it("writes the summary when the next line of that code comes after the window, without a flush", () => {
    const { lines, limited, at } = setup();
    for (let i = 0; i < 5; i++) limited.log("bad_payload", "warn", `p${i}`);
    at(61_000);
    limited.log("bad_payload", "warn", "p5");
    expect(lines.map((l) => l.msg)).toEqual(["p0", "p1", "p2", "2 more 'bad_payload' lines left out in 60 s (all counted in /metrics)", "p5"]);
  });
});
