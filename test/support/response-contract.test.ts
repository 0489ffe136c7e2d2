import { readFileSync } from 'node:fs'
import t from 'tap'
import { startTestApp } from '../helpers/app.js'
import { carrierHeaders, TASKS_URL } from '../helpers/requests.js'
import { documentPath, ResponseContract, type Answer, type OpenApiDocument } from './response-contract.js'
import { validationStats } from './response-validation.js'

const document = JSON.parse(readFileSync(new URL('../../schemas/openapi.json', import.meta.url), 'utf8')) as OpenApiDocument
const contract = new ResponseContract(document)
const json = 'application/json; charset=utf-8'
const created: Answer = { method: 'POST', routeUrl: TASKS_URL, statusCode: 200, contentType: json, body: '{"code":0,"msg":"Success","taskId":"1689765568237837824"}' }
const gatewayBody = '{"error_code":"APIGW.0101","error_msg":"The API does not exist or has not been published in the environment: GET /nope","request_id":"6f1c2d3e4a5b69788796a5b4c3d2e1f0"}'

t.test('route paths become the document\'s: parameters in braces, the wildcard as {*}', async (t) => {
  t.equal(documentPath('/__admin/tasks/:taskId'), '/__admin/tasks/{taskId}')
  t.equal(documentPath('/obs/koodrive-share/*'), '/obs/koodrive-share/{*}')
})

t.test('answers the document describes pass', async (t) => {
  t.equal(contract.problem(created), undefined, 'a created task')
  t.equal(contract.problem({ ...created, statusCode: 400, body: '{"code":13000102,"msg":"Parameter invalid: fileIds must have at least 1 item"}' }), undefined, 'a 400')
  t.equal(contract.problem({ method: 'HEAD', routeUrl: '/__admin/health', statusCode: 200, contentType: json, body: '' }), undefined, 'HEAD of a GET route, no body')
  t.equal(contract.problem({ method: 'GET', routeUrl: '/obs/koodrive-share/*', statusCode: 200, contentType: 'application/pdf', body: undefined }), undefined, 'a download, any type')
  t.equal(contract.problem({ method: 'GET', routeUrl: undefined, statusCode: 404, contentType: json, body: gatewayBody }), undefined, 'an unknown route')
  t.equal(contract.problem({ ...created, statusCode: 503, contentType: 'text/plain; charset=utf-8', body: 'down' }), undefined, 'a raw injected error: default')
  t.equal(contract.problem({ ...created, statusCode: 429, body: '{"code":13000102,"msg":"x"}', ruleShaped: true }), undefined, 'a code moved by a rule: default')
})

t.test('answers it does not describe fail, each with the reason', async (t) => {
  const cases: [string, Answer, string][] = [
    ['a field missing', { ...created, body: '{"code":0,"msg":"Success"}' }, "POST /koodrive/ose/v1/share/tasks → 200: body must have required property 'taskId'"],
    ['the wrong envelope for the status', { ...created, statusCode: 401, body: '{"code":13000201,"msg":"x"}' }, "→ 401: body must have required property 'error_code'"],
    ['a body that is not JSON', { ...created, body: '<html>' }, '→ 200: the body is not JSON: <html>'],
    ['a content type it does not list', { ...created, contentType: 'text/html' }, '→ 200: Content-Type text/html is not one of application/json'],
    ['no content type at all', { ...created, contentType: undefined }, '→ 200: Content-Type (none) is not one of application/json'],
    ['a path it lacks', { ...created, routeUrl: '/koodrive/ose/v1/share/nope' }, '→ 200: the document has no such path'],
    ['a method it lacks', { ...created, method: 'DELETE' }, '→ 200: the document has no delete operation at this path'],
    ['HEAD where there is no GET either', { ...created, method: 'HEAD' }, '→ 200: the document has no head operation at this path'],
    ['a status it lacks, with no default', { method: 'GET', routeUrl: '/__admin/health', statusCode: 418, contentType: json, body: '{}' }, 'getHealth documents no 418 and no default'],
    ['an unrouted answer other than 404 or 400', { method: 'GET', routeUrl: undefined, statusCode: 500, contentType: json, body: '{}' }, 'GET (no route) → 500: a request no route took can only be 404 (UnknownRoute) or 400 (UndecodableUrl)'],
  ]
  for (const [name, answer, reason] of cases) t.match(contract.problem(answer), reason, name)
})

t.test('a body where the document says none is refused', async (t) => {
  const noBody = new ResponseContract({ paths: { '/x': { get: { responses: { 204: {} } } } } })
  t.equal(noBody.problem({ method: 'GET', routeUrl: '/x', statusCode: 204, contentType: undefined, body: '' }), undefined)
  t.match(noBody.problem({ method: 'GET', routeUrl: '/x', statusCode: 204, contentType: json, body: '{}' }), 'GET /x → 204: the document says no body, got {}')
  t.match(noBody.problem({ method: 'GET', routeUrl: '/x', statusCode: 400, contentType: json, body: '{}' }), 'the operation documents no 400 and no default')
  const unrouted = new ResponseContract({ paths: {} })
  t.match(unrouted.problem({ method: 'GET', routeUrl: undefined, statusCode: 404, contentType: json, body: '{}' }), 'can only be 404')
})

t.test('the suite\'s hook counts what it checks, and leaves the docs\' own routes out', async (t) => {
  const { app, clock } = await startTestApp(t)
  const before = { ...validationStats() }
  await app.inject({ method: 'POST', url: TASKS_URL, headers: carrierHeaders(clock.now()), payload: '{}' })
  await app.inject({ method: 'GET', url: '/__admin/openapi.json' })
  t.equal(validationStats().validated, before.validated + 1)
  t.equal(validationStats().exempt, before.exempt + 1)
  t.equal(validationStats().problems.length, 0)
})
