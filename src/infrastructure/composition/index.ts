/**
 * The composition root's public face: all that the entry points in src/interfaces (the HTTP
 * server, the standalone sandbox, the CLI) may take from src/infrastructure. A lint rule keeps
 * every other infrastructure module out of src/interfaces.
 */
export { compose, type Composition, type ComposeOptions, type ErrorReporter } from './compose';
export { composeSandbox, type SandboxComposition } from './compose-sandbox';
export type { SandboxPgs } from './sandbox-pgs';
export { lockDataDir, DataDirInUseError, type DataDirLock } from './data-dir-lock';
export { StartupError } from './startup-error';
export { selfHost } from '../config/host-setting';
export { loadSettings, SettingsError, type Settings } from '../config/settings';
export { loadSandboxSettings, type SandboxSettings } from '../config/sandbox-settings';
export { describeSettings } from '../config/settings-summary';
export { ClockMovedBackwardsError, type SandboxClock } from '../clock/sandbox-clock';
export { FAULT_KINDS, SANDBOX_OPERATIONS, type FaultRegistry } from '../pg-sandbox/fault-registry';
export { sendTossReply, type TossRoute } from '../pg-sandbox/toss/toss-endpoint';
export { tossError } from '../pg-sandbox/toss/toss-error-codes';
export type { ServiceMetrics } from '../metrics/service-metrics';
export { composeAudit, publicKeyOf, AuditSetupError, type AuditComposition } from './compose-audit';
export { auditReport } from './compose-audit-report';
