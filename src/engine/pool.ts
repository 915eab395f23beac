// A pool of worker threads that process batches of files in parallel. Results come back
// as structured clones, so Buffers arrive as Uint8Arrays and are turned back here.

import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { FileInput, FileOutcome, ProcessOptions } from "./process.js";

type Reply = { id: number; outcomes?: Array<FileOutcome | null>; error?: string };

const WORKER_FILE = fileURLToPath(new URL("./worker.js", import.meta.url));

/** Whether a pool can run: not when this module runs from TypeScript sources (tests),
 * where no compiled worker exists. A built tool without its worker is broken, and says so. */
export function poolAvailable(): boolean {
  if (import.meta.url.endsWith(".ts")) return false;
  if (!existsSync(WORKER_FILE)) throw new Error(`worker thread entry missing: ${WORKER_FILE}`);
  return true;
}

function revive(outcome: FileOutcome | null): FileOutcome | null {
  if (!outcome) return null;
  for (const write of outcome.writes) {
    write.bytes = Buffer.from(write.bytes.buffer, write.bytes.byteOffset, write.bytes.byteLength);
    if (write.original)
      write.original = Buffer.from(
        write.original.buffer,
        write.original.byteOffset,
        write.original.byteLength,
      );
  }
  return outcome;
}

export class WorkerPool {
  private readonly workers: Worker[];
  private readonly idle: Worker[];
  private readonly waiting: Array<() => void> = [];
  private readonly pending = new Map<
    number,
    { resolve(v: Array<FileOutcome | null>): void; reject(e: Error): void }
  >();
  private nextId = 0;

  constructor(size: number, options: ProcessOptions) {
    this.workers = Array.from({ length: size }, () => {
      const worker = new Worker(WORKER_FILE, { workerData: options });
      worker.on("message", (reply: Reply) => this.settle(worker, reply));
      worker.on("error", (error) => {
        for (const { reject } of this.pending.values()) reject(error);
        this.pending.clear();
      });
      return worker;
    });
    this.idle = [...this.workers];
  }

  private settle(worker: Worker, reply: Reply) {
    const task = this.pending.get(reply.id);
    this.pending.delete(reply.id);
    this.idle.push(worker);
    this.waiting.shift()?.();
    if (!task) return;
    if (reply.error !== undefined) task.reject(new Error(reply.error));
    else task.resolve(reply.outcomes!.map(revive));
  }

  /** Processes one batch on the next free worker. */
  async process(inputs: FileInput[]): Promise<Array<FileOutcome | null>> {
    while (this.idle.length === 0) await new Promise<void>((resolve) => this.waiting.push(resolve));
    const worker = this.idle.shift()!;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, inputs });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}
