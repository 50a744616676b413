// How the CLI writes: plain columns when piped, borders in a terminal, JSON alone on stdout with --json.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Output } from '../../cli/output.ts';

function stream(isTTY: boolean) {
  const chunks: string[] = [];
  const writable = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  }) as Writable & { isTTY?: boolean };
  writable.isTTY = isTTY;
  return { writable, text: () => chunks.join('') };
}

describe('Output', () => {
  it('writes a piped table as plain aligned columns, without borders or escape codes', () => {
    // Arrange
    const stdout = stream(false);
    const out = new Output(false, { stdout: stdout.writable, stderr: stream(false).writable });

    // Act
    const table = out.table(['as of', 'risk'], [['2024-02-01', '85.1%']], ['left', 'right']);

    // Assert
    expect(table.split('\n')).toEqual(['as of        risk', '2024-02-01  85.1%']);
  });

  it('draws borders in a terminal', () => {
    const out = new Output(false, { stdout: stream(true).writable, stderr: stream(true).writable });

    const table = out.table(['as of'], [['2024-02-01']]);

    expect(table).toContain('┌');
    expect(table).toContain('│ 2024-02-01 │');
  });

  it('draws no rule between the rows of a terminal table, so a long timeline stays one line a row', () => {
    const out = new Output(false, { stdout: stream(true).writable, stderr: stream(true).writable });

    const table = out.table(['as of'], [['2024-01-01'], ['2024-02-01'], ['2024-03-01']]);

    // top border, head, the rule under the head, three rows, bottom border
    expect(table.split('\n')).toHaveLength(7);
    expect(table.match(/├/g)).toHaveLength(1);
  });

  it('with --json keeps human lines off stdout, so stdout parses as one JSON document', () => {
    // Arrange
    const stdout = stream(false);
    const stderr = stream(false);
    const out = new Output(true, { stdout: stdout.writable, stderr: stderr.writable });

    // Act
    out.line('Replaying kupyansk');
    out.note('Preparing an isolated table');
    out.result({ steps: 3 });

    // Assert
    expect(JSON.parse(stdout.text())).toEqual({ steps: 3 });
    expect(stderr.text()).toBe('Preparing an isolated table\n');
  });

  it('shows no progress bar when stderr is not a terminal', () => {
    const stderr = stream(false);
    const out = new Output(false, { stdout: stream(false).writable, stderr: stderr.writable });

    const progress = out.progress('replay', 10);
    progress.tick('2024-01-01');
    progress.stop();

    expect(stderr.text()).toBe('');
  });
});
