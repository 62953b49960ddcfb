import { mergeConfig } from "vitest/config";
import { definePackageTestConfig } from "../../vitest.shared.js";

export default mergeConfig(definePackageTestConfig({ testTimeout: 60_000 }), {
  // One file at a time: the API and browser suites both run CPU-bound plugin calls against time limits,
  // and CI has 2 cores.
  test: { globalSetup: ["test/global-setup.ts"], fileParallelism: false },
});
