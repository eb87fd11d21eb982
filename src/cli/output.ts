// Where the shell's results go: standard output, or a file chosen by `.output FILE` (until
// `.output` alone) or `.once FILE` (for the next command only). Errors always go to standard error.
// Files are written synchronously, a chunk at a time, so a long result streams to disk without
// being held in memory.
import { closeSync, openSync, writeSync } from 'node:fs';

export class OutputTarget {
  private fd: number | null = null;
  private file = '';
  /** Commands left before a `.once` redirection ends (the `.once` line itself counts as one). */
  private onceLeft = 0;

  constructor(private readonly stdout: (text: string) => void) {}

  write(text: string): void {
    if (text === '') return;
    if (this.fd === null) this.stdout(text);
    else writeSync(this.fd, text);
  }

  /** The file being written, or null for standard output. */
  get current(): string | null {
    return this.fd === null ? null : this.file;
  }

  /** Sends output to `file` (created or truncated). Throws a user-facing message when it cannot. */
  redirect(file: string, once: boolean): void {
    let fd: number;
    try {
      fd = openSync(file, 'w');
    } catch (e) {
      // Not `instanceof Error`: errors of Node's fs may come from another realm (jest's vm).
      const code = typeof e === 'object' && e !== null && 'code' in e ? ` (${String(e.code)})` : '';
      throw new Error(`cannot open "${file}"${code}`);
    }
    this.reset();
    this.fd = fd;
    this.file = file;
    this.onceLeft = once ? 2 : 0;
  }

  /** Back to standard output. */
  reset(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    this.file = '';
    this.onceLeft = 0;
  }

  /** Called after every command (dot-command or SQL text): ends a `.once` after the next one. */
  commandDone(): void {
    if (this.onceLeft > 0 && --this.onceLeft === 0) this.reset();
  }
}
