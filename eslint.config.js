import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const noEnums = { selector: 'TSEnumDeclaration', message: 'Use string literal unions, not enums.' };
const wallClock = 'Read the time through a Clock (src/core/clock.ts: take a `clock: Clock` from the caller, systemClock only at the outermost entry point) so that tests can fix it; measure a duration with performance.now().';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', '.uf/', 'web/src/api/schema.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', noEnums],
    },
  },
  {
    // One clock: outside core/clock.ts, src/ reads the wall clock only through a Clock. Tests and their
    // support files (the files tsconfig.build.json leaves out of the build) may read it.
    files: ['src/**/*.ts'],
    ignores: ['src/core/clock.ts', 'src/**/*.test.ts', 'src/**/*.contract.ts', 'src/**/contract.ts', 'src/**/testing.ts', 'src/**/order-fixtures.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        noEnums,
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: `new Date() reads the wall clock. ${wallClock}` },
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: `Date.now() reads the wall clock. ${wallClock}` },
        { selector: "CallExpression[callee.name='Date']", message: `Date() reads the wall clock. ${wallClock}` },
        { selector: "MemberExpression[object.name='Date'][property.name='now']:not(CallExpression > .callee)", message: `Date.now passed as a function reads the wall clock. ${wallClock}` },
      ],
    },
  },
  {
    // The dashboard: React's rules of hooks; it runs in the browser, so its globals are the DOM's.
    files: ['web/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  { files: ['bin/**/*.js', 'scripts/**/*.mjs'], languageOptions: { globals: { process: 'readonly', console: 'readonly', performance: 'readonly' } } },
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } } },
);
