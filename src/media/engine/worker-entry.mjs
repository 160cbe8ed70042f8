// Worker thread entry: loads the TypeScript sources through tsx (no build step in Hotline),
// then the engine's worker side.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
