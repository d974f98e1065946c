// @ts-check
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/*
 * Process boundaries are lint errors, the way Signal Desktop keeps each file in its process:
 * the renderer and src-shared run in a sandboxed page (no Node, no Electron, no database), the
 * renderer reaches data only through its API client, and only src-main/electron touches Electron.
 * tests/integration/process-boundaries.test.ts proves these rules fire.
 *
 * Each folder below gets exactly one `no-restricted-imports` setting (a later flat-config entry
 * would replace an earlier one, not add to it), so the folder globs must not overlap.
 */

const nodeBuiltins = builtinModules.filter((name) => !name.startsWith('_'));

const noNode = {
  paths: nodeBuiltins.map((name) => ({ name, message: 'This code runs in the page: Node built-ins are not available here.' })),
  patterns: [{ regex: '^node:', message: 'This code runs in the page: Node built-ins are not available here.' }],
};

const pageOnlyPatterns = [
  ...noNode.patterns,
  { regex: '^electron(/|$)', message: 'Only src-main/electron imports Electron; the page talks to it through window.plug1.' },
  { regex: '^electron-updater$', message: 'Only src-main/electron imports Electron.' },
  { regex: '^(better-sqlite3|kysely|pg)(/|$)', message: 'The database lives in src-main; the page reaches data only through the API client.' },
  { regex: '(^|/)src-main(/|$)', message: 'The page reaches data only through the API client (src-renderer/api), never by importing src-main.' },
];

const sharedOnlyPatterns = [
  ...pageOnlyPatterns,
  {
    regex: '^(react|react-dom|react-router|recharts)(/|$)|^@(mantine|tanstack|tabler)/',
    message: 'src-shared is plain TypeScript that every process loads: no React, no UI libraries.',
  },
];

export default defineConfig(
  globalIgnores(['out/', 'node_modules/', 'dist/', 'release/', 'test-results/', 'playwright-report/', 'coverage/', '.data/', '.scratch*/']),

  js.configs.recommended,
  tseslint.configs.recommended,

  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },

  {
    files: ['**/*.{js,cjs,mjs}'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },

  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    extends: [reactHooks.configs.flat.recommended],
    languageOptions: { globals: globals.browser },
    rules: {
      'no-restricted-imports': ['error', { paths: noNode.paths, patterns: pageOnlyPatterns }],
    },
  },

  {
    files: ['src-shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: noNode.paths, patterns: sharedOnlyPatterns }],
    },
  },

  {
    files: ['src-main/**/*.ts'],
    ignores: ['src-main/electron/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^electron(/|$)|^electron-updater$',
              message: 'Only src-main/electron imports Electron, so the kernel runs the same in browser mode and in tests.',
            },
          ],
        },
      ],
    },
  },

  {
    // Sandboxed preload: bundled into one file that may require nothing but 'electron'.
    files: ['src-preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!electron$|\\./|(\\.\\./)+src-shared/)',
              message: 'The sandboxed preload may import only electron and src-shared.',
            },
          ],
        },
      ],
    },
  },
);
