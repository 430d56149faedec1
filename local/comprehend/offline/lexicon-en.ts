/**
 * English lexicon for the offline model, built once per process.
 *
 * Base valences (about -4..+4) come from the VADER lexicon (`vader-sentiment`, Apache-2.0, lexicon MIT, by
 * C.J. Hutto); words VADER lacks fall back to AFINN-165 (`sentiment`, MIT, by Finn Årup Nielsen), scaled to VADER's
 * range; emoji come from the Emoji Sentiment Ranking shipped with `sentiment`. On top sit hand-written entries for the
 * vocabulary of customer feedback (products, service, delivery, apps, travel) that general-purpose lexicons miss.
 * Only the local endpoint and benchmarks load this file: it reads from node_modules and is never in a Lambda bundle.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** Everything the tokenizer needs to know about one word, looked up once. */
export interface EnglishWord {
  /** Own valence (for a negator: the valence it keeps when it negates nothing). */
  v: number;
  /** Bit set: 1 negator, 4 contrast, 8 concessive, 16 degree word, 32 function word, 128 summary, 1024 "why" or "where". */
  flags: number;
  /** Degree added to the next sentiment word's magnitude (negative damps). */
  boost: number;
  /** Valence a following unknown word takes ("too small"). */
  excess: number;
  /** Valence when negated, for words whose negation is not a scaled flip ("not worth", "won't return"); NaN if none. */
  neg: number;
}

export interface EnglishLexicon {
  /** Lower-case word → everything the tokenizer needs, in one lookup. */
  words: Map<string, EnglishWord>;
  /** Lower-case word or emoticon → valence. */
  valence: Map<string, number>;
  /** Emoji code point → valence. */
  emoji: Map<number, number>;
  /** Degree adverbs: positive boosts, negative damps. */
  boosters: Map<string, number>;
  negators: Set<string>;
  /** Words that turn the weight to what follows (VADER's "but" rule). */
  contrast: Set<string>;
  concessive: Set<string>;
  negatorAlone: Map<string, number>;
  /** Two-word expressions whose meaning differs from their parts, keyed `"w1 w2"`. */
  bigrams: Map<string, number>;
  /** First words of `bigrams`, to avoid building a key for every word pair. */
  bigramStarts: Set<string>;
  /** Valence of a bigram when negated, where it is not a scaled flip ("won't be back"). */
  bigramNegated: Map<string, number>;
}

const B = 0.293;

/** Feedback vocabulary missing from, or weighted differently than, the general lexicons. */
const FEEDBACK_WORDS: Record<string, number> = {
  // Things that function (so "doesn't work" / "stopped working" reads negative).
  work: 0.9,
  works: 1.1,
  worked: 0.9,
  working: 0.8,
  functional: 1.0,
  reliable: 1.9,
  reliably: 1.5,
  durable: 1.8,
  sturdy: 1.6,
  solid: 1.2,
  quick: 1.0,
  quickly: 0.9,
  fast: 1.2,
  prompt: 1.3,
  promptly: 1.3,
  responsive: 1.4,
  smooth: 1.3,
  smoothly: 1.3,
  seamless: 1.8,
  intuitive: 1.6,
  tasty: 2.1,
  yummy: 2.2,
  delicious: 2.7,
  flavorful: 2.0,
  crisp: 1.0,
  clear: 0.9,
  affordable: 1.5,
  recommended: 1.8,
  recommend: 1.9,
  'must-have': 2.2,
  handy: 1.4,
  courteous: 2.0,
  attentive: 1.8,
  knowledgeable: 1.6,
  professional: 1.4,
  polite: 1.7,
  spacious: 1.3,
  cozy: 1.6,
  clean: 1.3,
  spotless: 2.0,
  impressed: 2.2,
  impressive: 2.3,
  exceeded: 1.4,
  flawless: 2.6,
  flawlessly: 2.4,
  superb: 3.0,
  outstanding: 3.0,
  'top-notch': 2.8,
  gem: 2.0,
  thanks: 1.6,
  thank: 1.5,
  thx: 1.5,
  // Common evaluative adjectives neither VADER nor AFINN lists.
  incredible: 2.8,
  phenomenal: 3.0,
  decent: 1.2,
  lukewarm: -1.3,
  underwhelming: -1.8,
  underwhelmed: -1.8,
  flavorless: -1.8,
  flavourless: -1.8,
  overrated: -1.8,
  inedible: -2.6,
  subpar: -1.8,
  // Epistemic and degree adverbs that VADER scores as sentiment: before a sentiment word they only intensify
  // ("definitely not worth it"); alone they keep a mild affirmation ("I would definitely buy again").
  definitely: 1.2,
  certainly: 1.0,
  honestly: 0,
  seriously: 0,
  genuinely: 0,
  // Failures, defects and poor service.
  broke: -2.0,
  breaks: -1.8,
  junk: -2.5,
  garbage: -2.5,
  trash: -2.2,
  crap: -2.5,
  crappy: -2.5,
  waste: -2.2,
  wasted: -2.1,
  useless: -2.4,
  unusable: -2.4,
  worthless: -2.6,
  defective: -2.4,
  faulty: -2.1,
  flimsy: -1.8,
  cheaply: -1.2,
  refund: -1.0,
  refunded: -0.6,
  returned: -1.0,
  slow: -1.3,
  slowly: -1.0,
  sluggish: -1.5,
  laggy: -1.6,
  lag: -1.2,
  lags: -1.3,
  glitch: -1.4,
  glitches: -1.4,
  glitchy: -1.7,
  buggy: -1.8,
  bug: -1.0,
  bugs: -1.0,
  crashes: -1.7,
  crashed: -1.7,
  crashing: -1.7,
  freezes: -1.6,
  froze: -1.6,
  freezing: -1.0,
  died: -2.0,
  dies: -1.8,
  dead: -1.8,
  stopped: -1.2,
  disconnects: -1.5,
  disconnected: -1.2,
  dropped: -1.0,
  drops: -1.0,
  static: -0.8,
  mediocre: -1.5,
  meh: -1.2,
  bland: -1.6,
  tasteless: -2.0,
  stale: -1.7,
  soggy: -1.7,
  greasy: -1.4,
  overcooked: -1.6,
  undercooked: -1.8,
  overpriced: -2.0,
  pricey: -0.8,
  expensive: -0.9,
  rude: -2.4,
  unhelpful: -2.0,
  unprofessional: -2.2,
  incompetent: -2.5,
  dirty: -2.0,
  filthy: -2.6,
  smelly: -1.8,
  noisy: -1.4,
  uncomfortable: -1.8,
  unreliable: -1.9,
  unresponsive: -1.8,
  delayed: -1.5,
  delay: -1.4,
  delays: -1.4,
  cancelled: -1.6,
  canceled: -1.6,
  cancellation: -1.2,
  late: -1.2,
  lost: -1.5,
  missing: -1.3,
  hassle: -1.7,
  nightmare: -2.7,
  unacceptable: -2.5,
  ridiculous: -2.0,
  pathetic: -2.6,
  poorly: -1.9,
  disappointment: -2.4,
  worst: -3.1,
  horrible: -2.9,
  terrible: -2.9,
  awful: -2.7,
  sucks: -2.2,
  sucked: -2.2,
  beware: -1.6,
  avoid: -1.6,
  complaint: -1.4,
  complain: -1.2,
  issue: -0.8,
  issues: -0.9,
  problems: -1.5,
  unfortunately: -1.5,
  // Neutralised: frequent in feedback, with a sense that is usually not sentiment.
  kind: 0,
  like: 1.2,
  pretty: 0.3,
  free: 0.6,
  please: 0.2,
  lol: 0.6,
  yes: 0.5,
  cheap: -0.3,
  hard: -0.4,
  fine: 0.9,
  ok: 0.6,
  okay: 0.6,
  alright: 0.6,
  hot: 0,
  cold: -0.4,
  joke: -1.2,
  fan: 1.0,
  care: 0.3,
  help: 0.5,
  // In feedback "support" is the department ("no reply from support") and "loyalty" a points scheme, not approval.
  support: 0.2,
  loyalty: 0.3,
  sure: 0.3,
  god: 0,
  want: 0,
  pay: 0,
  miss: -0.6,
  // Time-wasting complaint markers.
  waiting: -0.8,
  stuck: -1.5,
  // Damage in transit and in use, and problems solved: events that say what happened without a sentiment word.
  cracked: -1.6,
  shattered: -1.8,
  soaked: -1.2,
  dented: -1.4,
  leaking: -1.4,
  leaked: -1.4,
  solved: 1.6,
  resolved: 1.6,
  fixed: 1.2,
  overcharged: -2.0,
  drains: -1.4,
  draining: -1.4,
  jams: -1.4,
  jammed: -1.4,
  overheats: -1.6,
  overheating: -1.6,
  overheated: -1.6,
  leaks: -1.4,
  leaky: -1.4,
  rusty: -1.4,
  rusted: -1.4,
  peeling: -1.2,
  faded: -1.0,
  ripped: -1.4,
  scratched: -1.4,
  stained: -1.4,
  moldy: -2.0,
  mouldy: -2.0,
  expired: -1.6,
  spoiled: -1.8,
  paywall: -1.2,
  unanswered: -1.6,
  unreachable: -1.6,
  dishwater: -2.0,
  breeze: 1.6,
  lifesaver: 2.6,
  'hassle-free': 2.0,
  'go-to': 1.8,
};

const FEEDBACK_BIGRAMS: Record<string, number> = {
  'stopped working': -2.6,
  'quit working': -2.6,
  'stops working': -2.5,
  'fell apart': -2.4,
  'falls apart': -2.4,
  'waste of': -2.6,
  'rip off': -2.6,
  'ripped off': -2.6,
  'never again': -2.6,
  'no longer': -0.8,
  'highly recommend': 2.8,
  'highly recommended': 2.8,
  'five stars': 2.5,
  '5 stars': 2.5,
  'one star': -2.2,
  '1 star': -2.2,
  'zero stars': -2.6,
  '0 stars': -2.6,
  'on hold': -1.3,
  'customer disservice': -2.5,
  'go wrong': -1.0,
  'at best': -1.6,
  'die for': 2.5,
  'thumbs up': 2.2,
  'thumbs down': -2.2,
  'cant wait': 2.0,
  'cannot wait': 2.0,
  'a must': 2.0,
  'not worth': -2.0,
  'well done': 2.4,
  'well made': 2.2,
  'well worth': 2.4,
  'works great': 3.0,
  'works well': 2.6,
  'works perfectly': 3.0,
  'no problem': 1.7,
  'no problems': 1.7,
  'no issues': 1.7,
  'no complaints': 1.8,
  'not bad': 1.6,
  'too bad': -1.5,
  'come back': 1.0,
  'coming back': 1.0,
  'go back': 0.9,
  'going back': 0.9,
  'yeah right': -2.0,
  'thank you': 1.9,
  'waited for': -1.0,
  'still waiting': -1.8,
  'sent back': -1.6,
  'be back': 1.0,
  'had better': -1.2,
  'expected better': -1.6,
  'expect better': -1.6,
  'deserve better': -1.6,
  'expected more': -1.2,
  'dont waste': -2.2,
  'dont bother': -2.0,
  'dont buy': -2.0,
  'send back': -1.6,
  // Complaint events: waiting, broken promises, short life, cheap build, cold food.
  'took forever': -2.0,
  'takes forever': -2.0,
  'taking forever': -2.0,
  'was promised': -1.0,
  'were promised': -1.0,
  'was told': -0.8,
  'were told': -0.8,
  'only lasts': -1.2,
  'only lasted': -1.2,
  'cheap plastic': -1.8,
  'feels cheap': -1.6,
  'arrived cold': -1.6,
  'was cold': -1.0,
  'were cold': -1.0,
  // Praise events: early, well packed.
  'day early': 1.6,
  'days early': 1.6,
  'arrived early': 1.6,
  'well packed': 1.6,
  'well packaged': 1.6,
  'as described': 1.2,
  'as advertised': 1.2,
  'and beyond': 2.0,
  // Service that walks away, sites that are down.
  'hung up': -1.8,
  'no help': -1.8,
  'is down': -1.2,
  'been down': -1.2,
  'double booked': -1.8,
  'price hike': -1.6,
  'price increase': -1.2,
  'was down': -1.2,
  'down again': -1.6,
  'of order': -1.4,
  'fell out': -1.4,
  'fell off': -1.4,
  'came apart': -1.8,
  'came off': -1.2,
  'wore out': -1.4,
  'hidden fees': -2.0,
  'hidden charges': -2.0,
  'charged twice': -2.0,
  'double charged': -2.0,
  'locked out': -1.4,
  'logged out': -1.0,
  'no show': -1.6,
  // More praise events: on time, in the extra mile, a quick fix.
  'on time': 1.2,
  'extra mile': 2.2,
  'nice touch': 1.8,
  'spot on': 2.0,
  'game changer': 2.2,
  'sorted it': 1.2,
  'sorted out': 1.2,
  'up and running': 1.2,
  'answered all': 1.4,
  // Only a phrase for its negation ("could not be more pleased", see NEGATED).
  'be more': 0,
  // Intent to come back or buy again ("will order again"); negated, a scaled flip ("won't buy again").
  'buy again': 1.8,
  'order again': 1.8,
  'shop again': 1.8,
  'stay again': 1.8,
  'use again': 1.6,
  'come again': 1.6,
};

const BOOSTERS: Record<string, number> = {
  absolutely: B,
  amazingly: B,
  awfully: B,
  completely: B,
  considerably: B,
  decidedly: B,
  deeply: B,
  enormously: B,
  entirely: B,
  especially: B,
  exceptionally: B,
  extremely: B,
  fully: B,
  greatly: B,
  highly: B,
  hugely: B,
  incredibly: B,
  intensely: B,
  most: B,
  particularly: B,
  quite: B,
  really: B,
  remarkably: B,
  so: B,
  super: B,
  soo: B,
  sooo: B,
  substantially: B,
  thoroughly: B,
  totally: B,
  tremendously: B,
  truly: B,
  unbelievably: B,
  utterly: B,
  very: B,
  too: B,
  real: B,
  damn: B,
  freaking: B,
  fucking: B,
  definitely: B,
  certainly: B,
  honestly: B,
  seriously: B,
  genuinely: B,
  almost: -B,
  barely: -B,
  hardly: -B,
  kinda: -B,
  less: -B,
  little: -B,
  marginally: -B,
  occasionally: -B,
  partly: -B,
  scarcely: -B,
  slightly: -B,
  somewhat: -B,
  sorta: -B,
  fairly: -B,
  rather: -B,
  bit: -B,
};

const NEGATORS = [
  'not',
  'no',
  'never',
  'none',
  'nothing',
  'nobody',
  'nowhere',
  'neither',
  'nor',
  'without',
  'cannot',
  'cant',
  'dont',
  'doesnt',
  'didnt',
  'isnt',
  'arent',
  'wasnt',
  'werent',
  'wont',
  'wouldnt',
  'shouldnt',
  'couldnt',
  'hasnt',
  'havent',
  'hadnt',
  'aint',
  'mustnt',
  'neednt',
  'rarely',
  'seldom',
  'lack',
  'lacks',
  'lacking',
  'hardly',
  'barely',
  'nope',
  'n\u2019t',
];

const CONTRAST = ['but', 'however', 'nevertheless', 'nonetheless', 'except'];

/** Concessive words: the clause they open weighs less ("although the screen is nice, ..."). */
const CONCESSIVE = ['although', 'though', 'despite', 'whilst'];

/** Summary markers: the clause they open is the overall verdict. */
const SUMMARY = ['overall', 'altogether'];

/**
 * Asymmetric negation: words whose negation means more than a damped flip. Negated intent to return or recommend is
 * among the strongest verdicts in feedback ("won't be back", "wouldn't recommend", "not worth it"), while negated
 * complaints and challenges are praise ("can't complain", "you can't beat it", "can't go wrong").
 */
const NEGATED: Record<string, number> = {
  worth: -1.8,
  recommend: -2.4,
  recommended: -2.2,
  return: -2.0,
  returning: -2.0,
  revisit: -2.0,
  revisiting: -2.0,
  again: -1.4,
  complain: 1.6,
  beat: 1.8,
  'go back': -2.2,
  'going back': -2.2,
  'be back': -2.4,
  'come back': -2.2,
  'coming back': -2.2,
  'go wrong': 2.0,
  // Something that does not work is among the commonest complaints, stronger than a damped "works".
  work: -1.6,
  works: -1.6,
  worked: -1.6,
  working: -1.8,
  // "couldn't be happier": a negated comparative of satisfaction is the top of the scale. "could not be more X" takes
  // its valence from X: the negation only says X cannot be exceeded.
  happier: 2.4,
  'be more': 0,
  // "no hassle", "no fuss": absent trouble is praise.
  hassle: 1.4,
  fuss: 1.4,
  // Changes made "without notice" or "with no warning" are complaints.
  notice: -1.2,
  warning: -1.2,
  // A refund not given is still a complaint ("still no refund", "they didn't refund me").
  refund: -1.4,
  refunded: -1.4,
  // Service events that did not happen: what was due never came ("not received", "didn't arrive", "nobody answered",
  // "hasn't shipped", "no one called back", "didn't help").
  receive: -1.4,
  received: -1.4,
  arrive: -1.4,
  arrived: -1.4,
  deliver: -1.4,
  delivered: -1.4,
  ship: -1.2,
  shipped: -1.2,
  answer: -1.4,
  answered: -1.4,
  respond: -1.4,
  responded: -1.4,
  reply: -1.4,
  replied: -1.4,
  replies: -1.4,
  response: -1.4,
  responses: -1.4,
  answers: -1.4,
  call: -1.0,
  called: -1.0,
  show: -1.0,
  showed: -1.0,
  help: -1.4,
  helped: -1.4,
  helpful: -1.6,
  fix: -1.2,
  fixed: -1.4,
  resolved: -1.6,
  solved: -1.4,
  update: -1.0,
  updated: -1.0,
  get: -1.0,
  got: -1.0,
  // "never had a problem", "no issues at all" (when not the bigram): the absence of trouble is praise.
  problem: 1.6,
  problems: 1.6,
  issue: 1.4,
  issues: 1.4,
};

/** Valence a negator keeps when it negates nothing ("no reply", "never arrived"). */
const NEGATOR_ALONE: Record<string, number> = {
  no: -1.0,
  never: -1.0,
  nothing: -0.4,
  nobody: -0.6,
  lack: -1.0,
  lacks: -1.0,
  lacking: -1.0,
  without: -0.2,
  // Inability and refusal: in feedback a negated "can", "will" or "has" with no sentiment word after it is nearly
  // always something that fails or has not happened ("won't let me log in", "can't get through", "hasn't updated").
  cant: -0.9,
  cannot: -0.9,
  couldnt: -0.9,
  wont: -0.9,
  hasnt: -0.8,
  havent: -0.8,
  doesnt: -0.6,
  didnt: -0.6,
};

const FUNCTION_WORDS =
  'a an the to of and or i it its is was be been are were this that my me we our in on at for with as by from'.split(
    ' ',
  );

const EMOTICONS: Record<string, number> = {
  ':)': 2.0,
  ':-)': 2.0,
  ':]': 1.8,
  '=)': 1.8,
  ':d': 2.3,
  ':-d': 2.3,
  xd: 1.6,
  ';)': 1.6,
  ';-)': 1.6,
  ':p': 1.2,
  ':-p': 1.2,
  '<3': 2.6,
  '^_^': 2.0,
  '^^': 1.7,
  ':(': -2.0,
  ':-(': -2.0,
  ':[': -1.8,
  ":'(": -2.3,
  ':/': -1.2,
  ':-/': -1.2,
  ':|': -0.6,
  '>:(': -2.5,
  'd:': -1.8,
  '</3': -2.3,
  t_t: -2.0,
  ';(': -2.0,
};

/** Common words spelt like an inflection of a lexicon word, with another meaning ("likely" is not "like" + ly). */
const NOT_INFLECTIONS = new Set(
  'likely hands handed hardly fairly lately shortly leaves numbers originally barely merely scarcely partly closely'.split(
    ' ',
  ),
);

function load(): EnglishLexicon {
  const require = createRequire(import.meta.url);
  const valence = new Map<string, number>();
  const vader = readFileSync(require.resolve('vader-sentiment/vader_lexicon.txt'), 'utf8');
  for (const line of vader.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab <= 0) continue;
    const word = line.slice(0, tab);
    const value = Number.parseFloat(line.slice(tab + 1, line.indexOf('\t', tab + 1)));
    if (Number.isFinite(value)) valence.set(word.toLowerCase(), value);
  }
  const afinn = JSON.parse(readFileSync(require.resolve('sentiment/languages/en/labels.json'), 'utf8')) as Record<
    string,
    number
  >;
  for (const [word, value] of Object.entries(afinn)) {
    if (!valence.has(word)) valence.set(word, value * 0.75);
  }
  for (const [word, value] of Object.entries(FEEDBACK_WORDS)) valence.set(word, value);
  for (const [token, value] of Object.entries(EMOTICONS)) valence.set(token, value);
  // Inflections the lexicons list only in their base form. Only base words of four letters or more: shorter ones make
  // forms that are other words (had and has from "ha", band from "ban", wind from "win"). "-d" only after a final e and
  // "-ed" only after another letter ("banned" stays unknown rather than becoming "band"). A form the lexicons list is
  // kept as listed, and common words that merely look like a form are left out.
  for (const [word, value] of [...valence]) {
    if (word.length < 4 || !/^[a-z]+$/.test(word) || value === 0) continue;
    const e = word.endsWith('e');
    for (const form of [`${word}s`, e ? `${word}d` : `${word}ed`, `${word}ly`]) {
      if (!valence.has(form) && !NOT_INFLECTIONS.has(form)) valence.set(form, value * 0.9);
    }
  }

  const emoji = new Map<number, number>();
  const emojiData = JSON.parse(readFileSync(require.resolve('sentiment/build/emoji.json'), 'utf8')) as Record<
    string,
    number
  >;
  for (const [char, value] of Object.entries(emojiData)) {
    const cp = char.codePointAt(0);
    if (cp !== undefined && [...char].length === 1) emoji.set(cp, value * 0.9);
  }
  // Emoji the ranking weighs oddly for feedback.
  const emojiOverrides: Array<[string, number]> = [
    ['😂', 0.8],
    ['😭', -1.8],
    ['😡', -2.8],
    ['🤬', -3.0],
    ['😠', -2.5],
    ['👎', -2.4],
    ['👍', 2.0],
    ['💩', -2.2],
    ['🤮', -2.6],
    ['🤢', -2.2],
    ['😞', -2.0],
    ['😤', -2.0],
    ['🙄', -1.6],
    ['😢', -2.0],
    ['😔', -1.6],
    ['😕', -1.2],
    ['🥰', 2.8],
    ['🤩', 2.8],
    ['🙂', 1.4],
    ['🙁', -1.4],
    ['⭐', 1.2],
    ['✅', 1.0],
    ['❌', -1.2],
    ['💯', 2.0],
    ['🔥', 1.5],
  ];
  for (const [char, value] of emojiOverrides) {
    const cp = char.codePointAt(0);
    if (cp !== undefined) emoji.set(cp, value);
  }

  const words = new Map<string, EnglishWord>();
  const word = (w: string): EnglishWord => {
    let e = words.get(w);
    if (!e) {
      e = { v: valence.get(w) ?? 0, flags: 0, boost: 0, excess: 0, neg: Number.NaN };
      words.set(w, e);
    }
    return e;
  };
  for (const w of valence.keys()) word(w);
  for (const w of FUNCTION_WORDS) word(w).flags |= 32;
  for (const [w, b] of Object.entries(BOOSTERS)) {
    const e = word(w);
    e.flags |= 16;
    e.boost = b;
    if (w === 'too') e.excess = -1.1;
  }
  for (const w of CONCESSIVE) word(w).flags = 8;
  for (const w of CONTRAST) word(w).flags = 4;
  for (const w of SUMMARY) word(w).flags = 128;
  for (const w of ['why', 'where', 'wheres']) word(w).flags |= 1024;
  for (const w of NEGATORS) {
    const e = word(w);
    e.flags = 1;
    e.v = NEGATOR_ALONE[w] ?? 0;
  }

  const bigramNegated = new Map<string, number>();
  for (const [w, n] of Object.entries(NEGATED)) {
    if (w.includes(' ')) bigramNegated.set(w, n);
    else word(w).neg = n;
  }

  const bigrams = new Map(Object.entries(FEEDBACK_BIGRAMS));
  const bigramStarts = new Set<string>();
  for (const key of bigrams.keys()) bigramStarts.add(key.slice(0, key.indexOf(' ')));
  return {
    words,
    valence,
    emoji,
    boosters: new Map(Object.entries(BOOSTERS)),
    negators: new Set(NEGATORS),
    contrast: new Set(CONTRAST),
    concessive: new Set(CONCESSIVE),
    negatorAlone: new Map(Object.entries(NEGATOR_ALONE)),
    bigrams,
    bigramStarts,
    bigramNegated,
  };
}

let cached: EnglishLexicon | undefined;

/** The English lexicon, loaded on first use. */
export function englishLexicon(): EnglishLexicon {
  cached ??= load();
  return cached;
}
