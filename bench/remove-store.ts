/** Deletes a store from the page's origin: its OPFS folder and its metadata database (runs in the page). */
export async function removeStore(storeName: string): Promise<void> {
  const root = await navigator.storage.getDirectory();
  try {
    await root.removeEntry(storeName, { recursive: true });
  } catch (error) {
    if ((error as DOMException).name !== 'NotFoundError') throw error;
  }
  await new Promise<void>((resolve, reject) => {
    const request = indexedDB.deleteDatabase(`${storeName}-meta`);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error ?? new Error(`could not delete database ${storeName}-meta`));
  });
}

/** Empties what the peers store in the page's origin: every Cache API cache, and the Hangar store `storeName`. */
export async function clearModelStorage(storeName: string): Promise<void> {
  for (const name of await caches.keys()) await caches.delete(name);
  await removeStore(storeName);
}
