// eslint-disable-next-line no-restricted-imports -- this test keeps its expected SQL in files (I/O in tests only)
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  compileChangeKnown,
  compileChangesLast,
  compileChangesAfter,
  compileChangeWriters,
  compileWritersRunning,
  compileRestoreBefore,
} from '@lib/query';
import { schema } from './fixture';

/** The change-log statements realtime runs (issue 14), kept under __sql__ like every generated statement. */
const DIR = join(__dirname, '__sql__');
const UPDATE = process.env.UPDATE_SQL_SNAPSHOTS === '1';

function expectSnapshot(name: string, statement: { sql: string; params: readonly unknown[] }): void {
  const actual = `${statement.sql}\n-- params: ${JSON.stringify(statement.params)}\n`;
  const file = join(DIR, `${name}.sql`);
  if (UPDATE) writeFileSync(file, actual);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

it('reads the log after a position (up to a bound), whether an event id is kept, and who writes to it', () => {
  expectSnapshot('changes-after', compileChangesAfter('41', 500));
  expectSnapshot('changes-after-bounded', compileChangesAfter('41', 500, '57'));
  expectSnapshot('changes-known', compileChangeKnown('41'));
  expectSnapshot('changes-last', compileChangesLast());
  expectSnapshot('changes-writers', compileChangeWriters());
  expectSnapshot('changes-writers-running', compileWritersRunning(['3/17', '5/2']));
});

it('puts before images back: deleted rows re-inserted, updated rows set back column by column', () => {
  const before = [{ id: 1, name: 'Ann' }];
  expectSnapshot('changes-restore-delete', compileRestoreBefore(schema.collections.authors!, 'delete', before));
  expectSnapshot('changes-restore-update', compileRestoreBefore(schema.collections.authors!, 'update', before));
});
