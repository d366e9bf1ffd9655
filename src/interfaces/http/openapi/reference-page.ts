import type { OpenApiDocument } from './openapi-document';

/**
 * A self-contained HTML reference of the OpenAPI document: no script, no stylesheet or font from
 * elsewhere (the service may run with no internet), rendered once from the document itself.
 */

type Json = unknown;
interface Operation {
  summary?: string;
  description?: string;
  security?: Array<Record<string, string[]>>;
  parameters?: Array<Json>;
  requestBody?: { content: Record<string, { schema?: Json }> };
  responses: Record<string, { description: string; content?: Record<string, { schema?: Json }> }>;
}

const escape = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** Escaped prose with the document's bits of markdown: `code` and **bold**. */
const prose = (text: string): string =>
  escape(text)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .split(/\n\n+/)
    .map((paragraph) => `<p>${paragraph}</p>`)
    .join('');

/** A schema as indented JSON, each `$ref` a link to its component below. */
const schemaBlock = (schema: Json): string =>
  `<pre>${escape(JSON.stringify(schema, null, 2)).replace(
    /&quot;#\/components\/schemas\/([A-Za-z0-9_]+)&quot;/g,
    '<a href="#schema-$1">$1</a>',
  )}</pre>`;

const anchorOf = (method: string, path: string): string =>
  `op-${method}-${path.replace(/[^A-Za-z0-9]+/g, '-')}`;

function parameterRows(parameters: Json[], components: Record<string, Json>): string {
  const rows = parameters.map((p) => {
    const ref = (p as { $ref?: string }).$ref;
    const param = ((ref ? components[ref.split('/').pop() ?? ''] : p) ?? {}) as Record<string, Json>;
    return `<tr><td><code>${escape(String(param.name))}</code></td><td>${escape(String(param.in))}</td><td>${
      param.required ? 'yes' : 'no'
    }</td><td>${param.description ? prose(String(param.description)) : ''}${schemaBlock(param.schema)}</td></tr>`;
  });
  return `<table><tr><th>name</th><th>in</th><th>required</th><th>schema</th></tr>${rows.join('')}</table>`;
}

function operationSection(
  method: string,
  path: string,
  op: Operation,
  components: Record<string, Json>,
): string {
  const parts = [
    `<section id="${anchorOf(method, path)}"><h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${escape(path)}</code></h3>`,
    `<p><strong>${escape(op.summary ?? '')}</strong></p>`,
    op.description ? prose(op.description) : '',
    `<p>Security: ${op.security && op.security.length > 0 ? 'bearer JWT' : 'none'}</p>`,
  ];
  if (op.parameters && op.parameters.length > 0)
    parts.push('<h4>Parameters</h4>', parameterRows(op.parameters, components));
  for (const [type, media] of Object.entries(op.requestBody?.content ?? {}))
    parts.push(`<h4>Request body <code>${escape(type)}</code></h4>`, schemaBlock(media.schema));
  parts.push('<h4>Responses</h4>');
  for (const [status, response] of Object.entries(op.responses)) {
    parts.push(`<details><summary><b>${escape(status)}</b> ${prose(response.description)}</summary>`);
    for (const [type, media] of Object.entries(response.content ?? {}))
      parts.push(`<p><code>${escape(type)}</code></p>`, schemaBlock(media.schema));
    parts.push('</details>');
  }
  return `${parts.join('')}</section>`;
}

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;max-width:64rem;margin:2rem auto;padding:0 1rem;color:#222}
pre{background:#f6f8fa;padding:.6rem;overflow:auto;font-size:13px}code{background:#f6f8fa;padding:0 .2rem}
section{border-top:1px solid #ddd;margin-top:1.5rem}.m{display:inline-block;min-width:3.5rem;color:#fff;text-align:center;border-radius:3px;padding:0 .3rem}
.get{background:#2b7bb9}.post{background:#3a9a4a}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ddd;padding:.3rem;vertical-align:top;text-align:left}
details{margin:.3rem 0}summary p{display:inline;margin:0}nav li{list-style:none}`;

export function renderReferencePage(document: OpenApiDocument): string {
  const paths = Object.entries(document.paths ?? {}) as Array<[string, Record<string, Operation>]>;
  const parameters = (document.components?.parameters ?? {}) as Record<string, Json>;
  const operations = paths.flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ method, path, op })),
  );
  const nav = operations
    .map(
      ({ method, path, op }) =>
        `<li><a href="#${anchorOf(method, path)}"><span class="m ${method}">${method.toUpperCase()}</span> <code>${escape(path)}</code></a> ${escape(op.summary ?? '')}</li>`,
    )
    .join('');
  const schemas = Object.entries(document.components?.schemas ?? {})
    .map(
      ([name, schema]) =>
        `<section id="schema-${escape(name)}"><h3>${escape(name)}</h3>${schemaBlock(schema)}</section>`,
    )
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escape(document.info.title)} API reference</title><style>${STYLE}</style></head><body>
<h1>${escape(document.info.title)} API reference <small>v${escape(document.info.version)}</small></h1>
<p>The machine-readable document: <a href="/openapi.json">/openapi.json</a> (OpenAPI ${escape(document.openapi)}).</p>
${prose(document.info.description ?? '')}<h2>Operations</h2><nav><ul>${nav}</ul></nav>
${operations.map(({ method, path, op }) => operationSection(method, path, op, parameters)).join('\n')}
<h2>Schemas</h2>${schemas}</body></html>`;
}
