import { readFileSync, writeFileSync } from "node:fs";

/** VmRSS and VmHWM (the RSS high-water mark) of this process (or of `pid`), in KiB. */
export function procStatus(pid: number | "self" = "self"): { rssKB: number; hwmKB: number } {
  const text = readFileSync(`/proc/${pid}/status`, "utf8");
  const read = (key: string): number =>
    Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? NaN);
  return { rssKB: read("VmRSS"), hwmKB: read("VmHWM") };
}

/** Resets VmHWM to the current RSS (Linux ≥ 4.0), so that it then measures the peak of what follows. */
export function resetPeakRss(): void {
  writeFileSync("/proc/self/clear_refs", "5");
}
