import { Command, CommanderError } from 'commander';
import { commonErrors } from '../common/common-errors.ts';
import { isVigilError, ExitCode } from '../common/errors.ts';

/**
 * What every command action gets: where to print, and how to report its exit code.
 * Actions return an exit code (0, 1, 99); thrown VigilErrors become `error[CODE] message` on stderr.
 */
export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

export type Action<A extends unknown[]> = (...args: A) => Promise<number> | number;

/** Holds the exit code of whichever action ran. */
export class ExitCodeBox {
  code: number = ExitCode.ok;
}

/** Wraps an action so its return value becomes the process exit code. */
export function action<A extends unknown[]>(box: ExitCodeBox, fn: Action<A>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    box.code = await fn(...args);
  };
}

/** A commander Command configured the vigil way: errors thrown, not printed and exited. */
export function newCommand(name: string, io: CliIO): Command {
  const cmd = new Command(name);
  configure(cmd, io);
  return cmd;
}

export function configure(cmd: Command, io: CliIO): Command {
  return cmd
    .exitOverride()
    .showHelpAfterError(false)
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: () => { /* commander errors are mapped to coded errors in runProgram */ },
    });
}

/** Runs a program, mapping commander and vigil errors to coded messages and exit codes. */
export async function runProgram(program: Command, argv: string[], io: CliIO, box: ExitCodeBox): Promise<number> {
  try {
    await program.parseAsync(argv);
    return box.code;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return ExitCode.ok;
      const coded = mapCommanderError(err);
      io.stderr.write(`vigil: error[${coded.code}] ${coded.message}\n`);
      return ExitCode.usage;
    }
    if (isVigilError(err)) {
      io.stderr.write(`vigil: error[${err.code}] ${err.message}\n`);
      return err.exitCode;
    }
    io.stderr.write(`vigil: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
    return ExitCode.usage;
  }
}

function mapCommanderError(err: CommanderError): { code: string; message: string } {
  const text = err.message.replace(/^error: /, '');
  if (err.code === 'commander.unknownOption') {
    const option = /'([^']+)'/.exec(text)?.[1] ?? text;
    const e = commonErrors.VIGIL_CLI_UNKNOWN_OPTION({ option });
    return { code: e.code, message: e.message };
  }
  if (err.code === 'commander.unknownCommand') {
    const command = /'([^']+)'/.exec(text)?.[1] ?? text;
    const e = commonErrors.VIGIL_CLI_UNKNOWN_COMMAND({ command });
    return { code: e.code, message: e.message };
  }
  return { code: 'VIGIL_CLI_USAGE', message: text };
}

/** Collects a repeatable option (`--threshold a --threshold b`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/**
 * Runs `fn` with SIGINT/SIGTERM routed to `onStop` (each signal once), then restores the defaults.
 * Every command that stops gracefully (load run, capacity, watch, soak, schedule) goes through this.
 */
export async function withStopSignals<T>(onStop: (signal: NodeJS.Signals) => void, fn: () => Promise<T>): Promise<T> {
  process.once('SIGINT', onStop);
  process.once('SIGTERM', onStop);
  try {
    return await fn();
  } finally {
    process.off('SIGINT', onStop);
    process.off('SIGTERM', onStop);
  }
}

/** Resolves on the first SIGINT or SIGTERM (for servers that run until stopped). */
export function untilStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
