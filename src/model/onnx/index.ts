/** The SciBERT / BERT ONNX path: encoder, feature cache and its on-disk state formats. */
export { OnnxBertEncoder, fingerprintModel, MODEL_FILES, type OnnxBertEncoderOptions } from './onnxBertEncoder';
export {
  FeatureCache, encodePapers, encodePapersToArray, padBatch,
  type CachedStates, type EncodePapersOptions, type EncodeProgress, type FeatureCacheOptions,
  type FeatureCacheStats, type FeatureEncoder, type PaperFeatures,
} from './featureCache';
export { STATE_FORMATS, encodedBytes, type StateFormat } from './stateCodec';
