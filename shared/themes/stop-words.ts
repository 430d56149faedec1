/**
 * Function words and other words that name no topic, in English and Chinese: they never start or end a key phrase
 * the digest lists (emerging themes) nor one the local model extracts.
 */
export const ENGLISH_STOP_WORDS: ReadonlySet<string> = new Set(
  `a an the and or but if then than so to of in on at by for with from as into onto about over under after before
  i me my mine we us our you your he him his she her it its they them their this that these those there here
  is am are was were be been being do does did done doing have has had having will would shall should can could
  may might must not no never very really too quite just also only even still again ever all any some more most
  what which who whom whose when where why how
  get got gets getting go goes went gone going make made makes come came take took give gave say said tell told
  use used using want wanted need needed like liked love loved hate hated know knew think thought feel felt look
  looked seem seemed try tried keep kept let put see saw seen buy bought order ordered work works worked working
  good great bad nice poor terrible awful excellent amazing horrible best worst better worse fine ok okay
  well much many lot lots thing things something anything everything nothing way time times day days
  one two three first last other another same new old own such every each both either neither
  please thanks thank yes yeah hi hello dont doesnt didnt cant wont isnt wasnt arent werent im ive id youre`.split(
    /\s+/,
  ),
);

export const CHINESE_STOP_WORDS: ReadonlySet<string> = new Set(
  `我们 你们 他们 她们 它们 自己 这个 那个 这些 那些 这样 那样 这么 那么 什么 怎么 为什么 因为 所以 但是 不过 可是 然后
  而且 还是 或者 如果 虽然 就是 只是 已经 一直 一个 一些 一下 一点 有点 非常 特别 比较 还有 没有 不是 可以 觉得 感觉 知道
  时候 现在 今天 昨天 明天 以后 以前 下次 东西 问题 真的 确实 应该 需要 出来 起来 一样 好像 不错 很好 满意 喜欢 推荐
  的话 别的 不对 而已 一般 还行 总之 其实 然而 这次 那次 每次 之前 之后 一次 两次 几次`.split(/\s+/),
);

/** Characters that carry no topic at either end of a Chinese phrase (particles, degree adverbs, copulas). */
export const CHINESE_EDGE_CHARACTERS: ReadonlySet<string> = new Set([
  ...'的了着过吗呢吧啊呀哦哈嘛啦么很太真挺也都就还又再才是在有被把给让和与及或但而且并',
]);

/**
 * Words that name what every piece of feedback is about (the app, the place, the experience): alone they are no
 * emerging theme, though they may sit inside one ("app store rating").
 */
export const GENERIC_TOPIC_WORDS: ReadonlySet<string> = new Set(
  `app apps application experience problem issue company people person guy stuff place product service
  地方 这里 那里 体验 大家 朋友 时间 景点 景区 产品 服务`.split(/\s+/),
);
