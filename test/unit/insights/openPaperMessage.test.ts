import { strict as assert } from 'node:assert';
import { parseSidebarMessage } from '../../../src/webview/messages';

describe('sidebar message openPaper (papers like yours)', function () {
  it('accepts an arXiv id and nothing else', function () {
    assert.deepEqual(parseSidebarMessage({ type: 'openPaper', id: '2101.01234' }), { type: 'openPaper', id: '2101.01234' });
    assert.deepEqual(parseSidebarMessage({ type: 'openPaper', id: 'hep-th/9901001v2' }), { type: 'openPaper', id: 'hep-th/9901001v2' });
    for (const id of ['https://evil.example', 'javascript:alert(1)', '2101.01234#x', '', undefined, { toString: () => '2101.01234' }]) {
      assert.equal(parseSidebarMessage({ type: 'openPaper', id }), undefined, String(id));
    }
  });
});
