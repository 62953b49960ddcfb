import { defineConfig, type Options } from "tsup";
import { defineLibraryBuild } from "../../tsup.config.base.js";
import { clientBuild } from "./scripts/client-build.js";

// The server (dist/server.js, dist/index.js) and the page (dist/public). `build` empties dist first, so
// neither config cleans (they run concurrently).
const server = defineLibraryBuild({
  name: "server",
  entry: ["src/server.ts", "src/index.ts"],
  dts: false,
  clean: false,
}) as Options;

export default defineConfig([server, clientBuild("dist/public")]);
