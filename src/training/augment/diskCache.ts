/**
 * A small append-only string cache on disk, sharded by the first two hex digits of a SHA-256 key:
 * `<dir>/<xx>.jsonl`, one `{"k":..,"v":..}` line per entry. A shard is read once, on its first lookup,
 * so a warm run over thousands of texts costs 256 file reads at most. Writes are buffered and appended
 * on flush(); a torn or corrupt line (e.g. two processes appending at once) is skipped, never fatal.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';


export class ShardedDiskCache {
  private readonly shards = new Map<string, Map<string, string>>();
  private readonly unwritten = new Map<string, string[]>();

  constructor(readonly dir: string) {}

  get(key: string): string | undefined {
    return this.shard(key).get(key);
  }

  set(key: string, value: string): void {
    const shard = this.shard(key);
    if (shard.get(key) === value) return;
    shard.set(key, value);
    const name = key.slice(0, 2);
    let lines = this.unwritten.get(name);
    if (!lines) this.unwritten.set(name, (lines = []));
    lines.push(JSON.stringify({ k: key, v: value }) + '\n');
  }

  /** Appends buffered entries to their shard files (creating the folder when needed). */
  flush(): void {
    if (this.unwritten.size === 0) return;
    fs.mkdirSync(this.dir, { recursive: true });
    for (const [name, lines] of this.unwritten) {
      fs.appendFileSync(path.join(this.dir, `${name}.jsonl`), lines.join(''), 'utf8');
    }
    this.unwritten.clear();
  }

  private shard(key: string): Map<string, string> {
    if (!/^[0-9a-f]{2}/.test(key)) throw new Error(`cache key must be lower-case hex, got "${key.slice(0, 16)}"`);
    const name = key.slice(0, 2);
    let shard = this.shards.get(name);
    if (shard) return shard;
    shard = new Map();
    this.shards.set(name, shard);
    let text: string;
    try {
      text = fs.readFileSync(path.join(this.dir, `${name}.jsonl`), 'utf8');
    } catch {
      return shard; // no shard yet
    }
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        const e = JSON.parse(line) as { k?: unknown; v?: unknown };
        if (typeof e.k === 'string' && typeof e.v === 'string') shard.set(e.k, e.v);
      } catch {
        /* torn line: ignore */
      }
    }
    return shard;
  }
}
