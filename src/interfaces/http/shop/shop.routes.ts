import path from 'node:path';
import express, { Router } from 'express';

const PUBLIC_DIR = path.join(__dirname, 'public');
const NO_CACHE = { 'cache-control': 'no-cache' };

/**
 * The demo shop (sandbox mode only): static pages and small scripts that use the public REST API
 * as a merchant's front end would, and open the sandbox PGs' payment windows. `/` is the catalog;
 * `/shop/confirm` and `/shop/fail` are the PG's success and fail URLs; `/shop/account` shows the
 * subscription, the payment history and refunds. No build step: the build copies `public/` as is.
 */
export function shopRouter(): Router {
  const router = Router();
  router.get('/', (_req, res, next) => {
    res.sendFile(path.join(PUBLIC_DIR, 'index.html'), { headers: NO_CACHE }, (err) => {
      if (err) next(err);
    });
  });
  router.use(
    '/shop',
    express.static(PUBLIC_DIR, {
      index: false,
      extensions: ['html'],
      etag: false,
      setHeaders: (res) => res.setHeader('cache-control', 'no-cache'),
    }),
  );
  return router;
}
