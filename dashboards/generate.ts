import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { modelEndpointDashboard } from './boards/model-endpoint.ts';
import { driftParityDashboard } from './boards/drift-parity.ts';
import { resourcesDashboard } from './boards/resources.ts';
import { loadTestsDashboard } from './boards/load-tests.ts';
import { GENERATED_NOTE } from './boards/common.ts';
import { dashboardProvisioning, datasourceProvisioning } from './provisioning.ts';
import { writeGeneratedFiles, type GeneratedFile } from './generated-files.ts';
import { dashboardsErrors } from './errors.ts';
import { sloLines } from './slo-lines.ts';
import { loadSloConfig, type SloConfig } from '../alerts/index.ts';

export interface DashboardsOptions {
  prometheusUrl: string;   // URL Grafana uses to reach Prometheus (datasource provisioning)
  dashboardsPath: string;  // where Grafana reads the JSON files (dashboard provisioning)
  slo: SloConfig;          // the alert thresholds drawn on the panels (same config as `vigil alerts generate`)
}

export const DASHBOARD_DEFAULTS = Object.freeze({
  prometheusUrl: 'http://prometheus:9090',
  dashboardsPath: '/var/lib/grafana/dashboards/vigil',
});

/** Every vigil dashboard, built, with the thresholds of an SLO config. Order = file order. */
export function buildDashboards(slo: SloConfig): dashboard.Dashboard[] {
  const lines = sloLines(slo);
  return [modelEndpointDashboard(lines), driftParityDashboard(lines), resourcesDashboard(lines), loadTestsDashboard()].map(numberPanels);
}

/** Grafana needs a unique numeric id per panel; the builders leave them unset. Stable: order of appearance. */
function numberPanels(d: dashboard.Dashboard): dashboard.Dashboard {
  let next = 1;
  for (const p of d.panels ?? []) {
    p.id = next++;
    if ('panels' in p && Array.isArray(p.panels)) for (const inner of p.panels) inner.id = next++;
  }
  return d;
}

/** Flags → options: defaults filled in, URL and path checked, the SLO config read (defaults without a file). */
export function resolveDashboardsOptions(flags: { prometheusUrl?: string; dashboardsPath?: string; sloConfig?: string }): DashboardsOptions {
  const o = {
    prometheusUrl: flags.prometheusUrl ?? DASHBOARD_DEFAULTS.prometheusUrl,
    dashboardsPath: flags.dashboardsPath ?? DASHBOARD_DEFAULTS.dashboardsPath,
    slo: loadSloConfig(flags.sloConfig),
  };
  if (!/^https?:\/\/[^/\s]+/.test(o.prometheusUrl)) throw dashboardsErrors.VIGIL_DASHBOARDS_BAD_URL({ value: o.prometheusUrl });
  if (!o.dashboardsPath.startsWith('/')) throw dashboardsErrors.VIGIL_DASHBOARDS_BAD_PATH({ value: o.dashboardsPath });
  return Object.freeze(o);
}

/**
 * All generated files: one JSON per dashboard (the "do not edit" note is in each dashboard's
 * top-level `description`, as JSON has no comments) and the provisioning YAML. Pure.
 */
export function generateDashboardFiles(opts: DashboardsOptions): GeneratedFile[] {
  const yamlHeader = `# ${GENERATED_NOTE}\n`;
  return [
    ...buildDashboards(opts.slo).map((d) => ({ name: `${d.uid}.json`, content: `${JSON.stringify(d, null, 2)}\n` })),
    { name: 'provisioning/datasources/vigil.yaml', content: datasourceProvisioning(opts.prometheusUrl, yamlHeader) },
    { name: 'provisioning/dashboards/vigil.yaml', content: dashboardProvisioning(opts.dashboardsPath, yamlHeader) },
  ];
}

export function writeDashboardFiles(outDir: string, opts: DashboardsOptions): string[] {
  return writeGeneratedFiles(outDir, generateDashboardFiles(opts), (path) => dashboardsErrors.VIGIL_DASHBOARDS_OUT_NOT_DIRECTORY({ path }));
}
