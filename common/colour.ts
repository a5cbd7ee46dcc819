/** SGR codes (ANSI): ours to decide when to use, unlike util.styleText, which checks process.stdout itself. */
const SGR = { green: [32, 39], red: [31, 39], yellow: [33, 39], bold: [1, 22] } as const;

export type Paint = (style: 'green' | 'red' | 'yellow' | 'bold', text: string) => string;

/**
 * Colour on a terminal only: the stream is a TTY and NO_COLOR is not set to a non-empty value
 * (no-color.org); FORCE_COLOR=1 (or any non-0) turns it on elsewhere. Returns a painter that does
 * nothing when colour is off, so formatters call it unconditionally.
 */
export function painter(stream: { isTTY?: boolean }, env: Readonly<Record<string, string | undefined>> = process.env): Paint {
  const force = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0';
  const on = (env.NO_COLOR === undefined || env.NO_COLOR === '') && (force || stream.isTTY === true);
  return on ? (style, text) => `\u001b[${SGR[style][0]}m${text}\u001b[${SGR[style][1]}m` : (_style, text) => text;
}

export const noPaint: Paint = (_style, text) => text;
