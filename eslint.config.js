// Lint rules for the whole repository: typescript-eslint's recommended set, no `any`, consistent type imports.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['node_modules', '**/dist', '.wrangler', '.data', 'models', 'bench/results', 'workers/worker-configuration.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['web/public/**/*.js'],
    languageOptions: { globals: { window: 'readonly', SwaggerUIBundle: 'readonly' } },
  },
)
