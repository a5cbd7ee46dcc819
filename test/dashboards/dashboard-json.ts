import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/cli.ts';

export const GENERATED_DASHBOARDS = join(REPO_ROOT, 'dashboards', 'generated');

export interface PanelJson {
  id: number; type: string; title: string;
  datasource?: { type: string; uid: string };
  gridPos: { x: number; y: number; w: number; h: number };
  fieldConfig?: { defaults?: { unit?: string } };
  targets?: { refId?: string; expr?: string; datasource?: { uid: string } }[];
}
export interface DashboardJson {
  uid: string; title: string; description: string; schemaVersion: number; tags: string[];
  panels: PanelJson[];
  templating: { list: { name: string; type: string; query: unknown; allValue?: string }[] };
}

/** The committed dashboards, parsed. */
export function readDashboards(dir = GENERATED_DASHBOARDS): DashboardJson[] {
  return readdirSync(dir).filter((f) => f.endsWith('.json')).sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as DashboardJson);
}

export function dataPanels(d: DashboardJson): PanelJson[] {
  return d.panels.filter((p) => p.type !== 'row');
}

/** Every PromQL expression of every dashboard (panel queries and query variables), with where it is. */
export function allExpressions(dashboards: DashboardJson[]): { where: string; expr: string }[] {
  return dashboards.flatMap((d) => [
    ...dataPanels(d).flatMap((p) => (p.targets ?? []).map((t) => ({ where: `${d.uid} / ${p.title} / ${t.refId}`, expr: t.expr ?? '' }))),
    ...d.templating.list.filter((v) => v.type === 'query').map((v) => ({ where: `${d.uid} / $${v.name}`, expr: (v.query as { query: string }).query })),
  ]);
}
