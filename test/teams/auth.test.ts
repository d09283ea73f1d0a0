import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { writtenRows } from '../support/bot.ts';
import { noticeCard } from '../../src/messages/cards.ts';
import { channelMessage, people, thread } from '../support/teams/activities.ts';
import { APP_ID, channelToken, CONNECTOR, publishKeys, signingKey, TENANT } from '../support/teams/bot-framework.ts';
import { activitiesPath, expectCall, startTeamsTest, type TeamsTest } from '../support/teams/harness.ts';

const microsoft = signingKey('bf-key-1');
const stranger = signingKey('rogue-key');
/** Same key id as Microsoft's, different private key: a forged signature. */
const forger = { ...signingKey('bf-key-1') };

/** A sovereign cloud (or a test harness) with its own issuer and key publication. */
const sovereign = {
  host: 'https://login.sovereign.example',
  metadataPath: '/v1/.well-known/openidconfiguration',
  keysPath: '/v1/.well-known/keys',
  issuer: 'https://api.sovereign.example',
};
const sovereignKey = signingKey('sovereign-key');

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  publishKeys([microsoft]);
  publishKeys([sovereignKey], sovereign);
});
afterAll(() => nock.cleanAll());

let t: TeamsTest;
afterEach(async () => {
  expect(t.unmatched).toEqual([]);
  await t.close();
});

const command = () => channelMessage({ id: '1700000000101', text: 'missing AJ', mentionBot: true });

describe('the Bot Framework endpoint', () => {
  beforeEach(async () => {
    t = await startTeamsTest();
  });

  it.each([
    ['no token', null],
    ['a token signed by a key Microsoft never published', channelToken(stranger)],
    ['a token whose signature is forged under Microsoft’s key id', channelToken(forger)],
    ['a token for another bot', channelToken(microsoft, { audience: '00000000-0000-0000-0000-000000000001' })],
    ['a token from another issuer', channelToken(microsoft, { issuer: 'https://evil.example' })],
    ['a token for another serviceUrl', channelToken(microsoft, { serviceurl: 'https://evil.example/' })],
    ['an expired token', channelToken(microsoft, { expiresIn: -600 })],
    ['a token that is not a JWT', 'not-a-token'],
  ])('answers 401 to an activity with %s, and writes nothing', async (_why, token) => {
    const before = await writtenRows(t.bot);
    const response = await t.post(command(), token);
    expect(response.status).toBe(401);
    expect(response.body).toBe('Unauthorized\n');
    expect(await writtenRows(t.bot)).toEqual(before);
    expect(t.logs.filter((l) => l.level === 'warn').map((l) => l.message)).toHaveLength(1);
  });

  it('takes a correctly signed activity', async () => {
    const reply = expectCall('post', activitiesPath(thread('1700000000101'), '1700000000101'), 200, { id: 'r1' });
    const response = await t.post(command(), channelToken(microsoft));
    expect(response.status).toBe(200);
    expect(reply).toHaveLength(1);
    expect((await writtenRows(t.bot)).episodes).toBe(1);
  });

  it('answers 405 to anything but POST and 400 to a body that is not an activity', async () => {
    expect((await fetch(`${t.url}/api/messages`)).status).toBe(405);
    const garbage = await fetch(`${t.url}/api/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${channelToken(microsoft)}`, 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(garbage.status).toBe(400);
    const { serviceUrl: _dropped, ...noServiceUrl } = command();
    expect((await t.post(noServiceUrl, channelToken(microsoft))).status).toBe(400);
    expect((await writtenRows(t.bot)).episodes).toBe(0);
  });

  it('answers 413 to a 10 MB activity, and writes nothing', async () => {
    const huge = channelMessage({
      id: '1700000000199',
      text: `missing ${'x'.repeat(10 * 1024 * 1024)}`,
      mentionBot: true,
    });
    const before = await writtenRows(t.bot);
    expect((await t.post(huge, channelToken(microsoft))).status).toBe(413);
    expect(await writtenRows(t.bot)).toEqual(before);
  });
});

describe('configurable Bot Framework endpoints', () => {
  beforeEach(async () => {
    t = await startTeamsTest({
      adapter: {
        endpoints: { openIdMetadataUrl: `${sovereign.host}${sovereign.metadataPath}`, tokenIssuer: sovereign.issuer },
      },
    });
  });

  it('trusts the configured issuer and its published keys', async () => {
    const reply = expectCall('post', activitiesPath(thread('1700000000101'), '1700000000101'), 200, { id: 'r1' });
    const response = await t.post(command(), channelToken(sovereignKey, { issuer: sovereign.issuer }));
    expect(response.status).toBe(200);
    expect(reply).toHaveLength(1);
  });

  it('no longer trusts the public cloud', async () => {
    const response = await t.post(command(), channelToken(microsoft));
    expect(response.status).toBe(401);
    expect((await writtenRows(t.bot)).episodes).toBe(0);
  });
});

describe('the bot’s own credentials (BOT_PASSWORD)', () => {
  const login = 'https://login.sovereign.example';
  const authority = `${login}/${TENANT}`;
  /** The bot with a client secret and a sovereign login authority, whose metadata it is served. */
  function startWithSecret(secret: string) {
    nock(login)
      .get(`/${TENANT}/v2.0/.well-known/openid-configuration`)
      .reply(200, {
        issuer: `${authority}/v2.0`,
        authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
        token_endpoint: `${authority}/oauth2/v2.0/token`,
        jwks_uri: `${login}/keys`,
      });
    return startTeamsTest({
      adapter: {
        credentialsFactory: undefined,
        env: { BOT_ID: APP_ID, BOT_PASSWORD: secret, BOT_TYPE: 'SingleTenant', BOT_TENANT_ID: TENANT },
        endpoints: { loginUrl: authority },
      },
    });
  }

  it('says a sign-in failure is one (nothing was sent), and tries again', async () => {
    nock(login)
      .post(`/${TENANT}/oauth2/v2.0/token`)
      .query(true)
      .reply(401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' });
    t = await startWithSecret('a-rotated-secret');
    const sending = t.platform.sendDirect(people.sam.aadObjectId, noticeCard('Reminder'));
    await expect(sending).rejects.toMatchObject({ name: 'DeliveryError', retryable: true });
    await expect(sending).rejects.toThrow(/^the bot could not sign in to Microsoft \(.+\); nothing was sent$/);
  });

  it('signs its calls with a token from the configured login endpoint', async () => {
    // The configured authority is trusted as it is: no request to any Microsoft host (nock
    // refuses every other connection, and the check at the end finds none was attempted).
    const toMicrosoft: string[] = [];
    const watch = (req: { hostname?: string; host?: string }) => {
      const host = String(req.hostname ?? req.host ?? '');
      if (/microsoft|windows\.net|azure/.test(host)) toMicrosoft.push(host);
    };
    nock.emitter.on('no match', watch);
    const tokenRequests: string[] = [];
    nock(login)
      .post(`/${TENANT}/oauth2/v2.0/token`, (body) => (tokenRequests.push(new URLSearchParams(body).toString()), true))
      .query(true)
      .reply(200, { token_type: 'Bearer', expires_in: 3600, access_token: 'token-from-the-sovereign-cloud' });
    t = await startWithSecret('the-client-secret');
    const reply = nock(CONNECTOR)
      .post(activitiesPath(thread('1700000000101'), '1700000000101'))
      .matchHeader('authorization', 'Bearer token-from-the-sovereign-cloud')
      .reply(200, { id: 'r1' });
    expect(
      (
        await t.post(
          channelMessage({ id: '1700000000101', text: 'missing help', mentionBot: true }),
          channelToken(microsoft),
        )
      ).status,
    ).toBe(200);
    expect(reply.isDone()).toBe(true);
    const sent = new URLSearchParams(tokenRequests[0]);
    expect(
      Object.fromEntries(['client_id', 'client_secret', 'grant_type', 'scope'].map((k) => [k, sent.get(k)])),
    ).toEqual({
      client_id: APP_ID,
      client_secret: 'the-client-secret',
      grant_type: 'client_credentials',
      scope: 'https://api.botframework.com/.default',
    });
    nock.emitter.off('no match', watch);
    expect(toMicrosoft).toEqual([]);
  });
});
