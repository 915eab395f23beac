// A worker thread of the pool: processes batches of inputs (files that may hold a step,
// with the bytes the main thread read, or whole folders to read here) and sends back
// their outcomes (null for a file with nothing to report or count).

import { parentPort, workerData } from "node:worker_threads";
import { processInput, type FileInput, type FileOutcome, type ProcessOptions } from "./process.js";

const options = workerData as ProcessOptions;

parentPort!.on("message", async (message: { id: number; inputs: FileInput[] }) => {
  const outcomes: Array<FileOutcome | null> = [];
  for (const input of message.inputs) {
    try {
      outcomes.push(await processInput(input, options));
    } catch (error) {
      parentPort!.postMessage({
        id: message.id,
        error: `${input.path}: ${(error as Error).message}`,
      });
      return;
    }
  }
  parentPort!.postMessage({ id: message.id, outcomes });
});
