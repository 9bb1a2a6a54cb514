/** LaTeX drafts shared by the server tests. */

/** Clearly computer vision (both for the keyword fake and a real model), declared as cs.CL on line 1. */
export const VISION_DRAFT_DECLARED_CL = String.raw`\documentclass{article}
% arXiv: cs.CL
\title{Image segmentation with pixel-level vision transformers}
\begin{document}
\maketitle
\begin{abstract}
We segment images pixel by pixel with vision transformers. Our image segmentation model improves
semantic segmentation of natural images and medical images, and object detection in video frames,
using convolutional features and pixel-level attention over the image.
\end{abstract}
\section{Introduction}
Images are everywhere.
\end{document}
`;

export const TITLE_LINE = 2;
export const DECLARATION_LINE = 1;

export const withDeclared = (category: string): string => VISION_DRAFT_DECLARED_CL.replace('% arXiv: cs.CL', `% arXiv: ${category}`);

export const NO_ABSTRACT_DRAFT = String.raw`\documentclass{article}
\title{Neural machine translation for low-resource languages}
\begin{document}
\section{Introduction}
Machine translation of text between languages with neural language models and parsing.
\end{document}
`;
