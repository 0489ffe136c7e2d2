// ESLint (flat config), run by `npm test` after tsc: typescript-eslint's recommended rules, no
// import cycles, and the layering ARCHITECTURE.md states — the domain has no HTTP in it.
import js from '@eslint/js'
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript'
import importX from 'eslint-plugin-import-x'
import globals from 'globals'
import tseslint from 'typescript-eslint'

/** What src/domain/ may not import: the HTTP layer and everything built on it. */
const HTTP_LAYER = ['**/koodrive/**', '**/admin/**', '**/plugins/**', '**/http/**', '**/dashboard/**', '**/faults/**', '**/testing/**', '**/client/**', '**/app.js', '**/server.js', 'fastify', 'fastify-plugin', '@fastify/*']

export default tseslint.config(
  { ignores: ['dist/**', 'coverage/**', '.tap/**', 'node_modules/**', 'src/client/openapi-types.ts', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    plugins: { 'import-x': importX },
    // The TypeScript resolver maps an import of x.js to x.ts, as tsc does.
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver()] },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      'import-x/no-cycle': 'error',
      'no-restricted-syntax': ['error', { selector: 'TSEnumDeclaration', message: 'a const object with `as const`, as the codebase does, not an enum' }],
    },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: HTTP_LAYER, message: 'src/domain/ has no HTTP in it: the HTTP layer maps domain errors and calls the domain, never the other way round (ARCHITECTURE.md)' }] }],
    },
  },
  {
    files: ['src/dashboard/public/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
)
