import { strict as assert } from 'node:assert';
import { extractDraft } from '../../../src/draft/extract';
import { readFixture, span } from './helpers';

describe('draft extraction: line endings and title blocks', () => {
  it('CRLF LaTeX gives the same text and ranges as LF', () => {
    const lf = readFixture('cvpr.tex');
    const a = extractDraft(lf, { fileName: 'cvpr.tex' });
    const b = extractDraft(lf.replace(/\n/g, '\r\n'), { fileName: 'cvpr.tex' });
    assert.equal(b.title, a.title);
    assert.equal(b.abstract, a.abstract);
    assert.equal(span(b.titleRange), span(a.titleRange));
    assert.equal(span(b.abstractRange), span(a.abstractRange));
  });

  it('CRLF Markdown with YAML front matter', () => {
    const crlf = readFixture('yaml-block.md').replace(/\n/g, '\r\n');
    const draft = extractDraft(crlf, { fileName: 'x.md' });
    assert.equal(draft.title, 'Neural Operators for Weather Downscaling');
    assert.equal(
      draft.abstract,
      'We train a Fourier neural operator to downscale ERA5 reanalysis from 25 km to 2.5 km resolution. It matches a dynamical model at 1/1000 of the cost.',
    );
    assert.equal(span(draft.titleRange), '1:8-1:48');
  });

  it("Pandoc's `% Title` block", () => {
    const draft = extractDraft('% Sheaf Neural Networks\n% A. Author\n% 2024\n\n**Abstract:** Sheaves generalise graphs.\n\nBody.\n', {
      fileName: 'sheaf.md',
    });
    assert.equal(draft.title, 'Sheaf Neural Networks');
    assert.equal(span(draft.titleRange), '0:2-0:23');
    assert.equal(draft.abstract, 'Sheaves generalise graphs.');
  });

  it('a UTF-8 byte order mark is ignored', () => {
    const draft = extractDraft('\uFEFF---\ntitle: BOM Title\n---\n', { fileName: 'bom.md' });
    assert.equal(draft.title, 'BOM Title');
  });
});
