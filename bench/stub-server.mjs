// The yardstick a user weighs koodrive-mock against: the stub a competent developer would write
// from the design card in an afternoon. Fastify with its default request logging, a TypeBox body
// schema, a preHandler for the headers and the X-Date window, the taskType rules, a Map of tasks.
// No journal, no CORS, no faults, no world: what it leaves out is what koodrive-mock adds.
import { Type } from '@sinclair/typebox'
import Fastify from 'fastify'

const X_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/
const WINDOW_MS = 15 * 60 * 1000

const CreateTaskBody = Type.Object(
  {
    taskType: Type.Union([Type.Literal(1), Type.Literal(2)]),
    containerId: Type.String({ minLength: 1, maxLength: 128 }),
    fileIds: Type.Array(Type.String({ minLength: 1, maxLength: 128 }), { minItems: 1, maxItems: 1000 }),
    targetFileId: Type.Optional(Type.Object({ fileId: Type.String({ minLength: 1 }), containerId: Type.String({ minLength: 1 }) }, { additionalProperties: false })),
    zipName: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    shareId: Type.String({ minLength: 1, maxLength: 128 }),
    kdstoken: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
)

const TaskDetailBody = Type.Object({ taskId: Type.String({ minLength: 1 }), shareId: Type.String({ minLength: 1 }) }, { additionalProperties: false })

const app = Fastify({ logger: { level: 'info' } })
const tasks = new Map()
let taskCount = 0

app.setErrorHandler((error, _request, reply) => {
  if (error.validation) return reply.code(400).send({ code: 13000102, msg: `Parameter invalid: ${error.message}` })
  return reply.code(error.statusCode ?? 500).send({ code: error.code ?? 13000201, msg: error.message })
})

function checkHeaders(request, reply, done) {
  const h = request.headers
  if (!/^Bearer[ +]\S+$/.test(h.authorization ?? '')) return reply.code(401).send({ error_code: 'APIGW.0301', error_msg: 'Incorrect IAM authentication information', request_id: request.id })
  const m = X_DATE.exec(h['x-date'] ?? '')
  if (m === null) return reply.code(400).send({ code: 13000102, msg: 'Parameter invalid: X-Date' })
  const signedAt = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6])
  const now = Date.now()
  if (signedAt > now || signedAt < now - WINDOW_MS) return reply.code(401).send({ error_code: 'APIGW.0303', error_msg: 'signature expired', request_id: request.id })
  if (!h['x-user-id'] || !h['x-hw-agentname']) return reply.code(400).send({ code: 13000102, msg: 'Parameter invalid: a required header is missing' })
  done()
}

app.post('/koodrive/ose/v1/share/tasks', { schema: { body: CreateTaskBody }, preHandler: checkHeaders }, async (request, reply) => {
  const body = request.body
  if (body.taskType === 2 && body.targetFileId === undefined) return reply.code(400).send({ code: 13000102, msg: 'Parameter invalid: targetFileId is required' })
  if (body.taskType === 1 && body.zipName === undefined) return reply.code(400).send({ code: 13000102, msg: 'Parameter invalid: zipName is required' })
  // A 19-digit ID like the vendor's, from a counter: what a stub needs, at no cost worth measuring.
  const taskId = `1${String(++taskCount).padStart(18, '0')}`
  tasks.set(taskId, { ...body, userId: request.headers['x-user-id'], createdAt: Date.now() })
  return { code: 0, msg: 'Success', taskId }
})

app.post('/koodrive/ose/v1/share/taskDetail', { schema: { body: TaskDetailBody }, preHandler: checkHeaders }, async (request, reply) => {
  const task = tasks.get(request.body.taskId)
  if (task === undefined) return reply.code(400).send({ code: 13000309, msg: 'Resource not found' })
  const elapsed = Date.now() - task.createdAt
  const taskStatus = elapsed < 500 ? 0 : elapsed < 3000 ? 1 : 2
  return {
    code: 0,
    msg: 'Success',
    jobInfo: { userId: task.userId, taskId: request.body.taskId, taskType: task.taskType, taskStatus, progress: Math.min(100, Math.floor((elapsed / 3000) * 100)) },
    taskInfos: task.fileIds.map((fileId) => ({ fileId, status: taskStatus === 2 ? '1' : '0', srcContainerId: task.containerId })),
  }
})

app.get('/__admin/health', async () => ({ status: 'ok' }))

await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' })
process.on('SIGTERM', () => app.close().then(() => process.exit(0)))
