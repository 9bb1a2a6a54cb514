/**
 * Reading a file that should be an ordinary file (a draft, an include, a model file) without trusting it:
 * only regular files, never FIFOs, devices, sockets or pseudo file systems (whose files look regular but
 * are endless, like /proc/self/pagemap), with a byte cap counted while reading (stat sizes lie).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Why a file was not read: absent, a folder, a FIFO/device/socket/pseudo-file, over the cap, or an I/O error. */
export type ReadProblem = 'missing' | 'folder' | 'special' | 'too-large' | 'unreadable';

export type ReadOutcome =
  | { ok: true; bytes: Buffer }
  | { ok: false; problem: ReadProblem; /** absent or a folder: another spelling may be tried */ missing: boolean; reason: string };

function fail(problem: ReadProblem, reason: string): ReadOutcome {
  return { ok: false, problem, missing: problem === 'missing' || problem === 'folder', reason };
}

/** Pseudo file systems whose files look regular but are endless or describe the machine, not a paper. */
const SPECIAL_PREFIXES = ['/proc', '/sys', '/dev'];
/** statfs magic numbers (Linux) of procfs, sysfs, debugfs, securityfs, cgroup(2), devpts, tracefs, configfs. */
const SPECIAL_FS_TYPES = new Set([0x9fa0, 0x62656572, 0x64626720, 0x73636673, 0x27e0eb, 0x63677270, 0x1cd1, 0x74726163, 0x62656570]);
const CHUNK = 1024 * 1024;

const O_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOCTTY ?? 0) | (fs.constants.O_NOFOLLOW ?? 0);

/** True when `p` is `dir` or inside it (both absolute, already normalised). */
export function isInside(p: string, dir: string): boolean {
  const rel = path.relative(dir, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function onSpecialFs(real: string): boolean {
  if (process.platform !== 'win32' && SPECIAL_PREFIXES.some((pre) => isInside(real, pre))) return true;
  try {
    return SPECIAL_FS_TYPES.has(Number(fs.statfsSync(real).type));
  } catch {
    return false;
  }
}

/**
 * Reads a regular file, at most `maxBytes` (counted while reading). Refuses FIFOs, devices, sockets,
 * directories and files on pseudo file systems without ever blocking on them.
 */
export function readRegularFile(file: string, maxBytes: number): ReadOutcome {
  let real: string;
  try {
    real = fs.realpathSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? fail('missing', `File not found: ${file}`) : fail('unreadable', `Could not read ${file}: ${(e as Error).message}`);
  }
  if (onSpecialFs(real)) return fail('special', `Not read: ${file} is on a system pseudo file system (${real}), not a regular file.`);
  let fd: number;
  try {
    // Non-blocking open: a FIFO without a writer would otherwise hang here.
    fd = fs.openSync(real, O_FLAGS);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') return fail('folder', `Not a regular file: ${file}`);
    if (code === 'ELOOP') return fail('unreadable', `Not read: ${file} changed into a symbolic link while being opened.`);
    return fail('unreadable', `Could not read ${file}: ${(e as Error).message}`);
  }
  try {
    const st = fs.fstatSync(fd);
    if (st.isDirectory()) return fail('folder', `Not a regular file: ${file}`);
    if (!st.isFile()) return fail('special', `Not a regular file: ${file} (${kindOf(st)}): not read.`);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(CHUNK, maxBytes + 1 - total));
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      chunks.push(n === buf.length ? buf : buf.subarray(0, n));
      total += n;
      if (total > maxBytes) {
        return fail('too-large', `Not read: ${file} is larger than ${maxBytes.toLocaleString('en-US')} bytes.`);
      }
    }
    return { ok: true, bytes: Buffer.concat(chunks, total) };
  } catch (e) {
    return fail('unreadable', `Could not read ${file}: ${(e as Error).message}`);
  } finally {
    fs.closeSync(fd);
  }
}

function kindOf(st: fs.Stats): string {
  if (st.isFIFO()) return 'a named pipe';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a plain file';
}

