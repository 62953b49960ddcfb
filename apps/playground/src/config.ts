import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { InvalidInputError } from "@wasm-sandbox/manifest";

export interface ServerConfig {
  host: string;
  port: number;
  dataDir: string;
}

/** The app's own directory (apps/playground), from either src/ or dist/. */
const APP_DIR = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Reads HOST, PORT and PLAYGROUND_DATA_DIR; defaults to 127.0.0.1:8787 and apps/playground/data. */
export function readServerConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = env.PORT === undefined || env.PORT === "" ? 8787 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new InvalidInputError(`PORT must be a whole number from 0 to 65535, got "${env.PORT}"`, [], {
      suggestion: "Unset PORT to use 8787, or set e.g. PORT=8080.",
    });
  }
  return {
    host: env.HOST || "127.0.0.1",
    port,
    dataDir: env.PLAYGROUND_DATA_DIR ? resolve(env.PLAYGROUND_DATA_DIR) : join(APP_DIR, "data"),
  };
}
