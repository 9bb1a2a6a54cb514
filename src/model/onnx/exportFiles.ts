/**
 * Model file names tried in order: optimum's export writes model.onnx; `optimum-cli onnxruntime
 * quantize` writes model_quantized.onnx (into its own output folder). Kept apart from the encoder so the
 * extension can recognise an export folder without bundling the encoder.
 */
export const MODEL_FILES = ['model.onnx', 'model_quantized.onnx'] as const;
