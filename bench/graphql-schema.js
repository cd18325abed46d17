'use strict';
/**
 * `node_modules/.bin/node bench/graphql-schema.js` — how long buildGraphqlSchema takes and how much heap one cached
 * schema keeps, for a synthetic snapshot of 50 collections × 30 fields (issue #13's target, reported, not asserted).
 *
 * Each collection: an integer key, 24 scalar columns of every type, 2 M2O to other collections and the 2 O2M aliases
 * other collections point back with, and one `<field>_func`-bearing column of each temporal kind. Two roles: the admin
 * (everything, every mutation) and a reader (half the fields readable, nothing writable).
 *
 * Loads the compiled library from dist/ when `npm run build` has run, else compiles the TypeScript sources on the
 * fly with @swc/core (a devDependency, as the unit tests do). Re-runs itself with --expose-gc to measure the heap.
 * BENCH_GQL_SCHEMAS (default 20) schemas are built and kept per role; times are per schema.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');

if (typeof globalThis.gc !== 'function') {
  const child = spawnSync(
    process.execPath,
    ['--expose-gc', path.join(__dirname, 'graphql-schema.js'), ...process.argv.slice(2)],
    {
      stdio: 'inherit',
    },
  );
  process.exit(child.status ?? 1);
}

const ROOT = path.resolve(__dirname, '..');
const COUNT = Number(process.env.BENCH_GQL_SCHEMAS ?? 20);
const COLLECTIONS = 50;
const FIELDS = 30;

function loadLibs() {
  const dist = path.join(ROOT, 'dist', 'libs', 'graphql-schema', 'src', 'index.js');
  if (fs.existsSync(dist)) {
    require(path.join(ROOT, 'dist', 'src', 'register-paths.js'));
    return { gql: require(dist), schemaLib: require(path.join(ROOT, 'dist', 'libs', 'schema', 'src')), from: 'dist' };
  }
  const swc = require('@swc/core');
  const libs = path.join(ROOT, 'libs');
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function (request, ...rest) {
    if (request.startsWith('@lib/')) {
      const [name, ...sub] = request.slice(5).split('/');
      request = path.join(libs, name, 'src', sub.length ? sub.join('/') : 'index');
    }
    return resolve.call(this, request, ...rest);
  };
  Module._extensions['.ts'] = function (module, filename) {
    const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), {
      filename,
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
    });
    module._compile(code, filename);
  };
  return {
    gql: require(path.join(libs, 'graphql-schema', 'src', 'index.ts')),
    schemaLib: require(path.join(libs, 'schema', 'src', 'index.ts')),
    from: 'TypeScript sources (swc)',
  };
}

const SCALAR_TYPES = [
  ['string', 'character varying'],
  ['text', 'text'],
  ['integer', 'integer'],
  ['bigInteger', 'bigint'],
  ['float', 'real'],
  ['decimal', 'numeric'],
  ['boolean', 'boolean'],
  ['date', 'date'],
  ['dateTime', 'timestamp without time zone'],
  ['timestamp', 'timestamp with time zone'],
  ['time', 'time without time zone'],
  ['uuid', 'uuid'],
  ['json', 'json'],
  ['csv', 'text'],
];

/** 50 collections × 30 fields: id, 24 scalars, 2 M2O, 2 O2M aliases (c_i.ref_a → c_{i+1}, c_i.ref_b → c_{i+7}). */
function syntheticSnapshot({ buildSnapshot, makeField }) {
  const name = (i) => `collection_${String(i % COLLECTIONS).padStart(2, '0')}`;
  const collections = [];
  const relations = [];
  for (let i = 0; i < COLLECTIONS; i++) {
    const c = name(i);
    const fields = [
      makeField({
        collection: c,
        field: 'id',
        type: 'integer',
        dbType: 'integer',
        primaryKey: true,
        autoIncrement: true,
        nullable: false,
      }),
    ];
    for (let f = 0; f < FIELDS - 5; f++) {
      const [type, dbType] = SCALAR_TYPES[f % SCALAR_TYPES.length];
      fields.push(
        makeField({
          collection: c,
          field: `field_${String(f).padStart(2, '0')}_${type.toLowerCase()}`,
          type,
          dbType,
          nullable: f % 3 !== 0,
          defaultValue: f % 5 === 0 ? 'x' : null,
        }),
      );
    }
    fields.push(makeField({ collection: c, field: 'ref_a', type: 'integer', dbType: 'integer', special: ['m2o'] }));
    fields.push(makeField({ collection: c, field: 'ref_b', type: 'integer', dbType: 'integer', special: ['m2o'] }));
    fields.push(makeField({ collection: c, field: 'back_a', type: 'alias', special: ['o2m'], alias: true }));
    fields.push(makeField({ collection: c, field: 'back_b', type: 'alias', special: ['o2m'], alias: true }));
    collections.push({ collection: c, fields });
    for (const [field, offset, back] of [
      ['ref_a', 1, 'back_a'],
      ['ref_b', 7, 'back_b'],
    ]) {
      relations.push({
        collection: c,
        field,
        related_collection: name(i + offset),
        meta: {
          id: null,
          many_collection: c,
          many_field: field,
          one_collection: name(i + offset),
          one_field: back,
          one_collection_field: null,
          one_allowed_collections: null,
          junction_field: null,
          sort_field: null,
          one_deselect_action: 'nullify',
        },
        schema: null,
      });
    }
  }
  return buildSnapshot(1, collections, relations);
}

function measure(label, graphql, build) {
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  // Warm-up: JIT and the operator types every schema shares.
  for (let i = 0; i < 3; i++) graphql.validateSchema(build());
  // Time: each schema built, validated (graphql-js does it on a schema's first execution, so it is part of the
  // first request after a change) and dropped.
  const buildMs = [];
  const validateMs = [];
  for (let i = 0; i < COUNT; i++) {
    globalThis.gc();
    const t0 = performance.now();
    const schema = build();
    const t1 = performance.now();
    const errors = graphql.validateSchema(schema);
    const t2 = performance.now();
    if (errors.length > 0) throw new Error(errors.map((e) => e.message).join('\n'));
    buildMs.push(t1 - t0);
    validateMs.push(t2 - t1);
  }
  // Memory: COUNT validated schemas kept, as a cache keeps them; the heap they retain after a full GC.
  globalThis.gc();
  const before = process.memoryUsage().heapUsed;
  const kept = [];
  for (let i = 0; i < COUNT; i++) {
    const schema = build();
    graphql.validateSchema(schema);
    kept.push(schema);
  }
  globalThis.gc();
  const after = process.memoryUsage().heapUsed;
  const sample = kept[0];
  const types = Object.keys(sample.getTypeMap()).filter((n) => !n.startsWith('__')).length;
  const sdl = graphql.printSchema(sample).length;
  console.log(
    [
      label.padEnd(6),
      `build ${median(buildMs).toFixed(1)} ms (min ${Math.min(...buildMs).toFixed(1)}, max ${Math.max(...buildMs).toFixed(1)})`,
      `+ validate ${median(validateMs).toFixed(1)} ms`,
      `retained ${((after - before) / COUNT / 1024 / 1024).toFixed(2)} MiB/schema`,
      `${types} types`,
      `SDL ${(sdl / 1024).toFixed(0)} KiB`,
    ].join(' | '),
  );
}

function main() {
  const { gql, schemaLib, from } = loadLibs();
  const graphql = require('graphql');
  const snapshot = syntheticSnapshot(schemaLib);
  console.log(
    `buildGraphqlSchema, ${COLLECTIONS} collections × ${FIELDS} fields, ${COUNT} schemas per role, from ${from}, Node ${process.version}`,
  );
  measure('admin', graphql, () => gql.buildGraphqlSchema(snapshot, { scope: 'items', resolve: () => null }));
  const half = new Map(
    Object.values(snapshot.collections).map((c) => [
      c.collection,
      new Set(c.fieldOrder.filter((_, i) => i % 2 === 0).concat('ref_a', 'back_a')),
    ]),
  );
  const reader = (collection, action) =>
    action === 'read' && half.has(collection) ? { fields: half.get(collection) } : null;
  measure('reader', graphql, () =>
    gql.buildGraphqlSchema(snapshot, { scope: 'items', permissions: reader, resolve: () => null }),
  );
}

main();
