import path from 'node:path';
import { Router } from 'express';

/**
 * Serves a fixed set of browser files (a payment window, its script, an SDK) from `dir`, each
 * at its own route. The files are plain HTML, CSS and JavaScript with no build step; the build
 * copies them next to the compiled code (package.json `postbuild`).
 */
export function staticFilesRouter(dir: string, files: Readonly<Record<string, string>>): Router {
  const router = Router();
  for (const [route, file] of Object.entries(files)) {
    router.get(route, (_req, res, next) => {
      // The sandbox is for development: a reload always shows the current window.
      res.sendFile(path.join(dir, file), { headers: { 'cache-control': 'no-cache' } }, (err) => {
        if (err) next(err);
      });
    });
  }
  return router;
}
