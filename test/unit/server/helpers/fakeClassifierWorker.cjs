// Worker-thread entry for the WorkerClassifier tests: the real worker loop with the fake classifier (via tsx).
require('tsx/cjs');
const { isClassifierWorker, runClassifierWorker } = require('../../../../src/server/classifierWorker.ts');
const { loadFakeClassifier } = require('./fakeClassifier.ts');
if (isClassifierWorker()) runClassifierWorker(loadFakeClassifier);
