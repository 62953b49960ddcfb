import { mergeConfig } from "vitest/config";
import { definePackageTestConfig } from "../../vitest.shared.js";

export default mergeConfig(definePackageTestConfig({ testTimeout: 60_000 }), {
  test: { globalSetup: ["test/global-setup.ts"] },
});
