import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The core (domain, engine, messages) must not know about storage, scheduling or chat platforms:
// those are wired in by src/main.ts. This test is the rule from STYLE.md, enforced.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const coreFolders = ['src/domain', 'src/engine', 'src/messages'];
const sourceFile = /\.(?:[cm]?ts|tsx|[cm]?js)$/;

/** Every module specifier a file imports, statically, dynamically, by `require` or in a type. */
function importsOf(source: string, fileName = 'sample.ts'): { specifier: string | null; line: number }[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const found: { specifier: string | null; line: number }[] = [];
  const add = (node: ts.Node, arg: ts.Node | undefined) => {
    const specifier = arg && ts.isStringLiteralLike(arg) ? arg.text : null;
    found.push({ specifier, line: file.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) {
      if (node.moduleSpecifier) add(node, node.moduleSpecifier);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node, node.moduleReference.expression);
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require'))
        add(node, node.arguments[0]);
    } else if (ts.isImportTypeNode(node)) {
      const arg = node.argument;
      add(node, ts.isLiteralTypeNode(arg) ? arg.literal : undefined);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

const forbiddenPackages = [
  /^@prisma\//,
  /^\.prisma(\/|$)/,
  /^prisma(\/|$)/,
  /^node-cron(\/|$)/,
  /^@slack\//,
  /^@microsoft\//,
  /^botbuilder/,
  /^pg(\/|$)/,
  /^better-sqlite3(\/|$)/,
];

/** Why an import is not allowed from the core file `from` (repo-relative), or null when it is fine. */
function whyForbidden(specifier: string | null, from: string): string | null {
  if (specifier === null) return 'a computed import cannot be checked; import a literal path';
  if (/^\.\.?(\/|$)/.test(specifier) || specifier.startsWith('/')) {
    const target = path
      .relative(root, path.resolve(root, path.dirname(from), specifier))
      .split(path.sep)
      .join('/');
    if (target.startsWith('src/store/') || target === 'src/store') return `reaches into the store (${target})`;
    if (target.startsWith('adapters/') || target === 'adapters') return `reaches into an adapter (${target})`;
    if (target.split('/').includes('generated')) return `uses a generated client (${target})`;
    return null;
  }
  if (specifier.split('/').includes('generated')) return 'uses a generated client';
  if (specifier.split('/').includes('adapters')) return 'reaches into an adapter';
  const hit = forbiddenPackages.find((p) => p.test(specifier));
  return hit ? `imports ${specifier}, which belongs outside the core` : null;
}

/** The forbidden imports in one core file's source, as "file:line specifier — why". */
function violations(source: string, from: string): string[] {
  return importsOf(source, from).flatMap(({ specifier, line }) => {
    const why = whyForbidden(specifier, from);
    return why ? [`${from}:${line} ${specifier ?? '(computed)'} — ${why}`] : [];
  });
}

/** Calls that read the clock (`Date.now()`, `new Date()` with no argument) or, if strict, any `new Date(`. */
function clockReads(source: string, fileName: string, opts: { strict: boolean }): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const at = (node: ts.Node) => `${fileName}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const visit = (node: ts.Node) => {
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Date') {
      if (opts.strict || !node.arguments || node.arguments.length === 0)
        found.push(`${at(node)} ${node.getText(file)}`);
    } else if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      ts.isIdentifier(node.expression.expression) &&
      node.expression.expression.text === 'Date' &&
      node.expression.name.text === 'now'
    ) {
      found.push(`${at(node)} ${node.getText(file)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

function filesUnder(folder: string): string[] {
  const dir = path.join(root, folder);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && sourceFile.test(d.name) && !d.name.endsWith('.d.ts'))
    .map((d) => path.relative(root, path.join(d.parentPath, d.name)).split(path.sep).join('/'))
    .sort();
}

const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

describe('the scanner itself', () => {
  it('catches every kind of forbidden import in a sample, so the boundary test cannot pass vacuously', () => {
    const sample = [
      `import { PrismaClient } from '@prisma/client';`,
      `import type { Tx } from '../store/tx.ts';`,
      `import cron from 'node-cron';`,
      `export { App } from '@slack/bolt';`,
      `import { TeamsActivityHandler } from 'botbuilder';`,
      `import { Application } from '@microsoft/teams-ai';`,
      `import pg from 'pg';`,
      `import Database from 'better-sqlite3';`,
      `import { slackAdapter } from '../../adapters/slack/index.ts';`,
      `import type { PrismaClient as C } from '../store/generated/sqlite/client.ts';`,
      `const client = await import('../store/generated/postgresql/client.ts');`,
      `const sqlite = require('better-sqlite3');`,
      `type Pool = import('pg').Pool;`,
      `const chosen = await import(someVariable);`,
    ].join('\n');
    const found = violations(sample, 'src/engine/sample.ts');
    expect(found).toHaveLength(14);
    expect(found[0]).toBe(
      'src/engine/sample.ts:1 @prisma/client — imports @prisma/client, which belongs outside the core',
    );
    expect(found[1]).toMatch(/^src\/engine\/sample\.ts:2 \.\.\/store\/tx\.ts — reaches into the store/);
    expect(found[8]).toMatch(/reaches into an adapter \(adapters\/slack\/index\.ts\)/);
    expect(found[13]).toMatch(/\(computed\) — a computed import cannot be checked/);
  });

  it('lets the core import itself, the protocol, the ports and ordinary libraries', () => {
    const sample = [
      `import { z } from 'zod';`,
      `import { addMinutes } from 'date-fns/addMinutes';`,
      `import { TZDate } from '@date-fns/tz';`,
      `import { createHash } from 'node:crypto';`,
      `import type { Episode } from '../domain/episode.ts';`,
      `import type { Store } from '../ports/store.ts';`,
      `import { defaultProtocol } from '../protocol/default-protocol.ts';`,
      `import { appendEntry } from './append-entry.ts';`,
      `import pgFormat from 'pg-format-like';`,
      `// a comment that mentions import('@prisma/client') is not an import`,
      `const text = "require('pg') in a string is not an import either";`,
    ].join('\n');
    expect(violations(sample, 'src/engine/sample.ts')).toEqual([]);
  });

  it('resolves relative imports to paths, so a store import is caught from any depth', () => {
    expect(whyForbidden('../../store/prisma-store.ts', 'src/engine/deep/x.ts')).toMatch(/store \(src\/store\//);
    expect(whyForbidden('../../../src/store/tx.ts', 'src/engine/deep/x.ts')).toMatch(/store \(src\/store\//);
    expect(whyForbidden('../store', 'src/domain/x.ts')).toMatch(/store/);
    expect(whyForbidden('../../adapters/web/page.ts', 'src/messages/x.ts')).toMatch(/adapter/);
    expect(whyForbidden('.prisma/client', 'src/domain/x.ts')).toMatch(/outside the core/);
    // Paths that merely look alike are fine.
    expect(whyForbidden('../storefront.ts', 'src/domain/x.ts')).toBeNull();
    expect(whyForbidden('../../store/x.ts', 'src/engine/x.ts')).toBeNull();
  });

  it('finds clock reads, and every Date construction when strict', () => {
    const sample = [
      'const a = new Date();',
      'const b = Date.now();',
      'const c = new Date(now.getTime() + 1000);',
      'const d: Date = at; // new Date() in a comment',
    ].join('\n');
    expect(clockReads(sample, 's.ts', { strict: false })).toEqual(['s.ts:1 new Date()', 's.ts:2 Date.now()']);
    expect(clockReads(sample, 's.ts', { strict: true })).toHaveLength(3);
  });
});

describe('the core (src/domain, src/engine, src/messages)', () => {
  const files = coreFolders.flatMap(filesUnder);

  it('has files to check in every core folder', () => {
    for (const folder of coreFolders)
      expect(
        files.some((f) => f.startsWith(`${folder}/`)),
        folder,
      ).toBe(true);
  });

  it('imports no database, scheduler, chat platform or adapter code', () => {
    const found = files.flatMap((file) => violations(read(file), file));
    expect(found).toEqual([]);
  });

  it('never constructs a Date in src/domain: time is passed in', () => {
    const found = filesUnder('src/domain').flatMap((file) => clockReads(read(file), file, { strict: true }));
    expect(found).toEqual([]);
  });

  it('never reads the clock in src/engine or src/messages: the Clock port is injected', () => {
    // The engine derives dates from the injected `now` (a claim lease: new Date(now.getTime() + …)),
    // so the rule here is the one STYLE.md states: no `new Date()` and no `Date.now()`.
    const found = ['src/engine', 'src/messages']
      .flatMap(filesUnder)
      .flatMap((file) => clockReads(read(file), file, { strict: false }));
    expect(found).toEqual([]);
  });
});

/** Every repo-relative file a source file imports by a relative path. */
function localImportsOf(file: string): string[] {
  return importsOf(read(file), file).flatMap(({ specifier }) =>
    specifier && /^\.\.?\//.test(specifier)
      ? [
          path
            .relative(root, path.resolve(root, path.dirname(file), specifier))
            .split(path.sep)
            .join('/'),
        ]
      : [],
  );
}

/** Folder-to-folder import edges (a file's folder to its import's folder), same-folder imports left out. */
function folderEdges(files: string[]): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const file of files) {
    const from = path.posix.dirname(file);
    for (const target of localImportsOf(file)) {
      const to = path.posix.dirname(target);
      if (to === from || !/^(src|adapters)(\/|$)/.test(to) || to.split('/').includes('generated')) continue;
      edges.set(from, (edges.get(from) ?? new Set()).add(to));
    }
  }
  return edges;
}

/** The import circles in a graph of folders (or files), each as "a → b → a" (shortest first, each circle once). */
function folderCircles(edges: Map<string, Set<string>>): string[] {
  const circles = new Set<string>();
  for (const start of edges.keys()) {
    // Breadth-first from start: the shortest way back to it, if there is one.
    const cameFrom = new Map<string, string>();
    const queue = [...(edges.get(start) ?? [])].map((n) => (cameFrom.set(n, start), n));
    while (queue.length > 0) {
      const at = queue.shift()!;
      if (at === start) break;
      for (const next of edges.get(at) ?? [])
        if (!cameFrom.has(next)) {
          cameFrom.set(next, at);
          queue.push(next);
        }
    }
    if (!cameFrom.has(start)) continue;
    const loop = [start];
    for (let at = cameFrom.get(start)!; at !== start; at = cameFrom.get(at)!) loop.unshift(at);
    // Written from its smallest folder, so the same circle found from another start reads the same.
    const first = loop.indexOf([...loop].sort()[0]!);
    const turned = [...loop.slice(first), ...loop.slice(0, first)];
    circles.add([...turned, turned[0]].join(' → '));
  }
  return [...circles].sort();
}

describe('folders', () => {
  const files = ['src', 'adapters'].flatMap(filesUnder).filter((f) => !f.split('/').includes('generated'));

  it('import each other in one direction only: no circles between folders', () => {
    expect(folderCircles(folderEdges(files))).toEqual([]);
  });

  it('hold no circles between files either', () => {
    const edges = new Map(files.map((f) => [f, new Set(localImportsOf(f))]));
    expect(folderCircles(edges)).toEqual([]);
  });

  it('keep the composition root to itself: no adapter or core file imports src/app.ts or src/main.ts', () => {
    const found = files.filter((f) => localImportsOf(f).some((t) => t === 'src/app.ts' || t === 'src/main.ts'));
    expect(found).toEqual(['src/main.ts']);
  });

  it('finds a circle planted between two folders and names it', () => {
    const planted = new Map([
      ['src/engine/a', new Set(['src/engine/b'])],
      ['src/engine/b', new Set(['src/engine/c'])],
      ['src/engine/c', new Set(['src/engine/a', 'src/ports'])],
    ]);
    expect(folderCircles(planted)).toEqual(['src/engine/a → src/engine/b → src/engine/c → src/engine/a']);
  });
});
