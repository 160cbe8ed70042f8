// Hotline's Chinese sentiment lexicon (FACTS.md: no maintained one exists on npm, so the project
// writes and owns it). Scores follow AFINN's scale (-5 very negative … +5 very positive) so both
// languages read alike. General customer-service vocabulary, grouped by strength; words are
// jieba's segmentation of them (a word jieba splits is listed by its parts or as a fused form).
// Negation (不, 没, 别, …) and degree words (很, 非常, 太, …) are not scored here: the scoring
// strategy in sentiment.ts applies them to the word that follows.

const groups: [score: number, words: string][] = [
  [
    4,
    '非常满意 特别满意 太棒了 完美 超赞 点赞 五星 好评 感激 感激不尽 万分感谢 衷心感谢 赞赏 惊喜 太好了 给力',
  ],
  [
    3,
    '满意 感谢 谢谢 多谢 谢啦 谢了 感恩 棒 赞 优秀 出色 贴心 暖心 热情 耐心 专业 周到 到位 高效 靠谱 开心 高兴 ' +
      '愉快 喜欢 爱 爽 舒服 舒心 放心 欣慰 满足 幸福 漂亮 精彩 好用 好极了 赞赏 认可 表扬 称赞 佩服 惊艳 ' +
      '值得 物超所值 划算 实惠 优惠 超值 圆满 顺利 成功 完美解决 辛苦 辛苦了 感动 神速',
  ],
  [
    2,
    '好 不错 挺好 很好 还好 好的 及时 迅速 快速 方便 便捷 简单 清楚 明白 稳定 流畅 正常 恢复 解决 ' +
      '已解决 搞定 处理好 修好 好了 帮忙 帮助 支持 理解 配合 礼貌 客气 友好 体贴 负责 认真 用心 诚信 实在 ' +
      '合理 公平 准时 准确 干净 安全 省心 省事 省钱 优质 温馨 礼品 赠送 红包 补偿 退款成功 到账 ' +
      '期待 祝 祝福 哈哈 嘻嘻 么么哒 加油 棒棒',
  ],
  [1, '希望 嗯 好吧 ok 可 了解 知道 明白了 收到了 尽快 尽力 努力 改进 改善 提升 优化 升级 建议'],
  [
    -1,
    '等待 等了 慢 一般 凑合 还行吧 算了 疑问 疑惑 不懂 不明白 奇怪 麻烦 复杂 困难 难 问题 故障 异常 错误 ' +
      '失败 延迟 延误 拖 拖延 卡 卡顿 掉线 断 断线 没信号 信号差 退 退货 退款 取消 重复 多扣 扣费 收费 贵 涨价 ' +
      '担心 着急 急 焦急 紧张 无奈 可惜 遗憾 抱怨 纠结 头疼 烦恼',
  ],
  [
    -2,
    '差 不好 不行 不满 不爽 不靠谱 没用 无用 不合理 不公平 不负责 不负责任 不专业 慢吞吞 太慢 很慢 超慢 ' +
      '失望 郁闷 烦 烦人 讨厌 生气 不高兴 难受 痛苦 委屈 伤心 难过 糟糕 糟心 差劲 很差 太差 低效 敷衍 推脱 ' +
      '推诿 踢皮球 扯皮 怠慢 冷漠 态度差 没人管 没人理 不理 不回复 不回 没回复 打不通 无人接听 没人接 断网 ' +
      '掉线 乱扣 乱收费 乱扣费 扣钱 多收 吃亏 损失 浪费 白白 白等 坑 被坑 坑人 套路 霸王条款 不透明 隐瞒 ' +
      '误导 耽误 耽误事 折腾 无语 无法 无效 失效 瘫痪 崩溃 卡死 死机 坏 坏了 破 破损 损坏 缺 少了 丢 丢失 ' +
      '错 错了 弄错 搞错 拒绝 拒收 投诉 举报 差评 曝光 维权 索赔 赔偿 退订 注销 销户 离网 转网 携号转网',
  ],
  [
    -3,
    '垃圾 骗 骗人 骗子 欺骗 诈骗 忽悠 欺诈 坑爹 黑心 无良 恶心 愤怒 气愤 气死 气人 火大 恼火 可恶 可恨 ' +
      '气死我了 气死人 气死了 太过分 痛恨 恨 厌恶 受够 受够了 忍无可忍 无法忍受 不可理喻 不像话 太过分 过分 离谱 荒唐 荒谬 可笑 ' +
      '笑话 奇葩 流氓 无耻 卑鄙 霸道 欺负 欺人太甚 坑钱 骗钱 吸血 强制 强行 乱来 胡说 胡扯 扯淡 ' +
      '烂 破烂 烂透 太烂 最差 极差 超差 差到极点 绝望 崩溃了 抓狂 暴躁 不要脸',
  ],
  [
    -4,
    '滚 去死 妈的 他妈的 tmd 尼玛 我靠 卧槽 我擦 操 草泥马 傻逼 sb 傻x 脑残 白痴 混蛋 王八蛋 ' +
      '狗屎 放屁 见鬼 该死 去你的 去你妈',
  ],
];

// Apologies and regrets are politeness in service talk, not negative tone: "抱歉给您带来不便"
// must not make the agent sound angry, so these words are neutral. 呵呵 is neutral too: on Weibo
// and in chat it is as often a cold, dismissive "heh" as a laugh.
const neutral = '抱歉 对不起 不好意思 歉意 致歉 道歉 不便 打扰 请谅解 谅解 见谅 呵呵';

export const zhLexicon: Record<string, number> = (() => {
  const lexicon: Record<string, number> = {};
  for (const [score, words] of groups) for (const w of words.split(/\s+/)) if (w) lexicon[w] = score;
  for (const w of neutral.split(/\s+/)) lexicon[w] = 0;
  return lexicon;
})();

/** Words that show anger rather than just displeasure: they raise a segment's anger score. */
export const zhAngerWords = new Set(
  (
    '投诉 举报 曝光 维权 索赔 气死 气死我了 气死人 气死了 太过分 气愤 愤怒 火大 恼火 受够 受够了 忍无可忍 无法忍受 垃圾 骗子 骗人 欺骗 忽悠 ' +
    '坑爹 黑心 流氓 无耻 滚 去死 妈的 他妈的 tmd 尼玛 卧槽 傻逼 sb 混蛋 王八蛋 不要脸 太过分 欺人太甚 ' +
    '差评 抓狂 暴躁 岂有此理 什么玩意 搞什么 凭什么 有病'
  ).split(/\s+/),
);
