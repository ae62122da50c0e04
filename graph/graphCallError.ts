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
