import type { Database, Statement } from 'better-sqlite3';

export declare const STATEMENTS_KEPT: number;

export interface StatementKeepingDatabase {
  prepare(sql: string): Statement;
  close(): void;
}

export declare function keepingStatements(database: Database, kept?: number): StatementKeepingDatabase;
