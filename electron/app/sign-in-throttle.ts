import { signInDelayMs } from '../../shared/domain/users/sign-in-delay.ts';

/** The desktop's sign-in throttle: the delays of shared/domain/users/sign-in-delay.ts, in memory. */
export class SignInThrottle {
  private readonly failures = new Map<string, number>();
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms))) {
    this.sleep = sleep;
  }

  delayFor(email: string): number {
    return signInDelayMs(this.failures.get(email) ?? 0);
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
