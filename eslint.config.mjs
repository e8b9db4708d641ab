// One lint config for the program, the pack, the reactor, scripts, tests and benchmarks.
// Type-aware so @pulumi/eslint-plugin can catch Outputs interpolated into plain template strings.
import tseslint from "typescript-eslint";
import pulumi from "@pulumi/eslint-plugin";

export default tseslint.config(
  { ignores: ["node_modules/**", "**/node_modules/**", "out/**", "tmp/**", "*.mjs"] },
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { "@pulumi": pulumi },
    rules: {
      "@pulumi/no-output-in-template-literal": "error",
      "@pulumi/no-output-instance-in-template-literal": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-floating-promises": "error",
      "no-restricted-properties": [
        "error",
        { object: "describe", property: "only", message: "no .only: the rest of the suite would not run" },
        { object: "it", property: "only", message: "no .only: the rest of the suite would not run" },
        { object: "describe", property: "skip", message: "no skipped tests" },
        { object: "it", property: "skip", message: "no skipped tests" },
      ],
    },
  },
);
