// Who processes which file. This thread reads the inputs and keeps only the files that
// may hold a step (process.ts, readCandidate): in a tree of thousands of files that is a
// few. Worker threads are started only when a run is big enough to pay for them and
// holds such a file; those files go in small batches to the least loaded worker, and
// this thread takes files when too many wait and once it has read everything. Outcomes are collected as they
// come and returned in input order.

import { sourceKind } from "../frontends/kinds.js";
import { prepareParser } from "../frontends/registry.js";
import type { Candidate, WorkerPool } from "./pool.js";
import { processCandidate, readCandidate } from "../stages/process.js";
import type { FileInput, FileOutcome, ProcessOptions } from "../stages/outcome.js";

export interface ScheduleOptions {
  /** Threads at work, this one included. */
  jobs: number;
  /** Stops reading and processing (SIGINT). */
  signal?: AbortSignal;
  /** After each file: how many are done, and how many of them are worth reporting. */
  onProgress?: (done: number, reported: number) => void;
}

/** Files read before worker threads are worth their start-up (a pre-commit run on a few
 * files stays in this thread). */
const POOL_THRESHOLD = 256;
/** Candidates per message to a worker, and how many a worker holds at once: enough that
 * it never waits for this thread, few enough that the load stays even. */
const BATCH = 4;
const WORKER_HOLDS = 2 * BATCH;
/** Candidates waiting (or their bytes) before this thread, still reading, takes some
 * itself. */
const BACKLOG = 256;
const BACKLOG_BYTES = 64 * 1024 * 1024;

/** Lets worker replies in: this thread reads synchronously between folders. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

type Entry = { index: number; input: Candidate };

/** Processes the inputs; the outcome of each (null: nothing to report or count), in
 * input order, and how many inputs were read. */
export async function processInputs(
  inputs: AsyncIterable<FileInput[]>,
  perFile: ProcessOptions,
  schedule: ScheduleOptions,
): Promise<{ outcomes: Array<FileOutcome | null>; scanned: number }> {
  const outcomes: Array<FileOutcome | null> = [];
  let done = 0;
  let reported = 0;
  const finish = (index: number, outcome: FileOutcome | null) => {
    outcomes[index] = outcome;
    done++;
    if (outcome && !outcome.skippedJson) reported++;
    schedule.onProgress?.(done, reported);
  };
  /** Candidates read here, with their bytes, not yet processed. */
  const waiting: Entry[] = [];
  let waitingBytes = 0;
  /** Started for the first candidate of a big run; null: none can run (from sources). */
  let pool: WorkerPool | null | undefined;
  const inFlight = new Set<Promise<void>>();
  let failure: Error | undefined;
  const stopped = () => schedule.signal?.aborted || failure !== undefined;

  const send = (batch: Entry[]) => {
    const sent = pool!
      .process(batch.map((entry) => entry.input))
      .then(
        (results) => {
          results.forEach((outcome, i) => finish(batch[i]!.index, outcome));
          feed();
        },
        (error: Error) => {
          failure ??= error;
        },
      )
      .finally(() => inFlight.delete(sent));
    inFlight.add(sent);
  };
  /** Sends waiting candidates to workers while one has room. */
  const feed = () => {
    while (pool && waiting.length && pool.lightestLoad < WORKER_HOLDS && !stopped())
      send(take(BATCH));
  };
  /** Takes the next `count` waiting candidates. */
  const take = (count: number) => {
    const taken = waiting.splice(0, count);
    for (const { input } of taken) waitingBytes -= input.bytes.length;
    return taken;
  };
  /** This thread processes the next waiting candidate. */
  const takeOne = async () => {
    const [{ index, input }] = take(1) as [Entry];
    finish(index, await processCandidate(input, input.bytes as Buffer, perFile));
    await turn();
  };

  const workers = schedule.jobs - 1;
  /** Whether this thread has started loading a parser (for the first candidate). */
  let prepared = false;
  let scanned = 0;
  try {
    for await (const group of inputs) {
      if (stopped()) break;
      const first = scanned;
      scanned += group.length;
      for (let i = 0; i < group.length && !stopped(); i++) {
        const input = group[i]!;
        const read = readCandidate(input, perFile);
        if (!Buffer.isBuffer(read)) {
          finish(first + i, read);
          continue;
        }
        waiting.push({ index: first + i, input: { ...input, bytes: read } });
        waitingBytes += read.length;
        if (!prepared) prepareParser(input.kind ?? sourceKind(input.path)!);
        prepared = true;
      }
      if (pool === undefined && waiting.length && workers > 0 && scanned >= POOL_THRESHOLD) {
        // Loaded only here: a small run never loads the worker machinery.
        const { poolAvailable, WorkerPool } = await import("./pool.js");
        pool = poolAvailable() ? new WorkerPool(workers, perFile) : null;
      }
      if (pool) await turn();
      feed();
      while ((waiting.length > BACKLOG || waitingBytes > BACKLOG_BYTES) && !stopped())
        await takeOne();
    }
    while (waiting.length && !stopped()) await takeOne();
    while (inFlight.size) await Promise.all(inFlight);
  } finally {
    await pool?.close();
  }
  if (failure) throw failure;
  return { outcomes, scanned };
}
