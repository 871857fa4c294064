/**
 * GatewayConfig is computed from the generated schema; the parts' own code takes hand-written
 * types (AlertingConfig, UpstreamOptions, BleDeviceConfig). These are checked by `tsc` (`npm run
 * check`, in CI): a fragment and its code's type that drift apart stop the build here.
 */
import { expectTypeOf, it } from "vitest";
import type { BleDeviceConfig } from "../../src/adapters/ble/bleSource.js";
import type { UpstreamOptions } from "../../src/adapters/upstream/config.js";
import type { GatewayConfig } from "../../src/config/types.js";
import type { AlertingConfig } from "../../src/core/alerting/config.js";

it("the schema-derived config fits what each part's code takes (alerting: both ways)", () => {
  expectTypeOf<GatewayConfig["alerting"]>().toMatchTypeOf<AlertingConfig>();
  expectTypeOf<AlertingConfig>().toMatchTypeOf<GatewayConfig["alerting"]>();
  expectTypeOf<NonNullable<GatewayConfig["upstream"]>>().toMatchTypeOf<UpstreamOptions>();
  expectTypeOf<GatewayConfig["ble"]["devices"][number]>().toMatchTypeOf<BleDeviceConfig>();
  expectTypeOf<GatewayConfig["logging"]["level"]>().toEqualTypeOf<"debug" | "info" | "warn" | "error">();
  expectTypeOf<GatewayConfig["http"]["port"]>().toEqualTypeOf<number>();
  expectTypeOf<GatewayConfig["mqtt"]["url"]>().toEqualTypeOf<string | undefined>();
});
