// Which applications hear about a resource. Asterisk counts subscriptions per application: a
// channel originated by an app is subscribed once at creation and once more while it is in
// Stasis, so its ChannelDestroyed still reaches the app after StasisEnd; an inbound call is
// subscribed only while in Stasis, so its life in the app ends at StasisEnd.

export class Subscribers {
  private readonly counts = new Map<string, number>();

  add(app: string): void {
    this.counts.set(app, (this.counts.get(app) ?? 0) + 1);
  }

  remove(app: string): void {
    const n = (this.counts.get(app) ?? 0) - 1;
    if (n > 0) this.counts.set(app, n);
    else this.counts.delete(app);
  }

  /** Drops every subscription of `app` (explicit unsubscribe). */
  removeAll(app: string): void {
    this.counts.delete(app);
  }

  has(app: string): boolean {
    return this.counts.has(app);
  }

  apps(): IterableIterator<string> {
    return this.counts.keys();
  }

  get size(): number {
    return this.counts.size;
  }

  clear(): void {
    this.counts.clear();
  }
}
