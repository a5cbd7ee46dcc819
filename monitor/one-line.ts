/**
 * An error as one line for people who are not the operator (`/v1/status`, error replies):
 * the first line of the message, absolute file paths reduced to their base name, at most 300
 * characters. The full stack goes to the log only.
 */
export function oneLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const first = (message.split('\n')[0] ?? '').trim();
  const noPaths = first.replace(/(?:file:\/\/)?(?:\/[^\s/:'"()]+)+\/([^\s/:'"()]+)/g, '$1');
  return noPaths.length > 300 ? `${noPaths.slice(0, 299)}…` : noPaths;
}
