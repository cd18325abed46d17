import { Inject, Injectable, Logger } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import {
  GraphQLError,
  Kind,
  NoSchemaIntrospectionCustomRule,
  getArgumentValues,
  getOperationAST,
  getVariableValues,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationRule,
} from 'graphql';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { translateSelection, type GraphqlScope, type SchemaExtension } from '@lib/graphql-schema';
import type { SchemaSnapshot } from '@lib/schema';
import { InvalidPayloadError, InvalidQueryError, MethodNotAllowedError } from '@lib/errors';
import { CONFIG } from '../../config/config.module';
import type { Config } from '../../config/config';
import type { Accountability } from '../../core/context/accountability';
import type { ItemsContext } from '../../core/context/items-context';
import type { PrimaryKey } from '../../core/events/items-events';
import { sendError } from '../../core/errors/directus-exception.filter';
import { ItemsContextFactory } from '../items/items-context.factory';
import type { GraphqlContext } from './graphql-context';
import { GraphqlValidationError, formatResolverError } from './graphql-errors';
import { planFastRead, textKeySnapshot, type FastRead, type FastRoot } from './graphql-fast-path';
import { GraphqlResolvers } from './graphql-resolvers';
import { GraphqlSchemas } from './graphql-schemas.service';

/** What the pre-checks hand to yoga for one request. */
interface Prepared {
  readonly scope: GraphqlScope;
  readonly items: ItemsContext;
  readonly schema: GraphQLSchema;
  readonly document: DocumentNode;
}

type GraphqlRequest = Request & {
  accountability: Accountability;
  itemsContext?: ItemsContext;
  tesseraGraphql?: Prepared;
};
type ServerContext = { req: GraphqlRequest; res: Response };

const MAX_DOCUMENTS = 1000;

/**
 * `/graphql` and `/graphql/system` over HTTP (spec 9). The auth middleware has already put the accountability on the
 * request (a bad token is the REST 401/403, as Directus). Then, in this order:
 * 1. only GET and POST (405); the query from `?query=&variables=&operationName=` or the JSON body; none → 400
 *    INVALID_PAYLOAD "Must provide query string";
 * 2. parse with `maxTokens = GRAPHQL_QUERY_TOKEN_LIMIT` (documents cached by text); a mutation over GET → 405
 *    `allowed: ["POST"]`;
 * 3. the operation's ItemsContext (transport `graphql`) from the one factory, and the caller's cached executable schema
 *    ({@link GraphqlSchemas.schemaFor});
 * 4. validation: graphql-js's rules, a depth limit (GRAPHQL_QUERY_DEPTH_LIMIT) and, with GRAPHQL_INTROSPECTION=false,
 *    no introspection (results cached per schema and document).
 * Anything failing in 1–4 is the REST envelope (syntax and validation: 400 GRAPHQL_VALIDATION). graphql-yoga then
 * executes the prepared document against the prepared schema and answers 200 `{data, errors}`, errors formatted as
 * Directus formats resolver errors (code and extension fields).
 *
 * GET with `Accept: text/html` and no query is where a GraphiQL page would go: {@link htmlHandler}.
 */
@Injectable()
export class GraphqlHttp {
  private readonly logger = new Logger('GraphQL');
  private readonly documents = new Map<string, DocumentNode>();
  private readonly validations = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, readonly GraphQLError[]>>();
  private readonly plans = new WeakMap<GraphQLSchema, WeakMap<OperationDefinitionNode, FastRead | null>>();
  private readonly textKeySnapshots = new WeakMap<SchemaSnapshot, SchemaSnapshot>();
  private readonly rules: readonly ValidationRule[];
  private readonly yogas: Record<GraphqlScope, YogaServerInstance<ServerContext, GraphqlContext>>;
  /** Whether eligible reads take the fast path (graphql-fast-path.ts); tests turn it off to compare both paths. */
  fastReads = true;
  /** Requests answered by the fast path since start. */
  fastAnswers = 0;
  /** Serves `GET /graphql` to a browser (GraphiQL); none yet, so such a request gets the missing-query 400. */
  htmlHandler: RequestHandler | null = null;

  constructor(
    private readonly contexts: ItemsContextFactory,
    private readonly schemas: GraphqlSchemas,
    private readonly resolvers: GraphqlResolvers,
    @Inject(CONFIG) private readonly config: Config,
  ) {
    this.rules = [
      ...specifiedRules,
      depthLimitRule(config.graphqlQueryDepthLimit),
      ...(config.graphqlIntrospection ? [] : [NoSchemaIntrospectionCustomRule]),
    ];
    this.yogas = { items: this.createYoga('/graphql'), system: this.createYoga('/graphql/system') };
  }

  /** The Express handler of one endpoint. */
  handler(scope: GraphqlScope): RequestHandler {
    return (req, res, next) => void this.handle(scope, req as GraphqlRequest, res, next);
  }

  private async handle(scope: GraphqlScope, req: GraphqlRequest, res: Response, next: NextFunction): Promise<void> {
    try {
      if (req.method !== 'GET' && req.method !== 'POST') throw new MethodNotAllowedError(['GET', 'POST'], req.method);
      const params = this.params(req);
      if (typeof params.query !== 'string' || params.query === '') {
        if (req.method === 'GET' && this.htmlHandler && req.accepts(['json', 'html']) === 'html') {
          return void this.htmlHandler(req, res, next);
        }
        throw new InvalidPayloadError('Must provide query string');
      }
      const document = this.parse(params.query);
      const operation = getOperationAST(document, params.operationName);
      if (!operation) {
        const message = params.operationName
          ? `Unknown operation named "${params.operationName}".`
          : 'Must provide operation name if query contains multiple operations.';
        throw new GraphqlValidationError([new GraphQLError(message)]);
      }
      if (operation.operation === 'mutation' && req.method === 'GET') throw new MethodNotAllowedError(['POST'], 'GET');
      if (operation.operation === 'subscription') {
        throw new GraphqlValidationError([
          new GraphQLError('Subscriptions are served over WebSockets (graphql-ws).', { nodes: operation }),
        ]);
      }
      const items = this.itemsContext(req);
      const schema = await this.schemas.schemaFor(items, scope);
      const errors = this.validate(schema, document);
      if (errors.length > 0) throw new GraphqlValidationError(errors);
      const plan = this.fastReads ? this.plan(schema, document, operation) : null;
      const fast = plan ? await this.runFast(plan, schema, items, params.variables) : null;
      if (fast !== null) {
        this.fastAnswers++;
        const body = Buffer.from(fast, 'utf8');
        res.status(200).setHeader('Content-Type', 'application/json; charset=utf-8');
        res.setHeader('Content-Length', body.length);
        res.end(body);
        return;
      }
      req.tesseraGraphql = { scope, items, schema, document };
      await this.yogas[scope](req, res, { req, res });
    } catch (error) {
      sendError(res, req, error, this.logger);
    }
  }

  /**
   * The operation's ItemsContext (transport `graphql`): the request id and pinned snapshot of the request's context
   * when the items middleware made one (it runs for every route), else from the request itself.
   */
  private itemsContext(req: GraphqlRequest): ItemsContext {
    const request = req.itemsContext;
    const id = req.headers['x-request-id'];
    return this.contexts.create(req.accountability, {
      transport: 'graphql',
      requestId: request ? request.requestId : typeof id === 'string' ? id : null,
      schema: request?.schema,
    });
  }

  /** `{query, variables, operationName}` of a GET (variables as JSON text) or a POST body. */
  private params(req: Request): { query?: unknown; variables?: unknown; operationName?: string } {
    const source = (req.method === 'GET' ? req.query : req.body) as Record<string, unknown> | undefined;
    if (!source || typeof source !== 'object' || Array.isArray(source)) return {};
    let variables = source.variables;
    if (req.method === 'GET' && typeof variables === 'string' && variables !== '') {
      try {
        variables = JSON.parse(variables);
      } catch {
        throw new InvalidQueryError('Variables are invalid JSON');
      }
    }
    const name = source.operationName;
    return { query: source.query, variables, operationName: typeof name === 'string' && name ? name : undefined };
  }

  /** graphql-js's parser with Directus's token limit; a syntax error is a validation error (400). */
  private parse(query: string): DocumentNode {
    const known = this.documents.get(query);
    if (known) return known;
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: this.config.graphqlQueryTokenLimit });
    } catch (error) {
      if (error instanceof GraphQLError) throw new GraphqlValidationError([error]);
      throw error;
    }
    if (this.documents.size >= MAX_DOCUMENTS) this.documents.delete(this.documents.keys().next().value!);
    this.documents.set(query, document);
    return document;
  }

  private validate(schema: GraphQLSchema, document: DocumentNode): readonly GraphQLError[] {
    let bySchema = this.validations.get(schema);
    if (!bySchema) this.validations.set(schema, (bySchema = new WeakMap()));
    let errors = bySchema.get(document);
    if (!errors) {
      errors = validate(schema, document, this.rules);
      bySchema.set(document, errors);
    }
    return errors;
  }

  private plan(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): FastRead | null {
    let bySchema = this.plans.get(schema);
    if (!bySchema) this.plans.set(schema, (bySchema = new WeakMap()));
    let plan = bySchema.get(operation);
    if (plan === undefined) {
      plan = planFastRead(schema, document, operation);
      bySchema.set(operation, plan);
    }
    return plan;
  }

  /**
   * A fast read (see graphql-fast-path.ts): each root field's selection translated as the resolvers translate it, one
   * ItemsService call each (in parallel, as graphql-js runs query root fields), their JSON texts spliced into the
   * answer. null when anything fails: the general path then runs the request and answers its errors.
   */
  private async runFast(
    plan: FastRead,
    schema: GraphQLSchema,
    items: ItemsContext,
    variables: unknown,
  ): Promise<string | null> {
    let values: Record<string, unknown> = {};
    if (!plan.constant) {
      const coerced = getVariableValues(
        schema,
        plan.operation.variableDefinitions ?? [],
        (variables ?? {}) as Record<string, unknown>,
      );
      if (coerced.errors) return null;
      values = coerced.coerced;
    }
    // The reads run against the snapshot whose integer keys read as JSON strings (GraphQL IDs).
    const reader = this.contexts.create(items.accountability, {
      transport: 'graphql',
      requestId: items.requestId,
      schema: this.textKeys(items.schema),
    });
    try {
      if (plan.roots.length === 1) {
        const root = plan.roots[0]!;
        return `{"data":{${root.prefix}${await this.fastRoot(plan, root, schema, reader, values)}}}`;
      }
      const parts = await Promise.all(
        plan.roots.map(async (root) => root.prefix + (await this.fastRoot(plan, root, schema, reader, values))),
      );
      return `{"data":{${parts.join(',')}}}`;
    } catch {
      return null;
    }
  }

  /** {@link textKeySnapshot} of a snapshot, made once per snapshot. */
  private textKeys(snapshot: SchemaSnapshot): SchemaSnapshot {
    let derived = this.textKeySnapshots.get(snapshot);
    if (!derived) this.textKeySnapshots.set(snapshot, (derived = textKeySnapshot(snapshot)));
    return derived;
  }

  /**
   * One root field of a fast read: its selection translated as the resolvers translate it (kept on the plan when the
   * operation has no variables: it then depends on nothing but the plan's schema and document), and one ItemsService
   * call, whose JSON text is the field's answer.
   */
  private async fastRoot(
    plan: FastRead,
    root: FastRoot,
    schema: GraphQLSchema,
    items: ItemsContext,
    variables: Record<string, unknown>,
  ): Promise<string> {
    let translated = root.constant;
    if (!translated) {
      const raw = translateSelection({
        fieldNodes: [root.node],
        fragments: plan.fragments,
        variables,
        snapshot: (schema.extensions.tessera as SchemaExtension).read,
        collection: root.operation.collection!,
        schema,
        rootField: root.field,
      });
      const key =
        root.operation.kind === 'by_id'
          ? (getArgumentValues(root.field, root.node, variables).id as PrimaryKey)
          : undefined;
      translated = { raw, key };
      if (plan.constant) root.constant = translated;
    }
    return this.resolvers.readJson(root.operation, items, translated.raw, translated.key);
  }

  private createYoga(endpoint: string): YogaServerInstance<ServerContext, GraphqlContext> {
    const prepared = (req: GraphqlRequest | undefined): Prepared => {
      if (!req?.tesseraGraphql) throw new Error('GraphQL request without its prepared schema');
      return req.tesseraGraphql;
    };
    const plugin: Plugin<ServerContext> = {
      // Parsed and validated above: yoga reuses the document and skips validation.
      onParse({ context, setParsedDocument }) {
        setParsedDocument(prepared(context.req).document);
      },
      onValidate({ setResult }) {
        setResult([]);
      },
      onResultProcess: ({ setResultProcessor, serverContext }) => {
        const req = (serverContext as Partial<ServerContext>).req;
        setResultProcessor((value, fetchAPI) => {
          const { status, body } = this.answer(value as ExecutionResult, req?.accountability?.admin === true);
          return new fetchAPI.Response(body, {
            status,
            headers: { 'Content-Type': 'application/json; charset=utf-8' },
          });
        }, 'application/json');
      },
    };
    return createYoga<ServerContext, GraphqlContext>({
      graphqlEndpoint: endpoint,
      schema: ({ req }) => prepared(req).schema,
      context: ({ req, res }) => {
        const { items, scope } = prepared(req);
        return { items, scope, req, res };
      },
      plugins: [plugin],
      maskedErrors: false,
      graphiql: false,
      landingPage: false,
      cors: false,
      parserAndValidationCache: false,
      logging: false,
    });
  }

  /**
   * An execution result as Directus sends it: 200 with `data` and Directus-formatted resolver errors. A result without
   * `data` is a request that never ran (a variable that doesn't coerce): 400 GRAPHQL_VALIDATION, like validation.
   */
  private answer(result: ExecutionResult, admin: boolean): { status: number; body: string } {
    if (!('data' in result) || result.data === undefined) {
      const error = new GraphqlValidationError((result.errors ?? []) as GraphQLError[]);
      return {
        status: 400,
        body: JSON.stringify({
          errors: [{ message: error.message, extensions: { ...error.extensions, code: error.code } }],
        }),
      };
    }
    if (!result.errors?.length) return { status: 200, body: JSON.stringify({ data: result.data }) };
    const errors: GraphQLFormattedError[] = result.errors.flatMap((e) => {
      const formatted = formatResolverError(e, admin);
      if (e.originalError && formatted.some((f) => f.extensions?.code === 'INTERNAL_SERVER_ERROR')) {
        this.logger.error({ msg: 'GraphQL resolver error', error: String(e.originalError.stack ?? e.message) });
      }
      return formatted;
    });
    return { status: 200, body: JSON.stringify({ data: result.data, errors }) };
  }
}

/**
 * A validation rule: the selection depth of each operation (fields nested in fields, through fragments) may not
 * exceed `max`. Relational depth is limited again by the query sanitizer (MAX_RELATIONAL_DEPTH).
 */
export function depthLimitRule(max: number): ValidationRule {
  return (context) => {
    const fragments = new Map(
      context
        .getDocument()
        .definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION)
        .map((d) => [d.name.value, d]),
    );
    const depthOf = (set: SelectionSetNode, visiting: Set<string>): number => {
      let deepest = 0;
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) {
          deepest = Math.max(deepest, 1 + (selection.selectionSet ? depthOf(selection.selectionSet, visiting) : 0));
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          deepest = Math.max(deepest, depthOf(selection.selectionSet, visiting));
        } else {
          const name = selection.name.value;
          const fragment = fragments.get(name);
          if (!fragment || visiting.has(name)) continue; // unknown or cyclic: graphql-js's own rules report it
          visiting.add(name);
          deepest = Math.max(deepest, depthOf(fragment.selectionSet, visiting));
          visiting.delete(name);
        }
        if (deepest > max) return deepest;
      }
      return deepest;
    };
    return {
      OperationDefinition(node) {
        const depth = depthOf(node.selectionSet, new Set());
        if (depth > max) {
          context.reportError(new GraphQLError(`The query exceeds the maximum depth of ${max}.`, { nodes: node }));
        }
      },
    };
  };
}
