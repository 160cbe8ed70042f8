// Chinese frustration said without a sentiment word: rhetorical questions (凭什么, 什么意思),
// waiting and repetition (等了三天, 第三次, 还是没), being ignored (没人管). Any of these makes a
// segment upset by itself, as in English (cues-en.ts).

export const frustrationZh =
  /(凭什么|什么意思|搞什么|怎么回事|有没有搞错|到底(要|还|是|怎么)|还要等多久|等了.{0,4}(天|小时|个月)|说好的|一直(没|不)|几次了|多少次|又是|还是没|还是不行|再也不|没有下文|不给个说法|给个说法|什么破|什么鬼|什么玩意|太过分|耍人|忽悠人|骗人|没人管|没人理|第[二三四五六七八九十几]次|不解决|解决不了)/u;
