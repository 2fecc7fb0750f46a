/** Every item of a paged list route, following `next` cursors (bounded, so a huge estate cannot hang the page). */
export async function allPages<T>(page: (cursor: string | undefined) => Promise<{ items: T[]; next?: string | null }>, maxPages = 50): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < maxPages; i++) {
    const result = await page(cursor);
    items.push(...result.items);
    if (!result.next) return items;
    cursor = result.next;
  }
  return items;
}
