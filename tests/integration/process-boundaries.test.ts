import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The import rules of eslint.config.mjs keep each file in its process. These tests lint small
 * sources *as if* they sat in each folder (ESLint applies the config by path, so nothing is
 * written into the tree) and check that the rule fires, and that it lets legitimate imports through.
 */

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let eslint: ESLint;

beforeAll(() => {
  // Only the import rules are under test here; the rest of the config is npm run lint's job, and
  // running every rule over the whole tree made this test take minutes on a loaded machine.
  eslint = new ESLint({ cwd: projectRoot, ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports' });
});

async function boundaryViolations(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${source}\nexport {};\n`, { filePath: path.join(projectRoot, file) });
  expect(result, `ESLint ignored ${file}`).toBeDefined();
  return result!.messages.filter((message) => message.ruleId === 'no-restricted-imports').map((message) => message.message);
}

describe('the renderer runs in the page', () => {
  const file = 'src-renderer/modules/__boundary_probe__.tsx';

  it.each([
    ["import { ipcRenderer } from 'electron';", /Only src-main\/electron imports Electron/],
    ["import fs from 'node:fs';", /Node built-ins/],
    ["import { readFileSync } from 'fs';", /Node built-ins/],
    ["import { createHash } from 'crypto';", /Node built-ins/],
    ["import Database from 'better-sqlite3';", /database lives in src-main/],
    ["import { Kysely } from 'kysely';", /database lives in src-main/],
    ["import { dispatch } from '../../src-main/core/rpc/pipeline';", /never by importing src-main/],
    ["import type { Kernel } from '../../src-main/core/rpc/kernel';", /never by importing src-main/],
  ])('refuses %s', async (source, reason) => {
    const violations = await boundaryViolations(file, source);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatch(reason);
  });

  it('allows React, UI libraries and src-shared', async () => {
    const source = [
      "import { useState } from 'react';",
      "import { Button } from '@mantine/core';",
      "import { useQuery } from '@tanstack/react-query';",
      "import type { RpcResult } from '../../src-shared/rpc';",
    ].join('\n');
    expect(await boundaryViolations(file, source)).toEqual([]);
  });
});

describe('src-shared is plain TypeScript every process loads', () => {
  const file = 'src-shared/contracts/__boundary_probe__.ts';

  it.each([
    ["import { app } from 'electron';", /Only src-main\/electron imports Electron/],
    ["import { randomUUID } from 'node:crypto';", /Node built-ins/],
    ["import path from 'path';", /Node built-ins/],
    ["import { useState } from 'react';", /no React/],
    ["import { Button } from '@mantine/core';", /no React/],
    ["import { createApp } from '../../src-main/app';", /never by importing src-main/],
  ])('refuses %s', async (source, reason) => {
    const violations = await boundaryViolations(file, source);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatch(reason);
  });

  it('allows zod and its own modules', async () => {
    expect(await boundaryViolations(file, "import { z } from 'zod';\nimport { AppError } from '../errors';")).toEqual([]);
  });
});

describe('only src-main/electron imports Electron', () => {
  it.each([
    ['src-main/core/__boundary_probe__.ts', "import { ipcMain } from 'electron';"],
    ['src-main/transports/__boundary_probe__.ts', "import { BrowserWindow } from 'electron';"],
    ['src-main/modules/__boundary_probe__.ts', "import { autoUpdater } from 'electron-updater';"],
  ])('refuses Electron in %s', async (file, source) => {
    const violations = await boundaryViolations(file, source);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatch(/Only src-main\/electron imports Electron/);
  });

  it('lets the kernel use Node and the database', async () => {
    const source = "import fs from 'node:fs';\nimport Database from 'better-sqlite3';";
    expect(await boundaryViolations('src-main/core/__boundary_probe__.ts', source)).toEqual([]);
  });

  it('lets the shell import Electron', async () => {
    const source = "import { app } from 'electron';\nimport { autoUpdater } from 'electron-updater';";
    expect(await boundaryViolations('src-main/electron/__boundary_probe__.ts', source)).toEqual([]);
  });
});

describe('the sandboxed preload imports only electron and src-shared', () => {
  const file = 'src-preload/__boundary_probe__.ts';

  it.each([
    "import fs from 'node:fs';",
    "import { z } from 'zod';",
    "import { createApp } from '../src-main/app';",
    "import { App } from '../src-renderer/app/App';",
  ])('refuses %s', async (source) => {
    const violations = await boundaryViolations(file, source);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatch(/may import only electron and src-shared/);
  });

  it('allows electron and src-shared', async () => {
    const source = "import { contextBridge } from 'electron';\nimport { IPC_CHANNELS } from '../src-shared/bridge';";
    expect(await boundaryViolations(file, source)).toEqual([]);
  });
});

describe('the project as it stands', () => {
  it('crosses no process boundary', async () => {
    const results = await eslint.lintFiles(['src-renderer', 'src-shared', 'src-main', 'src-preload']);
    const crossings = results.flatMap((result) =>
      result.messages
        .filter((message) => message.ruleId === 'no-restricted-imports')
        .map((message) => `${path.relative(projectRoot, result.filePath)}:${message.line} ${message.message}`),
    );
    expect(crossings).toEqual([]);
  }, 180_000);
});
