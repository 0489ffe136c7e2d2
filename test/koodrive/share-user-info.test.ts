import t from 'tap'
import { START_MS, startTestApp } from '../helpers/app.js'
import { DOWNLOAD_URL, getUserInfo, postApi } from '../helpers/requests.js'
import { SHARES } from '../helpers/world.js'
import { assertGatewayError, assertKooDriveError } from '../helpers/envelopes.js'

const PARAMETER_INVALID = 13000102
const RESOURCE_NOT_FOUND = 13000309

t.test('describes a permanent share: the whole link, with expireDate "-1" and no expireTime', async (t) => {
  const test = await startTestApp(t)
  const res = await getUserInfo(test, { shortUrl: SHARES.vendorExample.shortUrl })
  t.equal(res.statusCode, 200)
  t.strictSame(res.json(), {
    code: 0,
    msg: 'Success',
    link: {
      shareId: '1689765568237837824',
      shortUrl: '1822239307136816339',
      shareTime: '2025-11-03T07:05:12.000Z',
      ownerId: 'ann',
      ownerName: 'Ann Lee',
      expireDate: '-1',
      status: 0,
    },
  })
})

t.test('describes a protected share without a kdstoken: the link is public, its files are not', async (t) => {
  const test = await startTestApp(t)
  const res = await getUserInfo(test, { shortUrl: SHARES.contracts.shortUrl })
  t.strictSame(res.json(), {
    code: 0,
    msg: 'Success',
    link: {
      shareId: SHARES.contracts.shareId,
      shortUrl: SHARES.contracts.shortUrl,
      shareTime: '2026-02-11T10:05:48.932Z',
      ownerId: 'ann',
      ownerName: 'Ann Lee',
      expireDate: '-1',
      status: 0,
    },
  })
})

t.test('describes an expired share with status 2, its expireTime and its validity in days', async (t) => {
  const test = await startTestApp(t)
  const res = await getUserInfo(test, { shortUrl: SHARES.holidayExpired.shortUrl })
  t.equal(res.statusCode, 200, 'an expired share is still described, so a client can say it expired')
  t.strictSame(res.json(), {
    code: 0,
    msg: 'Success',
    link: {
      shareId: SHARES.holidayExpired.shareId,
      shortUrl: SHARES.holidayExpired.shortUrl,
      shareTime: '2025-09-23T18:00:00.000Z',
      ownerId: 'carol',
      ownerName: 'Carol Chen',
      expireTime: '2025-09-30T18:00:00.000Z',
      expireDate: '7',
      status: 2,
    },
  })
})

t.test('describes a share whose files are all in the recycle bin with status 1', async (t) => {
  const test = await startTestApp(t)
  const res = await getUserInfo(test, { shortUrl: SHARES.oldBudget.shortUrl })
  t.strictSame(res.json(), {
    code: 0,
    msg: 'Success',
    link: {
      shareId: SHARES.oldBudget.shareId,
      shortUrl: SHARES.oldBudget.shortUrl,
      shareTime: '2025-02-10T12:30:00.000Z',
      ownerId: 'carol',
      ownerName: 'Carol Chen',
      expireDate: '-1',
      status: 1,
    },
  })
})

t.test('lenient mode: an unknown shortUrl is a share made up on first use, the same on every call', async (t) => {
  const test = await startTestApp(t)
  const first = await getUserInfo(test, { shortUrl: 'my-made-up-link' })
  t.equal(first.statusCode, 200)
  const shareId = first.json().link.shareId as string
  t.match(shareId, /^[1-9]\d{18}$/, 'a 19-digit shareId')
  t.strictSame(first.json(), {
    code: 0,
    msg: 'Success',
    link: {
      shareId,
      shortUrl: 'my-made-up-link',
      shareTime: new Date(START_MS).toISOString(),
      ownerId: `owner-of-${shareId}`,
      ownerName: `owner-of-${shareId}`,
      expireDate: '-1',
      status: 0,
    },
  })
  test.clock.advance(60_000)
  const again = await getUserInfo(test, { shortUrl: 'my-made-up-link' })
  t.strictSame(again.json(), first.json(), 'made once: a later call sees the same share, shared at the first call')
})

t.test('strict mode: an unknown shortUrl is 13000309', async (t) => {
  const test = await startTestApp(t, { env: { MOCK_WORLD: 'strict' } })
  const res = await getUserInfo(test, { shortUrl: 'nope' }, { authorization: 'Bearer ann-token', 'x-user-id': 'ann' })
  assertKooDriveError(t, res, RESOURCE_NOT_FOUND, 'Resource not found: no share has shortUrl nope')
})

t.test('strict mode: a seeded share is described as in lenient mode', async (t) => {
  const test = await startTestApp(t, { env: { MOCK_WORLD: 'strict' } })
  const res = await getUserInfo(test, { shortUrl: SHARES.launchKit.shortUrl }, { authorization: 'Bearer carol-token', 'x-user-id': 'carol' })
  t.equal(res.statusCode, 200)
  t.match(res.json(), { link: { shareId: SHARES.launchKit.shareId, ownerId: 'bob', ownerName: 'Bob Martin', status: 0 } })
})

t.test('query rules: each broken rule is 400 13000102 naming the parameter', async (t) => {
  const test = await startTestApp(t)
  const cases: [string, Record<string, string>, string][] = [
    ['rejects a missing shortUrl', {}, 'shortUrl is required'],
    ['rejects an empty shortUrl', { shortUrl: '' }, 'shortUrl must not be empty'],
    ['rejects a shortUrl over 128 characters', { shortUrl: '1'.repeat(129) }, 'shortUrl must be at most 128 characters long'],
    ['rejects an unknown query parameter', { shortUrl: SHARES.vendorExample.shortUrl, lang: 'en' }, 'lang is not a known field'],
  ]
  for (const [name, query, message] of cases) {
    t.test(name, async (t) => {
      assertKooDriveError(t, await getUserInfo(test, query), PARAMETER_INVALID, `Parameter invalid: ${message}`)
    })
  }
})

t.test('needs the KooDrive headers like every API call: no Authorization is 401 APIGW.0301', async (t) => {
  const test = await startTestApp(t)
  const res = await getUserInfo(test, { shortUrl: SHARES.vendorExample.shortUrl }, { authorization: undefined })
  assertGatewayError(t, res, 401, 'APIGW.0301', 'Incorrect IAM authentication information: Authorization header is missing')
})

t.test('a made-up share never takes over the short URL of an existing share', async (t) => {
  const test = await startTestApp(t)
  const before = (await getUserInfo(test, { shortUrl: SHARES.vendorExample.shortUrl })).json()
  // A client that mixes up shortUrl and shareId (both 19 digits) asks for a download by the short URL:
  // lenient mode makes a share with that ID, and gives it that ID as its short URL too.
  const download = await postApi(test, DOWNLOAD_URL, { shareId: SHARES.vendorExample.shortUrl, fileId: 'Fmy-file' })
  t.equal(download.statusCode, 200, 'lenient mode makes the unknown share')
  const after = (await getUserInfo(test, { shortUrl: SHARES.vendorExample.shortUrl })).json()
  // Regression: the made-up share used to take the shareId as its shortUrl and replace the seeded share behind that link.
  t.strictSame(after, before, 'the link still leads to the vendor example share')
})
