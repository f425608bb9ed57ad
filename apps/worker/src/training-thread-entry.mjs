// Worker threads do not inherit the parent's `--import tsx` loader hooks, so the thread registers tsx
// itself before loading the TypeScript entry.
import { register } from 'tsx/esm/api';

register();
await import('./training-thread.ts');
