import { execFile } from 'node:child_process';

export interface GpuVisibility { visible: boolean; devices: string[]; probe: string; error?: string }

/**
 * Asks `nvidia-smi -L` once which GPUs this process can see. No nvidia-smi or no device →
 * `visible: false` with the reason; nothing is invented.
 */
export function probeGpus(timeoutMs = 3000): Promise<GpuVisibility> {
  return new Promise((resolve) => {
    execFile('nvidia-smi', ['-L'], { timeout: timeoutMs }, (err, stdout) => {
      if (err) {
        resolve({ visible: false, devices: [], probe: 'nvidia-smi -L', error: (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'nvidia-smi not found' : err.message.split('\n')[0] ?? 'failed' });
        return;
      }
      const devices = stdout.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('GPU '));
      resolve({ visible: devices.length > 0, devices, probe: 'nvidia-smi -L' });
    });
  });
}
