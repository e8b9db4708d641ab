/** Finds live processes by command line, to check that a pack's process is gone (Linux /proc). */
import * as fs from "node:fs";

export function processesMentioning(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let cmdline: string;
    try {
      cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8");
    } catch {
      continue; // exited while we looked
    }
    if (cmdline.includes("run-policy-pack") && cmdline.split("\0").includes(needle)) pids.push(Number(entry));
  }
  return pids;
}
