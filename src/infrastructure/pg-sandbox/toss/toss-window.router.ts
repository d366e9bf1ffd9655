import path from 'node:path';
import { Router } from 'express';
import { staticFilesRouter } from '../static-files.router';

/**
 * The buyer's side in a browser: the Toss-like payment window (`/window?orderId&amount&orderName
 * &successUrl&failUrl[&method]`) and `sdk.js`, whose `TossPayments(clientKey).requestPayment`
 * opens it as Toss's SDK does in redirect mode.
 */
export function createTossWindowRouter(): Router {
  const router = staticFilesRouter(path.join(__dirname, 'window'), {
    '/window': 'window.html',
    '/window.js': 'window.js',
    '/window.css': 'window.css',
    '/sdk.js': 'sdk.js',
  });
  // The former debug form's address: links to it open the window with the same query.
  router.get('/checkout', (req, res) => {
    const query = req.originalUrl.indexOf('?');
    res.redirect(302, `window${query >= 0 ? req.originalUrl.slice(query) : ''}`);
  });
  return router;
}
