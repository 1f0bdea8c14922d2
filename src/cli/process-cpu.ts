/**
 * CPU seconds (user + system) a process has used so far, from Linux's
 * /proc/<pid>/stat; undefined where there is no /proc (macOS, Windows) or the
 * process is gone. A single-threaded trainer's CPU seconds are what its wall
 * seconds would be on an idle machine, so a benchmark on a busy machine can
 * still say how long a run takes when nothing else competes for the core.
 */
import { readFileSync } from 'node:fs';

/** Clock ticks per second in /proc's counters (USER_HZ: 100 on every Linux port). */
const USER_HZ = 100;

export function processCpuSeconds(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the name: state is field 3, so utime (14) and stime (15) are at 11 and 12 here.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) / USER_HZ : undefined;
}
