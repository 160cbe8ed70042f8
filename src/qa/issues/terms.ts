// Terms of a call for issue mining: the words callers use for their problem, in either
// language, without stop words (stopwords-iso for both languages, plus the courtesies and
// fillers of service talk, which say nothing about the issue).
import { createRequire } from 'node:module';
import { words } from '../text/tokens.js';

const iso = createRequire(import.meta.url)('stopwords-iso') as Record<string, string[]>;

const serviceFillers = (
  '您好 你好 hello hi hey 谢谢 感谢 多谢 谢啦 thanks thank please 请问 请 麻烦 客服 亲 亲爱 小妹 妹子 ' +
  '在吗 在不在 在 嗯 嗯嗯 哦 哦哦 噢 啊 呀 呢 吧 啦 哈 哈哈 好的 好 ok okay 是的 对 对的 yes yeah no 没 ' +
  '问 问下 问一下 想 想问 咨询 一下 这个 那个 什么 怎么 怎么办 怎样 如何 可以 能 能不能 可不可以 是不是 ' +
  '有没有 还有 现在 已经 还是 就是 然后 那 这 您 你 我 我们 你们 他们 它 的 了 吗 么 没有 不是 hi there ' +
  'want need know get got would could like just really also still help question customer service agent sir madam ' +
  'bye goodbye sorry apologize apologies calling welcome 再见 拜拜 抱歉 不好意思 不便 祝您 愉快 ' +
  '数字 订单编号 时间 日期 金额 链接 姓名 地址 邮箱 电话 手机号 url'
).split(/\s+/);

export const stopWords: ReadonlySet<string> = new Set([
  ...(iso.zh ?? []),
  ...(iso.en ?? []),
  ...serviceFillers,
]);

// Links, masked fields ([数字], [订单编号]), emoticon codes ([抱抱]) and order or product codes
// name no issue.
const noise = /https?:\/\/\S+|www\.\S+|\[[^\][]{1,12}\]|\b[a-z]*\d[a-z\d-]{4,}\b/gi;

/** Terms of one text: lower-case words without stop words, digits or one-letter noise. */
export function termsOf(text: string): string[] {
  return words(text.replace(noise, ' ')).filter((w) => {
    if (stopWords.has(w)) return false;
    if (/^[\d.,:%-]+$/.test(w)) return false;
    if (/^[a-z]$/.test(w)) return false;
    // A single Chinese character is nearly always a function word or part of a split name.
    if (w.length === 1 && /[\u3400-\u9fff]/.test(w)) return false;
    return true;
  });
}
