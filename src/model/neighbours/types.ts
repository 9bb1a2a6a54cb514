/** Plain types of "papers like yours" (no imports: the sidebar webview uses them too). */

export interface IndexedPaper {
  id: string;
  title: string;
  primary: string;
  /** cross-lists (categories other than the primary) */
  crosslists: string[];
}

export interface Neighbour extends IndexedPaper {
  /** cosine similarity of the int8 vectors, in [-1, 1] */
  similarity: number;
}
