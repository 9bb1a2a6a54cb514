/**
 * One long-lived Apertium pipeline per translation direction, fed many texts in null-flush mode.
 *
 * A mode (/usr/share/apertium/modes/eng-spa.mode) is a shell pipeline of lt-proc, apertium-tagger,
 * apertium-transfer, ... We run its stages ourselves, each spawned with an argument array and its
 * null-flush flag (-z), connected by pipes: each text we write, terminated by a NUL byte, comes out
 * translated and terminated by a NUL byte, without restarting the pipeline (start-up dominates single-text
 * calls). We do not go through the `apertium` script: it reads `/dev/stdin`, which cannot be opened when
 * stdin is a Node pipe (a socket), and its text deformatter drops NUL bytes. We escape Apertium's
 * reserved characters ourselves instead. Each text is prefixed with a superblank "[aug<n>]" that Apertium
 * passes through untouched; reading it back checks that outputs and requests never get out of step.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StringDecoder } from 'node:string_decoder';

export class ApertiumMissingError extends Error {
  constructor(detail: string) {
    super(
      `Apertium English<->Spanish is not available (${detail}). Back-translation needs it: ` +
        'install it with `sudo apt-get install apertium-eng-spa`, or use the synonym/EDA augmenters instead.',
    );
    this.name = 'ApertiumMissingError';
  }
}

export class ApertiumError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApertiumError';
  }
}

export type ApertiumMode = 'eng-spa' | 'spa-eng';

export const DEFAULT_MODES_DIR = '/usr/share/apertium/modes';

export interface ApertiumProcessOptions {
  /** Folder with the `<mode>.mode` files (default /usr/share/apertium/modes). */
  modesDir?: string;
  /** Folder with lt-proc, apertium-tagger, ... (default: looked up on PATH). */
  binDir?: string;
  /** Time allowed for one text once it is at the head of the queue (default 60 s). */
  timeoutMs?: number;
  /** Called each time the pipeline is (re)started (tests check a warm cache starts none). */
  onSpawn?: () => void;
}

/** One stage of a mode pipeline: program and arguments. */
export interface Stage {
  cmd: string;
  args: string[];
}

/** Programs of Apertium pipelines that understand -z (null flush). */
const NULL_FLUSH_TOOLS = new Set([
  'lt-proc',
  'apertium-tagger',
  'apertium-pretransfer',
  'apertium-transfer',
  'apertium-interchunk',
  'apertium-postchunk',
  'lrx-proc',
  'cg-proc',
  'apertium-posttransfer',
]);

/**
 * Parses a .mode file into stages with -z added. `$1` is the generator flag (-n: no unknown-word marks,
 * as `apertium -u` does) and `$2` the tagger flag (empty). Throws on anything that is not a plain pipeline.
 */
export function parseMode(modeText: string): Stage[] {
  const stages: Stage[] = [];
  for (const part of modeText.trim().split(/\s*\|\s*(?=(?:[^']*'[^']*')*[^']*$)/)) {
    const words: string[] = [];
    for (const m of part.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)) {
      const w = m[1] ?? m[2] ?? m[3];
      if (w === '$1') words.push('-n');
      else if (w === '$2') continue;
      else if (/[;&<>`$()]/.test(w) && m[3] !== undefined) throw new ApertiumError(`unsupported mode syntax: ${part}`);
      else words.push(w);
    }
    if (!words.length) continue;
    const [cmd, ...args] = words;
    if (NULL_FLUSH_TOOLS.has(path.basename(cmd)) && !args.includes('-z')) args.unshift('-z');
    stages.push({ cmd, args });
  }
  if (!stages.length) throw new ApertiumError('empty mode file');
  return stages;
}

/** Reads and parses `<modesDir>/<mode>.mode`; ApertiumMissingError when it is not installed. */
export function loadMode(mode: ApertiumMode, modesDir = DEFAULT_MODES_DIR): { file: string; text: string; stages: Stage[] } {
  const file = path.join(modesDir, `${mode}.mode`);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new ApertiumMissingError(`${file} not found`);
  }
  return { file, text, stages: parseMode(text) };
}

interface Pending {
  id: number;
  resolve: (s: string) => void;
  reject: (e: Error) => void;
}

/** Characters with a meaning in Apertium's stream format; escaped with a backslash. */
const RESERVED = /[\\[\]^$/@<>{}*#~|]/g;

/** Text -> Apertium stream format (what apertium-destxt would produce, minus its sentence-end marks). */
export function toStream(text: string): string {
  // NUL would end the record early; other control characters become spaces.
  // eslint-disable-next-line no-control-regex -- Apertium's stream format cannot carry control characters
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ').replace(/\s+/g, ' ').replace(RESERVED, '\\$&');
}

/** Apertium stream format -> text: drops superblanks and unescapes. */
export function fromStream(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '\\' && i + 1 < s.length) {
      out += s[++i]; // escaped character: literal
    } else if (ch === '[') {
      // superblank: skip to its unescaped closing bracket
      i++;
      while (i < s.length && s[i] !== ']') i += s[i] === '\\' ? 2 : 1;
      out += ' ';
    } else {
      out += ch;
    }
  }
  return out.replace(/\s+/g, ' ').trim();
}

export class ApertiumProcess {
  private children: ChildProcess[] = [];
  private input: NodeJS.WritableStream | null = null;
  private readonly pending: Pending[] = [];
  private buffer = '';
  private decoder = new StringDecoder('utf8');
  private stderr = '';
  private nextId = 1;
  private timer: NodeJS.Timeout | null = null;
  private readonly timeoutMs: number;

  constructor(
    readonly mode: ApertiumMode,
    private readonly opts: ApertiumProcessOptions = {},
  ) {
    this.timeoutMs = opts.timeoutMs ?? 60_000;
  }

  /** Translates one text; calls are queued and written to the running pipeline at once. */
  translate(text: string): Promise<string> {
    let input: NodeJS.WritableStream;
    try {
      input = this.ensureStarted();
    } catch (e) {
      return Promise.reject(e);
    }
    const id = this.nextId++;
    return new Promise<string>((resolve, reject) => {
      this.pending.push({ id, resolve, reject });
      if (this.pending.length === 1) this.armTimer();
      // A trailing blank keeps the last word's punctuation (without it the final "." is lost).
      input.write(`[aug${id}]${toStream(text)} \u0000`);
    });
  }

  /** Ends every stage; pending translations are rejected. */
  close(): void {
    this.stop();
    this.failAll(new ApertiumError(`apertium ${this.mode} was closed`));
  }

  private stop(): void {
    const children = this.children;
    this.children = [];
    this.input = null;
    this.clearTimer();
    for (const c of children) {
      c.stdin?.destroy();
      c.stdout?.destroy();
      c.stderr?.destroy();
      // Only a child that really started has a pid: killing a failed spawn would signal pid 0, i.e. our own
      // process group.
      if (typeof c.pid === 'number' && c.pid > 0 && c.exitCode === null && c.signalCode === null) {
        try {
          c.kill('SIGTERM');
        } catch {
          /* already gone */
        }
      }
    }
  }

  /** Starts the pipeline if needed and returns its input stream. */
  private ensureStarted(): NodeJS.WritableStream {
    if (this.input) return this.input;
    const { stages } = loadMode(this.mode, this.opts.modesDir);
    this.buffer = '';
    this.stderr = '';
    this.decoder = new StringDecoder('utf8');
    this.opts.onSpawn?.();
    const children: ChildProcess[] = [];
    this.children = children;
    const env = { ...process.env, LC_ALL: 'C.UTF-8' };
    let prev: ChildProcess | null = null;
    for (const st of stages) {
      const cmd = this.opts.binDir && !st.cmd.includes('/') ? path.join(this.opts.binDir, st.cmd) : st.cmd;
      const child: ChildProcess = spawn(cmd, st.args, {
        stdio: [prev ? prev.stdout! : 'pipe', 'pipe', 'pipe'],
        env,
      });
      children.push(child);
      // The next stage now holds its own copy of this pipe; the parent's copy would keep the event loop alive.
      if (prev) prev.stdout!.destroy();
      child.stderr!.on('data', (chunk: Buffer) => {
        if (this.stderr.length < 4000) this.stderr += chunk.toString('utf8');
      });
      child.on('error', (err: NodeJS.ErrnoException) => {
        if (this.children !== children) return;
        const e =
          err.code === 'ENOENT' || err.code === 'EACCES'
            ? new ApertiumMissingError(`cannot run "${cmd}": ${err.code}`)
            : new ApertiumError(`apertium ${this.mode} stage ${st.cmd} failed: ${err.message}`);
        this.fatal(e);
      });
      child.on('exit', (code, sig) => {
        if (this.children !== children) return;
        const msg = this.stderr.trim();
        this.fatal(
          new ApertiumError(
            `apertium ${this.mode} stage ${st.cmd} exited (code ${code}, signal ${sig})${msg ? `: ${msg.slice(0, 500)}` : ''}`,
          ),
        );
      });
      prev = child;
    }
    // Intermediate stdout streams are owned by the next stage's stdin; only the last one is read here.
    prev!.stdout!.on('data', (chunk: Buffer) => this.onData(chunk));
    const input = children[0].stdin!;
    input.on('error', () => {
      /* EPIPE when a stage died: reported by its 'exit'/'error' */
    });
    this.input = input;
    return input;
  }

  private onData(chunk: Buffer): void {
    this.buffer += this.decoder.write(chunk);
    let nul: number;
    while ((nul = this.buffer.indexOf('\u0000')) >= 0) {
      const record = this.buffer.slice(0, nul);
      this.buffer = this.buffer.slice(nul + 1);
      this.onRecord(record);
    }
  }

  private onRecord(record: string): void {
    const m = /\[aug(\d+)\]/.exec(record);
    if (!m) {
      // Stages emit extra empty records when their input ends; anything else is a desync.
      if (record.trim() === '') return;
      this.fatal(new ApertiumError(`apertium ${this.mode}: output without its request marker: ${record.slice(0, 200)}`));
      return;
    }
    const head = this.pending[0];
    if (!head || Number(m[1]) !== head.id) {
      this.fatal(new ApertiumError(`apertium ${this.mode}: output for request ${m[1]} while waiting for ${head?.id}`));
      return;
    }
    this.pending.shift();
    this.clearTimer();
    if (this.pending.length) this.armTimer();
    head.resolve(fromStream(record.replace(m[0], ' ')));
  }

  /** Unrecoverable state (desync, timeout, dead stage): stop the pipeline, fail the queue; next call restarts. */
  private fatal(err: Error): void {
    this.stop();
    this.failAll(err);
  }

  private failAll(err: Error): void {
    const list = this.pending.splice(0);
    for (const p of list) p.reject(err);
  }

  private armTimer(): void {
    this.clearTimer();
    this.timer = setTimeout(
      () => this.fatal(new ApertiumError(`apertium ${this.mode}: no output within ${this.timeoutMs} ms`)),
      this.timeoutMs,
    );
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
