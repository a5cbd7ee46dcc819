import { stringify } from 'yaml';
import { DATASOURCE_NAME, DATASOURCE_UID } from './datasource.ts';

/**
 * Grafana provisioning (https://grafana.com/docs/grafana/latest/administration/provisioning/):
 * copy `provisioning/` into Grafana's provisioning folder and the dashboard JSON files into
 * `dashboardsPath`. The datasource gets a fixed uid, which the dashboards' `datasource` variable
 * selects by default.
 */
export function datasourceProvisioning(prometheusUrl: string, header: string): string {
  return header + stringify({
    apiVersion: 1,
    datasources: [{
      name: DATASOURCE_NAME,
      uid: DATASOURCE_UID,
      type: 'prometheus',
      access: 'proxy',
      url: prometheusUrl,
      isDefault: false,
      editable: false,
      jsonData: { timeInterval: '10s', httpMethod: 'POST' },
    }],
  }, { lineWidth: 0 });
}

export function dashboardProvisioning(dashboardsPath: string, header: string): string {
  return header + stringify({
    apiVersion: 1,
    providers: [{
      name: 'vigil',
      orgId: 1,
      folder: 'vigil',
      folderUid: 'vigil',
      type: 'file',
      disableDeletion: false,
      allowUiUpdates: false,
      updateIntervalSeconds: 30,
      options: { path: dashboardsPath, foldersFromFilesStructure: false },
    }],
  }, { lineWidth: 0 });
}
