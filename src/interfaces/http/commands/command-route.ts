import type { Principal, Role } from '../auth/jwt';
import type { HttpContext } from '../http-context';

/** A POST taken apart, whoever served it (Express or the fast command path). */
export interface CommandRequest {
  /** The JSON body as parsed, `{}` when there was none. */
  body: unknown;
  /** The verified caller; null on public routes. */
  principal: Principal | null;
  /** A request header by lower-case name. */
  header(name: string): string | undefined;
}

export interface CommandAnswer {
  status: number;
  json: unknown;
  /** Work to start once the answer is on its way. */
  afterwards?: () => void;
}

/** One JSON POST of the contract: its exact path, who may call it, and what it does. */
export interface CommandRoute {
  path: string;
  access: 'public' | readonly Role[];
  /** Honours the Idempotency-Key header (the fast path leaves such requests to Express). */
  idempotencyKey: boolean;
  run(request: CommandRequest, ctx: HttpContext): Promise<CommandAnswer>;
}
