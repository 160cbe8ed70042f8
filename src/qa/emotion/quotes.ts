// Quoted passages are someone else's words: a news report, an airline's rule, an error message
// ("FIRST TIME ERROR"), what an agent said. They tell what happened, not how the writer feels, so
// they are left out of a segment's sentiment. A quoted word or two ("so-called "upgrade"") is the
// writer's own irony and stays; so does Chinese, where quotation marks mostly mark emphasis
// (别让我们“失望”).

const quoted = /"([^"\n]{1,400})"|“([^”\n]{1,400})”/gu;

const minWords = 3;

export function withoutQuotations(text: string): string {
  return text.replace(quoted, (whole, a?: string, b?: string) => {
    const inner = a ?? b ?? '';
    if (/[\u4e00-\u9fff]/u.test(inner) || inner.trim().split(/\s+/).length < minWords) return whole;
    return ' ';
  });
}
