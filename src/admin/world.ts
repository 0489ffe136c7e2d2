import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { AddShareBodySchema, WorldCountsSchema } from '../../schemas/admin.js'
import { KooDriveErrorSchema } from '../../schemas/errors.js'
import { SeedSchema, type Seed, type SeedList } from '../../schemas/seed.js'
import { TypeCompiler } from '@sinclair/typebox/compiler'
import { checkSeed, lowerFirst, SeedError, trustedSeed, worldToSeed } from '../domain/world/seed.js'
import { fieldPath } from '../support/json-path.js'
import { worldCounts } from './ready-and-reset.js'
import { documentOnly } from './schema-docs.js'

const checkAddShareBody = TypeCompiler.Compile(AddShareBodySchema)

/** `files[1244]` of the merged world → `files[0]` of the body (`share` for the one share). */
function inBodyTerms(problem: string, current: Seed): string {
  // The world as it is was valid, so every problem is at an entry of the addition.
  return problem.replace(/^(users|spaces|files|shares)\[(\d+)\]/, (_whole, list: SeedList, index: string) => {
    const bodyIndex = Number(index) - current[list].length
    return list === 'shares' ? 'share' : `${list}[${bodyIndex}]`
  })
}

/** `/files/0/type` → `files[0].type`; the whole body when the problem is at its top. */
const bodyPath = (path: string) => fieldPath(path) || 'body'

/** GET/PUT /__admin/world and POST /__admin/world/shares: read, replace, or grow the world. */
export const worldRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/world',
    { schema: { operationId: 'getWorld', summary: 'The world as a seed document (copies made by dumps included)', response: { 200: SeedSchema } } },
    async (request) => {
      request.namespace.emulator.settle(request.namespace.clock.now())
      return worldToSeed(request.namespace.emulator.world)
    },
  )
  app.put(
    '/world',
    {
      schema: {
        operationId: 'replaceWorld',
        summary: 'Replace the world with a seed document; it is also what reset goes back to. Tasks and share tokens are cleared.',
        body: SeedSchema,
        response: { 200: WorldCountsSchema, 400: KooDriveErrorSchema },
      },
      validatorCompiler: documentOnly,
    },
    async (request) => {
      // Checked once: reset builds the world without checking it again.
      request.namespace.emulator.reset(trustedSeed(checkSeed(request.body)))
      return worldCounts(request.namespace.emulator.world)
    },
  )
  app.post(
    '/world/shares',
    {
      schema: {
        operationId: 'addShare',
        summary: 'Add one share, with the files, users and spaces it needs, to the live world',
        body: AddShareBodySchema,
        response: { 201: WorldCountsSchema, 400: KooDriveErrorSchema },
      },
      validatorCompiler: documentOnly,
    },
    async (request, reply) => {
      const shapeProblems = [...checkAddShareBody.Errors(request.body)].map((error) => `${bodyPath(error.path)}: ${lowerFirst(error.message)}`)
      if (shapeProblems.length > 0) throw new SeedError(shapeProblems)
      const body = request.body
      request.namespace.emulator.settle(request.namespace.clock.now())
      const current = worldToSeed(request.namespace.emulator.world)
      const addition: Seed = { users: body.users ?? [], spaces: body.spaces ?? [], files: body.files ?? [], shares: [body.share] }
      // The whole world with the addition must pass, so a new share can use what exists and
      // nothing it adds may clash with it; only the addition is then put in the live world.
      try {
        checkSeed({
          users: [...current.users, ...addition.users],
          spaces: [...current.spaces, ...addition.spaces],
          files: [...current.files, ...addition.files],
          shares: [...current.shares, ...addition.shares],
        })
      } catch (error) {
        throw new SeedError((error as SeedError).problems.map((problem) => inBodyTerms(problem, current)))
      }
      request.namespace.emulator.addToWorld(addition, request.namespace.clock.now())
      return reply.code(201).send(worldCounts(request.namespace.emulator.world))
    },
  )
}
