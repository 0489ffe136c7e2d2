import type { FaultRule } from '../../schemas/fault-rule.js'
import type { App } from '../../src/app.js'
import type { FaultRuleState } from '../../src/index.js'
import { ADMIN_FAULTS_URL, adminCall } from './admin.js'

/** Replaces the app's fault rules through PUT /__admin/faults (checked as any caller's are); the rules as it lists them. */
export async function replaceFaults(test: { app: App }, rules: FaultRule[]): Promise<FaultRuleState[]> {
  return (await adminCall<{ rules: FaultRuleState[] }>(test, 'PUT', ADMIN_FAULTS_URL, rules)).rules
}

/** Removes every fault rule through DELETE /__admin/faults. */
export async function clearFaults(test: { app: App }): Promise<void> {
  await adminCall(test, 'DELETE', ADMIN_FAULTS_URL)
}

/** The app's fault rules with their counters, as GET /__admin/faults lists them. */
export async function listFaults(test: { app: App }): Promise<FaultRuleState[]> {
  return (await adminCall<{ rules: FaultRuleState[] }>(test, 'GET', ADMIN_FAULTS_URL)).rules
}

/**
 * A fault rule that every channel (MOCK_FAULTS, PUT and POST /__admin/faults) must refuse: `field`
 * is the path after the rule's own name (`.latencyMs`, or '' for the rule as a whole) and
 * `problem` what the message says about it.
 */
interface BadFaultRule {
  name: string
  rule: Record<string, unknown>
  field: string
  problem: string
}

const OPERATION_LIST =
  'getShareUserInfo, verifyShare, listShareFiles, createShareTask, getShareTaskDetail, downloadShareFile, cancelJob, getPublicShareUserInfo, verifyPublicShare, listPublicShareFiles, createPublicShareTask, getPublicShareTaskDetail, downloadPublicShareFile, downloadObject'
const GATEWAY_LIST = 'APIGW.0101, APIGW.0201, APIGW.0301, APIGW.0302, APIGW.0303, APIGW.0307, APIGW.0308'
const LATENCY_EXPECTED = 'milliseconds: fixed, or [min, max] drawn uniformly (seeded)'
const ERROR_EXPECTED = 'a KooDrive code, a gateway code, or a raw {status, body}'

export const BAD_FAULT_RULES: BadFaultRule[] = [
  { name: 'an unknown field', rule: { error: 13000201, bogus: 1 }, field: '.bogus', problem: 'unexpected property' },
  { name: 'a probability above 1', rule: { error: 13000201, probability: 1.5 }, field: '.probability', problem: 'expected number to be less or equal to 1' },
  { name: 'a negative probability', rule: { error: 13000201, probability: -0.1 }, field: '.probability', problem: 'expected number to be greater or equal to 0' },
  { name: 'a probability that is text', rule: { error: 13000201, probability: 'half' }, field: '.probability', problem: 'expected number' },
  { name: 'first 0', rule: { error: 13000201, first: 0 }, field: '.first', problem: 'expected integer to be greater or equal to 1' },
  { name: 'every 0', rule: { error: 13000201, every: 0 }, field: '.every', problem: 'expected integer to be greater or equal to 1' },
  { name: 'a negative after', rule: { error: 13000201, after: -1 }, field: '.after', problem: 'expected integer to be greater or equal to 0' },
  { name: 'times 0', rule: { error: 13000201, times: 0 }, field: '.times', problem: 'expected integer to be greater or equal to 1' },
  { name: 'a latency range with min > max', rule: { latencyMs: [500, 100] }, field: '.latencyMs', problem: '[min, max] needs min <= max, got [500, 100]' },
  { name: 'a latency tuple of 3 items', rule: { latencyMs: [100, 200, 300] }, field: '.latencyMs', problem: LATENCY_EXPECTED },
  { name: 'a negative latency', rule: { latencyMs: -1 }, field: '.latencyMs', problem: LATENCY_EXPECTED },
  { name: 'a latency over 10 minutes', rule: { latencyMs: 600_001 }, field: '.latencyMs', problem: LATENCY_EXPECTED },
  { name: 'an unknown connection fault', rule: { connection: 'explode' }, field: '.connection', problem: 'one of reset, hang, empty, malformed, truncate, slow' },
  { name: 'an unknown task outcome', rule: { operation: 'createShareTask', task: { outcome: 'exploded' } }, field: '.task.outcome', problem: 'one of success, partial, failed, cancelled, stuck' },
  { name: 'an unknown operation', rule: { operation: 'deleteEverything', error: 13000201 }, field: '.operation', problem: `"deleteEverything" is not an operation; use * or one of ${OPERATION_LIST}` },
  { name: 'an admin operation', rule: { operation: 'getFaults', error: 13000201 }, field: '.operation', problem: `"getFaults" is not an operation; use * or one of ${OPERATION_LIST}` },
  { name: 'no effect at all', rule: { operation: 'createShareTask', first: 1 }, field: '', problem: 'a rule needs at least one effect: error, latencyMs, connection or task' },
  { name: 'an unknown gateway code', rule: { error: 'APIGW.9999' }, field: '.error', problem: `unknown gateway code APIGW.9999; one of ${GATEWAY_LIST}` },
  { name: 'an error that is no code at all', rule: { error: 'boom' }, field: '.error', problem: ERROR_EXPECTED },
  { name: 'a KooDrive code of 7 digits', rule: { error: 1300020 }, field: '.error', problem: ERROR_EXPECTED },
  { name: 'a raw error without a body', rule: { error: { status: 503 } }, field: '.error', problem: ERROR_EXPECTED },
  { name: 'a raw error with a status below 200', rule: { error: { status: 199, body: 'x' } }, field: '.error', problem: ERROR_EXPECTED },
  { name: 'status with a raw error', rule: { error: { status: 503, body: 'x' }, status: 500 }, field: '.status', problem: 'goes with a KooDrive or gateway code; a raw error carries its own status and body' },
  { name: 'message with a raw error', rule: { error: { status: 503, body: 'x' }, message: 'm' }, field: '.message', problem: 'goes with a KooDrive or gateway code; a raw error carries its own status and body' },
  { name: 'status without an error', rule: { latencyMs: 5, status: 500 }, field: '.status', problem: 'needs an error' },
  { name: 'message without an error', rule: { latencyMs: 5, message: 'm' }, field: '.message', problem: 'needs an error' },
  { name: 'retryAfterS without an error', rule: { latencyMs: 5, retryAfterS: 3 }, field: '.retryAfterS', problem: 'needs an error' },
  { name: 'a status below 400', rule: { error: 13000201, status: 302 }, field: '.status', problem: 'expected integer to be greater or equal to 400' },
  { name: 'an empty message', rule: { error: 13000201, message: '' }, field: '.message', problem: 'expected string length greater or equal to 1' },
  { name: 'an error with connection reset', rule: { error: 13000201, connection: 'reset' }, field: '.connection', problem: '"reset" answers instead of the error; use one or the other' },
  { name: 'an error with connection hang', rule: { error: 'APIGW.0308', connection: 'hang' }, field: '.connection', problem: '"hang" answers instead of the error; use one or the other' },
  { name: 'an error with connection empty', rule: { error: { status: 503, body: 'x' }, connection: 'empty' }, field: '.connection', problem: '"empty" answers instead of the error; use one or the other' },
  { name: 'an error with connection malformed', rule: { error: 13000201, connection: 'malformed' }, field: '.connection', problem: '"malformed" answers instead of the error; use one or the other' },
  { name: 'a task on another operation', rule: { operation: 'getShareTaskDetail', task: { outcome: 'failed' } }, field: '.task', problem: 'only tasks made by createShareTask have an outcome; set operation to createShareTask' },
  { name: 'a task duration over a day', rule: { operation: 'createShareTask', task: { outcome: 'success', durationMs: 86_400_001 } }, field: '.task.durationMs', problem: 'expected integer to be less or equal to 86400000' },
  { name: 'an unknown match field', rule: { match: { fileId: 'F1' }, error: 13000201 }, field: '.match.fileId', problem: 'unexpected property' },
  { name: 'a match on taskType 3', rule: { match: { taskType: 3 }, error: 13000201 }, field: '.match.taskType', problem: '1 or 2' },
  {
    name: 'an id with spaces',
    rule: { id: 'my rule', error: 13000201 },
    field: '.id',
    problem: "expected string to match '^[A-Za-z0-9_.:-]+$'",
  },
]

/** An X-Mock-Fault header every request must refuse with 400 13000102, and the problem it names. */
export const BAD_FAULT_HEADERS: { header: string; problem: string }[] = [
  {
    header: 'explode=1',
    problem: 'header X-Mock-Fault: unknown key "explode"; use id, error, status, message, retryAfter, latency, connection, probability, task, taskDuration',
  },
  {
    header: 'error=13000201; first=1',
    problem: 'header X-Mock-Fault: unknown key "first"; use id, error, status, message, retryAfter, latency, connection, probability, task, taskDuration',
  },
  { header: 'error=13000201; probability=2', problem: 'header X-Mock-Fault.probability: expected number to be less or equal to 1' },
  { header: 'error=13000201; probability=often', problem: 'header X-Mock-Fault.probability: expected number' },
  { header: 'latency=500-100', problem: 'header X-Mock-Fault.latency: [min, max] needs min <= max, got [500, 100]' },
  { header: 'latency=1-2-3', problem: `header X-Mock-Fault.latency: ${LATENCY_EXPECTED}` },
  { header: 'latency=slow', problem: `header X-Mock-Fault.latency: ${LATENCY_EXPECTED}` },
  { header: 'latency=1.5', problem: `header X-Mock-Fault.latency: ${LATENCY_EXPECTED}` },
  { header: 'connection=explode', problem: 'header X-Mock-Fault.connection: one of reset, hang, empty, malformed, truncate, slow' },
  { header: 'task=exploded', problem: 'header X-Mock-Fault.task: one of success, partial, failed, cancelled, stuck' },
  { header: 'task=partial; taskDuration=soon', problem: 'header X-Mock-Fault.taskDuration: expected integer' },
  { header: 'error=APIGW.9999', problem: `header X-Mock-Fault.error: unknown gateway code APIGW.9999; one of ${GATEWAY_LIST}` },
  { header: 'error=boom', problem: `header X-Mock-Fault.error: ${ERROR_EXPECTED}` },
  { header: 'error', problem: `header X-Mock-Fault.error: ${ERROR_EXPECTED}` },
  { header: 'error=13000201; status=abc', problem: 'header X-Mock-Fault.status: expected integer' },
  { header: 'error=13000201; status=200', problem: 'header X-Mock-Fault.status: expected integer to be greater or equal to 400' },
  { header: 'error=13000201; retryAfter=-1', problem: 'header X-Mock-Fault.retryAfter: expected integer' },
  { header: 'latency=10; retryAfter=5', problem: 'header X-Mock-Fault.retryAfter: needs an error' },
  { header: 'latency=10; message=oops', problem: 'header X-Mock-Fault.message: needs an error' },
  { header: 'latency=10; status=503', problem: 'header X-Mock-Fault.status: needs an error' },
  { header: 'probability=0.5', problem: 'header X-Mock-Fault: a rule needs at least one effect: error, latency, connection or task' },
  { header: 'error=13000201; connection=reset', problem: 'header X-Mock-Fault.connection: "reset" answers instead of the error; use one or the other' },
  { header: 'error=13000201; connection=hang', problem: 'header X-Mock-Fault.connection: "hang" answers instead of the error; use one or the other' },
  { header: 'error=13000201; connection=empty', problem: 'header X-Mock-Fault.connection: "empty" answers instead of the error; use one or the other' },
  { header: 'error=13000201; connection=malformed', problem: 'header X-Mock-Fault.connection: "malformed" answers instead of the error; use one or the other' },
]
