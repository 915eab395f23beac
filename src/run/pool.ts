// Worker threads that process the files that may hold a step, in small batches, each
// batch to the worker with the fewest files in hand. Results come back as structured
// clones, so Buffers arrive as Uint8Arrays and are turned back here.

import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { FileInput, FileOutcome, ProcessOptions } from "../stages/outcome.js";

/** A file to process, with the bytes the main thread read. */
export type Candidate = FileInput & { bytes: Uint8Array };

type Reply = { id: number; outcomes?: FileOutcome[]; error?: string };

const WORKER_FILE = fileURLToPath(new URL("./worker.cjs", import.meta.url));

/** Whether a pool can run: not when this module runs from TypeScript sources (tests),
 * where no compiled worker exists. A built tool without its worker is broken, and says so. */
export function poolAvailable(): boolean {
  if (import.meta.url.endsWith(".ts")) return false;
  if (!existsSync(WORKER_FILE)) throw new Error(`worker thread entry missing: ${WORKER_FILE}`);
  return true;
}

function revive(outcome: FileOutcome): FileOutcome {
  const buffer = (bytes: Uint8Array) =>
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const write of outcome.writes) {
    write.bytes = buffer(write.bytes);
    if (write.original) write.original = buffer(write.original);
  }
  return outcome;
}

interface Task {
  files: number;
  resolve(outcomes: FileOutcome[]): void;
  reject(error: Error): void;
}

interface Member {
  worker: Worker;
  /** Files sent and not yet answered. */
  load: number;
  tasks: Map<number, Task>;
}

export class WorkerPool {
  private readonly members: Member[];
  private nextId = 0;

  constructor(size: number, options: ProcessOptions) {
    this.members = Array.from({ length: size }, () => {
      const member: Member = {
        worker: new Worker(WORKER_FILE, { workerData: options }),
        load: 0,
        tasks: new Map(),
      };
      member.worker.on("message", (reply: Reply) => this.settle(member, reply));
      member.worker.on("error", (error) => {
        for (const task of member.tasks.values()) task.reject(error);
        member.tasks.clear();
      });
      return member;
    });
  }

  /** The fewest files any worker has in hand. */
  get lightestLoad(): number {
    return Math.min(...this.members.map((member) => member.load));
  }

  private settle(member: Member, reply: Reply) {
    const task = member.tasks.get(reply.id);
    if (!task) return;
    member.tasks.delete(reply.id);
    member.load -= task.files;
    if (reply.error !== undefined) task.reject(new Error(reply.error));
    else task.resolve(reply.outcomes!.map(revive));
  }

  /** Processes a batch on the worker with the fewest files in hand. */
  process(batch: Candidate[]): Promise<FileOutcome[]> {
    const member = this.members.reduce((a, b) => (b.load < a.load ? b : a));
    const id = this.nextId++;
    member.load += batch.length;
    return new Promise((resolve, reject) => {
      member.tasks.set(id, { files: batch.length, resolve, reject });
      member.worker.postMessage({ id, inputs: batch });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.members.map((member) => member.worker.terminate()));
  }
}
