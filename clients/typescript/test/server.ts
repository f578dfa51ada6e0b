// Starts a real `gleaner serve` on a free loopback port and waits for health SERVING.
import { ChildProcess, execFileSync, spawn } from "node:child_process";
import { createServer } from "node:net";
import { join, resolve } from "node:path";

import * as grpc from "@grpc/grpc-js";

export const REPO = resolve(__dirname, "../../../..");

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

// The health service is called by its method path; its two messages are tiny: a string field 1 in the
// request, an enum field 1 (SERVING = 1) in the response.
function healthCheck(client: grpc.Client, deadline: number): Promise<number> {
  return new Promise((done, fail) => {
    client.makeUnaryRequest(
      "/grpc.health.v1.Health/Check",
      () => Buffer.alloc(0),
      (b: Buffer) => (b.length >= 2 && b[0] === 0x08 ? b[1] : 0),
      {},
      new grpc.Metadata(),
      { deadline },
      (error: grpc.ServiceError | null, status?: number) => (error ? fail(error) : done(status ?? 0)),
    );
  });
}

export interface RunningServer {
  target: string;
  stop(): Promise<void>;
}

export async function startServer(): Promise<RunningServer> {
  let binary = process.env.GLEANER_BIN;
  if (!binary) {
    execFileSync("cargo", ["build", "--release", "--quiet"], { cwd: REPO, stdio: "inherit" });
    binary = join(REPO, "target", "release", "gleaner");
  }
  const target = `127.0.0.1:${await freePort()}`;
  const child: ChildProcess = spawn(binary, ["serve", "--addr", target], { stdio: "ignore" });
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  const health = new grpc.Client(target, grpc.credentials.createInsecure());
  try {
    const end = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`gleaner serve exited with ${child.exitCode}`);
      try {
        if ((await healthCheck(health, Date.now() + 1000)) === 1) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > end) throw new Error(`${target} not SERVING after 30 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (error) {
    child.kill();
    throw error;
  } finally {
    health.close();
  }
  return {
    target,
    async stop() {
      child.kill("SIGTERM");
      await exited;
    },
  };
}
