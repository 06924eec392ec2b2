/**
 * Work that only one process on the catalog may do at a time (a re-index). On PostgreSQL, where
 * several servers share the catalog, a named lock held by the database; on SQLite one process
 * owns the data dir (the process lock), so the work runs as it is.
 */
export interface ClusterLock {
  run<T>(name: string, work: () => Promise<T>): Promise<T>;
}
