// Captures what a command writes, for checking exit codes and output together.
import { Readable, Writable } from 'node:stream';
import type { CommandIo } from '../../src/commands/command.js';

export interface CapturedIo extends CommandIo {
  out(): string;
  err(): string;
}

function collector(chunks: string[]): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback): void {
      chunks.push(chunk.toString('utf8'));
      callback();
    },
  });
}

export function captureIo(stdin = ''): CapturedIo {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout: collector(stdout),
    stderr: collector(stderr),
    stdin: Readable.from([stdin]),
    out: () => stdout.join(''),
    err: () => stderr.join(''),
  };
}
