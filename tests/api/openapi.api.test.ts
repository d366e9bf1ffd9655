import { OPENAPI_DOCUMENT } from '../../src/interfaces/http/routes';
import { startApi, type Api } from './support/harness';

/** The contract's own document and its reference page, served like any other read. */
describe('the API reference', () => {
  let api: Api;

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  it('serves the OpenAPI 3.1 document at /openapi.json, without a token', async () => {
    const res = await api.http().get('/openapi.json');

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual(JSON.parse(JSON.stringify(OPENAPI_DOCUMENT)));
  });

  it('serves a self-contained reference page at /docs: every path, no script, nothing from elsewhere', async () => {
    const res = await api.http().get('/docs');

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.text).not.toMatch(/<script|<link|src=/i);
    for (const path of Object.keys(OPENAPI_DOCUMENT.paths ?? {}))
      expect(res.text).toContain(`<code>${path}</code>`);
    expect(res.text).toContain('href="#schema-Payment"');
  });

  it('answers HEAD on Express as well as GET on the fast path', async () => {
    const res = await api.http().head('/openapi.json');

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
  });
});
