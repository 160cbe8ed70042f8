// SIP status ↔ Q.850 cause, the way Asterisk's chan_pjsip maps them (hangup_sip2cause and
// hangup_cause2sip), so a controller sees the same `ChannelDestroyed.cause` from either server.

/** Q.850 causes Hotline names in code. */
export const Q850 = {
  UNALLOCATED: 1,
  NO_ROUTE_DESTINATION: 3,
  NORMAL_CLEARING: 16,
  USER_BUSY: 17,
  NO_USER_RESPONSE: 18,
  NO_ANSWER: 19,
  SUBSCRIBER_ABSENT: 20,
  CALL_REJECTED: 21,
  NUMBER_CHANGED: 22,
  DESTINATION_OUT_OF_ORDER: 27,
  INVALID_NUMBER_FORMAT: 28,
  FACILITY_REJECTED: 29,
  NORMAL_UNSPECIFIED: 31,
  CONGESTION: 34,
  NETWORK_OUT_OF_ORDER: 38,
  NORMAL_TEMPORARY_FAILURE: 41,
  SWITCH_CONGESTION: 42,
  BEARERCAPABILITY_NOTAVAIL: 58,
  CHAN_NOT_IMPLEMENTED: 66,
  RECOVERY_ON_TIMER_EXPIRE: 102,
  INTERWORKING: 127,
} as const;

const sipToCause: Record<number, number> = {
  401: Q850.CALL_REJECTED,
  403: Q850.CALL_REJECTED,
  404: Q850.UNALLOCATED,
  405: Q850.INTERWORKING,
  407: Q850.CALL_REJECTED,
  // 408: the far end never answered the request at all (no user responding).
  408: Q850.NO_USER_RESPONSE,
  409: Q850.NORMAL_TEMPORARY_FAILURE,
  410: Q850.NUMBER_CHANGED,
  411: Q850.INTERWORKING,
  413: Q850.INTERWORKING,
  414: Q850.INTERWORKING,
  415: Q850.INTERWORKING,
  420: Q850.NO_ROUTE_DESTINATION,
  // 480: the user was reached (or registered) but did not answer.
  480: Q850.NO_ANSWER,
  481: Q850.INTERWORKING,
  482: Q850.INTERWORKING,
  483: Q850.NO_ANSWER,
  484: Q850.INVALID_NUMBER_FORMAT,
  485: Q850.UNALLOCATED,
  486: Q850.USER_BUSY,
  // A 487 we receive means someone else cancelled our request; when we cancel, the cause is ours.
  487: Q850.INTERWORKING,
  488: Q850.BEARERCAPABILITY_NOTAVAIL,
  491: Q850.INTERWORKING,
  493: Q850.INTERWORKING,
  500: Q850.NETWORK_OUT_OF_ORDER,
  501: Q850.FACILITY_REJECTED,
  502: Q850.DESTINATION_OUT_OF_ORDER,
  503: Q850.CONGESTION,
  504: Q850.RECOVERY_ON_TIMER_EXPIRE,
  505: Q850.INTERWORKING,
  600: Q850.USER_BUSY,
  603: Q850.CALL_REJECTED,
  604: Q850.UNALLOCATED,
  606: Q850.BEARERCAPABILITY_NOTAVAIL,
};

/** The Q.850 cause for a final failure response (3xx–6xx) to an INVITE. */
export function causeOfStatus(status: number): number {
  const known = sipToCause[status];
  if (known !== undefined) return known;
  if (status >= 400 && status < 500) return Q850.INTERWORKING;
  if (status >= 500 && status < 600) return Q850.CONGESTION;
  if (status >= 600 && status < 700) return Q850.INTERWORKING;
  return Q850.NORMAL_CLEARING;
}

const causeToSip: Record<number, number> = {
  [Q850.UNALLOCATED]: 404,
  2: 404,
  [Q850.NO_ROUTE_DESTINATION]: 404,
  [Q850.USER_BUSY]: 486,
  [Q850.NO_USER_RESPONSE]: 408,
  [Q850.NO_ANSWER]: 480,
  [Q850.SUBSCRIBER_ABSENT]: 480,
  [Q850.CALL_REJECTED]: 403,
  [Q850.NUMBER_CHANGED]: 410,
  [Q850.DESTINATION_OUT_OF_ORDER]: 502,
  [Q850.INVALID_NUMBER_FORMAT]: 484,
  [Q850.FACILITY_REJECTED]: 501,
  [Q850.NORMAL_UNSPECIFIED]: 480,
  [Q850.CONGESTION]: 503,
  [Q850.NETWORK_OUT_OF_ORDER]: 500,
  [Q850.SWITCH_CONGESTION]: 503,
  [Q850.BEARERCAPABILITY_NOTAVAIL]: 488,
  [Q850.CHAN_NOT_IMPLEMENTED]: 501,
  [Q850.INTERWORKING]: 500,
};

/**
 * The final response that refuses an unanswered inbound call hung up with `cause`. Causes with
 * no SIP counterpart (normal clearing among them) decline the call with 603, as PJSIP does.
 */
export function statusOfCause(cause: number): number {
  return causeToSip[cause] ?? 603;
}

/** The Q.850 cause in a `Reason: Q.850;cause=N` header value, if it carries one. */
export function causeOfReasonHeader(values: readonly string[]): number | undefined {
  for (const value of values) {
    for (const part of value.split(',')) {
      if (!/^\s*Q\.850\s*;/i.test(part)) continue;
      const match = /;\s*cause\s*=\s*(\d{1,3})/i.exec(part);
      if (match) return Number(match[1]);
    }
  }
  return undefined;
}
