/**
 * Growing delays after failed sign-ins, per email: 0 s for the first 3 failures, then doubling
 * from 1 s to at most 30 s. A success clears the count. It slows guessing without locking a
 * clerk out of their own desk.
 */
export class SignInThrottle {
  private readonly failures = new Map<string, number>();
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms))) {
    this.sleep = sleep;
  }

  delayFor(email: string): number {
    const n = this.failures.get(email) ?? 0;
    if (n < 3) return 0;
    return Math.min(30_000, 1000 * 2 ** (n - 3));
  }

  async beforeAttempt(email: string): Promise<void> {
    const ms = this.delayFor(email);
    if (ms > 0) await this.sleep(ms);
  }

  failed(email: string): void {
    this.failures.set(email, (this.failures.get(email) ?? 0) + 1);
  }

  succeeded(email: string): void {
    this.failures.delete(email);
  }
}
