/**
 * Which files are paper drafts. VS Code gives LaTeX package and class files (.sty, .cls, bibliography
 * styles, ...) the "tex" language, so the language id alone would classify them; the extension decides here.
 */
const NOT_DRAFTS = /\.(sty|cls|clo|dtx|ins|def|fd|cfg|ltx2|bbx|cbx|lbx|bst|bib|ist)$/i;

/** False for support files of LaTeX (packages, classes, bibliography styles); true otherwise. */
export function isDraftPath(pathOrUri: string): boolean {
  return !NOT_DRAFTS.test(pathOrUri.replace(/[?#].*$/, ''));
}
