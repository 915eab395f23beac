// A worker thread of the pool: processes batches of files that may hold a step, from the
// bytes the main thread read, and sends back their outcomes.

import { parentPort, workerData } from "node:worker_threads";
import type { Candidate } from "./pool.js";
import { processCandidate } from "../stages/process.js";
import type { FileOutcome, ProcessOptions } from "../stages/outcome.js";

const options = workerData as ProcessOptions;

parentPort!.on("message", async (message: { id: number; inputs: Candidate[] }) => {
  const outcomes: FileOutcome[] = [];
  for (const input of message.inputs) {
    try {
      const bytes = Buffer.from(input.bytes.buffer, input.bytes.byteOffset, input.bytes.byteLength);
      outcomes.push(await processCandidate(input, bytes, options));
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
