// Worker thread entry of the embedded media server (media.thread): loads the TypeScript sources
// through tsx (no build step in Hotline), then the server's thread side.
import { register } from 'tsx/esm/api';

register();
await import('./thread-worker.ts');
