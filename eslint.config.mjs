import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

const outerLayers = ['**/application/**', '**/infrastructure/**', '**/interfaces/**'];
const frameworks = [
  'express',
  'axios',
  'mongodb',
  '@eventstore/db-client',
  'better-sqlite3',
  'inversify',
  'reflect-metadata',
  'zod',
  'node:*',
  'crypto',
  'fs',
  'http',
];

export default tseslint.config(
  { ignores: ['dist/**', 'data/**', 'coverage/**', 'node_modules/**', '*.js', '*.mjs'] },
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The domain is pure: no outer layer, no framework, no I/O, no wall clock, no randomness.
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: outerLayers, message: 'src/domain must not import an outer layer.' },
            { group: frameworks, message: 'src/domain must not import a framework or Node I/O.' },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'Time comes from the Clock port.',
        },
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Time comes from the Clock port.',
        },
        {
          selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
          message: 'Ids come from the IdGenerator port.',
        },
      ],
    },
  },
  {
    // The application imports the domain, its own ports and its own modules: never an adapter,
    // the web layer, or a database or HTTP client.
    files: ['src/application/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/infrastructure/**', '**/interfaces/**'],
              message: 'application depends on ports only.',
            },
            {
              group: ['express', 'axios', 'mongodb', '@eventstore/db-client', 'better-sqlite3'],
              message: 'adapters live in src/infrastructure.',
            },
          ],
        },
      ],
    },
  },
  {
    // Infrastructure (adapters and the composition root) never reaches into the web layer.
    files: ['src/infrastructure/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/interfaces/**'], message: 'infrastructure never imports interfaces.' }] },
      ],
    },
  },
  {
    // The web layer and the entry points reach infrastructure only through the composition root.
    files: ['src/interfaces/**/*.ts', 'src/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/infrastructure/**', '!**/infrastructure/composition'],
              message:
                'interfaces reach infrastructure only through the composition root (infrastructure/composition).',
            },
            {
              group: ['axios', 'mongodb', '@eventstore/db-client', 'better-sqlite3', 'inversify'],
              message: 'adapters and the container live in src/infrastructure.',
            },
          ],
        },
      ],
    },
  },
);
