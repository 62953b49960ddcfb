// `pnpm start` / `npm start`: the playground on 127.0.0.1:8787 with the example plugins preloaded.
import { isLoopbackHost, SandboxError } from "@wasm-sandbox/manifest";
import { readServerConfig } from "./config.js";
import { listenPlayground } from "./listen.js";

try {
  const config = readServerConfig();
  const playground = await listenPlayground(config);
  const added = playground.preloaded.length;
  console.log(`wasm-sandbox playground: ${playground.url}`);
  console.log(
    `  registry ${config.dataDir}/registry.db${added > 0 ? ` (${added} example plugins registered)` : ""}`,
  );
  if (!isLoopbackHost(config.host)) {
    console.warn(
      `  warning: bound to ${config.host}: anyone who can reach this port can upload and run plugins`,
    );
  }
  console.log("  press Ctrl+C to stop");
  const stop = () => {
    playground.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
} catch (error) {
  if (SandboxError.is(error)) {
    console.error(`[${error.code}] ${error.message}`);
    if (error.suggestion) console.error(`  ${error.suggestion}`);
  } else if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
    console.error(`${(error as Error).message}: set PORT to another port, e.g. PORT=8788 npm start`);
  } else {
    console.error(error);
  }
  process.exit(1);
}
