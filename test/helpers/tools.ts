import { spawnSync } from 'node:child_process';
import type { TestContext } from 'node:test';

/**
 * For tests that need a real external tool (promtool, prometheus, chromium, wrk).
 * In CI (CI=true) a missing tool is a failure: .ci/run installs them. Elsewhere the test is
 * skipped with a loud message, so a developer machine without the tool still runs the rest.
 */
export function requireTool(t: TestContext, tool: string): boolean {
  if (hasTool(tool)) return true;
  if (process.env.CI) throw new Error(`${tool} is not installed, but CI must have it (see .ci/run)`);
  const msg = `!!! SKIPPED: ${tool} is not installed (apt-get install it to run this test)`;
  console.error(msg);
  t.skip(msg);
  return false;
}

export function hasTool(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
}
