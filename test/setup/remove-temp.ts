import { afterAll } from 'vitest';
import { removeTempDirs } from '../support/temp.ts';

// Registered before the test file's own hooks, so it runs after them: clusters and bots are
// stopped first, then their folders go.
afterAll(() => removeTempDirs());
