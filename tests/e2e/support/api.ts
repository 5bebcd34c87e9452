import type { CommandName, In, Out } from '../../../shared/contract/index.ts';

/**
 * Seeds a running web host through its real HTTP API (the same router the UI uses), so a spec
 * can start from users, customers and carriers without clicking through every form.
 */
export class HostApi {
  private readonly origin: string;
  private readonly key: string;
  private sessionKey = '';

  constructor(url: string) {
    const parsed = new URL(url);
    this.origin = parsed.origin;
    this.key = parsed.searchParams.get('key') ?? '';
  }

  async open(): Promise<this> {
    const res = await fetch(`${this.origin}/api/session`, { method: 'POST', headers: { 'x-notchify-key': this.key } });
    this.sessionKey = ((await res.json()) as { sessionKey: string }).sessionKey;
    return this;
  }

  async call<N extends CommandName>(name: N, input: In<N>): Promise<Out<N>> {
    const res = await fetch(`${this.origin}/api/invoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-notchify-key': this.key, 'x-notchify-session': this.sessionKey },
      body: JSON.stringify({ name, input }),
    });
    const reply = (await res.json()) as { ok: true; value: Out<N> } | { ok: false; error: { message: string } };
    if (!reply.ok) throw new Error(`${name}: ${reply.error.message}`);
    return reply.value;
  }
}
