/**
 * Under `npm start`, npm passes a SIGTERM on to the shell it runs the script in (`sh -c node
 * ...`), not to node: the shell dies and node, orphaned, would keep serving. So when started by
 * npm (npm_lifecycle_event is set), a change of parent process means npm and its shell are gone,
 * and the service closes as on SIGTERM. Cross-platform, unlike `exec` in the script.
 */
export function onOrphaned(stop: () => void, env: NodeJS.ProcessEnv = process.env, intervalMs = 250): void {
  if (!env.npm_lifecycle_event) return;
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    stop();
  }, intervalMs);
  timer.unref();
}
