import type { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import {
  cronExpressionError,
  InvalidConfigurationError,
  isIanaTimeZone,
  loadEnvironments,
  parseEnvironment,
} from '../../infra/config.js';
import { buildTestApp, cdkJsonContext, environmentSettings } from './helpers/app.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Sets `value` at a dotted path inside a copy of the dev settings. */
function devWith(path: string, value: unknown): Record<string, unknown> {
  const settings = environmentSettings('dev');
  const keys = path.split('.');
  const last = keys.pop();
  if (last === undefined) throw new Error('empty path');
  let node: Record<string, unknown> = settings;
  for (const key of keys) {
    const next = node[key];
    if (!isRecord(next)) throw new Error(`no ${key} in ${path}`);
    node = next;
  }
  node[last] = value;
  return settings;
}

describe('cdk.json configuration', () => {
  it('validates both shipped environments', () => {
    // Act
    const environments = loadEnvironments(cdkJsonContext().environments, undefined);

    // Assess
    expect(environments.map((e) => e.name)).toEqual(['dev', 'prod']);
    const prod = environments[1];
    expect(prod?.removalPolicy).toBe('retain');
    expect(prod?.terminationProtection).toBe(true);
  });

  it('synthesizes one stack per environment, or only the one chosen with -c env', () => {
    expect(buildTestApp().stacks.map((s) => s.stackName)).toEqual(['FeedbackPipeline-dev', 'FeedbackPipeline-prod']);
    expect(buildTestApp({ context: { env: 'prod' } }).stacks.map((s) => s.stackName)).toEqual([
      'FeedbackPipeline-prod',
    ]);
  });

  it('fills defaults for settings a deployer leaves out', () => {
    // Prepare
    const settings = environmentSettings('dev');
    delete settings.ingest;
    delete settings.spike;
    settings.retention = { expireIncomingAfterDays: 60, expireReportsAfterDays: 90 };

    // Act
    const config = parseEnvironment('dev', settings);

    // Assess
    expect(config.ingest).toEqual({
      reservedConcurrency: 5,
      comprehendConcurrency: 2,
      memoryMiB: 1536,
      ephemeralStorageMiB: 2048,
      themesEnabled: true,
      themeDimensions: ['all', 'channel', 'source', 'product', 'region', 'language'],
      taxonomyFile: 'config/taxonomy.json',
      asyncJobs: { enabled: true, threshold: 100_000, pollSeconds: 300, maxWaitMinutes: 1440, alarmAfterMinutes: 120 },
    });
    expect(config.spike).toEqual({ ratio: 1.5, minVolume: 10 });
    expect(config.retention).toMatchObject({
      archiveIncomingAfterDays: 30,
      expireIncomingAfterDays: 60,
      expireReportsAfterDays: 90,
      noncurrentVersionsDays: 30,
    });
    expect(config.retention.expireProcessedAfterDays).toBeUndefined();
    expect(config.eventSource).toBe('feedback.pipeline');
  });

  it.each([
    ['retention', /environments\.dev\.retention: /],
    ['retention.expireIncomingAfterDays', /environments\.dev\.retention\.expireIncomingAfterDays: /],
    ['retention.expireReportsAfterDays', /environments\.dev\.retention\.expireReportsAfterDays: /],
  ])('requires %s: raw personal data and file reports never stay by default', (setting, message) => {
    // Prepare: the setting left out
    const settings = devWith(setting, undefined);

    // Act / Assess
    expect(() => parseEnvironment('dev', settings)).toThrow(message);
  });

  describe.each([
    {
      setting: 'retention.expireReportsAfterDays',
      value: 0,
      message: /environments\.dev\.retention\.expireReportsAfterDays: /,
    },
    {
      setting: 'retention.expireIncomingAfterDays',
      value: 45.5,
      message: /environments\.dev\.retention\.expireIncomingAfterDays: /,
    },
    {
      setting: 'digest.schedules.daily.cron',
      value: 'cron(0 8 * * MON *)',
      message:
        /environments\.dev\.digest\.schedules\.daily\.cron: invalid cron expression "cron\(0 8 \* \* MON \*\)": exactly one of day-of-month and day-of-week must be "\?"/,
    },
    {
      setting: 'digest.schedules.weekly.cron',
      value: 'cron(0 8 ? * MON)',
      message: /environments\.dev\.digest\.schedules\.weekly\.cron: .*must have 6 fields/,
    },
    {
      setting: 'digest.schedules.weekly.cron',
      value: 'cron(0 25 ? * MON *)',
      message: /environments\.dev\.digest\.schedules\.weekly\.cron: .*field hours value "25" is out of range \(0-23\)/,
    },
    {
      setting: 'digest.schedules.daily.cron',
      value: 'rate(1 day)',
      message: /environments\.dev\.digest\.schedules\.daily\.cron: .*must look like cron\(/,
    },
    {
      setting: 'digest.schedules.daily.timeZone',
      value: 'Europe/Atlantis',
      message: /environments\.dev\.digest\.schedules\.daily\.timeZone: unknown IANA time zone "Europe\/Atlantis"/,
    },
    {
      setting: 'businessTimeZone',
      value: '+01:00',
      message: /environments\.dev\.businessTimeZone: unknown IANA time zone "\+01:00"/,
    },
    {
      setting: 'ses.from',
      value: 'digest-at-example.com',
      message: /environments\.dev\.ses\.from: malformed email address "digest-at-example\.com"/,
    },
    {
      setting: 'digest.recipients',
      value: ['ok@example.com', 'not an address'],
      message: /environments\.dev\.digest\.recipients\.1: malformed email address "not an address"/,
    },
    {
      setting: 'alarms.email',
      value: 'oncall@',
      message: /environments\.dev\.alarms\.email: malformed email address "oncall@"/,
    },
    {
      setting: 'digest.segments',
      value: ['channel', 'colour'],
      message: /environments\.dev\.digest\.segments\.1: /,
    },
    {
      setting: 'retention.expireIncomingAfterDays',
      value: 10,
      message:
        /environments\.dev\.retention\.expireIncomingAfterDays: must be greater than retention\.archiveIncomingAfterDays \(30\)/,
    },
    {
      setting: 'retention.logDays',
      value: 10,
      message: /environments\.dev\.retention\.logDays: must be one of /,
    },
    {
      setting: 'ingest.reservedConcurrency',
      value: 1,
      message: /environments\.dev\.ingest\.reservedConcurrency: /,
    },
    {
      setting: 'ingest.ephemeralStorageMiB',
      value: 1024,
      message:
        /environments\.dev\.ingest\.ephemeralStorageMiB: must hold what a workbook may spool \(maxInflatedBytes, 1024 MiB\)/,
    },
    {
      setting: 'ingest.limits',
      value: { maxRowz: 10 },
      message: /environments\.dev\.ingest\.limits: Unrecognized key: "maxRowz"/,
    },
    {
      setting: 'ingest.themeDimensions',
      value: ['channel'],
      message: /environments\.dev\.ingest\.themeDimensions: must include "all"/,
    },
    {
      setting: 'ingest.taxonomyFile',
      value: 'test/fixtures/taxonomy/broken.json',
      message:
        /environments\.dev\.ingest\.taxonomyFile: Invalid theme taxonomy .*broken\.json:\n {2}categories\.0\.themes\.0\.id: ids are lower-case/,
    },
    {
      setting: 'ingest.taxonomyFile',
      value: 'config/no-such-taxonomy.json',
      message: /environments\.dev\.ingest\.taxonomyFile: Theme taxonomy .*no-such-taxonomy\.json cannot be read/,
    },
    {
      setting: 'ingest.taxonomyFile',
      value: '../outside.json',
      message: /environments\.dev\.ingest\.taxonomyFile: must be a path inside the project/,
    },
    {
      setting: 'eventSource',
      value: 'aws.feedback',
      message: /environments\.dev\.eventSource: must not start with "aws\."/,
    },
    {
      setting: 'digest.schedules.daily.crn',
      value: 'cron(0 8 ? * * *)',
      message: /environments\.dev\.digest\.schedules\.daily: Unrecognized key: "crn"/,
    },
  ])('with $setting = $value', ({ setting, value, message }) => {
    it('fails synth with a message that names the setting', () => {
      // Prepare
      const environments = { dev: devWith(setting, value) };

      // Act
      const synth = () => buildTestApp({ context: { environments, env: 'dev' } });

      // Assess
      expect(synth).toThrow(InvalidConfigurationError);
      expect(synth).toThrow(message);
    });
  });

  it('sets the read limits an environment overrides on the ingest function, its /tmp sized to match', () => {
    // Prepare
    const dev = devWith('ingest.limits', { maxRows: 1_000_000, maxInflatedBytes: 512 * 1024 * 1024 });
    const environments = { dev: { ...dev, ingest: { ...(dev.ingest as object), ephemeralStorageMiB: 1024 } } };

    // Act
    const [stack] = buildTestApp({ context: { environments, env: 'dev' } }).stacks;

    // Assess
    Template.fromStack(stack as unknown as Stack).hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'feedback-dev-ingest',
      EphemeralStorage: { Size: 1024 },
      Environment: { Variables: Match.objectLike({ MAX_ROWS: '1000000', MAX_INFLATED_BYTES: '536870912' }) },
    });
  });

  it('passes the segments a schedule names to the digest it invokes, and refuses unknown ones', () => {
    // Prepare
    const environments = { dev: devWith('digest.schedules.weekly.segments', ['channel', 'region']) };
    // Act
    const [stack] = buildTestApp({ context: { environments, env: 'dev' } }).stacks;
    // Assess
    const schedules = Template.fromStack(stack as unknown as Stack).findResources('AWS::Scheduler::Schedule', {
      Properties: { Name: Match.stringLikeRegexp('-digest-') },
    });
    const inputs = Object.values(schedules).map(
      (r) => (r as { Properties: { Target: { Input: string } } }).Properties.Target.Input,
    );
    expect(inputs.sort()).toEqual([
      JSON.stringify({ period: 'daily' }),
      JSON.stringify({ period: 'weekly', segments: ['channel', 'region'] }),
    ]);
    const bad = { dev: devWith('digest.schedules.weekly.segments', ['channel', 'colour']) };
    expect(() => buildTestApp({ context: { environments: bad, env: 'dev' } })).toThrow(
      /environments\.dev\.digest\.schedules\.weekly\.segments\.1/,
    );
  });

  it('names an unknown -c env value and the environments that exist', () => {
    expect(() => buildTestApp({ context: { env: 'staging' } })).toThrow(
      'env: unknown environment "staging"; defined: dev, prod',
    );
  });

  it('rejects environment names that cannot be part of resource names', () => {
    expect(() => loadEnvironments({ Dev_1: environmentSettings('dev') }, undefined)).toThrow(/environments\.Dev_1:/);
  });
});

describe('cronExpressionError', () => {
  it.each([
    'cron(0 8 ? * MON *)',
    'cron(0 8 ? * MON-FRI *)',
    'cron(30 7 1 * ? *)',
    'cron(0/15 * * * ? *)',
    'cron(0 8 ? * 2#1 *)',
    'cron(0 8 L * ? *)',
    'cron(0 8 ? JAN,JUL MON 2027-2030)',
  ])('accepts %s', (expression) => {
    expect(cronExpressionError(expression)).toBeUndefined();
  });

  it.each([
    ['cron(0 8 ? * ? *)', /exactly one of day-of-month and day-of-week/],
    ['cron(0 8 1 * MON *)', /exactly one of day-of-month and day-of-week/],
    ['cron(60 8 ? * MON *)', /minutes value "60"/],
    ['cron(0 8 ? 13 MON *)', /month value "13"/],
    ['cron(0 8 ? * FUNDAY *)', /day-of-week value "FUNDAY"/],
    ['cron(? 8 1 * ? *)', /minutes cannot contain "\?"/],
    ['0 8 ? * MON *', /must look like cron\(/],
  ])('rejects %s', (expression, problem) => {
    expect(cronExpressionError(expression)).toMatch(problem);
  });
});

describe('isIanaTimeZone', () => {
  it.each(['Europe/Berlin', 'Asia/Shanghai', 'America/Argentina/Buenos_Aires', 'UTC'])('accepts %s', (zone) => {
    expect(isIanaTimeZone(zone)).toBe(true);
  });

  it.each(['Europe/Atlantis', '+01:00', 'GMT+1 ', ''])('rejects "%s"', (zone) => {
    expect(isIanaTimeZone(zone)).toBe(false);
  });
});
