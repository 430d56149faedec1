/**
 * Runs `fn` over `items` with at most `limit` calls in flight, in item order of start. The one concurrency pool of
 * the code base (Comprehend batches, row-ledger claims). Rejects with the first error; calls already started finish.
 */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
