/**
 * Chinese lexicon for the offline model (hand-written for everyday customer feedback: products, delivery, food,
 * hotels, apps, service). Valences use the same scale as the English lexicon (about -4..+4).
 *
 * Words are matched by forward maximum matching, so multi-character entries also act as "blockers" that stop a
 * sentiment character inside an unrelated word from matching (出差 is a business trip, not 差 "bad").
 */

const POSITIVE = `
哈哈:1.0 嘿嘿:0.8 好:1.6 好吃:2.3 好喝:2.2 好用:2.0 好看:1.8 好评:2.4 好听:1.8 好玩:1.8 好闻:1.6 好找:1.2 好处:1.0 好感:1.6
不错:1.9 挺好:2.0 蛮好:1.9 还好:0.6 还行:0.8 还可以:0.8 可以:0.6 满意:2.0 满足:1.3 喜欢:2.0 喜爱:2.1 爱:1.6 热爱:2.2
赞:2.2 点赞:2.2 超赞:2.7 棒:2.3 棒棒:2.3 优秀:2.3 优质:2.0 完美:2.7 精美:2.0 精致:1.8 漂亮:2.0 美观:1.6 美丽:2.0
美味:2.3 可口:2.0 香:1.3 香辣:0.6 鲜美:2.0 新鲜:1.8 干净:1.8 整洁:1.6 卫生:1.2 舒适:2.0 舒服:1.8 安静:1.4 清静:1.4
方便:1.6 便利:1.4 便捷:1.6 便宜:1.2 实惠:1.8 划算:1.8 超值:2.2 物美价廉:2.6 物超所值:2.6 性价比高:2.2 值:1.0 值得:1.8
推荐:1.8 快:1.2 很快:1.6 迅速:1.6 及时:1.5 准时:1.8 快速:1.5 快捷:1.5 高效:1.8 热情:2.0 周到:2.0 贴心:2.2 耐心:1.6
友好:1.8 礼貌:1.6 亲切:1.8 细心:1.6 专业:1.5 负责:1.2 认真:1.2 用心:1.8 满分:2.5 五星:2.2 给力:2.2 靠谱:2.0
稳定:1.2 流畅:1.8 清晰:1.5 结实:1.5 耐用:1.8 正品:1.5 惊喜:2.2 开心:2.0 高兴:2.0 快乐:2.0 愉快:2.0 感谢:1.6
谢谢:1.5 感动:1.8 温馨:1.8 温暖:1.6 暖心:2.0 豪华:1.5 宽敞:1.6 大气:1.5 一流:2.2 出色:2.2 精彩:2.0 经典:1.4
实用:1.6 丰富:1.4 齐全:1.4 量足:1.6 分量足:1.8 量大:1.4 实在:0.8 入味:1.6 地道:1.6 正宗:1.6 嫩:1.2 酥脆:1.4
爽:1.2 清爽:1.4 凉快:1.2 惬意:1.8 回购:2.0 会回购:2.2 还会再来:2.4 还会来:2.2 下次还:1.6 会再来:2.2 再来:1.0
支持:1.4 信赖:1.8 放心:1.6 合适:1.2 合理:1.2 优惠:1.4 划得来:1.6 顺利:1.4 顺畅:1.4 清楚:1.0 易用:1.6 优雅:1.8
喜出望外:2.6 赞不绝口:2.8 牛逼:2.0 厉害:1.5 完好:1.6 完好无损:1.8 没问题:1.3 无可挑剔:2.6 到位:1.5 热乎:1.4
热乎乎:1.5 好极了:3.0 精心:1.8 亮:0.6 漂亮的:2.0 贴切:1.2 值得一试:2.0 强烈推荐:2.8 必买:2.2 物有所值:2.2
美:1.2 真好:2.2 不赖:1.6 够味:1.5 过瘾:1.6 省心:1.8 省事:1.4 轻松:1.2 轻便:1.4 轻薄:1.2 细腻:1.6 柔软:1.4
好评如潮:2.6 满心欢喜:2.4 开心果:0 称心:2.0 如意:1.4 舒心:2.0 安心:1.6 省钱:1.2 周全:1.6 热心:1.8 完善:1.4
良心:1.8 良心价:2.0 有良心:2.0 解决了:1.4 提前到:1.6 提前送到:1.8 最好吃:3.0 最好喝:2.8 最好用:2.8 最好看:2.6
描述一致:1.4 与描述一致:1.6 够用:1.2 发货快:1.8 回复及时:1.8
`;

const NEGATIVE = `
还没:-1.0 没收到:-1.6 打不开:-1.8
差:-2.2 很差:-2.6 差劲:-2.6 差评:-2.6 太差:-2.8 坏:-1.8 坏了:-2.0 烂:-2.4 糟糕:-2.6 糟:-2.0 垃圾:-2.8 失望:-2.4
后悔:-2.3 上当:-2.4 受骗:-2.5 骗:-2.2 骗人:-2.6 欺骗:-2.6 假货:-2.6 劣质:-2.5 次品:-2.4 残次:-2.2 破损:-2.0
损坏:-2.0 破:-1.4 脏:-2.2 脏乱:-2.4 臭:-2.0 异味:-1.8 霉味:-2.0 发霉:-2.2 潮湿:-1.3 吵:-1.8 吵闹:-1.9 噪音:-1.6
陈旧:-1.6 老旧:-1.6 破旧:-2.0 简陋:-1.6 慢:-1.8 缓慢:-1.6 迟到:-1.8 晚了:-1.2 超时:-1.8 贵:-1.4 昂贵:-1.6
偏贵:-1.4 坑:-2.0 坑爹:-2.4 坑人:-2.4 黑心:-2.6 宰客:-2.4 凉了:-1.8 冷了:-1.6 凉:-1.0 冷:-0.6 咸:-1.4 齁:-2.0
难吃:-2.6 难喝:-2.4 难闻:-2.2 难用:-2.2 难看:-2.0 难受:-2.0 恶心:-2.6 油腻:-1.6 腻:-1.2 馊:-2.4 变质:-2.4
苍蝇:-2.2 虫子:-2.0 蟑螂:-2.4 头发:-1.2 冷漠:-2.0 冷淡:-1.8 不耐烦:-2.2 敷衍:-2.0 傲慢:-2.2 粗鲁:-2.4 无礼:-2.2
恶劣:-2.6 拖延:-1.8 推诿:-2.0 麻烦:-1.4 折腾:-1.6 费劲:-1.4 投诉:-2.0 退款:-1.4 退货:-1.5 退钱:-1.6 赔偿:-1.4
少送:-2.0 漏送:-2.0 送错:-2.0 错:-1.2 错误:-1.4 洒了:-1.8 撒了:-1.6 漏了:-1.4 问题:-1.2 毛病:-1.6 故障:-2.0
死机:-2.2 卡顿:-1.8 卡:-0.8 闪退:-2.2 发热:-1.0 发烫:-1.4 耗电:-1.4 量少:-1.6 不够:-1.2 失败:-1.8 无语:-2.0
郁闷:-2.0 生气:-2.0 气愤:-2.4 愤怒:-2.6 难过:-2.0 伤心:-2.0 遗憾:-1.6 可惜:-1.4 倒霉:-2.0 崩溃:-2.4 受不了:-2.2
不满:-2.0 抱怨:-1.6 闹心:-1.8 心塞:-1.8 呵呵:-0.8 一般:-1.0 一般般:-1.1 凑合:-0.6 马马虎虎:-0.8 不怎么样:-1.8
不行:-1.8 不如:-1.0 别买:-2.4 千万别:-2.4 再也不:-2.4 不会再:-2.0 以后不:-1.6 最后一次:-2.0 拉黑:-2.4 避雷:-2.4
踩雷:-2.4 忽悠:-2.2 虚假:-2.4 不符:-1.8 不一致:-1.4 严重:-1.4 过期:-2.2 粗糙:-1.8 拥挤:-1.4 狭小:-1.4 偏僻:-1.2
难找:-1.4 慢吞吞:-1.8 迟迟:-1.4 浪费:-2.0 缩水:-1.6 少了:-1.2 不足:-1.2 缺点:-1.2 缺陷:-1.8 瑕疵:-1.4 划痕:-1.6
失灵:-2.0 没反应:-1.8 断网:-1.6 掉线:-1.6 难:-0.8 累:-0.8 痛苦:-2.2 烦:-1.6 烦人:-2.0 讨厌:-2.2 痛心:-2.0
不值:-2.0 忍无可忍:-2.8 太慢:-2.2 差点:-0.5 好久:-0.5 半天:-0.8 等了:-0.8 才到:-1.0 才送到:-1.2 不新鲜:-2.0
不好吃:-2.4 没有:-1.0 没:-0.6 硬:-0.6 碎:-1.0 裂:-1.4 漏:-1.0 旧:-1.0 老化:-1.4 粗:-0.4 假:-1.2 坑钱:-2.4 骗子:-2.8 无良:-2.6
欺负:-2.0 霸王条款:-2.4 乱收费:-2.4 不靠谱:-2.2 怀疑:-1.2 担心:-1.0 害怕:-1.6 糊:-1.0 焦:-1.0 生的:-1.0
少:-0.6 越来越少:-1.6 居然:-0.6 竟然:-0.6 醉了:-1.6 唉:-0.8 哎:-0.5 打不通:-1.6 个小时:-0.5 个多小时:-0.8 懒:-1.4
没人接:-1.8 没人理:-1.8 没人管:-1.8 没人回:-1.6 不理人:-1.8 爱答不理:-2.2 不回复:-1.6 没回复:-1.4 石沉大海:-2.2
不能用:-1.8 没法用:-1.8 用不了:-1.6 穿不了:-1.4 没用:-1.8 没什么用:-1.8 不好使:-1.8 换货:-1.2 补发:-1.0
多收:-1.8 多扣:-1.8 扣钱:-1.2 乱扣:-2.0 挂电话:-1.6 直接挂:-1.6 烟味:-1.6 名不副实:-2.2 掉电:-1.4 卡在:-1.0 零分:-2.2
没更新:-1.0 说好的:-1.0 说好:-0.8 怪味:-1.8 一股味:-1.6 不敢吃:-1.8 不一样:-0.8 色差:-1.4 货不对板:-2.4 个半小时:-0.8
`;

/** Words that look like sentiment by a character inside them but are neutral (or nearly). */
const NEUTRAL = `
好像 好几 好多 只好 不好意思 好在:0.6 最好:0.6 正好:0.6 刚好:0.6 恰好:0.6 好不容易:-0.4 要好 好友 友好
不断 不少 不管 不用 不仅 不但 不光 不久 不同 不要 无论 无线 没想到 差不多 相差 出差 差旅 时差 差价:-0.4 一点点
质量 快递 快餐 外卖 小时 快点:-0.6 尽快 赶快 快要 凉菜 凉皮 凉面 香菜 香肠 香港 房卡 信用卡 银行卡 会员卡
卡片 退房 入住 没事:0.3 一般来说 错过:-0.3 可能 可以说 热水 冷气 空调 冷静 不得不 不知道 不知 不错过:0.3
不然 不光 美国 美元 美团 美食:0.5 爱好 可爱:1.8 老板 问路 破费 坏处:-0.6 判断 断开 不停:-0.6 差异 冷藏 冷冻
忘不了:1.4 离不开:1.4 少不了 免不了 了解 上班 上网 上面 上次 上午 开始 开门 开车 起来 通知 动作 说不上 对不起:-0.6
不少:0.3 至少 多少 少许 少量 减少 快两 快一 快三 快半 快十 快到 快个 牛肉 牛奶 牛排 牛柳 牛腩 蜗牛 哎呀
`;

const NEGATORS =
  '不 没 没有 无 非 未 别 不是 并不 并没有 并非 绝不 从不 从来不 从没 从没有 毫不 毫无 不会 不太 不怎么 不算 没那么 不够';
/** Negators whose scope is softened ("not too", "not that"). */
const SOFT_NEGATORS = '不太 不怎么 不算 没那么';

const INTENSIFIERS = `
很:1.3 非常:1.6 特别:1.5 十分:1.5 超:1.6 超级:1.7 极:1.7 极其:1.8 极度:1.8 太:1.6 真:1.3 真的:1.3 挺:1.2 蛮:1.2
相当:1.4 格外:1.5 更:1.2 更加:1.3 最:1.6 巨:1.6 贼:1.5 实在是:1.4 确实:1.2 绝对:1.5 简直:1.5 完全:1.4 太过:1.6
如此:1.4 那么:1.2 这么:1.2 好好:1.2 超级无敌:1.9 特:1.4 老:1.2 倍儿:1.5 异常:1.5 尤其:1.3 好不:1.4 十二分:1.7
越来越:1.3 根本:1.4 没吃过:1.5 没见过:1.5 没用过:1.5 没住过:1.5 从没见过:1.6 从来没见过:1.6
有点:0.6 有些:0.6 有一点:0.6 有一点点:0.5 稍微:0.6 稍:0.6 略:0.6 略微:0.6 比较:0.9 较:0.9 还算:0.8 偏:0.9
`;
/** Degree words that, before a word the lexicon does not know, mark a complaint ("太小", "有点咸"). */
const EXCESS = '太:-1.2 太过:-1.2 有点:-0.7 有些:-0.7 有一点:-0.6 偏:-0.6 过于:-1.2 太多:-0.8 略:-0.5';

const CONTRAST = '但是 但 不过 可是 然而 却 可惜是';
/** Caveats: what follows is a minor reservation ("挺好的，就是有点贵"). */
const CAVEAT = '就是 只是 唯一 美中不足';
/** Summary markers: what follows is the overall verdict. */
const SUMMARY = '总体 总的来说 总之 整体 整体来说 综合 总体来说 总而言之 总体感觉 整体感觉 总的感觉';

const PAUSE = '，。！？；：,.!?;:\n~～、…';

/** Traditional → Simplified for characters that carry sentiment or appear in the lexicon's words. */
const TRADITIONAL = `們们 說说 熱热 髒脏 聽听 錯错 價价 貴贵 質质 應应 讚赞 滿满 謝谢 無无 沒没 還还 噁恶 難难 壞坏 愛爱 歡欢 實实
劃划 舊旧 氣气 態态 務务 員员 費费 標标 準准 題题 問问 錢钱 買买 賣卖 東东 電电 話话 時时 間间 個个 對对 過过 這这 會会
為为 來来 後后 點点 發发 現现 體体 驗验 專专 業业 連连 麼么 嗎吗 讓让 頭头 給给 樣样 邊边 開开 關关 聲声 爛烂 鬆松 緊紧
傳传 輸输 遲迟 筆笔 極极 優优 潔洁 淨净 衛卫 舒舒 適适 靜静 噪噪 鮮鲜 甜甜 鹹咸 膩腻 漂漂 亮亮 垃垃 圾圾 騙骗 糕糕
煩烦 討讨 厭厌 慮虑 擔担 憂忧 糞粪 臟脏 蟲虫 蒼苍 蠅蝇 顆颗 蝦虾 麵面 飯饭 餐餐 湯汤 態态 週周 專专 強强 號号 碼码
單单 據据 訊讯 網网 絡络 線线 機机 螢萤 幕幕 電电 池池 視视 頻频 語语 譯译 計计 設设 術术 環环 境境 區区 園园 廳厅
廁厕 隔隔 層层 樓楼 梯梯 門门 鎖锁 卡卡 櫃柜 臺台 屬属 歲岁 齊齐 順顺 暢畅 穩稳 結结 壽寿 耐耐 築筑 儘尽 趕赶 遞递
慢慢 續续 補补 償偿 賠赔 訴诉 敷敷 衍衍 騷骚 擾扰 惡恶 劣劣 貨货 偽伪 劑剂 觀观 膽胆 虧亏 處处 滯滞 漲涨 檢检 測测`;

export interface ChineseEntry {
  /** Sentiment valence (0 for blockers and function words). */
  v: number;
  /** 1 = negator, 2 = soft negator, 3 = degree word, 4 = contrast, 5 = caveat, 6 = summary. */
  kind: 0 | 1 | 2 | 3 | 4 | 5 | 6;
  /** Degree multiplier for kind 3. */
  degree: number;
  /** Valence given to an unknown word that follows this degree word (excess/complaint marker), 0 if none. */
  excess: number;
}

export interface ChineseLexicon {
  words: Map<string, ChineseEntry>;
  /** Character codes of punctuation that ends a clause. */
  pause: Set<number>;
  /** Traditional character code → Simplified character. */
  traditional: Map<number, string>;
}

function pairs(list: string): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  for (const item of list.split(/\s+/)) {
    if (item === '') continue;
    const colon = item.indexOf(':');
    out.push(colon < 0 ? [item, 0] : [item.slice(0, colon), Number.parseFloat(item.slice(colon + 1))]);
  }
  return out;
}

function load(): ChineseLexicon {
  const words = new Map<string, ChineseEntry>();
  const entry = (word: string): ChineseEntry => {
    let e = words.get(word);
    if (!e) {
      e = { v: 0, kind: 0, degree: 1, excess: 0 };
      words.set(word, e);
    }
    return e;
  };
  for (const [w, v] of pairs(NEUTRAL)) entry(w).v = v;
  for (const [w, v] of pairs(POSITIVE)) entry(w).v = v;
  for (const [w, v] of pairs(NEGATIVE)) entry(w).v = v;
  for (const [w] of pairs(NEGATORS)) entry(w).kind = 1;
  for (const [w] of pairs(SOFT_NEGATORS)) entry(w).kind = 2;
  for (const [w, d] of pairs(INTENSIFIERS)) {
    const e = entry(w);
    if (e.kind === 0) {
      e.kind = 3;
      e.degree = d;
    }
  }
  for (const [w, x] of pairs(EXCESS)) {
    const e = entry(w);
    e.excess = x;
    if (e.kind === 0) e.kind = 3;
  }
  for (const [w] of pairs(CONTRAST)) entry(w).kind = 4;
  for (const [w] of pairs(CAVEAT)) entry(w).kind = 5;
  for (const [w] of pairs(SUMMARY)) entry(w).kind = 6;

  const traditional = new Map<number, string>();
  for (const pair of TRADITIONAL.split(/\s+/)) {
    const [t, s] = [...pair];
    if (t !== undefined && s !== undefined && t !== s) traditional.set(t.charCodeAt(0), s);
  }
  return { words, pause: new Set([...PAUSE].map((c) => c.charCodeAt(0))), traditional };
}

let cached: ChineseLexicon | undefined;

/** The Chinese lexicon, built on first use. */
export function chineseLexicon(): ChineseLexicon {
  cached ??= load();
  return cached;
}
