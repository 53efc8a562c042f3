import { ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as https from "https";
import * as net from "net";
import * as path from "path";

/** One moto_server standing in for one AWS account, over TLS on a loopback port. */
export interface Emulator {
  readonly accountId: string;
  readonly url: string;
  readonly process: ChildProcess;
  readonly log: string;
}

/** A TLS certificate for 127.0.0.1, made for this run (the state bucket's policy refuses plain HTTP). */
export function makeCertificate(openssl: string, dir: string): { cert: string; key: string } {
  const cert = path.join(dir, "emulator-cert.pem");
  const key = path.join(dir, "emulator-key.pem");
  const result = spawnSync(
    openssl,
    ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert],
    { encoding: "utf8" },
  );
  if (result.status !== 0) throw new Error(`openssl could not make the emulator's certificate:\n${result.stderr}`);
  return { cert, key };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Starts one emulator per account and waits until each answers; stops them all if one fails. */
export async function startEmulators(motoServer: string, accounts: readonly string[], dir: string, tls: { cert: string; key: string }): Promise<Emulator[]> {
  const started: Emulator[] = [];
  try {
    for (const accountId of accounts) {
      const port = await freePort();
      const log = path.join(dir, `moto-${accountId}.log`);
      const out = fs.openSync(log, "w");
      const child = spawn(motoServer, ["-H", "127.0.0.1", "-p", String(port), "-c", tls.cert, "-k", tls.key], {
        env: { ...process.env, MOTO_ACCOUNT_ID: accountId },
        stdio: ["ignore", out, out],
        detached: true,
      });
      fs.closeSync(out);
      started.push({ accountId, url: `https://127.0.0.1:${port}`, process: child, log });
    }
    await Promise.all(started.map((e) => waitUntilUp(e)));
    return started;
  } catch (error) {
    stopEmulators(started);
    throw error;
  }
}

async function waitUntilUp(emulator: Emulator, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (emulator.process.exitCode !== null) throw new Error(`moto_server for ${emulator.accountId} exited (${emulator.log})`);
    if (await answers(`${emulator.url}/moto-api/`)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`moto_server for ${emulator.accountId} did not answer within ${timeoutMs / 1000} s (${emulator.log})`);
}

function answers(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = https.get(url, { rejectUnauthorized: false, timeout: 2000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on("error", () => resolve(false));
    request.on("timeout", () => request.destroy());
  });
}

/** Stops every emulator (and anything it started); safe to call twice. */
export function stopEmulators(emulators: readonly Emulator[]): void {
  for (const e of emulators) {
    if (e.process.exitCode !== null || e.process.pid === undefined) continue;
    try {
      process.kill(-e.process.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}
