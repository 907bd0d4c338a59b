import fs from 'node:fs';
import path from 'node:path';

/**
 * Everything under DATA_DIR is for the Revista process alone: the embedded database holds the signing
 * secret and password hashes, `files/` unpublished submissions. Files are made 0600 and directories
 * 0700 (only the owner can read, write or enter them).
 */

/** Set on the process before anything is written there: new files 0600, new directories 0700. */
export const PRIVATE_UMASK = 0o077;

export interface PrivateWalk {
  /** Files and directories whose mode let others in, and were narrowed. */
  fixed: number;
  /** Those that could not be changed (owned by another user). */
  failed: number;
}

/**
 * Takes group and other permissions away from `root` and everything under it. Symbolic links are
 * neither followed nor changed (their own mode means nothing on Linux). One lstat per entry, no
 * reading: thousands of files take milliseconds.
 */
export function makePrivate(root: string): PrivateWalk {
  const walk: PrivateWalk = { fixed: 0, failed: 0 };
  const narrow = (file: string, stat: fs.Stats) => {
    if ((stat.mode & 0o077) === 0) return;
    try {
      fs.chmodSync(file, stat.mode & 0o700);
      walk.fixed++;
    } catch {
      walk.failed++;
    }
  };
  const visit = (directory: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(directory, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const file = path.join(directory, entry.name);
      if (entry.isSymbolicLink()) continue;
      let stat: fs.Stats;
      try {
        stat = fs.lstatSync(file);
      } catch {
        continue; // removed meanwhile
      }
      narrow(file, stat);
      if (stat.isDirectory()) visit(file);
    }
  };
  let top: fs.Stats;
  try {
    top = fs.lstatSync(root);
  } catch {
    return walk;
  }
  if (!top.isDirectory()) return walk;
  narrow(root, top);
  visit(root);
  return walk;
}
