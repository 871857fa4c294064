/**
 * `vitals-gateway <command>`: one file per subcommand, loaded on demand so `decode` does not
 * pay for TensorFlow or SQLite. Exit codes (DESIGN §4): 0 ok, 1 runtime failure, 2 usage or config.
 */
export type CommandModule = { run(args: string[]): Promise<number>; USAGE?: string };

const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  run: { summary: "run the daemon (no --config: the demo on embedded defaults)", load: () => import("./run.js") },
  "check-config": { summary: "validate a config file, list every problem", load: () => import("./checkConfig.js") },
  token: { summary: "token create --role nurse|clinician|viewer|admin | list | revoke ID: access tokens", load: () => import("./token.js") },
  migrate: { summary: "migrate [--data-dir DIR]: check every database and bring it to this version's schema", load: () => import("./migrate.js") },
  export: { summary: "export fhir [--patient ID] [--since T] [--until T]: a FHIR R4 transaction Bundle (HL7 PHD IG)", load: () => import("./export.js") },
  decode: { summary: "decode <source> <hex>: decode one payload with the device drivers, print JSON", load: () => import("./decode.js") },
  devices: { summary: "devices seen [--data-dir DIR]: sensors heard (BLE or bridges) but assigned to no patient", load: () => import("./devices.js") },
  audit: { summary: "audit verify [--data-dir DIR]: check the hash chain of the audit log", load: () => import("./audit.js") },
  eval: { summary: "eval --data DIR [--json] [--report FILE.html]: NEWS2 vs gateway on PhysioNet-2012 data", load: () => import("./eval.js") },
  replay: { summary: "replay FILE --speed N [--json OUT] [--config FILE]: a MIMIC-II numerics recording through the real pipeline, times scaled", load: () => import("./replay.js") },
  version: { summary: "print the release, Node and database schema versions (also --version)", load: () => import("./version.js") },
  bench: { summary: "performance figures as ratios against baselines measured in the same run", load: () => import("./bench.js") },
};

export const USAGE = `usage: vitals-gateway <command> [options]\n\n${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(14)}${c.summary}`)
  .join("\n")}\n`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(USAGE);
    return name === undefined ? 2 : 0;
  }
  if (name === "--version" || name === "-V") return (await import("./version.js")).run();
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`vitals-gateway: unknown command '${name}'\n\n${USAGE}`);
    return 2;
  }
  try {
    const module = await command.load();
    if (rest.includes("--help") || rest.includes("-h")) {
      process.stdout.write(`${module.USAGE ?? `usage: vitals-gateway ${name}`}\n  ${command.summary}\n`);
      return 0;
    }
    return await module.run(rest);
  } catch (e) {
    process.stderr.write(`vitals-gateway ${name}: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  }
}
