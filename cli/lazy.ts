import type { Command } from 'commander';
import type { CliIO, ExitCodeBox } from './program.ts';

/** Registers a command (and its subcommands) on `parent`. `words` are argv's positional words. */
export type Register = (parent: Command, io: CliIO, box: ExitCodeBox, words: readonly string[]) => void | Promise<void>;

/** One row of a command table: its name and one-line help, and how to load its module. */
export interface LazyCommand {
  readonly name: string;
  readonly description: string;
  readonly load: () => Promise<Register>;
}

/**
 * Registers the commands of a table so that only the one argv names is loaded: its module (and
 * the libraries behind it) is imported; every other command is a stub with its name and
 * description, enough for `--help` and for commander to report an unknown command. Start-up
 * then costs what the command used needs, not what all commands import (express, onnxruntime...).
 * `depth` is the position of this table's word among argv's positional words.
 */
export async function registerLazily(parent: Command, table: readonly LazyCommand[], depth: number, io: CliIO, box: ExitCodeBox, words: readonly string[]): Promise<void> {
  const chosen = table.find((c) => c.name === words[depth]);
  if (chosen) await (await chosen.load())(parent, io, box, words);
  for (const c of table) {
    if (!parent.commands.some((x) => x.name() === c.name)) parent.command(c.name).description(c.description);
  }
}

/** The positional words of argv (after node and the script): `vigil load run -c 5 URL` → load, run, 5, URL; `help X` → X. */
export function positionalWords(argv: readonly string[]): string[] {
  const words = argv.slice(2).filter((a) => !a.startsWith('-'));
  return words[0] === 'help' ? words.slice(1) : words;
}
