import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import type { Role } from '../../src/protocol/schema.ts';

/** One member of staff as the homes file lists them. */
export interface StaffSpec {
  id: string;
  name: string;
  role: Role;
  slack?: string;
  teams?: string;
  web?: string;
}

/** A home as the homes file holds it; the name and time zone have defaults. */
export interface HomeSpec {
  id: string;
  name?: string;
  timeZone?: string;
  channels: { slack?: string; teams?: string; web?: string };
  staff: StaffSpec[];
  children: Record<string, unknown>[];
  [setting: string]: unknown;
}

/** The people most tests' homes have: Sam the manager and Jo, a support worker, on one platform. */
export function samAndJo(platform: 'slack' | 'teams' | 'web', ids = { sam: 'sam', jo: 'jo' }): StaffSpec[] {
  return [
    { id: 'sam', name: 'Sam Okafor', role: 'manager', [platform]: ids.sam },
    { id: 'jo', name: 'Jo Reid', role: 'support_worker', [platform]: ids.jo },
  ];
}

/** The text of a homes file (YAML, as people write it) holding these homes. */
export function homesYaml(...homes: HomeSpec[]): string {
  return stringify({
    homes: homes.map(({ id, name, timeZone, ...rest }) => ({
      id,
      name: name ?? id,
      timeZone: timeZone ?? 'Europe/London',
      ...rest,
    })),
  });
}

/** Writes a homes file into a folder and returns its path. */
export function writeHomesFile(dir: string, yaml: string): string {
  const file = path.join(dir, 'homes.yaml');
  fs.writeFileSync(file, yaml);
  return file;
}
