// A promise with its resolve function outside it (Node 20 has no Promise.withResolvers): for
// results that arrive as events (ARI playbacks, dialled legs) rather than as a call's return.
export interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
