/**
 * Finds live processes by command line, to check that a pack's process is gone (Linux /proc).
 *
 * Only processes started by this test run count: two runs of the suite at once (CI runs it on two
 * Node versions side by side) start packs from the same folders, so a command line alone would find
 * the other run's packs. Every process this run starts inherits PILLAR_TEST_RUN, and a pack that
 * outlived its parent (the leak these checks look for) still carries it in its environment.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";

const RUN = (process.env["PILLAR_TEST_RUN"] ??= crypto.randomUUID());
const MARK = `PILLAR_TEST_RUN=${RUN}`;

function startedByThisRun(pid: string): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").includes(MARK);
  } catch {
    return false; // exited while we looked, or not ours to read
  }
}

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
    if (!cmdline.includes("run-policy-pack") || !cmdline.split("\0").includes(needle)) continue;
    if (startedByThisRun(entry)) pids.push(Number(entry));
  }
  return pids;
}
