import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { GRAPHIQL_SCRIPT } from './graphiql-page';

/** One file the GraphiQL page loads, served from memory. */
export interface GraphiqlAsset {
  readonly type: string;
  readonly body: Buffer;
  /** Compressed on first request that accepts gzip, then kept. */
  gzip?: Buffer;
}

export interface GraphiqlAssets {
  /** Short content hash: part of every asset URL, so the files can be cached forever. */
  readonly version: string;
  readonly files: ReadonlyMap<string, GraphiqlAsset>;
}

const JS = 'text/javascript; charset=utf-8';

let loading: Promise<GraphiqlAssets> | null = null;

/**
 * The files of the GraphiQL page, from `@graphql-yoga/render-graphiql` (GraphiQL 5 with Monaco, React, fonts and
 * icons in one bundle: no CDN, nothing fetched from elsewhere) plus Tessera's own start script. That package renders
 * everything inline in one 9 MB HTML page; here the parts are separate files under a content-hashed path instead:
 * the page stays small and the browser caches the bundle. Loaded on the first page request (not at boot: a server
 * nobody opens GraphiQL on never holds the 9 MB), once under concurrency.
 */
export function graphiqlAssets(): Promise<GraphiqlAssets> {
  loading ??= load().catch((error: unknown) => {
    loading = null;
    throw error;
  });
  return loading;
}

async function load(): Promise<GraphiqlAssets> {
  const bundle = await import('@graphql-yoga/render-graphiql/graphiql');
  const files = new Map<string, GraphiqlAsset>();
  const add = (name: string, type: string, text: string | Buffer) =>
    files.set(name, { type, body: typeof text === 'string' ? Buffer.from(text, 'utf8') : text });
  add('graphiql.js', JS, bundle.js);
  add('graphiql.css', 'text/css; charset=utf-8', bundle.css);
  add('tessera-graphiql.js', JS, GRAPHIQL_SCRIPT);
  // Monaco's web workers: the bundle keeps their sources as strings (the inline page makes blob: URLs of them).
  add('workers/editorWorkerService.js', JS, bundle.editorWorkerService);
  add('workers/json.js', JS, bundle.jsonWorker);
  add('workers/graphql.js', JS, bundle.graphqlWorker);
  const icon = /^data:([^;,]+);base64,(.*)$/s.exec(bundle.favicon);
  if (icon) add('favicon.ico', icon[1]!, Buffer.from(icon[2]!, 'base64'));
  const hash = createHash('sha256');
  for (const [name, file] of files) hash.update(name).update(file.body);
  return { version: hash.digest('hex').slice(0, 12), files };
}

/** The gzip form of an asset (made once). */
export function gzipped(asset: GraphiqlAsset): Buffer {
  asset.gzip ??= gzipSync(asset.body, { level: 6 });
  return asset.gzip;
}
