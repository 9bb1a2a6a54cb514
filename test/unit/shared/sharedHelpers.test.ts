import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { errorMessage } from '../../../src/shared/errors';
import { sha256, sha256File, sha256Files } from '../../../src/shared/hash';
import { formatVocabTxt, parseVocabTxt } from '../../../src/model/text/vocabTxt';

describe('shared helpers', () => {
  it('errorMessage: Error, wire error object, anything else; one trailing period dropped', () => {
    assert.equal(errorMessage(new Error('Could not read x.')), 'Could not read x');
    assert.equal(errorMessage(new Error('v1.2')), 'v1.2');
    assert.equal(errorMessage({ code: -32603, message: 'boom' }), 'boom');
    assert.equal(errorMessage('plain'), 'plain');
    assert.equal(errorMessage(42), '42');
    assert.equal(errorMessage(null), 'null');
    assert.equal(errorMessage({ message: 7 }), '[object Object]');
  });

  it('sha256 of text is of its UTF-8 bytes; files are hashed one after another', async () => {
    assert.equal(sha256(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.equal(sha256('é'), sha256(Buffer.from('é', 'utf8')));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hash-'));
    try {
      const a = path.join(dir, 'a'), b = path.join(dir, 'b');
      fs.writeFileSync(a, 'hello ');
      fs.writeFileSync(b, Buffer.alloc(3 << 20, 7)); // spans several stream chunks
      const whole = createHash('sha256').update('hello ').update(Buffer.alloc(3 << 20, 7)).digest('hex');
      assert.equal(await sha256Files([a, b]), whole);
      assert.equal(await sha256File(a), sha256('hello '));
      await assert.rejects(sha256File(path.join(dir, 'missing')), /ENOENT/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('vocab.txt: ids are line numbers, empty lines keep theirs, CRLF read, round trip exact', () => {
    assert.deepEqual(parseVocabTxt('[PAD]\r\n\r\n##a\n', 'v'), ['[PAD]', '', '##a']);
    assert.deepEqual(parseVocabTxt('a\nb', 'v'), ['a', 'b']);
    const tokens = ['[PAD]', '[UNK]', 'x', '##y'];
    assert.deepEqual(parseVocabTxt(formatVocabTxt(tokens), 'v'), tokens);
    assert.throws(() => parseVocabTxt('a\0b\n', 'bundle/vocab.txt'), /bundle\/vocab.txt: not a vocab.txt/);
    assert.throws(() => parseVocabTxt('\n\n', 'v'), /empty/);
  });
});
