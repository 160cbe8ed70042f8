// Typed errors of the routing module: a stable code and a message an operator or a console user
// can act on. The API maps each code to an HTTP status (src/api/routes/routing.ts).

export type RoutingErrorCode =
  | 'ROUTING_UNKNOWN_AGENT'
  | 'ROUTING_UNKNOWN_QUEUE'
  | 'ROUTING_ILLEGAL_TRANSITION'
  | 'ROUTING_CONFIG_INVALID'
  | 'ROUTING_UNKNOWN_CALL';

export class RoutingError extends Error {
  constructor(
    readonly code: RoutingErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RoutingError';
  }
}
