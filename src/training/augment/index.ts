/** Data augmentation for training (training split only). See README's augment section. */
export * from './types';
export { mask, unmask, segment, protectedRanges, isTechnicalToken, isTitleCase, placeholder } from './protect';
export type { ProtectOptions, Segment, Masked, Unmasked } from './protect';
export { ApertiumMissingError, ApertiumError, ApertiumProcess } from './apertium';
export {
  BackTranslator,
  BackTranslationAugmenter,
  defaultBackTranslationCacheDir,
  pipelineFingerprint,
  BACKTRANSLATION_ALGO_VERSION,
} from './backtranslation';
export type { BackTranslatorOptions, BackTranslationAugmenterOptions, BackTranslatorStats } from './backtranslation';
export { WordNet, getWordNet } from './wordnet';
export type { WordNetOptions, WordNetLoadStats } from './wordnet';
export { SynonymAugmenter, replaceSynonyms } from './synonyms';
export type { SynonymOptions } from './synonyms';
export { EdaAugmenter, edaText } from './eda';
export type { EdaOptions, EdaRates } from './eda';
export { deriveDomainTerms } from './domainTerms';
export type { DomainTermOptions } from './domainTerms';
export { mixup, smoteOversample, sampleBeta } from './featureSpace';
export type { MixupOptions, MixupResult, SmoteOptions, SmoteResult } from './featureSpace';
export { planAugmentation, runAugmentationPlan, assertNoHeldOut, HeldOutLeakError, sourceId } from './planner';
export type { PlanOptions, PlannedCopy, AugmentationPlan, RunPlanOptions } from './planner';
