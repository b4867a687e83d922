/**
 * Credentials already decoded, by their value, until their own expiry: a bearer token's
 * verified signature (lib/auth/tokens.ts) and a session cookie's decryption
 * (lib/auth/resolve-caller.ts). Clients send the same credential with every request, and
 * decoding it again costs more than the rest of a small request. At most `max` are kept, the
 * oldest out first.
 */
export class DecodedCredentials<V> {
  private readonly entries = new Map<string, { value: V; expMs: number }>();

  constructor(private readonly max: number) {}

  /** The decoded value; null when it is kept but expired; undefined when it is not kept. */
  get(key: string, nowMs: number): V | null | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    return hit.expMs > nowMs ? hit.value : null;
  }

  set(key: string, value: V, expMs: number): void {
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { value, expMs });
  }
}
