/** arXiv identifiers, validated before anything is opened in the browser. Pure (webviews import it). */

/** New style 2101.01234 (optionally v2) or old style hep-th/9901001 / math.GT/0309136. */
export const ARXIV_ID_RE = /^(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?\/\d{7})(?:v\d+)?$/;

export function isArxivId(id: unknown): id is string {
  return typeof id === 'string' && id.length <= 40 && ARXIV_ID_RE.test(id);
}

/** The paper's abstract page; undefined for anything that is not an arXiv id. */
export function arxivAbsUrl(id: unknown): string | undefined {
  return isArxivId(id) ? `https://arxiv.org/abs/${id}` : undefined;
}
