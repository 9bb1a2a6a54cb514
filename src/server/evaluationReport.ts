/** Reads the evaluation report (report.json, written by training) of a model bundle. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { errorMessage } from '../shared/errors';

/** The parsed report; throws an Error with a user-facing message when it is missing or unreadable. */
export function readEvaluationReport(modelDir: string): unknown {
  const file = path.join(modelDir, 'report.json');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(
      missing
        ? `The model in ${modelDir} has no evaluation report (report.json is missing); training writes one into every bundle it makes.`
        : `Could not read ${file}: ${errorMessage(e)}.`,
      { cause: e },
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new Error(`${file} is not valid JSON: ${errorMessage(e)}.`, { cause: e });
  }
}
