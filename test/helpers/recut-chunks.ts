/**
 * A run's metric stored again as chunks of episodes 0–2999 and 3000 to its end, every value and
 * summary sound: for 5,000 episodes the second chunk runs across episode 4096, past the cell the
 * store ends every chunk in (a read from 4096 on looks for chunks from there, and misses it). The
 * edit results import and `aisle check` both refuse.
 */
import type Database from 'better-sqlite3';
import { Summary } from '../../src/main/store/chunk-summary';
import { chunkValues, float32Blob } from '../../src/main/store/codec';

export function recutAcrossCell(db: Database.Database, runId: number, metric: string): void {
  const id = db.prepare<[number, string], number>('SELECT id FROM metric_series WHERE run_id = ? AND name = ?').pluck().get(runId, metric)!;
  const chunks = db.prepare<[number], { count: number; data: Buffer }>('SELECT count, data FROM metric_chunks WHERE series_id = ? ORDER BY start_episode').all(id);
  const values = Float32Array.from(chunks.flatMap((c) => Array.from(chunkValues(c.data, c.count))));
  db.prepare('DELETE FROM metric_chunks WHERE series_id = ?').run(id);
  const put = db.prepare('INSERT INTO metric_chunks (series_id, start_episode, count, present, min, max, sum, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  for (const [start, end] of [[0, 3000], [3000, values.length]] as const) {
    const part = values.slice(start, end);
    const summary = Summary.EMPTY.plus(part);
    put.run(id, start, part.length, summary.present, summary.min, summary.max, summary.sum, float32Blob(part));
  }
}
