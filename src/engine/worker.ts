// A worker thread of the pool: processes batches of files and sends back the outcomes of
// those worth reporting (null for the rest, so the caller can count them).

import { parentPort, workerData } from "node:worker_threads";
import { passedOn, processFile, type FileInput, type ProcessOptions } from "./process.js";

const options = workerData as ProcessOptions;

parentPort!.on("message", async (message: { id: number; inputs: FileInput[] }) => {
  const outcomes = [];
  for (const input of message.inputs) {
    try {
      const outcome = await processFile(input, options);
      outcomes.push(passedOn(outcome));
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
