/** The `requests:` block of a scenario file: one POST /predict with a JSON body the fixture model accepts. */
export const PREDICT_REQUESTS_YAML: readonly string[] = [
  'requests:',
  '  - name: predict',
  '    method: POST',
  '    path: /predict',
  '    headers: { content-type: application/json }',
  '    body: { "inputs": [[1, 2]] }',
];
