/**
 * Child process for the kill test: writes cache entries in small shards forever, until killed.
 * argv: cacheDir fingerprint
 */
import { FeatureCache } from '../../../../src/training/onnx/featureCache';

async function main(): Promise<void> {
  const [dir, fp] = process.argv.slice(2);
  const hidden = 32;
  const cache = await FeatureCache.open(dir, fp, hidden, { format: 'f16', shardBytes: 20_000 });
  for (let i = 0; ; i++) {
    const tokens = 5 + (i % 50);
    const states = Float32Array.from({ length: tokens * hidden }, (_, j) => Math.sin(i + j * 0.01));
    await cache.put(`k${i}`, states, tokens);
    if (i === 20) process.stdout.write('ready\n');
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
