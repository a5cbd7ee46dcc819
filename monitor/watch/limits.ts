import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** cgroup v1 writes "no limit" as a huge page-aligned number; anything at or above this is unlimited. */
const V1_UNLIMITED = 2 ** 60;

/** Parses `memory.max` (v2: bytes or `max`) or `memory.limit_in_bytes` (v1). undefined = no limit. */
export function parseCgroupLimit(text: string): number | undefined {
  const s = text.trim();
  if (s === '' || s === 'max') return undefined;
  const n = Number(s);
  if (!Number.isFinite(n) || n <= 0 || n >= V1_UNLIMITED) return undefined;
  return n;
}

/**
 * The memory cgroup paths of a process from `/proc/PID/cgroup`: the v2 unified path (`0::/x`)
 * and the v1 memory controller path (`N:memory:/x`).
 */
export function parseProcCgroup(text: string): { v2?: string; v1?: string } {
  const out: { v2?: string; v1?: string } = {};
  for (const line of text.split('\n')) {
    const m = /^(\d+):([^:]*):(.*)$/.exec(line.trim());
    if (!m) continue;
    if (m[1] === '0' && m[2] === '') out.v2 = m[3];
    else if ((m[2] ?? '').split(',').includes('memory')) out.v1 = m[3];
  }
  return out;
}

/**
 * The memory limit of a process's cgroup, or undefined when none is set or it cannot be read.
 * Tries the process's own cgroup path, then the namespace root (inside a container the path in
 * /proc/PID/cgroup is the host's, while /sys/fs/cgroup is the container's own).
 */
export async function readCgroupMemoryLimit(pid: number | 'self', root = '/sys/fs/cgroup'): Promise<number | undefined> {
  const paths = parseProcCgroup(await readFile(`/proc/${pid}/cgroup`, 'utf8').catch(() => ''));
  const candidates = [
    ...(paths.v2 !== undefined ? [join(root, paths.v2, 'memory.max')] : []),
    join(root, 'memory.max'),
    ...(paths.v1 !== undefined ? [join(root, 'memory', paths.v1, 'memory.limit_in_bytes')] : []),
    join(root, 'memory', 'memory.limit_in_bytes'),
  ];
  for (const file of candidates) {
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text !== undefined) return parseCgroupLimit(text);
  }
  return undefined;
}
