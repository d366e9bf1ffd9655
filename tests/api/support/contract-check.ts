import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { Response, Test } from 'supertest';
import type { OpenApiDocument } from '../../../src/interfaces/http/openapi/openapi-document';

/**
 * Every response an API test receives, checked against the OpenAPI document: the route (the
 * document's path template the request path matches), its status, content type and body. A
 * response the document does not describe fails the test. `/sandbox/*` is the PG sandbox, not
 * the contract; a path the document does not list (an unknown route's 404) is not checked.
 */

interface MediaType {
  schema?: unknown;
}
interface Operation {
  responses: Record<string, { content?: Record<string, MediaType> }>;
}
interface Template {
  template: string;
  pattern: RegExp;
  operations: Record<string, Operation>;
}

const DOCUMENT_ID = 'openapi.json';

export class ContractCheck {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly templates: Template[];
  /** Compiled once per (path, method, status, media type). */
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(document: OpenApiDocument) {
    addFormats(this.ajv);
    // The components, under $defs so every `$ref` resolves as JSON Schema 2020-12 defines it.
    this.ajv.addSchema({ $id: DOCUMENT_ID, $defs: retarget(document.components?.schemas ?? {}) });
    const templates = Object.entries(document.paths ?? {}).map(([template, operations]) => ({
      template,
      pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+').replace(/[.]/g, '\\.')}$`),
      operations: operations as Record<string, Operation>,
    }));
    // Exact paths before templates, as the routers do: /v1/users/me/... is never a user id.
    this.templates = [...templates].sort(
      (a, b) => Number(a.template.includes('{')) - Number(b.template.includes('{')),
    );
  }

  /** Why this response breaks the contract, or null when it keeps it (or is not part of it). */
  failure(
    method: string,
    url: string,
    response: Pick<Response, 'status' | 'headers' | 'body' | 'text'>,
  ): string | null {
    const path = new URL(url, 'http://contract').pathname;
    const verb = method.toLowerCase();
    if (path.startsWith('/sandbox/') || verb === 'head') return null;
    const route = this.templates.find((t) => t.pattern.test(path));
    const operation = route?.operations[verb];
    if (!route || !operation) return null;
    const where = `${method.toUpperCase()} ${path} (route ${route.template}) answered ${response.status}`;
    const documented = operation.responses[String(response.status)];
    if (!documented) {
      const statuses = Object.keys(operation.responses).join(', ');
      return `${where}, a status the OpenAPI document does not list for this route (it lists ${statuses}): ${truncate(response.text)}`;
    }
    const contentType = String(response.headers['content-type'] ?? '')
      .split(';')[0]
      .trim();
    const media = documented.content?.[contentType];
    if (!media) {
      const types = Object.keys(documented.content ?? {}).join(', ') || 'no body';
      return `${where} with content type "${contentType}"; the OpenAPI document says ${types}`;
    }
    if (media.schema === undefined || !/[/+]json$/.test(contentType)) return null;
    const validate = this.validator(
      `${route.template} ${verb} ${response.status} ${contentType}`,
      media.schema,
    );
    if (validate(response.body)) return null;
    const errors = (validate.errors ?? []).map(
      (e) => `${e.instancePath || '(body)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
    );
    return `${where}, a body that does not match the OpenAPI document:\n  ${errors.join('\n  ')}\nbody: ${truncate(response.text)}`;
  }

  /** Compiles every JSON response schema of the document: a broken `$ref` shows here, not mid-suite. */
  compileAll(): number {
    let compiled = 0;
    for (const route of this.templates)
      for (const [verb, operation] of Object.entries(route.operations))
        for (const [status, response] of Object.entries(operation.responses))
          for (const [type, media] of Object.entries(response.content ?? {}))
            if (media.schema !== undefined && /[/+]json$/.test(type)) {
              this.validator(`${route.template} ${verb} ${status} ${type}`, media.schema);
              compiled += 1;
            }
    return compiled;
  }

  private validator(key: string, schema: unknown): ValidateFunction {
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(retarget(schema) as object);
      this.validators.set(key, validate);
    }
    return validate;
  }
}

/** `#/components/schemas/X` → `openapi.json#/$defs/X`, deeply, in a copy. */
function retarget(schema: unknown): unknown {
  return JSON.parse(JSON.stringify(schema).replace(/"#\/components\/schemas\//g, `"${DOCUMENT_ID}#/$defs/`));
}

const truncate = (text: string | undefined): string =>
  text === undefined ? '' : text.length > 500 ? `${text.slice(0, 500)}…` : text;

type Callback = (err: unknown, res: Response) => void;

/**
 * A supertest `request(url)` whose every Test checks its response against the contract once it
 * has arrived: a mismatch becomes the request's error, so `await` (or `.end`) fails the test.
 */
export function checkedAgent<A extends object>(agent: A, check: ContractCheck): A {
  return new Proxy(agent, {
    get(target, name, receiver) {
      const value: unknown = Reflect.get(target, name, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const made: unknown = value.apply(target, args);
        return isTest(made) ? checkedTest(made, check) : made;
      };
    },
  });
}

function isTest(value: unknown): value is Test {
  return (
    typeof value === 'object' && value !== null && typeof (value as Test).end === 'function' && 'url' in value
  );
}

function checkedTest(test: Test, check: ContractCheck): Test {
  const end = test.end.bind(test);
  test.end = (callback?: Callback) =>
    end((err: unknown, res: Response) => {
      const failure = !err && res ? check.failure(test.method, test.url, res) : null;
      callback?.call(test, failure ? new Error(`Contract: ${failure}`) : err, res);
    });
  return test;
}
