/**
 * Who is signed in where. A session key names one window (Electron: its webContents id) or one
 * browser tab (web host: a key the host issued). Sessions live in memory: quitting the app signs
 * everyone out, and a deactivated user is signed out on their next call.
 */
export class Sessions {
  private readonly users = new Map<string, string>();

  signIn(sessionKey: string, userId: string): void {
    this.users.set(sessionKey, userId);
  }

  signOut(sessionKey: string): void {
    this.users.delete(sessionKey);
  }

  userIdOf(sessionKey: string): string | null {
    return this.users.get(sessionKey) ?? null;
  }
}
