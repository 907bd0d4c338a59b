import { CONNECTION_LOST, type DatabaseHandle } from '../db/index.ts';

/**
 * A generation number that moves whenever catalog data changes, in this process or any other that
 * shares the database. Database triggers NOTIFY `revista_content` when a changing transaction
 * commits; caches keep what they rendered together with the generation it was rendered at and use
 * it only while the generation is unchanged.
 */
export interface ContentChanges {
  generation(): number;
  /** False once change notifications can no longer be trusted (listening connection lost). */
  reliable(): boolean;
  close(): Promise<void>;
}

export const CONTENT_CHANNEL = 'revista_content';

export async function watchContentChanges(handle: DatabaseHandle): Promise<ContentChanges> {
  let generation = 0;
  let reliable = true;
  const unlisten = await handle.listen(CONTENT_CHANNEL, (payload) => {
    generation++;
    if (payload === CONNECTION_LOST) reliable = false;
  });
  return {
    generation: () => generation,
    reliable: () => reliable,
    close: unlisten,
  };
}
