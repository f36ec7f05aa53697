// @ts-check
const js = require('@eslint/js')
const tseslint = require('typescript-eslint')
const prettier = require('eslint-config-prettier')

module.exports = tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { globals: { require: 'readonly', module: 'writable', process: 'readonly', console: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['@segment/actions-core/*'], message: 'Import from the root of @segment/actions-core.' }]
        }
      ]
    }
  },
  {
    files: ['src/destinations/**/*.ts'],
    ignores: ['**/__tests__/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'got', message: 'Actions call Extole through the injected request function, never got.' }],
          patterns: [{ group: ['@segment/actions-core/*'], message: 'Import from the root of @segment/actions-core.' }]
        }
      ]
    }
  }
)
