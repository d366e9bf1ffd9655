import { z } from 'zod';
import type { OpenApiDocument } from '../openapi/openapi-document';
import { openApiObjectSchema } from '../openapi/operations.schemas';
import { renderReferencePage } from '../openapi/reference-page';
import type { RouteTable } from '../routing/route';

/** No script runs on the reference page, and nothing is loaded from elsewhere. */
const PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

/**
 * The OpenAPI document of every route table and its reference page. The document is built once
 * at start (routes/index.ts) from the tables, these two routes included; `document` reads it.
 */
export function docsRoutes(document: () => OpenApiDocument): RouteTable {
  let json: string | undefined;
  let page: string | undefined;
  return [
    {
      method: 'GET',
      path: '/openapi.json',
      access: 'public',
      openapi: {
        summary: 'The OpenAPI 3.1 document of this contract',
        responses: { 200: { description: 'the document', schema: openApiObjectSchema } },
      },
      answer: () => ({
        text: (json ??= JSON.stringify(document())),
        contentType: 'application/json; charset=utf-8',
      }),
    },
    {
      method: 'GET',
      path: '/docs',
      access: 'public',
      openapi: {
        summary: 'The API reference: a self-contained HTML page of the document',
        responses: { 200: { description: 'the page', schema: z.string(), contentType: 'text/html' } },
      },
      answer: () => ({
        text: (page ??= renderReferencePage(document())),
        contentType: 'text/html; charset=utf-8',
        headers: { 'content-security-policy': PAGE_POLICY },
      }),
    },
  ];
}
