export * from './featurizer';
export * from './model';
export * from './train';
