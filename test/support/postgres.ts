// A throwaway PostgreSQL cluster for tests: initdb into a temp folder, start it on a free local
// port (127.0.0.1 plus a unix socket inside the folder), trust auth, and remove it all on stop().
// initdb refuses to run as root, so as root (CI) the folder goes to the `postgres` user and the
// binaries run through `runuser`.
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { tempDir } from './temp.ts';

const run = promisify(execFile);

/** A running throwaway cluster. */
export interface PostgresCluster {
  /** URL of the database created at start. */
  url: string;
  /** Creates another database in the same cluster and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server and removes its folder. */
  stop(): Promise<void>;
}

/** Starts a PostgreSQL cluster in a temp folder with one database (default name `test`). */
export async function startPostgres(options: { database?: string } = {}): Promise<PostgresCluster> {
  const bin = findPostgresBin();
  const asRoot = process.getuid?.() === 0;
  const dir = tempDir('missing-bot-pg-');
  const dataDir = path.join(dir, 'data');
  const socketDir = path.join(dir, 'socket');
  fs.mkdirSync(socketDir);
  if (asRoot) {
    const { uid, gid } = postgresUser();
    for (const p of [dir, socketDir]) fs.chownSync(p, uid, gid);
  }
  const pgTool = (tool: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args]) : run(path.join(bin, tool), args);
  const pgCtl = (args: string[]) => pgTool('pg_ctl', ['-D', dataDir, ...args]);

  let running = false;
  // Keep an interrupted test run from leaving a postgres process behind.
  const stopOnExit = () => {
    if (running) {
      const args = ['-D', dataDir, '-m', 'immediate', 'stop'];
      try {
        if (asRoot) execFileSync('runuser', ['-u', 'postgres', '--', path.join(bin, 'pg_ctl'), ...args]);
        else execFileSync(path.join(bin, 'pg_ctl'), args);
      } catch {
        // best effort on the way out
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stopOnExit);

  try {
    await pgTool('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    let port = 0;
    // A free port can be taken between our probe and the server's bind: try a few.
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      fs.appendFileSync(
        path.join(dataDir, 'postgresql.conf'),
        [
          `listen_addresses = '127.0.0.1'`,
          `port = ${port}`,
          `unix_socket_directories = '${socketDir}'`,
          // Durability is pointless for a throwaway cluster; speed is not.
          'fsync = off',
          'synchronous_commit = off',
          'full_page_writes = off',
          '',
        ].join('\n'),
      );
      try {
        await pgCtl(['-l', path.join(dir, 'server.log'), '-w', '-t', '60', 'start']);
        running = true;
        break;
      } catch (error) {
        if (attempt >= 3) throw withServerLog(error, dir);
      }
    }

    const urlFor = (database: string) => `postgresql://postgres@127.0.0.1:${port}/${database}`;
    const createDatabase = async (name: string): Promise<string> => {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`postgres: invalid database name ${JSON.stringify(name)}`);
      const client = new pg.Client({ connectionString: urlFor('postgres') });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name}"`);
      } finally {
        await client.end();
      }
      return urlFor(name);
    };
    const url = await createDatabase(options.database ?? 'test');

    const stop = async () => {
      process.removeListener('exit', stopOnExit);
      try {
        // Immediate: nothing in a throwaway cluster is worth a clean checkpoint.
        if (running) await pgCtl(['-m', 'immediate', '-w', 'stop']);
        running = false;
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    };
    return { url, createDatabase, stop };
  } catch (error) {
    process.removeListener('exit', stopOnExit);
    stopOnExit();
    throw error;
  }
}

/** The folder holding initdb, pg_ctl and postgres: PATH first, then Debian's /usr/lib/postgresql/<v>/bin. */
function findPostgresBin(): string {
  const tools = ['initdb', 'pg_ctl', 'postgres'];
  const hasTools = (dir: string) => tools.every((tool) => isExecutable(path.join(dir, tool)));
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    // Resolve symlinks (Debian links only some tools into /usr/local/bin or /usr/bin).
    const initdb = path.join(dir, 'initdb');
    if (dir && isExecutable(initdb)) {
      const real = path.dirname(fs.realpathSync(initdb));
      if (hasTools(real)) return real;
      if (hasTools(dir)) return dir;
    }
  }
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .filter((v) => hasTools(path.join(root, v, 'bin')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions[0]) return path.join(root, versions[0], 'bin');
  throw new Error(
    'PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found on PATH or under ' +
      '/usr/lib/postgresql/*/bin. Install PostgreSQL 15 (Debian 12: apt-get install postgresql-15) to run these tests.',
  );
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function postgresUser(): { uid: number; gid: number } {
  const line = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (!uid || !gid) {
    throw new Error(
      'postgres: running as root needs a `postgres` user to run initdb as (the postgresql-15 package creates it)',
    );
  }
  return { uid: Number(uid), gid: Number(gid) };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function withServerLog(error: unknown, dir: string): Error {
  const logFile = path.join(dir, 'server.log');
  const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').slice(-2000) : '(no server log)';
  return new Error(`postgres: the server did not start: ${String(error)}\n--- server.log ---\n${log}`);
}
