import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The whole run's temp directory: every test process gets it as TMPDIR, and at the end it must
 * be empty. Anything left is named and fails the run, then removed, so a run leaves the system's
 * temp directory as it found it.
 */
export default function setup() {
  const run = fs.mkdtempSync(path.join(os.tmpdir(), 'missing-bot-test-run-'));
  // The PostgreSQL tests run the server binaries as the `postgres` user, who must pass through.
  fs.chmodSync(run, 0o755);
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = run;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    // tsx (which runs the real bot in the start and fault tests) keeps its compile cache there.
    const left = fs.readdirSync(run).filter((name) => !/^tsx-\d+$/.test(name));
    fs.rmSync(run, { recursive: true, force: true });
    if (left.length > 0) {
      // A teardown's error is only printed; the exit code is what fails the run.
      process.exitCode = 1;
      throw new Error(`The tests left ${left.length} item(s) in the temp directory: ${left.sort().join(', ')}`);
    }
  };
}
