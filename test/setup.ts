// Runs in every test file: its scratch folders go when its tests are done.

import { afterAll } from "vitest";
import { removeScratchFolders } from "./helpers.js";

afterAll(removeScratchFolders);
