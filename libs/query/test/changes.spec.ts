// eslint-disable-next-line no-restricted-imports -- this test keeps its expected SQL in files (I/O in tests only)
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  compileChangeKnown,
  compileChangesLast,
  compileChangesAfter,
  compileChangesRange,
  compileChangesRanges,
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

it('reads a NOTIFY range, a resume batch and whether an event id is still kept', () => {
  expectSnapshot('changes-range', compileChangesRange('5', '9'));
  expectSnapshot(
    'changes-ranges',
    compileChangesRanges([
      ['12', '12'],
      ['5', '9'],
    ]),
  );
  expectSnapshot('changes-after', compileChangesAfter('41', 500));
  expectSnapshot('changes-known', compileChangeKnown('41'));
  expectSnapshot('changes-last', compileChangesLast());
});

it('puts before images back: deleted rows re-inserted, updated rows set back column by column', () => {
  const before = [{ id: 1, name: 'Ann' }];
  expectSnapshot('changes-restore-delete', compileRestoreBefore(schema.collections.authors!, 'delete', before));
  expectSnapshot('changes-restore-update', compileRestoreBefore(schema.collections.authors!, 'update', before));
});
