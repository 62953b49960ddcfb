import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createPlayground, type Playground, type PlaygroundOptions } from "./playground.js";

export interface RunningPlayground extends Playground {
  /** The page's address, e.g. http://127.0.0.1:8787/ */
  url: string;
  port: number;
}

/** Starts the playground on a socket (port 0 picks a free one); `close()` stops the server too. */
export async function listenPlayground(
  options: PlaygroundOptions & { host?: string; port?: number },
): Promise<RunningPlayground> {
  const playground = await createPlayground(options);
  const host = options.host ?? "127.0.0.1";
  try {
    const { server, address } = await new Promise<{ server: ReturnType<typeof serve>; address: AddressInfo }>(
      (resolveStart, reject) => {
        const server = serve(
          { fetch: playground.app.fetch, hostname: host, port: options.port ?? 8787 },
          (info) => resolveStart({ server, address: info }),
        );
        server.once("error", reject);
      },
    );
    const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
    return {
      ...playground,
      url: `http://${shownHost}:${address.port}/`,
      port: address.port,
      async close() {
        await new Promise<void>((done) => {
          server.close(() => done());
          // Keep-alive sockets from browsers would hold close() open.
          if ("closeAllConnections" in server) server.closeAllConnections();
        });
        await playground.close();
      },
    };
  } catch (error) {
    await playground.close();
    throw error;
  }
}
