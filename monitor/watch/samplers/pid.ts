import { readFile } from 'node:fs/promises';
import { readCgroupMemoryLimit } from '../limits.ts';
import { failure, type MemoryReading, type Sampler, type SampleResult } from '../types.ts';

const STATUS_FIELDS: Record<string, string> = { VmRSS: 'rss', RssAnon: 'rss_anon', VmSwap: 'swap' };

/** `kB` fields of /proc/PID/status or smaps_rollup, in bytes. */
export function parseProcKb(text: string, fields: Record<string, string>): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^(\w+):\s+(\d+)\s*kB/.exec(line);
    const kind = m ? fields[m[1] as string] : undefined;
    if (m && kind) out.set(kind, Number(m[2]) * 1024);
  }
  return out;
}

/**
 * A local process by PID: VmRSS, RssAnon and VmSwap from /proc/PID/status, and PSS from
 * /proc/PID/smaps_rollup when readable (it needs ptrace access: same user or root).
 */
export function pidSampler(pid: number, procRoot = '/proc'): Sampler {
  const target = `pid:${pid}`;
  let limit: Promise<number | undefined> | undefined;
  return {
    target,
    type: 'memory',
    primaryKind: 'rss',
    async sample(): Promise<SampleResult> {
      let status: string;
      try {
        status = await readFile(`${procRoot}/${pid}/status`, 'utf8');
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        return failure(code === 'ENOENT' ? `process ${pid} does not exist (exited?)` : `cannot read ${procRoot}/${pid}/status: ${code}`);
      }
      const values = parseProcKb(status, STATUS_FIELDS);
      if (!values.has('rss')) return failure(`process ${pid} has no VmRSS (a zombie or kernel thread)`);
      const rollup = await readFile(`${procRoot}/${pid}/smaps_rollup`, 'utf8').catch(() => undefined);
      if (rollup !== undefined) for (const [k, v] of parseProcKb(rollup, { Pss: 'pss' })) values.set(k, v);
      limit ??= readCgroupMemoryLimit(pid);
      const limitBytes = await limit;
      const memory: MemoryReading[] = [...values].map(([kind, bytes]) => ({ target, kind, bytes }));
      return { ok: true, memory, gpus: [], ...(limitBytes !== undefined ? { limitBytes } : {}) };
    },
  };
}
