/**
 * Draft-reading worker thread entry, bundled to dist/draftWorker.js: only the draft extractor and the file
 * access policy, so a replacement worker (after a draft ran out of time) starts in milliseconds.
 */
import { isDraftWorker, runDraftWorker } from './draftWorker';

if (isDraftWorker()) runDraftWorker();
