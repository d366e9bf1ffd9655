import path from 'node:path';
import type { Router } from 'express';
import { staticFilesRouter } from '../static-files.router';

/**
 * The buyer's side in a browser: `iamport.js` (IMP.init, IMP.request_pay) and the payment window
 * it opens over the merchant's page (`/window?merchant_uid&amount&name[&pay_method]`).
 */
export function portoneWindowRoutes(): Router {
  return staticFilesRouter(path.join(__dirname, 'window'), {
    '/iamport.js': 'iamport.js',
    '/window': 'window.html',
    '/window.js': 'window.js',
    '/window.css': 'window.css',
  });
}
