// Every error the API answers with, once: a stable code, an HTTP status and a message a user
// can act on. docs/api.md lists the same codes (a test keeps the two in step).
export const apiErrors = {
  HOTLINE_NOT_FOUND: { status: 404, message: 'Not found: %s' },
  HOTLINE_BAD_REQUEST: { status: 400, message: 'Bad request: %s' },
  HOTLINE_UNAVAILABLE: { status: 503, message: 'Service unavailable: %s' },
  HOTLINE_INTERNAL: { status: 500, message: 'Internal error: %s (the server log has the details)' },
  HOTLINE_QA_NOT_ANALYSED: {
    status: 404,
    message: 'No QA analysis for call %s: it has not ended, or QA received none of its transcript',
  },
  HOTLINE_QA_BAD_TRANSCRIPT: {
    status: 400,
    message: 'Bad transcript: %s (see docs/qa.md for the import format)',
  },
  HOTLINE_QA_BAD_PERIOD: { status: 400, message: 'Bad period: %s' },
  HOTLINE_ROUTING_UNKNOWN_AGENT: {
    status: 404,
    message: '%s (GET /api/routing/agents lists them; PUT one to create it)',
  },
  HOTLINE_ROUTING_UNKNOWN_QUEUE: { status: 404, message: '%s (queues come from the contact-center file)' },
  HOTLINE_ROUTING_ILLEGAL_TRANSITION: { status: 409, message: '%s' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ApiErrorCode = keyof typeof apiErrors;

export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ApiErrorCode,
    detail: string,
  ) {
    super(apiErrors[code].message.replace('%s', detail));
    this.status = apiErrors[code].status;
    this.name = 'ApiError';
  }

  /** What the API answers with: `{ code, message }`. */
  get body(): { code: ApiErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}
