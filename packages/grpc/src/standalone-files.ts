import { readFileSync, rmSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { isProcessAlive } from "./process-alive.js";

/** The files a standalone server leaves in its plugin dir, as the Go SDK names them. */
export const standaloneFileNames = { address: "standalone.txt", pid: "pid.txt" } as const;

/** A standalone server found through its files. */
export interface StandaloneServer {
  /** Its gRPC address, as written (`127.0.0.1:PORT`, or `:PORT` from a Go plugin). */
  address: string;
  pid: number;
}

/**
 * Writes `standalone.txt` (the address) and `pid.txt` (this process) into `dir`, owner-only.
 * Returns a synchronous remover, safe in an `exit` handler, that deletes them unless another
 * standalone server has replaced them since.
 */
export async function writeStandaloneFiles(
  dir: string,
  address: string,
  pid = process.pid,
): Promise<() => void> {
  const addressFile = join(dir, standaloneFileNames.address);
  const pidFile = join(dir, standaloneFileNames.pid);
  await writeFile(addressFile, address, { mode: 0o600 });
  await writeFile(pidFile, String(pid), { mode: 0o600 });
  return () => {
    try {
      if (readFileSync(pidFile, "utf8").trim() !== String(pid)) return;
    } catch {
      return;
    }
    rmSync(addressFile, { force: true });
    rmSync(pidFile, { force: true });
  };
}

/**
 * The standalone server whose files are in `dir`, if its process is alive and is not this one.
 * Files left behind by a server that died are ignored.
 */
export async function readStandaloneServer(dir: string): Promise<StandaloneServer | undefined> {
  let address: string;
  let pidText: string;
  try {
    [address, pidText] = await Promise.all([
      readFile(join(dir, standaloneFileNames.address), "utf8"),
      readFile(join(dir, standaloneFileNames.pid), "utf8"),
    ]);
  } catch {
    return undefined;
  }
  address = address.trim();
  const pid = Number(pidText.trim());
  if (address === "" || /[|\s]/.test(address) || pid === process.pid || !isProcessAlive(pid))
    return undefined;
  return { address, pid };
}
