// ESLint for the browser code: the citizen app and its service worker (ES modules), the
// desk's modules, the base-map pages. `make lint` runs it (npm's eslint, never a CDN).
import js from "@eslint/js";
import globals from "globals";

// Django's JavaScript catalog (/jsi18n/) and the libraries loaded by <script> tags.
const djangoCatalog = { gettext: "readonly", ngettext: "readonly", interpolate: "readonly", pgettext: "readonly", npgettext: "readonly" };
const libraries = { maplibregl: "readonly" };

export default [
  // The service worker is a Django template (web/templates/pages/sw.js): a browser test runs it.
  { ignores: ["node_modules/**", ".venv/**", "data/**", "**/vendor/**", "tests/artifacts/**", "web/templates/**"] },
  js.configs.recommended,
  {
    files: ["web/static/**/*.js", "web/desk/static/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: { ...globals.browser, ...djangoCatalog, ...libraries },
    },
    rules: {
      "no-unused-vars": ["error", { argsIgnorePattern: "^_", caughtErrors: "none" }],
      eqeqeq: ["error", "smart"],
      "no-implicit-globals": "error",
      // No HTML from data: contributions are rendered as text nodes (see docs/architecture.md).
      "no-restricted-properties": ["error",
        { property: "innerHTML", message: "Build DOM nodes (el(), textContent): no HTML from data." },
        { property: "outerHTML", message: "Build DOM nodes: no HTML from data." },
        { property: "insertAdjacentHTML", message: "Build DOM nodes: no HTML from data." }],
      // Files may declare the globals they use (/* global maplibregl */).
      "no-redeclare": ["error", { builtinGlobals: false }],
    },
  },
];
