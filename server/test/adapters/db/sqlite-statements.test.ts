import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { keepingStatements } from '../../../src/adapters/db/sqlite-statements.mjs';

// A real in-memory SQLite connection: what the main catalog connection and each reader thread use.
let database: SQLite.Database;
afterEach(() => {
  if (database?.open) database.close();
});

function withTable() {
  database = new SQLite(':memory:');
  database.exec('create table t (id integer primary key, name text); create table sums (total integer);');
  database.exec('insert into sums values (0)');
  return keepingStatements(database, 3);
}

describe('keepingStatements', () => {
  it('hands back the statement prepared before for the same SQL, and a new one for other SQL', () => {
    const kept = withTable();
    const first = kept.prepare('select * from t where id = ?');
    expect(kept.prepare('select * from t where id = ?')).toBe(first);
    expect(kept.prepare('select * from t where name = ?')).not.toBe(first);
  });

  it('forgets the least recently used statement beyond its bound', () => {
    const kept = withTable();
    const a = kept.prepare('select 1');
    const b = kept.prepare('select 2');
    kept.prepare('select 3');
    expect(kept.prepare('select 1')).toBe(a); // used again: now the most recent
    kept.prepare('select 4'); // evicts "select 2", the least recently used
    expect(kept.prepare('select 1')).toBe(a);
    expect(kept.prepare('select 2')).not.toBe(b);
  });

  it('prepares a fresh statement while the kept one is still being iterated', () => {
    const kept = withTable();
    kept.prepare('insert into t (name) values (?)').run('a');
    kept.prepare('insert into t (name) values (?)').run('b');
    const streaming = kept.prepare('select name from t order by id');
    const names: string[] = [];
    for (const row of streaming.iterate() as Iterable<{ name: string }>) {
      // The same SQL asked while the stream is open reads in full, and the stream goes on.
      expect(kept.prepare('select name from t order by id').all()).toEqual([{ name: 'a' }, { name: 'b' }]);
      names.push(row.name);
    }
    expect(names).toEqual(['a', 'b']);
  });

  it('a kept statement runs the triggers made after it was prepared, and stops running dropped ones', () => {
    const kept = withTable();
    const insert = 'insert into t (name) values (?)';
    kept.prepare(insert).run('before');
    database.exec('create trigger count_rows after insert on t begin update sums set total = total + 1; end');
    kept.prepare(insert).run('with trigger');
    database.exec('drop trigger count_rows');
    kept.prepare(insert).run('after');
    expect(database.prepare('select total from sums').get()).toEqual({ total: 1 });
    expect(database.prepare('select count(*) as n from t').get()).toEqual({ n: 3 });
  });

  it('closes the connection', () => {
    const kept = withTable();
    kept.close();
    expect(database.open).toBe(false);
  });
});
