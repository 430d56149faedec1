/**
 * Traditional → Simplified for the vocabulary the mapper and score parser match on (column names, Likert labels,
 * star ratings), so Taiwanese and Hong Kong exports (`評論內容`, `滿意度`, `非常滿意`) read like mainland ones.
 * Not a general converter: only characters that occur in our aliases and labels, one to one.
 */
const PAIRS =
  '評评論论內内價价還还麼么見见議议饋馈標标題题時时間间購购買买單单創创結结開开薦荐願愿數数淨净滿满級级總总體体來来' +
  '產产稱称區区國国語语戶户會会員员郵邮電电編编號号暱昵證证機机話话瀏浏覽览統统長长狀状態态詳详類类參参齡龄覆复復复' +
  '較较極极給给點点顆颗擇择選选應应問问務务質质貨货訂订讀读備备帳账碼码簡简種种項项賣卖場场讚赞說说';

const T2S = new Map<string, string>();
for (let i = 0; i + 1 < PAIRS.length; i += 2) {
  const t = PAIRS[i];
  const s = PAIRS[i + 1];
  if (t !== undefined && s !== undefined) T2S.set(t, s);
}

/** True when `s` has a character above U+007F (the only strings {@link toSimplified} can change). */
export function hasNonAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return true;
  return false;
}

/** Maps the Traditional characters of our vocabulary to Simplified; everything else is unchanged. */
export function toSimplified(s: string): string {
  // Every mapped character is a single UTF-16 unit: look them up by unit, and build a new string only from the first
  // one that changes.
  for (let i = 0; i < s.length; i++) {
    if (T2S.has(s.charAt(i))) {
      let out = s.slice(0, i);
      for (let j = i; j < s.length; j++) out += T2S.get(s.charAt(j)) ?? s.charAt(j);
      return out;
    }
  }
  return s;
}
