import { describe, expect, it } from 'vitest';
import { normalisePhrase, ThemeMatcher } from '../../../shared/themes/matcher.js';
import { loadTaxonomy, parseTaxonomy } from '../../../shared/themes/taxonomy.js';

const project = new ThemeMatcher(loadTaxonomy('config/taxonomy.json'));

const tiny = new ThemeMatcher(
  parseTaxonomy(
    {
      version: 't1',
      categories: [
        {
          id: 'delivery',
          label: { en: 'Delivery', zh: '配送' },
          themes: [
            {
              id: 'delivery.speed',
              label: { en: 'Speed', zh: '时效' },
              keywords: { en: ['late delivery', 'delayed'], zh: ['送得慢'] },
            },
          ],
        },
        {
          id: 'venue',
          label: { en: 'Venue', zh: '门店' },
          themes: [{ id: 'venue.room', label: { en: 'Room', zh: '房间' }, keywords: { en: ['room'], zh: ['房间'] } }],
        },
      ],
      ignore: { en: ['room for improvement'] },
      urgency: [{ id: 'legal', label: { en: 'Legal', zh: '法律' }, keywords: { en: ['lawyer'], zh: ['律师'] } }],
    },
    'test',
  ),
);

describe('ThemeMatcher', () => {
  it('matches English keywords by stem, in any inflection', () => {
    expect(tiny.match('Late deliveries every week').themes).toEqual(['delivery.speed']);
    expect(tiny.match('Both deliveries were fine').themes).toEqual([]);
    expect(tiny.match('Another LATE DELIVERY, and the parcel was delayed again').themes).toEqual(['delivery.speed']);
    expect(tiny.match('The order got delayed').themes).toEqual(['delivery.speed']);
  });

  it('matches Chinese keywords inside running text, with emoji, brand names and numbers around them', () => {
    expect(tiny.match('😡iPhone 15 的外卖送得慢，3次了').themes).toEqual(['delivery.speed']);
    expect(tiny.match('房间123号很吵🙄').themes).toEqual(['venue.room']);
  });

  it('matches both languages in one mixed text, each theme once', () => {
    expect(tiny.match('房间 ok but the late delivery 送得慢').themes).toEqual(['delivery.speed', 'venue.room']);
  });

  it('drops keywords inside an ignore phrase', () => {
    expect(tiny.match('There is room for improvement').themes).toEqual([]);
    expect(tiny.match('Room for improvement, and the room was tiny').themes).toEqual(['venue.room']);
  });

  it('reports urgency cues apart from themes', () => {
    expect(tiny.match('My lawyer will hear about this late delivery')).toEqual({
      themes: ['delivery.speed'],
      urgency: ['legal'],
    });
    expect(tiny.match('我要找律师').urgency).toEqual(['legal']);
  });

  it('finds the themes of everyday feedback with the project taxonomy', () => {
    expect(project.match('Delivery was late again and nobody answered my emails').themes).toContain('delivery.speed');
    expect(project.match('Great app, but it crashes when I pay').themes).toContain('app.stability');
    expect(project.match('客服态度很好，物流也快').themes).toEqual(
      expect.arrayContaining(['service.support', 'service.attitude', 'delivery.shipping']),
    );
    expect(project.match('东西不错就是有点贵').themes).toEqual(['price.value']);
    expect(project.match('I will never order again, this is a scam').urgency).toEqual(['churn', 'escalation']);
  });

  it('keeps derivations apart: "helpful" is not "help", "keep it up" is no courier', () => {
    expect(project.match('Please help me, keep it up').themes).toEqual([]);
    expect(project.match('Very helpful support').themes).toEqual(['service.attitude', 'service.support']);
    expect(project.match('The lectures are on time').themes).toEqual(['content.teaching']);
    expect(project.match('After the latest update it keeps crashing').themes).toEqual(['app.updates', 'app.stability']);
  });

  it('keeps at most five themes for one response', () => {
    const essay =
      'Delivery was late, the packaging was crushed, customer service was rude, the price is too high, the app crashes, ' +
      'the refund never came, the room was dirty and the location was noisy';
    expect(project.match(essay).themes).toHaveLength(5);
  });
});

describe('emerging phrases', () => {
  it('normalises key phrases so one topic counts once', () => {
    expect(normalisePhrase('The deliveries')).toBe('delivery');
    expect(normalisePhrase('my new boxes')).toBe('box');
    expect(normalisePhrase('物流速度很慢的')).toBe('物流速度很慢');
  });

  it('drops phrases with nothing topical left', () => {
    for (const p of ['the', 'it', '2024', '这个', '了', '的话', 'the app', 'Apps', '地方']) {
      expect(normalisePhrase(p)).toBeUndefined();
    }
  });

  it('lists each normalised phrase once, at most five', () => {
    expect(
      tiny.emerging(['Odd smell', 'odd smells', 'the odd smell', 'a', 'b1', 'colour', 'hinge', 'zip', 'strap', 'lid']),
    ).toEqual(['odd smell', 'colour', 'hinge', 'zip', 'strap']);
  });
});
