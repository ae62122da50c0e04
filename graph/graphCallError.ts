import { GraphError } from '@microsoft/microsoft-graph-client';
import { thrownName } from './graphClient';

/**
 * A failed Graph call, told in terms that are safe to log: the operation as a path template (never the
 * real path, which can hold an email), the HTTP status and Graph's error code. Graph's own message and
 * the request body are left out on purpose: both can carry people's names, and a request body can
 * carry anything the review holds.
 */
export class GraphCallError extends Error {
  override readonly name = 'GraphCallError';

  constructor(
    /** e.g. 'POST /teams/{teamId}/channels'. */
    readonly operation: string,
    /** The HTTP status, or -1 when no answer came (timeout, connection refused or reset). */
    readonly status: number,
    /** Graph's error code (e.g. 'Conflict', 'ErrorItemNotFound'), or what went wrong locally ('TimeoutError'). */
    readonly code: string,
    /** Graph's request-id, for a support ticket. */
    readonly requestId?: string,
  ) {
    super(`Graph ${operation} failed: ${status === -1 ? 'no answer' : status} ${code}`);
  }

  /**
   * True when the call may have taken effect even though it failed: no answer came back, or Graph
   * failed on its side after accepting the request. A retry must then check before it repeats.
   */
  get mayHaveLanded(): boolean {
    return this.status === -1 || (this.status >= 500 && this.status !== 501);
  }
}

/** The SDK's error (or anything else thrown) as a GraphCallError that is safe to log. */
export function callError(operation: string, error: unknown): GraphCallError {
  if (error instanceof GraphCallError) return error;
  if (error instanceof GraphError) {
    // With no answer the SDK keeps what fetch threw in `body` and, usually, its name in `code`.
    let code = error.code ?? (error.statusCode === -1 ? thrownName(error.body) : undefined) ?? 'Unknown';
    // A fetch that never reached the server throws a TypeError.
    if (error.statusCode === -1 && code === 'TypeError') code = 'NetworkError';
    return new GraphCallError(operation, error.statusCode, code, error.requestId ?? undefined);
  }
  return new GraphCallError(operation, -1, thrownName(error) ?? 'Unknown');
}
