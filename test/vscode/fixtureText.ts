/** Texts the real-VS-Code tests put into the fixture draft (test/fixtures/vscode/workspace/draft.tex). */

/** Lines 11-15 of draft.tex hold the abstract (1-based, inclusive). */
export const ABSTRACT_FIRST_LINE = 11;
export const ABSTRACT_LAST_LINE = 15;
export const DRAFT_TITLE_WORD = 'Multilingual';

/** An astrophysics abstract that replaces the machine-translation one. */
export const ASTRO_ABSTRACT =
  'We analyse deep imaging and integral field spectroscopy of three hundred star-forming galaxies at redshift two. ' +
  'Weak gravitational lensing gives the masses of their dark matter halos, and the spectra trace the gas-phase metallicity ' +
  'gradients and the stellar populations of each galactic disk. The stellar mass function and the star formation rates ' +
  'constrain cosmological simulations of galaxy formation with feedback from active galactic nuclei and supernovae.';
