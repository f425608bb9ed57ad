/**
 * Long synchronous work calls `due()` between units of work and awaits `yield()` when it is true, so
 * timers, worker messages and abort signals are handled at least every `intervalMs`.
 */
export class EventLoopYielder {
  private last = performance.now();

  constructor(private readonly intervalMs: number) {}

  due(): boolean {
    return performance.now() - this.last >= this.intervalMs;
  }

  /** setImmediate runs after pending I/O callbacks, unlike a resolved promise. */
  async yield(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.last = performance.now();
  }
}
