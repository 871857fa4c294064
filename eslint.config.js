// Type-aware lint: the rules that catch floating promises and unsafe `any` matter in a daemon.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "src/adapters/http/console/*.js", "coverage/"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true, allowBoolean: true }],
      "no-restricted-imports": ["error", { patterns: [{ group: ["**/adapters/**"], message: "core must stay pure" }] }],
    },
  },
  {
    files: ["src/adapters/**", "src/main.ts", "src/compose/**", "src/cli/**", "src/export/**", "src/bench/**", "test/**", "scripts/**", "src/config/**", "src/demo/**"],
    rules: { "no-restricted-imports": "off" },
  },
  {
    // The browser console shares the server's message and answer types (one source of truth),
    // never its code: type-only imports from adapters, so no Node module can reach the bundle.
    files: ["src/console/**"],
    rules: {
      "no-restricted-imports": "off",
      "@typescript-eslint/no-restricted-imports": ["error", { patterns: [{ group: ["**/adapters/**"], allowTypeImports: true, message: "the console may import only types from adapters" }] }],
    },
  },
  {
    files: ["devices/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ regex: "^\\.\\./\\.\\./src/(?!driverKit\\.js$)", message: "devices/ may import only src/driverKit.js" }] }],
    },
  },
  { files: ["eslint.config.js", "bin/**", "scripts/*.mjs"], ...tseslint.configs.disableTypeChecked },
);
