// `Contact: *` (remove every binding, RFC 3261 §10.2.2) is not in sip.js's Contact grammar, so
// a REGISTER carrying it would fail to parse. Before parsing, it becomes a stand-in URI that the
// registrar recognises.

export const WILDCARD_CONTACT_URI = 'sip:wildcard@wildcard.hotline.invalid';

export function withWildcardContact(text: string): string {
  const headEnd = text.indexOf('\r\n\r\n');
  const head = headEnd < 0 ? text : text.slice(0, headEnd);
  const rewritten = head.replace(
    /\r\n(?:contact|m)[ \t]*:[ \t]*\*[ \t]*(?=\r\n|$)/gi,
    `\r\nContact: <${WILDCARD_CONTACT_URI}>`,
  );
  return rewritten === head ? text : rewritten + text.slice(head.length);
}
