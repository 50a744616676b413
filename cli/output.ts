// How the CLI talks: machine JSON on stdout with --json, else tables and colour in a terminal and plain
// text when piped; progress bars on stderr in a terminal only; errors as typed exit codes.
import { styleText } from 'node:util';
import { SingleBar } from 'cli-progress';
import Table from 'cli-table3';

/** The documented exit codes (docs/cli.md, `signpost --help`). */
export const EXIT = {
  ok: 0,
  /** Something failed while running: local services, I/O, a source. */
  failure: 1,
  /** The command line is wrong: unknown command or option, a bad value, an unknown scenario. */
  usage: 2,
  /** A scenario file is invalid (`validate`, or any command that loads scenarios). */
  invalid: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error the user can act on: printed as one line, and the process ends with its exit code. */
export class CliError extends Error {
  readonly exitCode: ExitCode;
  constructor(message: string, exitCode: ExitCode = EXIT.failure) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT.usage);
    this.name = 'UsageError';
  }
}

type Style = Parameters<typeof styleText>[0];

export interface Progress {
  tick(label?: string): void;
  stop(): void;
}

export interface OutputStreams {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

export class Output {
  readonly json: boolean;
  readonly #streams: OutputStreams;

  constructor(json: boolean, streams: OutputStreams = process) {
    this.json = json;
    this.#streams = streams;
  }

  get tty(): boolean {
    return this.#streams.stdout.isTTY === true;
  }

  /** A line of human output; none with --json, so stdout holds only the JSON document. */
  line(text = ''): void {
    if (!this.json) this.#streams.stdout.write(`${text}\n`);
  }

  /** A status line on stderr, in both modes (what is starting, where things were written). */
  note(text: string): void {
    this.#streams.stderr.write(`${text}\n`);
  }

  /** The machine result: written only with --json. */
  result(value: unknown): void {
    if (this.json) this.#streams.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** One JSON document per line, for commands that keep running (`start --json`). */
  jsonLine(value: unknown): void {
    this.#streams.stdout.write(`${JSON.stringify(value)}\n`);
  }

  /** Colour when the target stream is a terminal; node:util honours NO_COLOR and FORCE_COLOR. */
  style(format: Style, text: string): string {
    return styleText(format, text, { stream: this.#streams.stdout as NodeJS.WriteStream });
  }

  /**
   * Bordered in a terminal, with no rule between rows (a 53-month timeline stays 53 lines); aligned
   * columns without borders when piped, so `grep`/`awk` work.
   */
  table(head: string[], rows: (string | number)[][], align: ('left' | 'right')[] = []): string {
    const plain = !this.tty;
    const table = new Table({
      head: head.map((h) => this.style('bold', h)),
      colAligns: align,
      style: {
        head: [],
        border: [],
        compact: true,
        'padding-left': plain ? 0 : 1,
        'padding-right': plain ? 2 : 1,
      },
      ...(plain ? { chars: PLAIN_CHARS } : {}),
    });
    table.push(...rows.map((r) => r.map(String)));
    const text = table.toString();
    return plain ? text.replace(/[ \t]+$/gm, '') : text;
  }

  /** A progress bar on stderr, only when stderr is a terminal (logs and pipes stay clean). */
  progress(title: string, total: number): Progress {
    if (!this.#streams.stderr.isTTY || total === 0) return { tick() {}, stop() {} };
    const bar = new SingleBar({
      format: `${title} [{bar}] {value}/{total} {label}`,
      stream: this.#streams.stderr,
      hideCursor: true,
      clearOnComplete: true,
    });
    bar.start(total, 0, { label: '' });
    return {
      tick: (label = '') => bar.increment(1, { label }),
      stop: () => bar.stop(),
    };
  }
}

const PLAIN_CHARS = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '',
  'mid-mid': '',
  right: '',
  'right-mid': '',
  middle: '',
};

/** What an evaluation raised, as the timelines of `replay` and `start` list it. */
export interface RaisedAlerts {
  shift: { kind: 'path-shift' | 'reverted'; sequence: number; from: string; to: string } | null;
  warning: { sequence: number; from: string | null; to: string; probability: number } | null;
  events?: { kind: string; sequence: number; indicators: string[] }[];
}

/**
 * Every alert an evaluation raised, in the order of their numbers: `SHIFT baseline->risk`, `REVERTED
 * risk->baseline`, `WARN baseline->risk 62%` (the chance the confirmed path changes within the horizon;
 * no `from` before the first confirmed path), `data-stale ind-a,ind-b`.
 */
export function raisedAlerts(raised: RaisedAlerts, arrow = '->'): { sequence: number; text: string }[] {
  const { shift, warning, events = [] } = raised;
  return [
    ...(shift
      ? [
          {
            sequence: shift.sequence,
            text: `${shift.kind === 'reverted' ? 'REVERTED' : 'SHIFT'} ${shift.from}${arrow}${shift.to}`,
          },
        ]
      : []),
    ...(warning
      ? [
          {
            sequence: warning.sequence,
            text: `WARN ${warning.from === null ? '' : `${warning.from}${arrow}`}${warning.to} ${Math.round(warning.probability * 100)}%`,
          },
        ]
      : []),
    ...events.map((e) => ({ sequence: e.sequence, text: `${e.kind} ${e.indicators.join(',')}` })),
  ].sort((x, y) => x.sequence - y.sequence);
}

/** A count with its noun, singular for one: `1 indicator`, `4 indicators`. */
export function counted(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}

/** A probability as a percentage with one decimal, e.g. `84.9%`. */
export function percent(p: number | undefined): string {
  return p === undefined ? '-' : `${(p * 100).toFixed(1)}%`;
}
