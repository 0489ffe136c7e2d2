import Fastify, { type FastifyError } from 'fastify'
import t, { type Test } from 'tap'
import { loadConfig } from '../src/config.js'
import { handleError, handleNotFound, sendError } from '../src/error-replies.js'
import { KooDriveCode, KooDriveError, badRequest, parameterInvalid } from '../src/domain/errors.js'
import { GatewayCode, GatewayError, kooDriveStatus } from '../src/koodrive/errors.js'
import { startTestApp } from './helpers/app.js'
import { carrierHeaders, packageExample, TASKS_URL } from './helpers/requests.js'
import { assertGatewayError, assertKooDriveError, REQUEST_ID_PATTERN } from './helpers/envelopes.js'

const NOT_FOUND = 'The API does not exist or has not been published in the environment'

/** An error shaped like the ones Fastify itself raises (body parsing, limits). */
function fastifyError(code: string, statusCode: number): FastifyError {
  return Object.assign(new Error(`${code} raised by Fastify`), { code, statusCode, name: 'FastifyError' })
}

/**
 * A bare Fastify instance with only the error replies installed: one route throws whatever the
 * test hands it, so every branch of handleError is reachable without the emulator's routes.
 */
async function errorReplyApp(t: Test, toThrow: () => unknown) {
  const app = Fastify({ genReqId: () => 'f'.repeat(32) })
  // handleError reads MOCK_BODY_DRAIN_BYTES off the instance, as the emulator decorates it.
  app.decorate('config', loadConfig({}))
  app.setErrorHandler(handleError)
  app.setNotFoundHandler(handleNotFound)
  app.post('/throw', async () => {
    throw toThrow()
  })
  app.get('/send', async (request, reply) => sendError(request, reply, parameterInvalid('sent directly')))
  await app.ready()
  t.teardown(() => app.close())
  return app
}

t.test('unknown routes are 404 APIGW.0101 in the gateway envelope', async (t) => {
  const test = await startTestApp(t)
  const cases: [string, string, string][] = [
    ['GET on the share-task path', 'GET', TASKS_URL],
    ['PUT on the share-task path', 'PUT', TASKS_URL],
    ['DELETE on the share-task path', 'DELETE', TASKS_URL],
    ['an unknown KooDrive path', 'POST', '/koodrive/ose/v1/nope'],
    ['the share-task path with a trailing slash', 'POST', `${TASKS_URL}/`],
    ['POST on the root (GET / points to the dashboard: test/dashboard)', 'POST', '/'],
  ]
  for (const [name, method, url] of cases) {
    t.test(`answers ${name} with 404 APIGW.0101`, async (t) => {
      const res = await test.app.inject({ method: method as 'GET', url })
      assertGatewayError(t, res, 404, 'APIGW.0101', `${NOT_FOUND}: ${method} ${url}`)
    })
  }

  t.test('unknown /__admin/... paths point at the admin API\'s docs (GET /__admin is the dashboard\'s redirect)', async (t) => {
    for (const url of ['/__admin/nope', '/__admin/tasks/1/extra']) {
      const res = await test.app.inject({ method: 'GET', url: `${url}?x=1` })
      assertGatewayError(t, res, 404, 'APIGW.0101', `${NOT_FOUND}: GET ${url}; the admin API's routes are listed at /__admin/docs`)
    }
    assertGatewayError(t, await test.app.inject({ method: 'GET', url: '/__administrator' }), 404, 'APIGW.0101', `${NOT_FOUND}: GET /__administrator`)
    assertGatewayError(t, await test.app.inject({ method: 'GET', url: '/__admin/docs/nothing-here' }), 404, 'APIGW.0101', `${NOT_FOUND}: GET /__admin/docs/nothing-here`)
    t.equal((await test.app.inject({ method: 'GET', url: '/__admin' })).statusCode, 302)
  })

  t.test('an unknown KooDrive path is 404 even with no headers at all: the header checks are the route\'s', async (t) => {
    const res = await test.app.inject({ method: 'POST', url: '/koodrive/ose/v1/share/nope', payload: '{' })
    assertGatewayError(t, res, 404, 'APIGW.0101', `${NOT_FOUND}: POST /koodrive/ose/v1/share/nope`)
  })

  t.test('the message leaves out the query string', async (t) => {
    const res = await test.app.inject({ method: 'GET', url: '/koodrive/ose/v1/share/userList?shortUrl=secret&x=1' })
    assertGatewayError(t, res, 404, 'APIGW.0101', `${NOT_FOUND}: GET /koodrive/ose/v1/share/userList`)
  })

  t.test('HEAD on an unknown route is 404 with an X-Request-Id', async (t) => {
    const res = await test.app.inject({ method: 'HEAD', url: TASKS_URL })
    t.equal(res.statusCode, 404)
    t.match(res.headers['x-request-id'], REQUEST_ID_PATTERN)
  })
})

t.test('a URL that cannot be decoded still gets a vendor envelope and an X-Request-Id', async (t) => {
  const test = await startTestApp(t)
  const res = await test.app.inject({ method: 'POST', url: '/koodrive/ose/v1/share/tasks%zz', headers: carrierHeaders(test.clock.now()), payload: packageExample })
  t.equal(res.statusCode, 400)
  t.match(res.headers['x-request-id'], REQUEST_ID_PATTERN, 'X-Request-Id is set')
  t.strictSame(res.json(), {
    code: KooDriveCode.BAD_REQUEST,
    msg: "Bad request: the URL cannot be decoded ('/koodrive/ose/v1/share/tasks%zz' is not a valid url component)",
  })
})

t.test('an unexpected exception is 500 13000201 "Internal error", logged with its stack, which the body never shows', async (t) => {
  const test = await startTestApp(t)
  test.app.emulator.tasks.create = () => {
    throw new Error('disk on fire')
  }
  const res = await test.app.inject({ method: 'POST', url: TASKS_URL, headers: carrierHeaders(test.clock.now()), payload: packageExample })
  assertKooDriveError(t, res, KooDriveCode.INNER_INVOKE_FAILURE, 'Internal error')
  t.notMatch(res.body, /disk on fire|at .*\.ts/, 'no message or stack in the body')

  const requestId = res.headers['x-request-id']
  const errors = test.logs.lines.filter((line) => line.level === 50)
  t.equal(errors.length, 1, 'one error line')
  t.match(errors[0], { reqId: requestId, msg: 'unexpected error', err: { type: 'Error', message: 'disk on fire', stack: /disk on fire/ } })
  t.match(test.logs.lines.filter((line) => line.msg === 'request'), [{ reqId: requestId, statusCode: 500 }], 'the request line says 500')
  t.notMatch(JSON.stringify(test.logs.lines), /authorization|test-token/i, 'no Authorization in any line')
})

t.test('handleError', async (t) => {
  t.test('sends a thrown KooDriveError as {code, msg} with its status', async (t) => {
    const app = await errorReplyApp(t, () => badRequest('nope'))
    const res = await app.inject({ method: 'POST', url: '/throw' })
    t.equal(res.statusCode, 400)
    t.strictSame(res.json(), { code: 13000101, msg: 'Bad request: nope' })
  })

  t.test('sends a thrown 13000201 with HTTP 500', async (t) => {
    const app = await errorReplyApp(t, () => new KooDriveError(KooDriveCode.INNER_INVOKE_FAILURE, 'backend down'))
    const res = await app.inject({ method: 'POST', url: '/throw' })
    t.equal(res.statusCode, 500)
    t.strictSame(res.json(), { code: 13000201, msg: 'backend down' })
  })

  t.test('sends a thrown GatewayError in the gateway envelope with the request ID', async (t) => {
    const app = await errorReplyApp(t, () => new GatewayError(GatewayCode.THROTTLED))
    const res = await app.inject({ method: 'POST', url: '/throw' })
    t.equal(res.statusCode, 429)
    t.strictSame(res.json(), { error_code: 'APIGW.0308', error_msg: 'The throttling threshold has been reached', request_id: 'f'.repeat(32) })
  })

  t.test('maps Fastify\'s own errors to the vendor\'s', async (t) => {
    const cases: [string, number, number, Record<string, unknown>][] = [
      ['FST_ERR_CTP_BODY_TOO_LARGE', 413, 413, { error_code: 'APIGW.0201', error_msg: 'Request entity too large', request_id: 'f'.repeat(32) }],
      ['FST_ERR_CTP_INVALID_MEDIA_TYPE', 415, 400, { code: 13000101, msg: 'Bad request: Content-Type must be application/json, got "application/json; charset=latin1"' }],
      ['FST_ERR_CTP_INVALID_CONTENT_LENGTH', 400, 400, { code: 13000101, msg: 'Bad request: Content-Length does not match the body' }],
    ]
    for (const [code, fastifyStatus, status, body] of cases) {
      t.test(code, async (t) => {
        const app = await errorReplyApp(t, () => fastifyError(code, fastifyStatus))
        const res = await app.inject({ method: 'POST', url: '/throw', headers: { 'content-type': 'application/json; charset=latin1' }, payload: '{}' })
        t.equal(res.statusCode, status)
        t.strictSame(res.json(), body)
      })
    }
  })

  t.test('answers any other error with 500 13000201 "Internal error"', async (t) => {
    for (const [label, toThrow] of [
      ['a plain Error', () => new Error('boom')],
      ['a TypeError', () => new TypeError('x is not a function')],
      ['a Fastify error it has no mapping for', () => fastifyError('FST_ERR_SOMETHING_NEW', 400)],
    ] as const) {
      t.test(label, async (t) => {
        const app = await errorReplyApp(t, toThrow)
        const res = await app.inject({ method: 'POST', url: '/throw' })
        t.equal(res.statusCode, 500)
        t.strictSame(res.json(), { code: 13000201, msg: 'Internal error' })
      })
    }
  })
})

t.test('sendError and handleNotFound on their own', async (t) => {
  const app = await errorReplyApp(t, () => new Error('unused'))
  t.test('sendError writes the KooDrive envelope', async (t) => {
    const res = await app.inject({ method: 'GET', url: '/send' })
    t.equal(res.statusCode, 400)
    t.strictSame(res.json(), { code: 13000102, msg: 'Parameter invalid: sent directly' })
  })
  t.test('handleNotFound names the method and the path without its query', async (t) => {
    const res = await app.inject({ method: 'PATCH', url: '/a/b?c=d' })
    t.equal(res.statusCode, 404)
    t.strictSame(res.json(), { error_code: 'APIGW.0101', error_msg: `${NOT_FOUND}: PATCH /a/b`, request_id: 'f'.repeat(32) })
  })
})

t.test('the error catalogue', async (t) => {
  t.test('a KooDriveError is HTTP 400, except 13000201 which is 500', async (t) => {
    for (const code of Object.values(KooDriveCode)) {
      t.equal(kooDriveStatus(new KooDriveError(code, 'm').code), code === 13000201 ? 500 : 400, String(code))
    }
  })

  t.test('a GatewayError takes the gateway\'s text, with a detail after a colon when given', async (t) => {
    const bare = new GatewayError(GatewayCode.BACKEND_TIMEOUT)
    t.strictSame([bare.errorCode, bare.statusCode, bare.message], ['APIGW.0201', 504, 'Backend timeout'])
    const detailed = new GatewayError(GatewayCode.TOKEN_EXPIRED, 'renew it')
    t.strictSame([detailed.errorCode, detailed.statusCode, detailed.message], ['APIGW.0307', 401, 'The token must be updated: renew it'])
  })

  t.test('parameterInvalid and badRequest prefix their message', async (t) => {
    t.strictSame([parameterInvalid('x').code, parameterInvalid('x').message], [13000102, 'Parameter invalid: x'])
    t.strictSame([badRequest('y').code, badRequest('y').message], [13000101, 'Bad request: y'])
  })
})
