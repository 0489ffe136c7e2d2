// The yardstick: a bare Fastify route answering a fixed body, nothing else.
import Fastify from 'fastify'

const body = { code: 0, msg: 'Success', taskId: '1689765568237837824' }
const app = Fastify({ logger: false })
app.post('/koodrive/ose/v1/share/tasks', async () => body)
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' })
process.stdout.write('ready\n')
process.on('SIGTERM', () => app.close().then(() => process.exit(0)))
