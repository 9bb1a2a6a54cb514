import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { extractDraft, extractDraftFromFile, findTexRoot } from '../../../src/draft/extract';
import { diskReader, fixture, readFixture, span, textAt } from './helpers';

describe('draft extraction: LaTeX includes and root files', () => {
  it('follows \\input two levels deep (main -> sections/front -> sections/abstract), expanding \\newcommand', () => {
    const draft = extractDraftFromFile(fixture('includes/main.tex'));
    assert.equal(draft.title, 'GraphMix: Mixing Node Features for Semi-Supervised Graph Learning');
    assert.equal(
      draft.abstract,
      'We present GraphMix, a regulariser for graph neural networks that interpolates hidden states of labelled and unlabelled nodes. GraphMix improves node classification on Cora, Citeseer and Pubmed.',
    );
    assert.deepEqual(draft.files, [
      fixture('includes/main.tex'),
      fixture('includes/sections/front.tex'),
      fixture('includes/sections/abstract.tex'),
    ]);
    // Ranges point into the file where the text is, so hovers work there.
    assert.equal(draft.titleRange?.file, fixture('includes/sections/front.tex'));
    assert.equal(span(draft.titleRange), '1:7-1:69');
    assert.equal(draft.abstractRange?.file, fixture('includes/sections/abstract.tex'));
    assert.equal(span(draft.abstractRange), '1:0-3:58');
    assert.deepEqual(draft.warnings, []);
  });

  it('a file:// URI as the document name still resolves includes (ranges of included files use paths)', () => {
    const uri = 'file://' + fixture('includes/main.tex');
    const draft = extractDraft(readFixture('includes/main.tex'), { fileName: uri, readFile: diskReader });
    assert.equal(draft.title, 'GraphMix: Mixing Node Features for Semi-Supervised Graph Learning');
    assert.deepEqual(draft.files, [uri, fixture('includes/sections/front.tex'), fixture('includes/sections/abstract.tex')]);
  });

  it('stops reading includes once title and abstract are known (intro.tex is not read)', () => {
    const read: string[] = [];
    const draft = extractDraft(readFixture('includes/main.tex'), {
      fileName: fixture('includes/main.tex'),
      readFile: (p) => {
        read.push(p);
        return diskReader(p);
      },
    });
    assert.equal(draft.title, 'GraphMix: Mixing Node Features for Semi-Supervised Graph Learning');
    assert.deepEqual(read, [fixture('includes/sections/front.tex'), fixture('includes/sections/abstract.tex')]);
  });

  it('without a readFile, includes are not followed and the warning says why', () => {
    const draft = extractDraft(readFixture('includes/main.tex'), { fileName: fixture('includes/main.tex') });
    assert.equal(draft.title, undefined);
    assert.equal(draft.abstract, undefined);
    assert.deepEqual(draft.warnings, [
      "No title found: add \\title{...} (or your template's title command, e.g. \\icmltitle{...}).",
      'No abstract found: add \\begin{abstract}...\\end{abstract}.',
      '2 included file(s) were not read (\\input{sections/front}, \\include{sections/intro}): no file reader was given, so the title or abstract may be in them.',
    ]);
  });

  it('a missing \\input gives a warning naming the paths tried, and extraction goes on', () => {
    const draft = extractDraftFromFile(fixture('includes-missing/main.tex'));
    assert.equal(draft.title, 'Notes on Missing Inputs');
    assert.equal(draft.abstract, 'This abstract follows an input that does not exist.');
    assert.deepEqual(draft.warnings, [
      `Could not read \\input{macros/notation} on line 5 of main.tex (looked for ${fixture('includes-missing/macros/notation.tex')}, ${fixture('includes-missing/macros/notation')}).`,
    ]);
  });

  it('\\subfile: the abstract comes from the subfile', () => {
    const draft = extractDraftFromFile(fixture('subfiles/main.tex'));
    assert.equal(draft.title, 'Topological Data Analysis for Sensor Networks');
    assert.equal(draft.abstract, 'We compute persistent homology of coverage complexes to detect holes in sensor networks without location information.');
    assert.equal(draft.abstractRange?.file, fixture('subfiles/chapters/abstract.tex'));
    assert.equal(span(draft.abstractRange), '3:0-4:45');
  });

  it('a subfiles child (\\documentclass[../main.tex]{subfiles}) is read through its main file', () => {
    const draft = extractDraftFromFile(fixture('subfiles/chapters/abstract.tex'), { roots: [fixture('subfiles')] });
    assert.equal(draft.title, 'Topological Data Analysis for Sensor Networks');
    assert.deepEqual(draft.files, [fixture('subfiles/main.tex'), fixture('subfiles/chapters/abstract.tex')]);
  });

  it('% !TEX root: the child file gives the whole paper, declared categories of the root included', () => {
    const draft = extractDraftFromFile(fixture('texroot/sections/abstract.tex'), { roots: [fixture('texroot')] });
    assert.equal(draft.title, 'Sparse Recovery of Radar Echoes with Learned Dictionaries');
    assert.equal(
      draft.abstract,
      'We learn a dictionary adapted to pulse-Doppler radar echoes and recover targets from compressive measurements with orthogonal matching pursuit.',
    );
    assert.equal(draft.titleRange?.file, fixture('texroot/main.tex'));
    assert.equal(draft.abstractRange?.file, fixture('texroot/sections/abstract.tex'));
    assert.deepEqual(draft.declaredCategories.map((c) => c.category), ['eess.SP']);
    assert.deepEqual(draft.files, [fixture('texroot/main.tex'), fixture('texroot/sections/abstract.tex')]);
  });

  it('% !TEX root with unsaved edits: the editor text of the child wins over the disk copy', () => {
    const edited = readFixture('texroot/sections/abstract.tex').replace('orthogonal matching pursuit', 'basis pursuit');
    const draft = extractDraft(edited, { fileName: fixture('texroot/sections/abstract.tex'), readFile: diskReader });
    assert.equal(
      draft.abstract,
      'We learn a dictionary adapted to pulse-Doppler radar echoes and recover targets from compressive measurements with basis pursuit.',
    );
  });

  it('findTexRoot resolves the magic comment relative to the child and checks the file exists', () => {
    const child = fixture('texroot/sections/abstract.tex');
    assert.equal(findTexRoot(readFixture('texroot/sections/abstract.tex'), child, diskReader), fixture('texroot/main.tex'));
    assert.equal(findTexRoot('%!TeX root=main\n', child, diskReader), undefined, 'sections/main.tex does not exist');
    assert.equal(findTexRoot('% !TEX root = ../main\n', child, diskReader), fixture('texroot/main.tex'), '.tex is added');
    assert.equal(findTexRoot('\\section{No magic comment}', child, diskReader), undefined);
    assert.equal(findTexRoot('% !TEX root = ../main.tex', 'untitled:Untitled-1', diskReader), undefined);
  });

  it('a % !TEX root that cannot be read: this file alone, with a warning', () => {
    const text = '% !TEX root = ../nowhere.tex\n\\title{Child Title}\n\\begin{abstract}Child abstract.\\end{abstract}\n';
    const draft = extractDraft(text, { fileName: fixture('texroot/sections/child.tex'), readFile: diskReader });
    assert.equal(draft.title, 'Child Title');
    assert.equal(draft.abstract, 'Child abstract.');
    assert.deepEqual(draft.warnings, ['The root file "../nowhere.tex" named by this file could not be read: only this file was analysed.']);
  });

  it('\\import{parts/}{abstract}: nested \\input resolved in the imported directory; range in the innermost file', () => {
    const draft = extractDraftFromFile(fixture('import/main.tex'));
    assert.equal(draft.abstract, 'The abstract text lives two levels down, next to the imported file.');
    assert.equal(draft.abstractRange?.file, fixture('import/parts/abstract-text.tex'));
    assert.equal(textAt(draft.abstractRange!), 'The abstract text lives two levels down, next to the imported file.');
    assert.deepEqual(draft.files.map((f) => path.relative(fixture('import'), f)), ['main.tex', 'parts/abstract.tex', 'parts/abstract-text.tex']);
  });

  it('an include cycle (a -> b -> a) is cut with one warning', () => {
    const draft = extractDraftFromFile(fixture('cycle/main.tex'));
    assert.equal(draft.title, 'Cyclic Inputs');
    assert.deepEqual(draft.warnings, [
      'Not following \\input{a} on line 1 of b.tex: it includes itself (cycle through a.tex).',
      'No abstract found: add \\begin{abstract}...\\end{abstract}.',
    ]);
  });

  it('deep include chains stop at the depth limit', () => {
    // Each file includes the next one: d0 -> d1 -> ... -> d20; none has an abstract.
    const files = new Map<string, string>();
    for (let i = 0; i < 20; i++) files.set(`/deep/d${i}.tex`, `\\input{d${i + 1}}`);
    files.set('/deep/d20.tex', '\\begin{abstract}Too deep.\\end{abstract}');
    const draft = extractDraft('\\title{Deep}\\input{d0}', { fileName: '/deep/main.tex', readFile: (p) => files.get(p) });
    assert.equal(draft.abstract, undefined);
    assert.ok(draft.warnings.includes('Not following \\input{d8} on line 1 of d7.tex: includes are nested more than 8 deep.'), draft.warnings.join('\n'));
  });

  it('a readFile that throws becomes a warning', () => {
    const draft = extractDraft('\\title{T}\\input{boom}\\begin{abstract}A.\\end{abstract}', {
      fileName: '/x/main.tex',
      readFile: () => {
        throw new Error('EACCES: permission denied');
      },
    });
    assert.equal(draft.abstract, 'A.');
    assert.equal(draft.title, 'T');
    assert.ok(draft.warnings.some((w) => w.includes('EACCES: permission denied')), draft.warnings.join('\n'));
  });

  it('\\begin{abstract}\\input{...}\\end{abstract} with text around the \\input keeps the range in the parent', () => {
    const files = new Map([['/p/body.tex', 'the included middle']]);
    const draft = extractDraft('\\begin{abstract}\nBefore \\input{body} after.\n\\end{abstract}', {
      fileName: '/p/main.tex',
      readFile: (p) => files.get(p),
    });
    assert.equal(draft.abstract, 'Before the included middle after.');
    assert.equal(draft.abstractRange?.file, '/p/main.tex');
    assert.equal(span(draft.abstractRange), '1:0-1:26');
  });
});

describe('draft extraction: ranges in included files', () => {
  it('an abstract that is a whole \\input file starts its range after the file\'s % !TEX root comment', () => {
    const files = new Map([['/r/abstract.tex', '% !TEX root = main.tex\n\nWe do things.\nAnd more.\n% a trailing note\n']]);
    const draft = extractDraft('\\title{T}\n\\begin{abstract}\n\\input{abstract}\n\\end{abstract}\n', {
      fileName: '/r/main.tex',
      readFile: (p) => files.get(p),
    });
    assert.equal(draft.abstract, 'We do things. And more.');
    assert.equal(draft.abstractRange?.file, '/r/abstract.tex');
    assert.equal(span(draft.abstractRange), '2:0-3:9');
  });
});

describe('draft extraction: files included twice', () => {
  it('a file included twice counts its declared categories once', () => {
    const files = new Map([['/q/macros.tex', '% arXiv: math.PR\n\\newcommand{\\E}{\\mathbb{E}}']]);
    const draft = extractDraft('\\input{macros}\\input{macros}\\title{T}\\begin{abstract}A.\\end{abstract}', {
      fileName: '/q/main.tex',
      readFile: (p) => files.get(p),
    });
    assert.deepEqual(draft.declaredCategories.map((c) => c.category), ['math.PR']);
    assert.deepEqual(draft.files, ['/q/main.tex', '/q/macros.tex']);
  });
});
