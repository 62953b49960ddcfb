import { defineLibraryBuild } from "../../tsup.config.base.js";

export default defineLibraryBuild();
