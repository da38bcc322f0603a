// Moved to src/demo/kube/ so the playground (npm run demo) runs the same cluster the tests do.
export * from '../../src/demo/kube/kube-api-builders.ts';
