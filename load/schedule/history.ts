import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../common/atomic-write.ts';
import type { LoadResult } from '../result.ts';
import type { Verdict } from './regression.ts';

export const RUN_RECORD_SCHEMA = 'vigil.schedule.run/v1';

/** One scheduled run: the full load result plus the verdict against its baseline. */
export interface RunRecord {
  schema: typeof RUN_RECORD_SCHEMA;
  scenario: string;
  model: string | null;
  startedAt: string;
  endedAt: string;
  aborted: boolean;
  passed: boolean;
  verdict: Verdict;
  result: LoadResult;
}

/**
 * The history folder: `<history>/<scenario>/<startedAt>.json`, one file per run, written with
 * temp + fsync + rename so a crash never leaves a half file. Names sort chronologically.
 */
export class History {
  constructor(readonly dir: string) {}

  scenarioDir(scenario: string): string {
    return join(this.dir, scenario);
  }

  write(record: RunRecord): string {
    const stamp = record.startedAt.replace(/:/g, '-');
    const file = join(this.scenarioDir(record.scenario), `${stamp}.json`);
    writeFileAtomic(file, `${JSON.stringify(record, null, 2)}\n`);
    return file;
  }

  /** Record files of a scenario, oldest first (temp files, which start with a dot, are never listed). */
  files(scenario: string): string[] {
    let names: string[];
    try {
      names = readdirSync(this.scenarioDir(scenario));
    } catch {
      return [];
    }
    return names.filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort().map((n) => join(this.scenarioDir(scenario), n));
  }

  /** The last `n` complete (not aborted) records of a scenario, oldest first. Unreadable files are skipped. */
  lastComplete(scenario: string, n: number): RunRecord[] {
    const out: RunRecord[] = [];
    const files = this.files(scenario);
    for (let i = files.length - 1; i >= 0 && out.length < n; i--) {
      const rec = readRecord(files[i] as string);
      if (rec && !rec.aborted) out.unshift(rec);
    }
    return out;
  }
}

export function readRecord(file: string): RunRecord | undefined {
  try {
    const rec = JSON.parse(readFileSync(file, 'utf8')) as RunRecord;
    return rec.schema === RUN_RECORD_SCHEMA ? rec : undefined;
  } catch {
    return undefined;
  }
}
