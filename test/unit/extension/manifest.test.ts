/**
 * Marketplace metadata and the Get Started walkthrough in package.json point at things that exist: the icon
 * is a 128x128 PNG, every walkthrough step's media file is there, and its buttons and completion events name
 * contributed commands and views. (The UI test opens the walkthrough in the packaged VSIX.)
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

interface Step {
  id: string;
  description: string;
  media: { markdown?: string; image?: string };
  completionEvents?: string[];
}

const commands = new Set<string>(pkg.contributes.commands.map((c: { command: string }) => c.command));
const views = new Set<string>(Object.values(pkg.contributes.views as Record<string, { id: string }[]>).flat().map((v) => v.id));

describe('package.json: marketplace metadata and walkthrough', () => {
  it('has a 128x128 PNG icon, keywords, and no placeholder repository URL', () => {
    const png = fs.readFileSync(path.join(ROOT, pkg.icon));
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    // IHDR: width and height, big-endian, at bytes 16..23.
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
    assert.ok(pkg.keywords.length >= 5 && pkg.keywords.length <= 30, 'the marketplace accepts up to 30 keywords');
    assert.doesNotMatch(JSON.stringify(pkg), /example\.(invalid|com)/);
    assert.match(pkg.description, /offline/i);
    assert.match(pkg.description, /no telemetry/i);
  });

  it('walkthrough steps have their media, and their buttons and completion events name contributed commands and views', () => {
    const [walkthrough] = pkg.contributes.walkthroughs as { steps: Step[] }[];
    assert.ok(walkthrough.steps.length >= 4);
    const used = new Set<string>();
    for (const step of walkthrough.steps) {
      const media = step.media.markdown ?? step.media.image;
      assert.ok(media && fs.existsSync(path.join(ROOT, media)), `${step.id}: media file ${media}`);
      for (const m of step.description.matchAll(/\(command:([\w.]+)/g)) {
        assert.ok(commands.has(m[1]), `${step.id}: button runs a contributed command: ${m[1]}`);
        used.add(m[1]);
      }
      assert.ok(step.completionEvents?.length, `${step.id}: has a completion event`);
      for (const e of step.completionEvents ?? []) {
        const [kind, id] = e.split(/:(.*)/s);
        if (kind === 'onCommand') assert.ok(commands.has(id), `${step.id}: ${e}`);
        else if (kind === 'onView') assert.ok(views.has(id), `${step.id}: ${e}`);
        else assert.fail(`${step.id}: unexpected completion event ${e}`);
      }
    }
    for (const c of ['arxivClassifier.openExampleDraft', 'arxivClassifier.revealSidebar', 'arxivClassifier.selectModel', 'arxivClassifier.train']) {
      assert.ok(used.has(c), `the walkthrough has a button for ${c}`);
    }
  });

  it('the example draft the walkthrough opens is shipped in the VSIX (.vscodeignore re-includes it)', () => {
    assert.ok(fs.existsSync(path.join(ROOT, 'examples', 'draft.tex')));
    const lines = fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8').split('\n').map((l) => l.trim());
    assert.ok(lines.includes('examples/**'), 'the other examples stay out');
    assert.ok(lines.includes('!examples/draft.tex'), 'the example draft is re-included');
  });
});
