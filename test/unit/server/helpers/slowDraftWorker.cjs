// Draft worker entry for the server tests: the real worker loop and extractor (via tsx), plus a test-only
// hook - a draft containing SPIN_MARKER spins forever - so a test can hold one worker busy for as long as it
// likes, whatever the extractor's own speed is (pathological drafts get faster as the parser is fixed).
require('tsx/cjs');
const { isDraftWorker, runDraftWorker, extractForRequest } = require('../../../../src/server/draftWorker.ts');
const SPIN_MARKER = '% test: spin forever';
const EXIT_MARKER = '% test: exit worker';
if (isDraftWorker()) {
  runDraftWorker((req) => {
    if (req.text.includes(SPIN_MARKER)) for (;;);
    if (req.text.includes(EXIT_MARKER)) process.exit(3);
    return extractForRequest(req);
  });
}
